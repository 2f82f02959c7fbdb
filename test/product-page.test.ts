import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let handle: string;
beforeAll(async () => {
  t = await createTestApp({
    products: 0,
    env: { PUBLIC_URL: 'https://shop.example.com:8443', SHOP_NAME: 'Acme Outfitters', SHOP_CURRENCY: 'EUR' },
  });
  const tee = (size: string, color: string, position: number, stock: number) => ({
    title: `${size} / ${color}`,
    sku: `TEE-${size}-${color.replace(/\s/g, '')}`,
    position,
    price: 2500,
    inventoryQuantity: stock,
    selectedOptions: [
      { name: 'Size', value: size },
      { name: 'Color', value: color },
    ],
  });
  const product = await t.db.prisma.product.create({
    data: {
      handle: 'organic-tee',
      title: 'Organic Tee',
      status: 'ACTIVE',
      publishedAt: new Date('2026-01-01T00:00:00Z'),
      options: {
        create: [
          { name: 'Size', position: 1, values: ['S', 'L'] },
          { name: 'Color', position: 2, values: ['Heather Grey', 'Navy'] },
        ],
      },
      variants: {
        create: [tee('S', 'Heather Grey', 1, 0), tee('L', 'Heather Grey', 2, 0), tee('L', 'Navy', 3, 4), tee('S', 'Navy', 4, 4)],
      },
    },
  });
  handle = product.handle;
}, 60_000);
afterAll(() => t?.close());

const PAGE = /* GraphQL */ `
  query ($h: String!, $o: [SelectedOptionInput!]!, $unknown: Boolean, $ci: Boolean) {
    product(handle: $h) {
      exact: variantBySelectedOptions(selectedOptions: $o, ignoreUnknownOptions: $unknown, caseInsensitiveMatch: $ci) {
        sku
        title
      }
      shown: selectedOrFirstAvailableVariant(selectedOptions: $o, ignoreUnknownOptions: $unknown, caseInsensitiveMatch: $ci) {
        sku
      }
      first: selectedOrFirstAvailableVariant {
        sku
        availableForSale
        weightUnit
      }
    }
  }
`;

async function page(options: { name: string; value: string }[], unknown = false, ci = false) {
  const res = await t.gql(PAGE, { h: handle, o: options, unknown, ci });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.product;
}

describe('variantBySelectedOptions', () => {
  it('answers a variant only when every option matches', async () => {
    expect(
      (
        await page([
          { name: 'Size', value: 'L' },
          { name: 'Color', value: 'Heather Grey' },
        ])
      ).exact,
    ).toEqual({ sku: 'TEE-L-HeatherGrey', title: 'L / Heather Grey' });
    const partial = await page([{ name: 'Size', value: 'L' }]);
    expect(partial.exact).toBeNull();
    expect(partial.shown).toEqual({ sku: 'TEE-L-Navy' }); // falls back to the first variant for sale
    expect(partial.first).toEqual({ sku: 'TEE-L-Navy', availableForSale: true, weightUnit: 'GRAMS' });
  });

  it('ignores unknown options only when asked, and folds case only when asked', async () => {
    const withUnknown = [
      { name: 'Size', value: 'S' },
      { name: 'Color', value: 'Navy' },
      { name: 'Fit', value: 'Slim' },
    ];
    expect((await page(withUnknown)).exact).toBeNull();
    expect((await page(withUnknown, true)).exact.sku).toBe('TEE-S-Navy');
    const lower = [
      { name: 'size', value: 's' },
      { name: 'color', value: 'heather grey' },
    ];
    expect((await page(lower)).exact).toBeNull();
    const folded = await page(lower, false, true);
    expect(folded.exact.sku).toBe('TEE-S-HeatherGrey');
    expect(folded.shown.sku).toBe('TEE-S-HeatherGrey'); // selected even though sold out
  });

  it('answers each lookup with one statement', async () => {
    await t.gql('{ shop { name } }'); // warm the storefront-token cache
    const { result, sql } = await t.statements(() =>
      t.gql(
        `query($h: String!) { product(handle: $h) { variantBySelectedOptions(selectedOptions: [{ name: "Size", value: "L" }, { name: "Color", value: "Navy" }]) { sku } } }`,
        { h: handle },
      ),
    );
    expect(result.body.data.product.variantBySelectedOptions.sku).toBe('TEE-L-Navy');
    expect(sql.filter((s) => !s.includes('"StorefrontToken"'))).toHaveLength(2);
  });

  it('refuses an empty or oversized selection with a coded error', async () => {
    for (const o of [[], Array.from({ length: 11 }, (_, i) => ({ name: `N${i}`, value: 'x' }))]) {
      const res = await t.gql(
        `query($h: String!, $o: [SelectedOptionInput!]!) { product(handle: $h) { variantBySelectedOptions(selectedOptions: $o) { sku } } }`,
        { h: handle, o },
      );
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.body.data.product.variantBySelectedOptions).toBeNull();
    }
  });
});

describe('shop', () => {
  it('answers name, domain and currency from configuration', async () => {
    const res = await t.gql('{ shop { name primaryDomain { url host sslEnabled } paymentSettings { currencyCode } } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.shop).toEqual({
      name: 'Acme Outfitters',
      primaryDomain: { url: 'https://shop.example.com:8443', host: 'shop.example.com:8443', sslEnabled: true },
      paymentSettings: { currencyCode: 'EUR' },
    });
  });

  it('refuses a currency the schema cannot name', () => {
    expect(() => loadConfig({ SHOP_CURRENCY: 'XYZ' })).toThrow(ConfigError);
    expect(loadConfig({}).shop).toEqual({ name: 'Vitrine Demo Shop', currencyCode: 'USD' });
  });
});
