// Facets (`filters`) on search and on collection products, filters combined with search,
// predictiveSearch, and how many SQL statements each costs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createProducts, type ProductSpec } from './helpers/products.js';

let t: TestApp;
let ids: Map<string, number>;

interface FilterValue {
  id: string;
  label: string;
  count: number;
  input: string;
}
interface Filter {
  id: string;
  label: string;
  type: string;
  values: FilterValue[];
}

const SEARCH = /* GraphQL */ `
  query ($q: String!, $filters: [ProductFilter!]) {
    search(query: $q, first: 100, productFilters: $filters) {
      totalCount
      nodes {
        handle
        vendor
        availableForSale
        priceRange {
          minVariantPrice {
            amount
          }
          maxVariantPrice {
            amount
          }
        }
      }
      filters {
        id
        label
        type
        values {
          id
          label
          count
          input
        }
      }
    }
  }
`;

async function search(q: string, filters?: unknown[]) {
  const res = await t.gql(SEARCH, { q, filters });
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data.search as {
    totalCount: number;
    nodes: {
      handle: string;
      vendor: string;
      availableForSale: boolean;
      priceRange: { minVariantPrice: { amount: string }; maxVariantPrice: { amount: string } };
    }[];
    filters: Filter[];
  };
}

/** Statements of the request itself (the storefront-token lookup is cached for a few seconds, so it comes and goes). */
const catalogOnly = (sql: string[]) => sql.filter((statement) => !statement.includes('"StorefrontToken"'));
const facet = (filters: Filter[], id: string) => filters.find((f) => f.id === id)!;
const sum = (f: Filter) => f.values.reduce((n, v) => n + v.count, 0);

beforeAll(async () => {
  t = await createTestApp({ products: 0 });
  const vendors = ['Northwind', 'Fieldcraft', 'Kestrel'];
  const specs: ProductSpec[] = Array.from({ length: 15 }, (_, i) => ({
    handle: `jacket-${i}`,
    title: i % 2 ? `Rain Jacket ${i}` : `Field Jacket ${i}`,
    vendor: vendors[i % 3],
    productType: i % 4 === 0 ? 'Coats' : 'Jackets',
    tags: i % 5 === 0 ? ['sale', 'waterproof'] : ['waterproof'],
    variants: [
      {
        title: 'S / Navy',
        price: 5000 + i * 100,
        stock: i % 3 === 0 ? 0 : 2,
        options: [
          { name: 'Size', value: 'S' },
          { name: 'Color', value: 'Navy' },
        ],
      },
      {
        title: 'M / Olive',
        price: 6000 + i * 100,
        stock: i % 3 === 0 || i % 2 ? 0 : 1,
        options: [
          { name: 'Size', value: 'M' },
          { name: 'Color', value: i % 2 ? 'Olive' : 'Navy' },
        ],
      },
    ],
  }));
  specs.push({ handle: 'hidden-jacket', title: 'Hidden Jacket', vendor: 'Secret', status: 'DRAFT' });
  specs.push({ handle: 'wool-hat', title: 'Wool Hat', vendor: 'Northwind', productType: 'Hats' });
  ids = await createProducts(t.db.prisma, specs);
  const collection = await t.db.prisma.collection.create({
    data: { handle: 'rainwear', title: 'Rainwear Essentials', publishedAt: new Date('2026-01-01T00:00:00Z') },
  });
  await t.db.prisma.collectionProduct.createMany({
    data: [...ids]
      .filter(([h]) => h.startsWith('jacket-') || h === 'wool-hat')
      .map(([, productId], position) => ({ collectionId: collection.id, productId, position })),
  });
}, 120_000);
afterAll(() => t?.close());

describe('search facets', () => {
  it('count values that add up to totalCount and never count hidden products', async () => {
    const result = await search('jacket');
    expect(result.totalCount).toBe(15);
    expect(result.nodes).toHaveLength(15);
    const availability = facet(result.filters, 'filter.v.availability');
    expect(availability.type).toBe('BOOLEAN');
    expect(sum(availability)).toBe(result.totalCount);
    expect(availability.values.find((v) => v.label === 'In stock')!.count).toBe(result.nodes.filter((n) => n.availableForSale).length);
    for (const id of ['filter.p.product_type', 'filter.p.vendor']) expect(sum(facet(result.filters, id))).toBe(result.totalCount);
    expect(facet(result.filters, 'filter.p.vendor').values.map((v) => v.label)).not.toContain('Secret');
    expect(facet(result.filters, 'filter.p.tag').values).toEqual([
      { id: 'filter.p.tag.waterproof', label: 'waterproof', count: 15, input: '{"tag":"waterproof"}' },
      { id: 'filter.p.tag.sale', label: 'sale', count: 3, input: '{"tag":"sale"}' },
    ]);
    const color = facet(result.filters, 'filter.v.option.color');
    expect(color.label).toBe('Color');
    expect(color.values.map((v) => [v.label, v.count])).toEqual([
      ['Navy', 15],
      ['Olive', 7],
    ]);
  });

  it('gives each value an input that, sent back, selects exactly that many products', async () => {
    const result = await search('jacket');
    for (const f of result.filters.filter((f) => f.type !== 'PRICE_RANGE')) {
      for (const value of f.values) {
        const narrowed = await search('jacket', [JSON.parse(value.input)]);
        expect(narrowed.totalCount, value.id).toBe(value.count);
      }
    }
  });

  it('shows the price range of the results', async () => {
    const result = await search('jacket');
    const price = facet(result.filters, 'filter.v.price');
    expect(price.type).toBe('PRICE_RANGE');
    const input = JSON.parse(price.values[0]!.input);
    expect(input).toEqual({ price: { min: '50.00', max: '74.00' } });
    expect(price.values[0]!.count).toBe(15);
    const narrowed = await search('jacket', [{ price: { min: '60.00', max: '61.00' } }]);
    expect(narrowed.nodes.map((n) => n.handle).sort()).toEqual(['jacket-0', 'jacket-1', 'jacket-10', 'jacket-11'].sort());
  });

  it('counts a facet without its own filter (pick another vendor: the count says how many more)', async () => {
    const all = await search('jacket');
    const narrowed = await search('jacket', [{ productVendor: 'Fieldcraft' }, { available: true }]);
    const expected = all.nodes
      .filter((n) => n.vendor === 'Fieldcraft' && n.availableForSale)
      .map((n) => n.handle)
      .sort();
    expect(narrowed.nodes.map((n) => n.handle).sort()).toEqual(expected);
    expect(narrowed.totalCount).toBe(expected.length);
    const vendors = facet(narrowed.filters, 'filter.p.vendor');
    expect(narrowed.totalCount).toBeGreaterThan(0);
    expect(vendors.values.find((v) => v.label === 'Fieldcraft')!.count).toBe(narrowed.totalCount);
    expect(vendors.values.length).toBe(2); // Kestrel stays offered; Northwind has nothing in stock
    const availability = facet(narrowed.filters, 'filter.v.availability');
    expect(availability.values.find((v) => v.label === 'In stock')!.count).toBe(narrowed.totalCount);
    expect(sum(availability)).toBe(all.nodes.filter((n) => n.vendor === 'Fieldcraft').length);
    // Alternatives of one kind OR together.
    const two = await search('jacket', [{ productVendor: 'Northwind' }, { productVendor: 'Kestrel' }]);
    expect(two.totalCount).toBe(all.nodes.filter((n) => n.vendor !== 'Fieldcraft').length);
  });

  it('combines variant options: values of one option OR, different options AND', async () => {
    const olive = await search('rain', [{ variantOption: { name: 'Color', value: 'Olive' } }]);
    expect(olive.totalCount).toBe(7);
    const oliveS = await search('rain', [
      { variantOption: { name: 'Color', value: 'Olive' } },
      { variantOption: { name: 'Size', value: 'S' } },
    ]);
    expect(oliveS.totalCount).toBe(7);
    const none = await search('jacket', [{ variantOption: { name: 'Color', value: 'Red' } }]);
    expect(none.totalCount).toBe(0);
  });

  it('refuses malformed filters with a code', async () => {
    for (const filters of [[{ price: { min: '9', max: '1' } }], [{ tag: 'a', productVendor: 'b' }], [{}]]) {
      const res = await t.gql(SEARCH, { q: 'jacket', filters });
      expect(res.status).toBeLessThan(500);
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  it('costs a fixed number of statements whatever the page size', async () => {
    const query = (n: number) =>
      t.statements(() =>
        t.gql(
          `{ search(query: "jacket", first: ${n}) { totalCount nodes { title variants(first: 3) { nodes { title } } } filters { id values { count } } } }`,
        ),
      );
    const small = await query(2);
    const large = await query(15);
    expect(small.result.body.errors).toBeUndefined();
    expect(catalogOnly(large.sql).length).toBe(catalogOnly(small.sql).length);
    expect(catalogOnly(large.sql).length).toBeLessThanOrEqual(6);
  });
});

describe('collection facets', () => {
  const QUERY = /* GraphQL */ `
    query ($filters: [ProductFilter!]) {
      collection(handle: "rainwear") {
        products(first: 50, filters: $filters) {
          nodes {
            handle
          }
          filters {
            id
            type
            values {
              label
              count
              input
            }
          }
        }
      }
    }
  `;

  it('counts the collection products, and each input selects that many', async () => {
    const res = await t.gql(QUERY, {});
    expect(res.body.errors).toBeUndefined();
    const { nodes, filters } = res.body.data.collection.products as { nodes: unknown[]; filters: Filter[] };
    expect(nodes).toHaveLength(16);
    expect(sum(facet(filters, 'filter.v.availability'))).toBe(16);
    expect(sum(facet(filters, 'filter.p.product_type'))).toBe(16);
    for (const value of facet(filters, 'filter.p.product_type').values) {
      const narrowed = await t.gql(QUERY, { filters: [JSON.parse(value.input)] });
      expect(narrowed.body.data.collection.products.nodes).toHaveLength(value.count);
    }
    const navy = await t.gql(QUERY, { filters: [{ variantOption: { name: 'Color', value: 'Navy' } }] });
    expect(navy.body.data.collection.products.nodes).toHaveLength(15);
  });

  it('is empty on the root products list', async () => {
    const res = await t.gql('{ products(first: 1) { filters { id } } }');
    expect(res.body.data.products.filters).toEqual([]);
  });
});

describe('predictiveSearch', () => {
  it('completes a partial word into queries, and finds products and collections', async () => {
    const { result, sql } = await t.statements(() =>
      t.gql('{ predictiveSearch(query: "jack", limit: 4) { products { handle } collections { handle } queries { text styledText } } }'),
    );
    const data = result.body.data.predictiveSearch;
    expect(data.queries.map((q: { text: string }) => q.text)).toEqual(['jacket', 'jackets']); // most used first
    expect(data.queries[0].styledText).toBe('jack<mark>et</mark>');
    expect(data.products).toHaveLength(4);
    expect(data.products.map((p: { handle: string }) => p.handle)).not.toContain('hidden-jacket');
    expect(catalogOnly(sql).length).toBeLessThanOrEqual(2); // one search statement, one to load the products
    const rain = await t.gql(
      '{ predictiveSearch(query: "rainwear ess", types: [COLLECTION]) { products { handle } collections { handle } queries { text } } }',
    );
    expect(rain.body.data.predictiveSearch).toEqual({ products: [], collections: [{ handle: 'rainwear' }], queries: [] });
    const words = await t.gql('{ predictiveSearch(query: "rain ja", types: [QUERY]) { queries { text } } }');
    expect(words.body.data.predictiveSearch.queries).toEqual([{ text: 'rain jacket' }, { text: 'rain jackets' }]);
  });

  it('refuses a blank query with a code', async () => {
    const res = await t.gql('{ predictiveSearch(query: " ?! ") { queries { text } } }');
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
