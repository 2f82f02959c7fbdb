import { describe, expect, it } from 'vitest';
import { validateAddress } from '../src/commerce/addresses.js';
import {
  cartTotals,
  checkNote,
  checkQuantity,
  checkVariantQuantity,
  mergeByVariant,
  planAdditions,
  type SellableVariant,
} from '../src/commerce/cart.js';
import { rateCost, ratesForCountry, type Rate } from '../src/commerce/shipping.js';

const limits = { maxLineQuantity: 10, maxCartLines: 3 };
const variant = (id: number, inventoryQuantity: number, inventoryPolicy: 'DENY' | 'CONTINUE' = 'DENY'): SellableVariant => ({
  id,
  price: 1000 + id,
  currencyCode: 'USD',
  inventoryQuantity,
  inventoryPolicy,
});

describe('cart rules', () => {
  it('accepts quantities from 1 to the per-line cap only', () => {
    expect(checkQuantity(1, limits, ['q'])).toBeNull();
    expect(checkQuantity(10, limits, ['q'])).toBeNull();
    expect(checkQuantity(0, limits, ['q'])?.code).toBe('GREATER_THAN');
    expect(checkQuantity(-3, limits, ['q'])?.code).toBe('GREATER_THAN');
    expect(checkQuantity(1.5, limits, ['q'])?.code).toBe('GREATER_THAN');
    expect(checkQuantity(11, limits, ['q'])).toMatchObject({ code: 'LESS_THAN_OR_EQUAL_TO', field: ['q'] });
  });

  it('refuses unknown, sold-out and over-stock variants unless the policy is CONTINUE', () => {
    expect(checkVariantQuantity(undefined, 1, ['m'])?.code).toBe('NOT_FOUND');
    expect(checkVariantQuantity(variant(1, 0), 1, ['m'])?.code).toBe('OUT_OF_STOCK');
    expect(checkVariantQuantity(variant(1, 2), 3, ['m'])?.code).toBe('NOT_ENOUGH_IN_STOCK');
    expect(checkVariantQuantity(variant(1, 2), 2, ['m'])).toBeNull();
    expect(checkVariantQuantity(variant(1, 0, 'CONTINUE'), 5, ['m'])).toBeNull();
    expect(checkVariantQuantity(variant(1, -4, 'CONTINUE'), 5, ['m'])).toBeNull();
  });

  it('merges lines by variant and checks the merged quantity against cap and stock', () => {
    const merged = mergeByVariant([
      { variantId: 1, quantity: 2 },
      { variantId: 2, quantity: 1 },
      { variantId: 1, quantity: 3 },
    ]);
    expect([...merged]).toEqual([
      [1, 5],
      [2, 1],
    ]);
    const variants = new Map([
      [1, variant(1, 6)],
      [2, variant(2, 100)],
    ]);
    const ok = planAdditions(new Map([[1, 1]]), merged, variants, limits, (id) => ['lines', String(id)]);
    expect(ok.userErrors).toEqual([]);
    expect([...ok.quantities]).toEqual([
      [1, 6],
      [2, 1],
    ]);
    const tooMany = planAdditions(new Map([[1, 2]]), merged, variants, limits, (id) => ['lines', String(id)]);
    expect(tooMany.userErrors).toEqual([expect.objectContaining({ code: 'NOT_ENOUGH_IN_STOCK', field: ['lines', '1', 'merchandiseId'] })]);
    const overCap = planAdditions(new Map([[2, 8]]), new Map([[2, 3]]), variants, limits, () => ['lines', '0']);
    expect(overCap.userErrors[0]?.code).toBe('LESS_THAN_OR_EQUAL_TO');
  });

  it('caps the number of lines', () => {
    const variants = new Map([1, 2, 3, 4].map((id) => [id, variant(id, 100)]));
    const plan = planAdditions(
      new Map([
        [1, 1],
        [2, 1],
        [3, 1],
      ]),
      new Map([[4, 1]]),
      variants,
      limits,
      () => ['lines', '0'],
    );
    expect(plan.userErrors.map((e) => e.code)).toEqual(['TOO_MANY_LINES']);
    expect(
      planAdditions(
        new Map([
          [1, 1],
          [2, 1],
          [3, 1],
        ]),
        new Map([[3, 1]]),
        variants,
        limits,
        () => ['x'],
      ).userErrors,
    ).toEqual([]);
  });

  it('totals in integer minor units, with shipping once chosen', () => {
    const lines = [
      { quantity: 3, unitPrice: 1999 },
      { quantity: 1, unitPrice: 1 },
    ];
    expect(cartTotals(lines, () => null)).toEqual({ totalQuantity: 4, subtotal: 5998, shipping: null, total: 5998 });
    expect(cartTotals(lines, (subtotal) => (subtotal > 5000 ? 0 : 599))).toMatchObject({ shipping: 0, total: 5998 });
    expect(cartTotals([], () => 599)).toEqual({ totalQuantity: 0, subtotal: 0, shipping: 599, total: 599 });
  });

  it('keeps notes short', () => {
    expect(checkNote('  hi ', ['note'])).toEqual({ note: 'hi', error: null });
    expect(checkNote('', ['note']).note).toBeNull();
    expect(checkNote('x'.repeat(5001), ['note']).error?.code).toBe('TOO_LONG');
  });
});

describe('addresses', () => {
  const base = { address1: '1 Main St', city: 'Springfield', countryCode: 'us', provinceCode: 'il', zip: '62701' };

  it('normalizes a valid address and fills the province name', () => {
    const { address, userErrors } = validateAddress(base);
    expect(userErrors).toEqual([]);
    expect(address).toMatchObject({ countryCode: 'US', provinceCode: 'IL', province: 'Illinois', zip: '62701' });
    expect(validateAddress({ ...base, provinceCode: null, province: 'illinois' }).address?.provinceCode).toBe('IL');
    expect(
      validateAddress({ address1: 'Unter den Linden 1', city: 'Berlin', countryCode: 'DE', zip: '10117' }).address?.provinceCode,
    ).toBeNull();
    expect(validateAddress({ address1: '1 Rd', city: 'Nairobi', countryCode: 'KE', province: 'Nairobi County' }).address?.province).toBe(
      'Nairobi County',
    );
  });

  it('refuses unknown countries, provinces, bad postal codes and missing fields with codes', () => {
    const codes = (input: Parameters<typeof validateAddress>[0]) =>
      validateAddress(input, ['address']).userErrors.map((e) => `${e.field.join('.')}:${e.code}`);
    expect(codes({ ...base, countryCode: 'XX' })).toContain('address.countryCode:INVALID');
    expect(codes({ ...base, countryCode: 'USA' })).toContain('address.countryCode:INVALID');
    expect(codes({ ...base, provinceCode: 'ZZ' })).toEqual(['address.provinceCode:INVALID']);
    expect(codes({ ...base, provinceCode: null })).toEqual(['address.provinceCode:BLANK']);
    expect(codes({ ...base, zip: 'ABCDE' })).toEqual(['address.zip:INVALID']);
    expect(codes({ ...base, address1: '  ', city: '' })).toEqual(['address.address1:BLANK', 'address.city:BLANK']);
    expect(codes({ ...base, phone: 'call me' })).toEqual(['address.phone:INVALID']);
    expect(codes({ ...base, company: 'x'.repeat(300) })).toEqual(['address.company:TOO_LONG']);
  });
});

describe('shipping rates', () => {
  const rate = (id: number, handle: string, countryCodes: string[], price: number, freeAbove: number | null = null): Rate => ({
    id,
    handle,
    title: handle,
    countryCodes,
    currencyCode: 'USD',
    price,
    freeAbove,
    minDeliveryDays: 1,
    maxDeliveryDays: 3,
    position: id,
  });
  const rates = [rate(1, 'us-standard', ['US'], 599, 7500), rate(2, 'us-express', ['US'], 1499), rate(3, 'world', [], 1999)];

  it('serves a country from its group, else from the rest-of-world rates', () => {
    expect(ratesForCountry(rates, 'US', 'USD').map((r) => r.handle)).toEqual(['us-standard', 'us-express']);
    expect(ratesForCountry(rates, 'JP', 'USD').map((r) => r.handle)).toEqual(['world']);
    expect(ratesForCountry(rates, 'US', 'EUR')).toEqual([]);
  });

  it('is free from the threshold on', () => {
    expect(rateCost(rates[0]!, 7499)).toBe(599);
    expect(rateCost(rates[0]!, 7500)).toBe(0);
    expect(rateCost(rates[1]!, 1_000_000)).toBe(1499);
  });
});
