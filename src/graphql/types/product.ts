// Product, ProductVariant, ProductOption, and the root fields that list products.
import { findProduct, findProductsPage, listPageOptions } from '../../commerce/catalog-reads.js';
import { keysetSelect, pageQuery } from '../../commerce/keyset.js';
import { productKeyset, type ProductSortKey } from '../../commerce/product-listing.js';
import { readSelectedOptions } from '../../commerce/variant-options.js';
import {
  isCurrentlyNotInStock,
  isVariantAvailable,
  publishedProductWhere,
  quantityAvailable,
  seoOf,
  VARIANT_WEIGHT_UNIT,
} from '../../commerce/catalog.js';
import { PAGE_SIZES } from '../../config.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { idOrHandle, intId, NO_ROW } from '../ids.js';
import { PRISMA_CURSOR } from '../input-checks.js';
import { keysetCheck, listPage, plannedNodes, toConnection } from '../keyset-connection.js';
import { registerNodeType } from '../node-loader.js';
import { MoneyV2, ProductPriceRange, SEO, WeightUnit } from './common.js';
import { ImageConnection } from './image.js';
import { ProductFilterInput, ProductSortKeys } from './listing.js';

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
const visibleWithProduct = (ctx: Context) => ({ product: publishedProductWhere(ctx.now) });

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

/**
 * The columns every product loads: what a product card shows. The others (texts, tags, dates)
 * are loaded when a field asks for them: Prisma Client's result mapping costs per value, a date
 * most of all, and a listing maps two dozen products with their variants.
 */
const PRODUCT_COLUMNS = {
  handle: true,
  title: true,
  availableForSale: true,
  minPrice: true,
  maxPrice: true,
  minCompareAtPrice: true,
  maxCompareAtPrice: true,
  currencyCode: true,
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

export const Product = builder.prismaNode('Product', {
  id: { field: 'id' },
  nullable: true,
  findUnique: registerNodeType<Prisma.ProductWhereUniqueInput>('Product', {
    model: 'product',
    parseId: intId,
    noRow: NO_ROW,
    visible: (ctx) => publishedProductWhere(ctx.now),
  }),
  authScopes: { storefront: true },
  description: 'A product in the catalog. Only published products are ever visible.',
  // Select mode: a product loads a card's columns always (those fields then read the row as it
  // is, as a variant's do) and the rest only when a field asks for them.
  select: { id: true, ...PRODUCT_COLUMNS },
  fields: (t) => ({
    handle: t.string({ description: 'Unique, URL-friendly name.', resolve: (p) => p.handle }),
    title: t.string({ description: 'The product title.', resolve: (p) => p.title }),
    description: t.string({
      args: { truncateAt: t.arg.int({ required: false, description: 'Cut the text to at most this many characters, ending in "…".' }) },
      description: 'Plain-text description, optionally truncated to `truncateAt` characters.',
      select: { description: true },
      resolve: (product, args) =>
        args.truncateAt && args.truncateAt > 0 && product.description.length > args.truncateAt
          ? `${product.description.slice(0, Math.max(0, args.truncateAt - 1)).trimEnd()}…`
          : product.description,
    }),
    descriptionHtml: t.field({
      type: 'HTML',
      description: 'The description as HTML.',
      select: { descriptionHtml: true },
      resolve: (product) => product.descriptionHtml,
    }),
    vendor: t.string({ description: 'Who makes or supplies the product.', select: { vendor: true }, resolve: (p) => p.vendor }),
    productType: t.string({
      description: 'The kind of product, e.g. "Sweater".',
      select: { productType: true },
      resolve: (p) => p.productType,
    }),
    tags: t.stringList({ description: 'Words the merchant tagged the product with.', select: { tags: true }, resolve: (p) => p.tags }),
    availableForSale: t.boolean({ description: 'Whether at least one variant can be bought.', resolve: (p) => p.availableForSale }),
    publishedAt: t.field({
      type: 'DateTime',
      description: 'When the product was published (its creation time when never set).',
      select: { publishedAt: true, createdAt: true },
      resolve: (product) => product.publishedAt ?? product.createdAt,
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the product was created.',
      select: { createdAt: true },
      resolve: (p) => p.createdAt,
    }),
    updatedAt: t.field({
      type: 'DateTime',
      description: 'When the product last changed.',
      select: { updatedAt: true },
      resolve: (p) => p.updatedAt,
    }),
    seo: t.field({
      type: SEO,
      description: 'Title and description for search engines.',
      select: { seoTitle: true, seoDescription: true, title: true, description: true },
      resolve: (product) => seoOf(product),
    }),
    priceRange: t.field({
      type: ProductPriceRange,
      description: 'The lowest and highest variant prices.',
      resolve: (p) => ({
        min: { amount: p.minPrice, currencyCode: p.currencyCode },
        max: { amount: p.maxPrice, currencyCode: p.currencyCode },
      }),
    }),
    compareAtPriceRange: t.field({
      type: ProductPriceRange,
      description: 'Lowest and highest compare-at prices; zero when no variant has one.',
      resolve: (p) => ({
        min: { amount: p.minCompareAtPrice ?? 0, currencyCode: p.currencyCode },
        max: { amount: p.maxCompareAtPrice ?? 0, currencyCode: p.currencyCode },
      }),
    }),
    featuredImage: t.relation('featuredImage', { nullable: true, description: 'The main image of the product, if any.' }),
    images: t.relatedConnection(
      'images',
      {
        cursor: 'id',
        description: "The product's images, in display order.",
        query: { orderBy: { position: 'asc' } },
        extensions: { [PRISMA_CURSOR]: true },
      },
      ImageConnection,
    ),
    options: t.relation('options', {
      description: "The product's options (Size, Color, ...), in display order.",
      args: { first: t.arg.int({ required: false, description: 'Return at most this many options.' }) },
      query: (args) => ({
        orderBy: { position: 'asc' },
        ...(args.first ? { take: Math.min(Math.max(args.first, 0), PAGE_SIZES.max) } : {}),
      }),
    }),
    variants: t.relatedConnection(
      'variants',
      {
        cursor: 'id',
        description: "The product's variants, in display order.",
        query: { orderBy: [{ position: 'asc' }, { id: 'asc' }] },
        extensions: { [PRISMA_CURSOR]: true },
      },
      ProductVariantConnection,
    ),
  }),
});

export const ProductConnection = builder.connectionObject({ type: Product, name: 'ProductConnection', description: 'A page of products.' });

builder.queryFields((t) => ({
  products: t.connection(
    {
      type: Product,
      description: 'Published products, sorted and filtered.',
      args: {
        sortKey: t.arg({ type: ProductSortKeys, required: false, defaultValue: 'ID', description: 'The order of the products.' }),
        reverse: t.arg.boolean({ required: false, defaultValue: false, description: 'Reverse the order.' }),
        filters: t.arg({ type: [ProductFilterInput], required: false, description: 'Only products that match these filters.' }),
      },
      extensions: keysetCheck((args, page) => {
        pageQuery(page.request, listPageOptions.products((args.sortKey ?? 'ID') as ProductSortKey, args.reverse === true, page));
      }),
      resolve: async (_root, args, ctx, info) => {
        const sortKey = args.sortKey ?? 'ID';
        const query = await plannedNodes(ctx, info, 'Product', keysetSelect(productKeyset(sortKey)));
        const page = await findProductsPage<typeof Product.$inferType>(
          ctx.prisma,
          query,
          { sortKey, reverse: args.reverse ?? false, filters: args.filters, now: ctx.now },
          listPage(args, ctx.config),
        );
        return toConnection(page);
      },
    },
    ProductConnection,
  ),
  product: t.prismaField({
    type: Product,
    nullable: true,
    description: 'A published product by `id` or `handle` (exactly one).',
    args: {
      id: t.arg.globalID({ for: Product, required: false, description: 'The product ID.' }),
      handle: t.arg.string({ required: false, description: 'The product handle.' }),
    },
    resolve: (query, _root, args, ctx) => {
      return findProduct(ctx.prisma, query, idOrHandle(args), ctx.now);
    },
  }),
}));
