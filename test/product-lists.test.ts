// A product's own lists (variants, images, collections) page with keyset cursors nested in the
// product's query: whole and in display order in both directions, in one statement, and a
// cursor only works on the product and list it was made for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let shirt: { id: number; handle: string; variants: number[]; images: number[]; collections: number[] };
let mug: { handle: string };

const past = new Date(Date.UTC(2026, 0, 1));
// Display positions unrelated to creation order, so the order cannot come from the ids.
const POSITIONS = [5, 1, 7, 3, 2, 6, 4];

beforeAll(async () => {
  t = await createTestApp({ products: 0 });
  const prisma = t.db.prisma;
  const product = await prisma.product.create({
    data: { handle: 'shirt', title: 'Shirt', status: 'ACTIVE', publishedAt: past },
  });
  const variants = await prisma.productVariant.createManyAndReturn({
    data: POSITIONS.map((position) => ({ productId: product.id, title: `V${position}`, position, price: 1000 + position })),
    select: { id: true, position: true },
  });
  const images = await prisma.productImage.createManyAndReturn({
    data: POSITIONS.slice(0, 5).map((position) => ({ productId: product.id, url: `https://img.test/${position}.png`, position })),
    select: { id: true, position: true },
  });
  const collections = await prisma.collection.createManyAndReturn({
    data: [0, 1, 2, 3, 4, 5].map((i) => ({ handle: `c${i}`, title: `C${i}`, publishedAt: i % 3 === 2 ? null : past })),
    select: { id: true, publishedAt: true },
  });
  // Memberships created in reverse, so their order is the collection's, not the rows'.
  for (const collection of [...collections].reverse()) {
    await prisma.collectionProduct.create({ data: { collectionId: collection.id, productId: product.id, position: 1 } });
  }
  const other = await prisma.product.create({
    data: { handle: 'mug', title: 'Mug', status: 'ACTIVE', publishedAt: past },
  });
  await prisma.productVariant.createMany({
    data: [1, 2, 3].map((position) => ({ productId: other.id, title: `M${position}`, position, price: 500 })),
  });
  const byPosition = (rows: { id: number; position: number }[]) => [...rows].sort((a, b) => a.position - b.position).map((r) => r.id);
  shirt = {
    id: product.id,
    handle: product.handle,
    variants: byPosition(variants),
    images: byPosition(images),
    collections: collections
      .filter((c) => c.publishedAt)
      .map((c) => c.id)
      .sort((a, b) => a - b),
  };
  mug = { handle: other.handle };
});
afterAll(() => t?.close());

type List = 'variants' | 'images' | 'collections';

interface Connection {
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const dbId = (gid: string) => Number(gid.split('/').pop());

async function page(list: List, vars: Record<string, unknown>, handle = shirt.handle) {
  return t.gql(
    `query($h: String!, $first: Int, $last: Int, $after: String, $before: String) {
      product(handle: $h) {
        ${list}(first: $first, last: $last, after: $after, before: $before) {
          nodes { id }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        }
      }
    }`,
    { h: handle, ...vars },
  );
}

async function okPage(list: List, vars: Record<string, unknown>): Promise<Connection> {
  const res = await page(list, vars);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data.product[list];
}

/** Image ids are not global ids of ProductImage rows for every image; read them by url instead. */
async function imageIds(nodes: { id: string }[]) {
  const rows = await t.db.prisma.productImage.findMany({ where: { productId: shirt.id }, select: { id: true } });
  return nodes.map((n) => {
    const id = dbId(n.id);
    expect(rows.map((r) => r.id)).toContain(id);
    return id;
  });
}

describe("a product's lists", () => {
  for (const list of ['variants', 'images', 'collections'] as const) {
    it(`${list}: pages forward and backward, whole and in order`, async () => {
      const expected = shirt[list];
      const ids = async (nodes: { id: string }[]) => (list === 'images' ? imageIds(nodes) : nodes.map((n) => dbId(n.id)));
      expect((await ids((await okPage(list, { first: 50 })).nodes)).length).toBe(expected.length);
      expect(await ids((await okPage(list, { first: 50 })).nodes)).toEqual(expected);

      const forward: number[] = [];
      let current = await okPage(list, { first: 2 });
      expect(current.pageInfo.hasPreviousPage).toBe(false);
      forward.push(...(await ids(current.nodes)));
      for (let guard = 0; current.pageInfo.hasNextPage && guard < 10; guard++) {
        current = await okPage(list, { first: 2, after: current.pageInfo.endCursor });
        expect(current.pageInfo.hasPreviousPage).toBe(true);
        forward.push(...(await ids(current.nodes)));
      }
      expect(forward).toEqual(expected);

      const backward: number[] = [];
      current = await okPage(list, { last: 2 });
      expect(current.pageInfo.hasNextPage).toBe(false);
      backward.unshift(...(await ids(current.nodes)));
      for (let guard = 0; current.pageInfo.hasPreviousPage && guard < 10; guard++) {
        current = await okPage(list, { last: 2, before: current.pageInfo.startCursor });
        backward.unshift(...(await ids(current.nodes)));
      }
      expect(backward).toEqual(expected);
    });
  }

  it('refuses a cursor of another product or another list', async () => {
    const first = await okPage('variants', { first: 1 });
    const elsewhere = await page('variants', { first: 1, after: first.pageInfo.endCursor }, mug.handle);
    expect(elsewhere.body.errors?.[0]?.message).toMatch(/another list or sort order/);
    expect(elsewhere.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const otherList = await page('images', { first: 1, after: first.pageInfo.endCursor });
    expect(otherList.status).toBe(400);
    expect(otherList.body.errors?.[0]?.message).toMatch(/another list or sort order/);
    const malformed = await page('collections', { last: 1, before: 'nope' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.[0]?.message).toMatch(/Invalid cursor/);
  });

  it('answers two pages of one list with different arguments in one request', async () => {
    const res = await t.gql(
      `query($h: String!) { product(handle: $h) {
        a: variants(first: 1) { nodes { id } }
        b: variants(first: 3) { nodes { id title } }
        c: collections(last: 1) { nodes { id handle } }
      } }`,
      { h: shirt.handle },
    );
    expect(res.body.errors).toBeUndefined();
    const product = res.body.data.product;
    expect(product.a.nodes.map((n: { id: string }) => dbId(n.id))).toEqual(shirt.variants.slice(0, 1));
    expect(product.b.nodes.map((n: { id: string }) => dbId(n.id))).toEqual(shirt.variants.slice(0, 3));
    expect(product.c.nodes.map((n: { id: string }) => dbId(n.id))).toEqual(shirt.collections.slice(-1));
  });

  it('loads the product and a page of each list in one statement, also after a cursor', async () => {
    const first = await okPage('variants', { first: 2 });
    const { result, sql } = await t.statements(() =>
      t.gql(
        `query($h: String!, $a: String) { product(handle: $h) {
          variants(first: 2, after: $a) { nodes { id title } pageInfo { endCursor } }
          images(first: 2) { nodes { url } }
          collections(first: 2) { nodes { handle } }
        } }`,
        { h: shirt.handle, a: first.pageInfo.endCursor },
      ),
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.product.variants.nodes.map((n: { id: string }) => dbId(n.id))).toEqual(shirt.variants.slice(2, 4));
    expect(sql.filter((s) => /^\s*select/i.test(s))).toHaveLength(1);
  });

  it('pages a product reached by its global id', async () => {
    const id = (await t.gql('query($h: String!) { product(handle: $h) { id } }', { h: shirt.handle })).body.data.product.id;
    const first = await okPage('variants', { first: 2 });
    const res = await t.gql(
      'query($id: ID!, $a: String) { node(id: $id) { ... on Product { variants(first: 2, after: $a) { nodes { id } } } } }',
      { id, a: first.pageInfo.endCursor },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.node.variants.nodes.map((n: { id: string }) => dbId(n.id))).toEqual(shirt.variants.slice(2, 4));
  });
});
