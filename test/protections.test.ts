import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { measureOperation } from '../src/graphql/protections.js';
import { schema } from '../src/graphql/schema.js';
import { LISTING_QUERY } from './helpers/queries.js';

const measure = (query: string, variables: Record<string, unknown> = {}) => measureOperation(schema, parse(query), undefined, variables, 20, 250);


describe('query cost', () => {
  it('scales with page sizes, including through variables', () => {
    const small = measure(LISTING_QUERY, { first: 24 });
    const large = measure(LISTING_QUERY, { first: 100 });
    expect(large.cost).toBeGreaterThan(small.cost * 4);
    expect(small.depth).toBe(5); // object levels: products.nodes.variants.nodes.selectedOptions
  });

  it('lets a real listing page through and prices nested 250×250 out', () => {
    expect(measure(LISTING_QUERY, { first: 100 }).cost).toBeLessThan(10_000);
    const abusive = measure(`{ products(first: 250) { nodes { variants(first: 250) { nodes { price { amount } } } } } }`);
    expect(abusive.cost).toBeGreaterThan(50_000);
  });

  it('charges the default page size when first/last is missing', () => {
    expect(measure(`{ products { nodes { featuredImage { url } } } }`).cost).toBe(1 + 20 * (1 + 1));
  });

  it('reports page sizes out of range', () => {
    expect(measure(`{ products(first: 251) { nodes { id } } }`).badPageSizes).toEqual(['products.first = 251']);
    expect(measure(`query($n: Int) { products(last: $n) { nodes { id } } }`, { n: -1 }).badPageSizes).toEqual(['products.last = -1']);
  });

  it('memoises fragments so a fragment bomb stays cheap to measure', () => {
    const levels = 30;
    let doc = `query { products(first: 1) { nodes { ...F0 } } }\n`;
    for (let i = 0; i < levels; i++) doc += `fragment F${i} on Product { featuredImage { url } ${i + 1 < levels ? `...F${i + 1} ...F${i + 1}` : ''} }\n`;
    // 2^30 paths: without memoisation this would not finish within the test timeout.
    const result = measure(doc);
    expect(result.cost).toBeGreaterThan(2 ** 29);
  });
});
