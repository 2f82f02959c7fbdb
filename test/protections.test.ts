import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { measureComplexity } from '../src/graphql/complexity.js';
import { checkArguments } from '../src/graphql/input-checks.js';
import { schema } from '../src/graphql/schema.js';
import { LISTING_QUERY } from './helpers/queries.js';

const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'http://localhost', LOG_LEVEL: 'silent' });

const measure = (query: string, variables: Record<string, unknown> = {}) => {
  const result = measureComplexity(schema, parse(query), undefined, variables);
  if (!result) throw new Error('the variables did not coerce');
  return { cost: result.complexity, depth: result.depth, breadth: result.breadth };
};

const argumentErrors = (query: string, variables: Record<string, unknown> = {}) =>
  checkArguments(schema, parse(query), variables, config).map((error) => [error.message, error.extensions['code']]);

describe('query cost', () => {
  it('scales with page sizes, including through variables', () => {
    const small = measure(LISTING_QUERY, { first: 24 });
    const large = measure(LISTING_QUERY, { first: 100 });
    expect(large.cost).toBeGreaterThan(small.cost * 4);
    // Selection levels, scalar leaves included: products.nodes.variants.nodes.selectedOptions.name
    expect(small.depth).toBe(6);
  });

  it('lets a real listing page through and prices nested 250×250 out', () => {
    expect(measure(LISTING_QUERY, { first: 100 }).cost).toBeLessThan(10_000);
    const abusive = measure(`{ products(first: 250) { nodes { variants(first: 250) { nodes { price { amount } } } } } }`);
    expect(abusive.cost).toBeGreaterThan(50_000);
  });

  it('charges the default page size when first/last is missing', () => {
    expect(measure(`{ products { nodes { featuredImage { url } } } }`).cost).toBe(1 + 20 * (1 + 1));
  });

  it('charges a plain list once per item it selects, and nodes(ids:) per id', () => {
    expect(measure(`{ products(first: 2) { nodes { options { name } } } }`).cost).toBe(1 + 2 * (1 + 1));
    expect(measure(`{ nodes(ids: ["gid://vitrine/Product/1", "gid://vitrine/Product/2"]) { id } }`).cost).toBe(1 + 2 * 0);
  });

  it('reports page sizes out of range', () => {
    expect(argumentErrors(`{ products(first: 251) { nodes { id } } }`)).toEqual([
      ['Page sizes must be between 0 and 250: products.first = 251.', 'BAD_USER_INPUT'],
    ]);
    expect(argumentErrors(`query($n: Int) { products(last: $n) { nodes { id } } }`, { n: -1 })).toEqual([
      ['Page sizes must be between 0 and 250: products.last = -1.', 'BAD_USER_INPUT'],
    ]);
  });

  it('memoises fragments so a fragment bomb stays cheap to measure', () => {
    const levels = 30;
    let doc = `query { products(first: 1) { nodes { ...F0 } } }\n`;
    for (let i = 0; i < levels; i++)
      doc += `fragment F${i} on Product { featuredImage { url } ${i + 1 < levels ? `...F${i + 1} ...F${i + 1}` : ''} }\n`;
    // 2^30 paths: without memoisation this would not finish within the test timeout.
    const result = measure(doc);
    expect(result.cost).toBeGreaterThan(2 ** 29);
    expect(result.breadth).toBeGreaterThan(2 ** 29);
  });
});
