// Guard for the benchmark: each catalog scenario's document may send no more SQL statements
// per request than bench/statement-budget.json allows (the numbers the benchmark records,
// committed with the code). Counted through the database client's statement hook, on the
// second of two identical requests, as the benchmark counts them (the storefront token is
// then cached). Deterministic; speed itself stays in bench/.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTION_PAGE_QUERY, globalId, LISTING_QUERY, NODES_QUERY, PRODUCT_PAGE_QUERY, SEARCH_QUERY } from '../bench/scenarios.js';
import { createTestApp, type TestApp } from './helpers/app.js';

const budget = JSON.parse(readFileSync(new URL('../bench/statement-budget.json', import.meta.url), 'utf8')) as Record<string, number>;

let t: TestApp;
let documents: Record<string, { query: string; variables: Record<string, unknown> }>;

beforeAll(async () => {
  t = await createTestApp({ products: 120 });
  const now = new Date();
  const visible = { status: 'ACTIVE' as const, publishedAt: { lte: now } };
  const product = await t.db.prisma.product.findFirstOrThrow({ where: { ...visible, variants: { some: {} } }, orderBy: { id: 'asc' } });
  const collection = await t.db.prisma.collection.findFirstOrThrow({
    where: { publishedAt: { lte: now }, products: { some: { product: visible } } },
    orderBy: { id: 'asc' },
  });
  const products = await t.db.prisma.product.findMany({ where: visible, take: 20, orderBy: { id: 'asc' }, select: { id: true } });
  const variants = await t.db.prisma.productVariant.findMany({
    where: { product: visible },
    take: 20,
    orderBy: { id: 'asc' },
    select: { id: true },
  });
  const collections = await t.db.prisma.collection.findMany({ where: { publishedAt: { lte: now } }, take: 10, select: { id: true } });
  const ids = [
    ...products.map((p) => globalId('Product', p.id)),
    ...variants.map((v) => globalId('ProductVariant', v.id)),
    ...collections.map((c) => globalId('Collection', c.id)),
  ];
  documents = {
    listing: { query: LISTING_QUERY, variables: { first: 24 } },
    product: { query: PRODUCT_PAGE_QUERY, variables: { handle: product.handle } },
    collection: { query: COLLECTION_PAGE_QUERY, variables: { handle: collection.handle } },
    nodes: { query: NODES_QUERY, variables: { ids } },
    // The catalog's most common word, as the benchmark picks its search terms.
    search: {
      query: SEARCH_QUERY,
      variables: { q: (await t.db.prisma.searchWord.findFirstOrThrow({ orderBy: { products: 'desc' } })).word },
    },
  };
}, 120_000);
afterAll(() => t?.close());

describe('statements per request of the benchmark scenarios', () => {
  it('has a budget for every scenario and nothing else', () => {
    expect(Object.keys(budget).sort()).toEqual(Object.keys(documents).sort());
  });

  for (const name of ['listing', 'product', 'collection', 'nodes', 'search']) {
    it(`${name}: within its committed budget`, async () => {
      const { query, variables } = documents[name]!;
      const first = await t.gql(query, variables);
      expect(first.body.errors).toBeUndefined();
      const { result, sql } = await t.statements(() => t.gql(query, variables));
      expect(result.status).toBe(200);
      expect(result.body).toEqual(first.body);
      expect(sql.length, `${name} sent:\n${sql.join('\n')}`).toBeLessThanOrEqual(budget[name]!);
      expect(sql.length).toBeGreaterThan(0); // the response cache is off here: a real execution
    });
  }
});
