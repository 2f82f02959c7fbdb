// Pages of every sorted list stay whole while the catalog changes between two requests:
// the product (or collection) a cursor points at is deleted, another is unpublished and a
// third repriced (or renamed), for every sort key, both directions, reverse on and off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshProductRollups } from '../src/commerce/catalog.js';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 0 });
});
afterAll(() => t?.close());

const PAGE = 3;
const past = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));
// Ties on purpose (titles, prices, creation times) so the ID tie-breaker is exercised.
const TITLES = ['Mug', 'Apron', 'Mug', 'Kettle', 'Bowl', 'Apron', 'Spoon', 'Mug', 'Whisk', 'Bowl', 'Tray', 'Cup', 'Jar', 'Pan'];
const PRICES = [900, 500, 500, 1200, 700, 900, 300, 500, 1500, 700, 1100, 200, 500, 800];

/** A fresh small catalog: 14 visible products (+2 hidden), one collection of all, 8 collections. */
async function freshCatalog(): Promise<{ collectionHandle: string }> {
  const prisma = t.db.prisma;
  await prisma.collection.deleteMany({});
  await prisma.product.deleteMany({});
  const tag = Math.random().toString(36).slice(2, 8);
  const products = await prisma.product.createManyAndReturn({
    data: TITLES.map((title, i) => ({
      handle: `p-${i}-${tag}`,
      title,
      status: 'ACTIVE' as const,
      publishedAt: past(1),
      createdAt: past(i % 5),
    })),
    select: { id: true },
  });
  await prisma.productVariant.createMany({
    data: products.map((p, i) => ({ productId: p.id, title: 'Default', position: 1, price: PRICES[i]!, inventoryQuantity: 5 })),
  });
  await prisma.product.createMany({
    data: [
      { handle: `hidden-${tag}`, title: 'Hidden', status: 'DRAFT', publishedAt: past(1) },
      { handle: `future-${tag}`, title: 'Future', status: 'ACTIVE', publishedAt: new Date(Date.now() + 3_600_000) },
    ],
  });
  await refreshProductRollups(
    prisma,
    products.map((p) => p.id),
  );
  const handle = `all-${tag}`;
  await prisma.collection.create({
    data: {
      handle,
      title: 'All',
      publishedAt: past(1),
      // Positions in a shuffled order, unrelated to ids.
      products: { createMany: { data: products.map((p, i) => ({ productId: p.id, position: (i * 5) % products.length })) } },
    },
  });
  await prisma.collection.createMany({
    data: ['Sale', 'Kitchen', 'Sale', 'Garden', 'Bath', 'Kitchen', 'Gifts'].map((title, i) => ({
      handle: `c-${i}-${tag}`,
      title,
      publishedAt: past(1),
      updatedAt: past(i % 3),
    })),
  });
  return { collectionHandle: handle };
}

interface Connection {
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

type List = 'products' | 'collectionProducts' | 'collections';
const SORT_TYPE: Record<List, string> = {
  products: 'ProductSortKeys',
  collectionProducts: 'ProductCollectionSortKeys',
  collections: 'CollectionSortKeys',
};

async function fetchPage(list: List, handle: string, vars: Record<string, unknown>): Promise<Connection> {
  const connection = `(first: $first, last: $last, after: $after, before: $before, sortKey: $sortKey, reverse: $reverse) { nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }`;
  const field = list === 'collectionProducts' ? `collection(handle: $handle) { products${connection} }` : `${list}${connection}`;
  const res = await t.gql(
    `query($handle: String!, $first: Int, $last: Int, $after: String, $before: String, $sortKey: ${SORT_TYPE[list]}, $reverse: Boolean) {
      ${field} ${list === 'collectionProducts' ? '' : 'collection(handle: $handle) { id }'}
    }`,
    { handle, ...vars },
  );
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return list === 'collectionProducts' ? res.body.data.collection.products : res.body.data[list];
}

const dbId = (gid: string) => Number(gid.split('/').pop());

/** Deletes the row the cursor points at, unpublishes one unseen row and reprices/renames another. */
async function changeCatalog(list: List, cursorId: string, unseen: string[]): Promise<string[]> {
  const prisma = t.db.prisma;
  const [unpublish, change] = [unseen[1], unseen[3]];
  if (list === 'collections') {
    await prisma.collection.delete({ where: { id: dbId(cursorId) } });
    if (unpublish) await prisma.collection.update({ where: { id: dbId(unpublish) }, data: { publishedAt: null } });
    if (change) await prisma.collection.update({ where: { id: dbId(change) }, data: { title: 'Aardvark' } });
  } else {
    await prisma.product.delete({ where: { id: dbId(cursorId) } });
    if (unpublish) await prisma.product.update({ where: { id: dbId(unpublish) }, data: { status: 'ARCHIVED' } });
    if (change) {
      await prisma.productVariant.updateMany({ where: { productId: dbId(change) }, data: { price: 1 } });
      await refreshProductRollups(prisma, [dbId(change)]);
    }
  }
  return [cursorId, unpublish, change].filter((id): id is string => id !== undefined);
}

async function pageThrough(list: List, sortKey: string, reverse: boolean, backward: boolean) {
  const { collectionHandle: handle } = await freshCatalog();
  const base = { sortKey, reverse };
  const expected = (await fetchPage(list, handle, { ...base, first: 250 })).nodes.map((n) => n.id);
  expect(expected.length).toBeGreaterThanOrEqual(7);

  let page = await fetchPage(list, handle, { ...base, [backward ? 'last' : 'first']: PAGE });
  const seen = page.nodes.map((n) => n.id);
  const cursorId = backward ? seen[0]! : seen[seen.length - 1]!;
  const unseen = backward ? expected.slice(0, expected.indexOf(cursorId)).reverse() : expected.slice(expected.indexOf(cursorId) + 1);
  const changed = await changeCatalog(list, cursorId, unseen);

  for (let guard = 0; guard < 20; guard++) {
    if (backward ? !page.pageInfo.hasPreviousPage : !page.pageInfo.hasNextPage) break;
    page = await fetchPage(
      list,
      handle,
      backward ? { ...base, last: PAGE, before: page.pageInfo.startCursor } : { ...base, first: PAGE, after: page.pageInfo.endCursor },
    );
    const ids = page.nodes.map((n) => n.id);
    if (backward) seen.unshift(...ids);
    else seen.push(...ids);
  }

  const label = `${list} ${sortKey} reverse=${reverse} ${backward ? 'last/before' : 'first/after'}`;
  expect(new Set(seen).size, `${label}: duplicates in ${seen.join(',')}`).toBe(seen.length);
  const unchanged = expected.filter((id) => !changed.includes(id));
  expect(
    seen.filter((id) => !changed.includes(id)),
    `${label}: gaps`,
  ).toEqual(unchanged);
  expect(
    seen.filter((id) => changed.slice(0, 2).includes(id) && id !== cursorId),
    `${label}: unpublished row shown`,
  ).toEqual([]);
}

const CASES: [List, string[]][] = [
  ['products', ['TITLE', 'PRICE', 'CREATED_AT', 'ID']],
  ['collectionProducts', ['COLLECTION_DEFAULT', 'MANUAL', 'TITLE', 'PRICE', 'CREATED', 'ID']],
  ['collections', ['TITLE', 'UPDATED_AT', 'ID']],
];

describe('keyset pagination while the catalog changes', () => {
  for (const [list, sortKeys] of CASES) {
    for (const sortKey of sortKeys) {
      for (const backward of [false, true]) {
        it(`${list} by ${sortKey}, ${backward ? 'last/before' : 'first/after'}, reverse or not`, async () => {
          for (const reverse of [false, true]) await pageThrough(list, sortKey, reverse, backward);
        });
      }
    }
  }
});
