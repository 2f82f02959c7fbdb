// ProductVariant and ProductOption: the parts of a product a shopper chooses between.
import { readSelectedOptions } from '../../commerce/variant-options.js';
import {
  isCurrentlyNotInStock,
  isVariantAvailable,
  publishedProductWhere,
  quantityAvailable,
  VARIANT_WEIGHT_UNIT,
} from '../../commerce/catalog.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { intId, NO_ROW } from '../ids.js';
import { registerNodeType } from '../node-loader.js';
import { MoneyV2, WeightUnit } from './common.js';

const SelectedOption = builder.objectRef<{ name: string; value: string }>('SelectedOption').implement({
  description: 'One option of a variant, e.g. Size: M.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The option name, e.g. "Size".' }),
    value: t.exposeString('value', { description: 'The value of this variant, e.g. "M".' }),
  }),
});

const ProductOptionValue = builder.objectRef<{ name: string }>('ProductOptionValue').implement({
  description: 'One value of a product option, e.g. "M" of Size.',
  fields: (t) => ({ name: t.exposeString('name', { description: 'The value, e.g. "M".' }) }),
});

// A product's options and variants are visible with their product.
const visibleWithProduct = (ctx: Context) => ({ product: publishedProductWhere(ctx.catalogNow) });

builder.prismaNode('ProductOption', {
  id: { field: 'id' },
  findUnique: registerNodeType<Prisma.ProductOptionWhereUniqueInput>('ProductOption', {
    model: 'productOption',
    parseId: intId,
    noRow: NO_ROW,
    visible: visibleWithProduct,
  }),
  description: 'A product option such as Size or Color, with its values in order.',
  select: { id: true },
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The option name, e.g. "Size".' }),
    optionValues: t.field({
      type: [ProductOptionValue],
      description: 'The values of the option, in display order.',
      select: { values: true },
      resolve: (option) => option.values.map((name) => ({ name })),
    }),
  }),
});

/** The columns every variant loads: what a product card shows (the rest is loaded when asked for). */
const VARIANT_COLUMNS = {
  title: true,
  price: true,
  compareAtPrice: true,
  currencyCode: true,
  inventoryQuantity: true,
  inventoryPolicy: true,
  selectedOptions: true,
} as const;

export const ProductVariant = builder.prismaNode('ProductVariant', {
  id: { field: 'id' },
  nullable: true,
  // Visibility follows the product: a variant of an unpublished product does not exist.
  findUnique: registerNodeType<Prisma.ProductVariantWhereUniqueInput>('ProductVariant', {
    model: 'productVariant',
    parseId: intId,
    noRow: NO_ROW,
    visible: visibleWithProduct,
  }),
  authScopes: { storefront: true },
  description: 'A purchasable version of a product: one combination of its options.',
  // Select mode, with a card's columns in the type's own selection: those fields then read the
  // row as it is, without plugin-prisma's per-row lookup of a field-level selection (a listing
  // resolves ~1,000 variant fields). `sku` and `weight` are selected when asked for.
  select: { id: true, ...VARIANT_COLUMNS },
  fields: (t) => ({
    sku: t.string({
      nullable: true,
      description: "The merchant's stock-keeping unit, if any.",
      select: { sku: true },
      resolve: (v) => v.sku,
    }),
    title: t.string({ description: 'The variant title, e.g. "M / Navy".', resolve: (v) => v.title }),
    price: t.field({
      type: MoneyV2,
      description: 'The price of one unit.',
      resolve: (v) => ({ amount: v.price, currencyCode: v.currencyCode }),
    }),
    compareAtPrice: t.field({
      type: MoneyV2,
      nullable: true,
      description: 'The price before a sale, shown struck through; null when not on sale.',
      resolve: (v) => (v.compareAtPrice === null ? null : { amount: v.compareAtPrice, currencyCode: v.currencyCode }),
    }),
    availableForSale: t.boolean({
      description: 'Whether the variant can be bought: in stock, or sold on backorder.',
      resolve: (v) => isVariantAvailable(v),
    }),
    quantityAvailable: t.int({
      nullable: true,
      description: 'Units in stock (never below zero).',
      resolve: (v) => quantityAvailable(v),
    }),
    currentlyNotInStock: t.boolean({
      description: 'True when the variant is out of stock but still sold (backorder).',
      resolve: (v) => isCurrentlyNotInStock(v),
    }),
    selectedOptions: t.field({
      type: [SelectedOption],
      description: "The variant's option values, in the product's option order.",
      resolve: (v) => readSelectedOptions(v.selectedOptions),
    }),
    weight: t.float({
      nullable: true,
      description: 'The shipping weight, in `weightUnit`.',
      select: { weight: true },
      resolve: (v) => v.weight,
    }),
    weightUnit: t.field({ type: WeightUnit, description: 'The unit of `weight`.', resolve: () => VARIANT_WEIGHT_UNIT }),
    image: t.relation('image', { nullable: true, description: "The variant's own image, if any." }),
    product: t.relation('product', { description: 'The product this variant belongs to.' }),
  }),
});

export const ProductVariantConnection = builder.connectionObject({
  type: ProductVariant,
  name: 'ProductVariantConnection',
  description: 'A page of product variants.',
});
