import { describe, expect, it } from 'vitest';
import { ListingInputError, collectionProductOrderBy, productFilterWhere, productOrderBy } from '../src/commerce/product-listing.js';

describe('product filters', () => {
  it('ANDs different kinds and ORs the same kind', () => {
    const where = productFilterWhere([{ tag: 'wool' }, { tag: 'cotton' }, { productVendor: 'Acme' }, { available: true }]);
    expect(where).toEqual([
      { OR: [{ tags: { has: 'wool' } }, { tags: { has: 'cotton' } }] },
      { vendor: 'Acme' },
      { availableForSale: true },
    ]);
  });

  it('turns price bounds into minor units on variants', () => {
    expect(productFilterWhere([{ price: { min: '10', max: '19.99' } }])).toEqual([
      { variants: { some: { price: { gte: 1000, lte: 1999 } } } },
    ]);
    expect(productFilterWhere([{ price: { min: '5.5' } }])).toEqual([{ variants: { some: { price: { gte: 550 } } } }]);
  });

  it('rejects bad filters with a field path', () => {
    expect(() => productFilterWhere([{ price: { min: '20', max: '10' } }])).toThrow(ListingInputError);
    expect(() => productFilterWhere([{ price: { min: '-1' } }])).toThrow(/non-negative/);
    expect(() => productFilterWhere([{ price: { min: '1.999' } }])).toThrow(ListingInputError);
    expect(() => productFilterWhere([{}])).toThrow(/exactly one/);
    expect(() => productFilterWhere([{ tag: 'a', productVendor: 'b' }])).toThrow(/exactly one/);
    expect(() => productFilterWhere(Array.from({ length: 21 }, () => ({ tag: 'x' })))).toThrow(/At most/);
  });

  it('orders with an id tie-breaker in the same direction', () => {
    expect(productOrderBy('PRICE', true)).toEqual([{ minPrice: 'desc' }, { id: 'desc' }]);
    expect(productOrderBy('ID', false)).toEqual([{ id: 'asc' }]);
    expect(collectionProductOrderBy('MANUAL', false)).toEqual([{ position: 'asc' }, { productId: 'asc' }]);
    expect(collectionProductOrderBy('TITLE', true)).toEqual([{ product: { title: 'desc' } }, { productId: 'desc' }]);
  });
});
