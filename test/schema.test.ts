import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printedSchema } from '../src/graphql/print.js';

describe('schema.graphql', () => {
  it('is the printed schema (run `npm run schema:print` after changing types)', () => {
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printedSchema());
  });

  it('names types after Shopify’s Storefront API', () => {
    const sdl = printedSchema();
    for (const name of [
      'type Product implements Node',
      'type ProductVariant implements Node',
      'type Collection implements Node',
      'type MoneyV2',
      'type ProductConnection',
      'type UserError',
    ]) {
      expect(sdl).toContain(name);
    }
  });
});
