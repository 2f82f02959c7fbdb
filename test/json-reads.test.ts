// Catalog reads answered as one JSON text (src/db/json-reads.ts) must be exactly what Prisma
// Client answers for the same arguments: every read the storefront's documents make is
// recorded, then answered both ways and compared, Dates and order included. Arguments outside
// the compiled subset must compile to null, so Prisma Client answers them.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COLLECTION_PAGE_QUERY, LISTING_QUERY, PRODUCT_PAGE_QUERY, SEARCH_QUERY } from '../bench/scenarios.js';
import type { CatalogModel } from '../src/db/json-reads.js';
import { compileFindMany, runJsonRead } from '../src/db/json-reads.js';
import { createTestApp, type TestApp } from './helpers/app.js';

const recorded = vi.hoisted(() => [] as { model: string; args: Record<string, unknown>; compiled: boolean }[]);

vi.mock('../src/db/json-reads.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/db/json-reads.js')>();
  return {
    ...original,
    findCatalogRows: (prisma: Parameters<typeof original.findCatalogRows>[0], model: CatalogModel, args: Record<string, unknown>) => {
      recorded.push({ model, args: structuredClone(args), compiled: original.compileFindMany(model, args) !== null });
      return original.findCatalogRows(prisma, model, args);
    },
  };
});

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 80 });
}, 120_000);
afterAll(() => t?.close());

const delegate = (model: string) =>
  (t.db.prisma as unknown as Record<string, { findMany(args: unknown): Promise<unknown[]> }>)[model[0]!.toLowerCase() + model.slice(1)]!;

describe('catalog reads as one JSON text', () => {
  it("answer the storefront's documents exactly as Prisma Client does", async () => {
    const now = new Date();
    const product = await t.db.prisma.product.findFirstOrThrow({
      where: { status: 'ACTIVE', publishedAt: { lte: now } },
      orderBy: { id: 'desc' },
    });
    const collection = await t.db.prisma.collection.findFirstOrThrow({
      where: { publishedAt: { lte: now }, products: { some: {} } },
      orderBy: { id: 'asc' },
    });
    const word = (await t.db.prisma.searchWord.findFirstOrThrow({ orderBy: { products: 'desc' } })).word;
    const documents: [string, Record<string, unknown>][] = [
      [LISTING_QUERY, { first: 24 }],
      [PRODUCT_PAGE_QUERY, { handle: product.handle }],
      [COLLECTION_PAGE_QUERY, { handle: collection.handle }],
      [
        `query($after: String) { products(first: 7, sortKey: CREATED_AT, reverse: true, after: $after) {
          edges { cursor node { id title vendor tags publishedAt createdAt updatedAt descriptionHtml seo { title description }
            compareAtPriceRange { maxVariantPrice { amount } } featuredImage { url altText width height }
            options(first: 2) { name optionValues { name } }
            variants(first: 3) { nodes { sku weight compareAtPrice { amount } quantityAvailable image { url } selectedOptions { name value } } } } }
          pageInfo { endCursor } } }`,
        {},
      ],
      [`{ products(first: 5, sortKey: TITLE) { nodes { handle collections(first: 2) { nodes { handle updatedAt } } } } }`, {}],
      [`{ products(last: 4, sortKey: PRICE) { nodes { handle priceRange { minVariantPrice { amount } } } } }`, {}],
      [
        `{ collections(first: 10) { nodes { handle title updatedAt image { url } products(first: 3, sortKey: TITLE) { nodes { handle } } } } }`,
        {},
      ],
      [SEARCH_QUERY, { q: word }],
      [
        `query($q: String!) { predictiveSearch(query: $q) { products { handle title } collections { handle title } } }`,
        { q: word.slice(0, 3) },
      ],
    ];
    for (const [query, variables] of documents) {
      const res = await t.gql(query, variables);
      expect(res.body.errors, query).toBeUndefined();
    }
    // The cursor of the first page leads to the second, read the same way.
    const first = await t.gql(`{ products(first: 7, sortKey: CREATED_AT, reverse: true) { pageInfo { endCursor } } }`);
    expect((await t.gql(documents[3]![0], { after: first.body.data.products.pageInfo.endCursor })).body.errors).toBeUndefined();
    // So do the cursors of a product's own lists, nested in the product's read.
    const lists = `query($h: String!, $v: String, $i: String, $c: String) { product(handle: $h) {
      variants(first: 2, after: $v) { nodes { title } pageInfo { endCursor } }
      images(first: 1, after: $i) { nodes { url } pageInfo { endCursor } }
      collections(first: 1, after: $c) { nodes { handle } pageInfo { endCursor } } } }`;
    const listed = await t.gql(lists, { h: product.handle });
    const cursors = listed.body.data.product;
    const next = await t.gql(lists, {
      h: product.handle,
      v: cursors.variants.pageInfo.endCursor,
      i: cursors.images.pageInfo.endCursor,
      c: cursors.collections.pageInfo.endCursor,
    });
    expect(next.body.errors).toBeUndefined();

    // Every read of these documents is compiled.
    expect(recorded.filter((r) => !r.compiled).map((r) => JSON.stringify(r.args).slice(0, 300))).toEqual([]);
    expect(recorded.length).toBeGreaterThanOrEqual(documents.length + 2);
    for (const { model, args } of recorded) {
      const read = compileFindMany(model as CatalogModel, args)!;
      const asJson = await runJsonRead(t.db.prisma, read);
      const viaPrisma = await delegate(model).findMany(args);
      expect(asJson, `${model} ${JSON.stringify(args).slice(0, 400)}`).toEqual(viaPrisma);
      expect(asJson.length).toBe(viaPrisma.length);
    }
    // Dates come back as Dates, lists as lists, and JSON columns as their values.
    const [row] = await runJsonRead<Record<string, unknown>>(
      t.db.prisma,
      compileFindMany('Product', {
        select: { createdAt: true, tags: true, variants: { select: { selectedOptions: true }, orderBy: { id: 'asc' }, take: 1 } },
        where: { id: product.id },
      })!,
    );
    expect(row!.createdAt).toEqual(product.createdAt);
    expect(row!.tags).toEqual(product.tags);
    expect(Array.isArray((row!.variants as { selectedOptions: unknown }[])[0]!.selectedOptions)).toBe(true);
  });

  it('compile the conditions they support to the rows Prisma Client finds', async () => {
    const select = { id: true, handle: true, publishedAt: true, minCompareAtPrice: true };
    const cases: Record<string, unknown>[] = [
      { where: { OR: [{ minPrice: { lt: 2000 } }, { maxPrice: { gte: 9000 } }] }, orderBy: [{ minPrice: 'desc' }, { id: 'asc' }] },
      { where: { id: { in: [1, 2, 3, 5, 8] } }, orderBy: { id: 'desc' } },
      { where: { minCompareAtPrice: null, status: 'ACTIVE' }, orderBy: { id: 'asc' }, take: 5 },
      { where: { publishedAt: { equals: null } }, orderBy: { id: 'asc' } },
      { where: { AND: [], OR: [{ handle: 'no-such-handle' }] }, orderBy: { id: 'asc' } },
      { where: { featuredImage: { position: 0 } }, orderBy: { title: 'asc' }, take: 3 },
      // Ordered by a to-one relation's column, missing relations (NULL) included.
      { orderBy: [{ featuredImage: { position: 'desc' } }, { id: 'asc' }] },
      { orderBy: [{ featuredImage: { url: 'asc' } }, { id: 'desc' }], take: 9 },
    ];
    for (const args of cases) {
      const read = compileFindMany('Product', { ...args, select });
      expect(read, JSON.stringify(args)).not.toBeNull();
      expect(await runJsonRead(t.db.prisma, read!)).toEqual(await t.db.prisma.product.findMany({ ...args, select }));
    }
    // A frozen select (a shared planned query's) is compiled once, parameters included, and each
    // case's own where, order and take are compiled around it.
    const freeze = <T>(value: T): T => {
      if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) freeze(v);
      return Object.freeze(value);
    };
    const shared = freeze({
      ...select,
      variants: { select: { id: true, price: true }, where: { price: { gte: 1500 } }, orderBy: { id: 'asc' }, take: 2 },
    });
    for (const args of cases) {
      const read = compileFindMany('Product', { ...args, select: shared });
      expect(await runJsonRead(t.db.prisma, read!), JSON.stringify(args)).toEqual(
        await t.db.prisma.product.findMany({ ...args, select: shared } as Parameters<typeof t.db.prisma.product.findMany>[0]),
      );
    }
  });

  it('leave everything else to Prisma Client', () => {
    const select = { id: true };
    for (const args of [
      { select, cursor: { id: 3 }, take: 2 },
      { select, skip: 1 },
      { select, take: -2, orderBy: { id: 'asc' } },
      { include: { variants: true } },
      { select: { id: true, variants: { select: { id: true } } } }, // a list without an order
      { select: { id: true, variants: true } },
      { select, where: { title: { contains: 'a' } } },
      { select, where: { variants: { some: { price: { gte: 100 } } } } },
      { select, where: { tags: { has: 'wool' } } },
      { select, where: { NOT: { id: 1 } } },
      { select, distinct: ['vendor'] },
      { select: { id: true, orderLines: { select: { id: true }, orderBy: { id: 'asc' } } } },
      { select: { id: true, noSuchColumn: true } },
    ]) {
      expect(compileFindMany('Product', args as Record<string, unknown>), JSON.stringify(args)).toBeNull();
    }
  });
});
