// The planned queries of the catalog's root fields are shared by the requests that ask the same
// thing (src/graphql/plan-cache.ts): a shared plan answers what a fresh one answers, in one
// statement; variables used beneath the field make plans of their own; and when the catalog
// clock's second turns, the visibility rules inside a plan read the new time.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { COLLECTION_PAGE_QUERY, LISTING_QUERY, PRODUCT_PAGE_QUERY } from '../bench/scenarios.js';
import { planCacheStats } from '../src/graphql/plan-cache.js';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let handles: { products: string[]; collections: string[] };
// A whole second plus 200 ms, a day ahead of the real clock: Date alone is faked, and stands still.
const T0 = Math.floor(Date.now() / 1000) * 1000 + 86_400_000 + 200;

beforeAll(async () => {
  t = await createTestApp({ products: 30 });
  const products = await t.db.prisma.product.findMany({
    where: { status: 'ACTIVE', publishedAt: { not: null }, variants: { some: {} } },
    orderBy: { id: 'asc' },
    take: 3,
  });
  const collections = await t.db.prisma.collection.findMany({
    where: { publishedAt: { not: null }, products: { some: {} } },
    orderBy: { id: 'asc' },
    take: 2,
  });
  handles = { products: products.map((p) => p.handle), collections: collections.map((c) => c.handle) };
});
afterAll(() => t?.close());
afterEach(() => {
  vi.useRealTimers();
});

const hitsOf = async <T>(fn: () => Promise<T>) => {
  const before = { ...planCacheStats };
  const result = await fn();
  return { result, hits: planCacheStats.hits - before.hits, misses: planCacheStats.misses - before.misses };
};

describe('a shared plan', () => {
  const pages = [
    { name: 'product page', query: PRODUCT_PAGE_QUERY, vars: () => handles.products.map((h) => ({ handle: h })) },
    { name: 'collection page', query: COLLECTION_PAGE_QUERY, vars: () => handles.collections.map((h) => ({ handle: h })) },
    { name: 'listing', query: LISTING_QUERY, vars: () => [{ first: 24 }, { first: 5 }] },
  ];

  it.each(pages)('$name: answers what a fresh plan answers, in one statement', async ({ query, vars }) => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const [first, second] = vars();
    const warm = await hitsOf(() => t.gql(query, first));
    expect(warm.result.body.errors).toBeUndefined();

    const reused = await hitsOf(() => t.statements(() => t.gql(query, second)));
    expect(reused.hits).toBe(1);
    expect(reused.misses).toBe(0);
    expect(reused.result.sql).toHaveLength(1);
    expect(reused.result.result.body.errors).toBeUndefined();

    // The same document under another name is other nodes: planned afresh.
    const fresh = await hitsOf(() => t.gql(query.replace(/^query (\w+)/, 'query $1Fresh'), second));
    expect(fresh.misses).toBe(1);
    expect(reused.result.result.body.data).toEqual(fresh.result.body.data);
  });

  it('is planned again for other values of the variables beneath the field, and not for the field’s own', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 + 5000 });
    const query = `query($h: String!, $n: Int) { product(handle: $h) { handle variants(first: $n) { nodes { id } } } }`;
    const count = async (handle: string, n: number) => {
      const { result, hits, misses } = await hitsOf(() => t.gql(query, { h: handle, n }));
      expect(result.body.errors).toBeUndefined();
      return { nodes: (result.body.data.product.variants.nodes as unknown[]).length, hits, misses };
    };
    const [a, b] = handles.products as [string, string];
    expect(await count(a, 1)).toEqual({ nodes: 1, hits: 0, misses: 1 });
    const two = await count(a, 2);
    expect(two.misses).toBe(1);
    expect(two.nodes).toBe(Math.min(2, await t.db.prisma.productVariant.count({ where: { product: { handle: a } } })));
    expect(await count(b, 1)).toEqual({ nodes: 1, hits: 1, misses: 0 });
  });

  it('sees the catalog clock turn: a collection published after the plan was made shows from its second on', async () => {
    const product = await t.db.prisma.product.create({
      data: { handle: 'clock-shirt', title: 'Clock shirt', status: 'ACTIVE', publishedAt: new Date(T0 - 86_400_000) },
    });
    const later = await t.db.prisma.collection.create({
      data: { handle: 'clock-later', title: 'Later', publishedAt: new Date(T0 + 10_500) },
    });
    await t.db.prisma.collectionProduct.create({ data: { collectionId: later.id, productId: product.id, position: 1 } });
    const query = `query($h: String!) { product(handle: $h) { collections(first: 5) { nodes { handle } } } }`;
    const shown = async (at: number) => {
      vi.setSystemTime(at);
      const { result } = await hitsOf(() => t.gql(query, { h: 'clock-shirt' }));
      expect(result.body.errors).toBeUndefined();
      return (result.body.data.product.collections.nodes as { handle: string }[]).map((c) => c.handle);
    };
    vi.useFakeTimers({ toFake: ['Date'], now: T0 + 10_000 });
    expect(await shown(T0 + 10_000)).toEqual([]);
    // Published .700 into its second: hidden until the catalog clock reaches the next one.
    expect(await shown(T0 + 10_600)).toEqual([]);
    const next = await hitsOf(async () => shown(T0 + 11_000));
    expect(next.result).toEqual(['clock-later']);
    expect(next.misses).toBe(1);
  });
});
