import { describe, expect, it } from 'vitest';
import { matchVariantBySelectedOptions, readSelectedOptions, selectedOrFirstAvailableVariant } from '../src/commerce/variant-options.ts';

function variant(sku: string, options: Record<string, string>, stock = 5, policy: 'DENY' | 'CONTINUE' = 'DENY') {
  return {
    sku,
    selectedOptions: Object.entries(options).map(([name, value]) => ({ name, value })),
    inventoryQuantity: stock,
    inventoryPolicy: policy,
  };
}

const TEE = [
  variant('s-grey', { Size: 'S', Color: 'Heather Grey' }, 0),
  variant('l-grey', { Size: 'L', Color: 'Heather Grey' }, 0),
  variant('l-navy', { Size: 'L', Color: 'Navy' }),
  variant('s-navy', { Size: 'S', Color: 'Navy' }),
];
const sku = (v: { sku: string } | null) => v?.sku ?? null;

describe('variantBySelectedOptions rules', () => {
  it('matches only when every option of the variant is given and matches', () => {
    expect(
      sku(
        matchVariantBySelectedOptions(TEE, [
          { name: 'Size', value: 'L' },
          { name: 'Color', value: 'Navy' },
        ]),
      ),
    ).toBe('l-navy');
    expect(
      sku(
        matchVariantBySelectedOptions(TEE, [
          { name: 'Color', value: 'Heather Grey' },
          { name: 'Size', value: 'L' },
        ]),
      ),
    ).toBe('l-grey');
    expect(matchVariantBySelectedOptions(TEE, [{ name: 'Size', value: 'L' }])).toBeNull();
    expect(
      matchVariantBySelectedOptions(TEE, [
        { name: 'Size', value: 'XL' },
        { name: 'Color', value: 'Navy' },
      ]),
    ).toBeNull();
  });

  it('refuses an unknown option name unless told to ignore it', () => {
    const given = [
      { name: 'Size', value: 'S' },
      { name: 'Color', value: 'Navy' },
      { name: 'Material', value: 'Wool' },
    ];
    expect(matchVariantBySelectedOptions(TEE, given)).toBeNull();
    expect(sku(matchVariantBySelectedOptions(TEE, given, { ignoreUnknownOptions: true }))).toBe('s-navy');
    expect(matchVariantBySelectedOptions(TEE, [{ name: 'Material', value: 'Wool' }], { ignoreUnknownOptions: true })).toBeNull();
    // A known name with a value no variant has is not "unknown": it matches nothing.
    expect(
      matchVariantBySelectedOptions(
        TEE,
        [
          { name: 'Size', value: 'XS' },
          { name: 'Color', value: 'Navy' },
        ],
        { ignoreUnknownOptions: true },
      ),
    ).toBeNull();
  });

  it('compares case-sensitively unless asked otherwise', () => {
    const given = [
      { name: 'size', value: 'l' },
      { name: 'COLOR', value: 'heather grey' },
    ];
    expect(matchVariantBySelectedOptions(TEE, given)).toBeNull();
    expect(sku(matchVariantBySelectedOptions(TEE, given, { caseInsensitiveMatch: true }))).toBe('l-grey');
    expect(matchVariantBySelectedOptions(TEE, given, { ignoreUnknownOptions: true })).toBeNull();
  });

  it('accepts a repeated option with the same value and refuses contradicting ones', () => {
    const same = [
      { name: 'Size', value: 'L' },
      { name: 'Size', value: 'L' },
      { name: 'Color', value: 'Navy' },
    ];
    expect(sku(matchVariantBySelectedOptions(TEE, same))).toBe('l-navy');
    const contradicting = [
      { name: 'Size', value: 'L' },
      { name: 'Size', value: 'S' },
      { name: 'Color', value: 'Navy' },
    ];
    expect(matchVariantBySelectedOptions(TEE, contradicting)).toBeNull();
  });

  it('matches nothing for an empty selection or a product without variants', () => {
    expect(matchVariantBySelectedOptions(TEE, [])).toBeNull();
    expect(matchVariantBySelectedOptions([], [{ name: 'Size', value: 'L' }])).toBeNull();
  });

  it('reads stored options defensively', () => {
    expect(readSelectedOptions([{ name: 'Size', value: 'M' }, { name: 1 }, null, 'x'])).toEqual([{ name: 'Size', value: 'M' }]);
    expect(readSelectedOptions({ name: 'Size' })).toEqual([]);
  });
});

describe('selectedOrFirstAvailableVariant rules', () => {
  it('answers the named variant, sold out or not', () => {
    expect(
      sku(
        selectedOrFirstAvailableVariant(TEE, [
          { name: 'Size', value: 'S' },
          { name: 'Color', value: 'Heather Grey' },
        ]),
      ),
    ).toBe('s-grey');
  });

  it('falls back to the first variant for sale when nothing or nothing matching is selected', () => {
    expect(sku(selectedOrFirstAvailableVariant(TEE, null))).toBe('l-navy');
    expect(sku(selectedOrFirstAvailableVariant(TEE, []))).toBe('l-navy');
    expect(sku(selectedOrFirstAvailableVariant(TEE, [{ name: 'Size', value: 'L' }]))).toBe('l-navy');
  });

  it('counts backorderable variants as for sale, then falls back to the first variant', () => {
    const soldOut = [variant('a', { Size: 'S' }, 0), variant('b', { Size: 'M' }, -2, 'CONTINUE')];
    expect(sku(selectedOrFirstAvailableVariant(soldOut, null))).toBe('b');
    const none = [variant('a', { Size: 'S' }, 0), variant('b', { Size: 'M' }, 0)];
    expect(sku(selectedOrFirstAvailableVariant(none, null))).toBe('a');
    expect(selectedOrFirstAvailableVariant([], null)).toBeNull();
  });
});
