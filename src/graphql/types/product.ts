// Product, ProductVariant, ProductOption, images, and the root fields that list them.
import { findProduct, findProductsPage, findVariantBySelectedOptions, listPageOptions } from '../../commerce/catalog-reads.js';
import { keysetSelect, pageQuery } from '../../commerce/keyset.js';
import { productKeyset, type ProductSortKey } from '../../commerce/product-listing.js';
import { publishedProductWhere, quantityAvailable, isVariantAvailable } from '../../commerce/catalog.js';
import { builder } from '../builder.js';
import { idOrHandle, intId, NO_ROW } from '../ids.js';
import { PRISMA_CURSOR } from '../input-checks.js';
import { keysetCheck, listPage, plannedNodes, toConnection } from '../keyset-connection.js';
import { registerNodeType } from '../node-loader.js';
import { absoluteUrl, badUserInput, MoneyV2, ProductPriceRange, SEO } from './common.js';
import { ProductFilterInput, ProductSortKeys } from './listing.js';

// Select mode with every column an Image shows in the type's own selection, and no field-level
// selections: Collection.image answers Images that are not ProductImage rows (built from the
// collection's columns), and a field with a `select` would try to load such an object again
// by its id. productId, position and createdAt are never loaded.
export const Image = builder.prismaObject('ProductImage', {
  name: 'Image',
  description: 'An image of a product or variant, served by the shop.',
  select: { id: true, url: true, altText: true, width: true, height: true },
  fields: (t) => ({
    id: t.id({ nullable: true, resolve: (image) => (image.id > 0 ? String(image.id) : null) }),
    url: t.field({
      type: 'URL',
      description: 'Absolute URL of the image.',
      resolve: (image, _args, ctx) => absoluteUrl(image.url, ctx.config.publicUrl),
    }),
    altText: t.string({ nullable: true, resolve: (image) => image.altText }),
    width: t.int({ nullable: true, resolve: (image) => image.width }),
    height: t.int({ nullable: true, resolve: (image) => image.height }),
  }),
});

export const ImageConnection = builder.connectionObject({ type: Image, name: 'ImageConnection' });

const SelectedOption = builder.objectRef<{ name: string; value: string }>('SelectedOption').implement({
  description: 'One option of a variant, e.g. Size: M.',
  fields: (t) => ({ name: t.exposeString('name'), value: t.exposeString('value') }),
});

const SelectedOptionInput = builder.inputType('SelectedOptionInput', {
  fields: (t) => ({ name: t.string({ required: true }), value: t.string({ required: true }) }),
});

const ProductOptionValue = builder.objectRef<{ name: string }>('ProductOptionValue').implement({
  fields: (t) => ({ name: t.exposeString('name') }),
});

builder.prismaObject('ProductOption', {
  description: 'A product option such as Size or Color, with its values in order.',
  select: { id: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    optionValues: t.field({
      type: [ProductOptionValue],
      select: { values: true },
      resolve: (option) => option.values.map((name) => ({ name })),
    }),
    values: t.exposeStringList('values', { deprecationReason: 'Use `optionValues`.' }),
  }),
});

function readSelectedOptions(value: unknown): { name: string; value: string }[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (item): item is { name: string; value: string } =>
      typeof item === 'object' && item !== null && typeof item.name === 'string' && typeof item.value === 'string',
  );
}

/** The columns a variant's stock fields read. */
const STOCK = { inventoryQuantity: true, inventoryPolicy: true } as const;

export const ProductVariant = builder.prismaNode('ProductVariant', {
  id: { field: 'id' },
  nullable: true,
  // Visibility follows the product: a variant of an unpublished product does not exist.
  findUnique: (id, ctx) => ({ id: intId(id) ?? NO_ROW, product: publishedProductWhere(ctx.now) }),
  authScopes: { storefront: true },
  description: 'A purchasable version of a product: one combination of its options.',
  // Select mode: a variant loads its id plus the columns of the fields a request asks for.
  select: { id: true },
  fields: (t) => ({
    sku: t.exposeString('sku', { nullable: true }),
    title: t.exposeString('title'),
    price: t.field({
      type: MoneyV2,
      select: { price: true, currencyCode: true },
      resolve: (v) => ({ amount: v.price, currencyCode: v.currencyCode }),
    }),
    compareAtPrice: t.field({
      type: MoneyV2,
      nullable: true,
      select: { compareAtPrice: true, currencyCode: true },
      resolve: (v) => (v.compareAtPrice === null ? null : { amount: v.compareAtPrice, currencyCode: v.currencyCode }),
    }),
    availableForSale: t.boolean({ select: STOCK, resolve: (v) => isVariantAvailable(v) }),
    quantityAvailable: t.int({ nullable: true, select: STOCK, resolve: (v) => quantityAvailable(v) }),
    currentlyNotInStock: t.boolean({
      description: 'True when the variant is out of stock but still sold (backorder).',
      select: STOCK,
      resolve: (v) => v.inventoryQuantity <= 0 && v.inventoryPolicy === 'CONTINUE',
    }),
    selectedOptions: t.field({
      type: [SelectedOption],
      select: { selectedOptions: true },
      resolve: (v) => readSelectedOptions(v.selectedOptions),
    }),
    weight: t.float({ nullable: true, select: { weight: true }, resolve: (v) => v.weight }),
    weightUnit: t.string({ resolve: () => 'GRAMS' }),
    image: t.relation('image', { nullable: true }),
    product: t.relation('product'),
  }),
});

export const ProductVariantConnection = builder.connectionObject({ type: ProductVariant, name: 'ProductVariantConnection' });

export const Product = builder.prismaNode('Product', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: intId(id) ?? NO_ROW, ...publishedProductWhere(ctx.now) }),
  authScopes: { storefront: true },
  description: 'A product in the catalog. Only published products are ever visible.',
  // Select mode: a product loads its id plus the columns of the fields a request asks for.
  select: { id: true },
  fields: (t) => ({
    handle: t.exposeString('handle', { description: 'Unique, URL-friendly name.' }),
    title: t.exposeString('title'),
    description: t.string({
      args: { truncateAt: t.arg.int({ required: false }) },
      description: 'Plain-text description, optionally truncated to `truncateAt` characters.',
      select: { description: true },
      resolve: (product, args) =>
        args.truncateAt && args.truncateAt > 0 && product.description.length > args.truncateAt
          ? `${product.description.slice(0, Math.max(0, args.truncateAt - 1)).trimEnd()}…`
          : product.description,
    }),
    descriptionHtml: t.field({ type: 'HTML', select: { descriptionHtml: true }, resolve: (product) => product.descriptionHtml }),
    vendor: t.exposeString('vendor'),
    productType: t.exposeString('productType'),
    tags: t.exposeStringList('tags'),
    availableForSale: t.exposeBoolean('availableForSale'),
    publishedAt: t.field({
      type: 'DateTime',
      select: { publishedAt: true, createdAt: true },
      resolve: (product) => product.publishedAt ?? product.createdAt,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    seo: t.field({
      type: SEO,
      select: { seoTitle: true, seoDescription: true, title: true, description: true },
      resolve: (product) => ({
        title: product.seoTitle ?? product.title,
        description: product.seoDescription ?? (product.description.slice(0, 320) || null),
      }),
    }),
    priceRange: t.field({
      type: ProductPriceRange,
      select: { minPrice: true, maxPrice: true, currencyCode: true },
      resolve: (p) => ({
        min: { amount: p.minPrice, currencyCode: p.currencyCode },
        max: { amount: p.maxPrice, currencyCode: p.currencyCode },
      }),
    }),
    compareAtPriceRange: t.field({
      type: ProductPriceRange,
      description: 'Lowest and highest compare-at prices; zero when no variant has one.',
      select: { minCompareAtPrice: true, maxCompareAtPrice: true, currencyCode: true },
      resolve: (p) => ({
        min: { amount: p.minCompareAtPrice ?? 0, currencyCode: p.currencyCode },
        max: { amount: p.maxCompareAtPrice ?? 0, currencyCode: p.currencyCode },
      }),
    }),
    featuredImage: t.relation('featuredImage', { nullable: true }),
    images: t.relatedConnection(
      'images',
      { cursor: 'id', query: { orderBy: { position: 'asc' } }, maxSize: 250, extensions: { [PRISMA_CURSOR]: true } },
      ImageConnection,
    ),
    options: t.relation('options', {
      args: { first: t.arg.int({ required: false }) },
      query: (args) => ({ orderBy: { position: 'asc' }, ...(args.first ? { take: Math.min(Math.max(args.first, 0), 250) } : {}) }),
    }),
    variants: t.relatedConnection(
      'variants',
      { cursor: 'id', query: { orderBy: [{ position: 'asc' }, { id: 'asc' }] }, maxSize: 250, extensions: { [PRISMA_CURSOR]: true } },
      ProductVariantConnection,
    ),
    variantBySelectedOptions: t.prismaField({
      type: 'ProductVariant',
      nullable: true,
      description: 'The variant with exactly these options, or null.',
      args: { selectedOptions: t.arg({ type: [SelectedOptionInput], required: true }) },
      resolve: (query, product, args, ctx) => {
        if (args.selectedOptions.length === 0 || args.selectedOptions.length > 10) {
          throw badUserInput('Pass between 1 and 10 selected options.');
        }
        return findVariantBySelectedOptions(ctx.prisma, query, product.id, args.selectedOptions);
      },
    }),
  }),
});

export const ProductConnection = builder.connectionObject({ type: Product, name: 'ProductConnection' });

builder.queryFields((t) => ({
  products: t.connection(
    {
      type: Product,
      description: 'Published products, sorted and filtered.',
      args: {
        sortKey: t.arg({ type: ProductSortKeys, required: false, defaultValue: 'ID' }),
        reverse: t.arg.boolean({ required: false, defaultValue: false }),
        filters: t.arg({ type: [ProductFilterInput], required: false }),
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
      id: t.arg.globalID({ for: Product, required: false }),
      handle: t.arg.string({ required: false }),
    },
    resolve: (query, _root, args, ctx) => {
      return findProduct(ctx.prisma, query, idOrHandle(args), ctx.now);
    },
  }),
}));


registerNodeType('Product', {
  model: 'product',
  parseId: intId,
  where: (ids, ctx) => ({ id: { in: ids }, ...publishedProductWhere(ctx.now) }),
});

registerNodeType('ProductVariant', {
  model: 'productVariant',
  parseId: intId,
  where: (ids, ctx) => ({ id: { in: ids }, product: publishedProductWhere(ctx.now) }),
});
