// Product and the root fields that list products (its variants and options: ./product-variant.ts).
import {
  findProduct,
  findProductsPage,
  listPageOptions,
  productListKeyset,
  productListPage,
  productListPageOptions,
  productListPageQuery,
  type ProductList,
} from '../../commerce/catalog-reads.js';
import { keysetSelect, pageQuery, type PageRequest } from '../../commerce/keyset.js';
import { productKeyset, type ProductSortKey } from '../../commerce/product-listing.js';
import { publishedProductWhere, seoOf } from '../../commerce/catalog.js';
import { PAGE_SIZES } from '../../config.js';
import { builder } from '../builder.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { idOrHandle, intId, NO_ROW } from '../ids.js';
import type { Context } from '../context.js';
import { keysetCheck, listPage, nestedPageSelect, plannedNodes, toConnection, type NestedSelection } from '../keyset-connection.js';
import { registerNodeType } from '../node-loader.js';
import { plannedQuery } from '../plan-cache.js';
import { ProductPriceRange, SEO } from './common.js';
import { Image, ImageConnection } from './image.js';
import { ProductFilterInput, ProductSortKeys } from './listing.js';
import { ProductVariant, ProductVariantConnection } from './product-variant.js';

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

/**
 * What a product's own list (variants, images, collections) gives its `t.connection`: the
 * cursor check before anything runs, its page nested in the product's query (reaching each
 * node through the relation `through` when a row is a membership), and the connection from
 * the rows that query loaded.
 */
export function productListConnection<Row, Node>(list: ProductList, node: (row: Row) => Node, through?: string) {
  return {
    extensions: keysetCheck((_args, page) => {
      pageQuery(page.request, productListPageOptions(list, page));
    }),
    select: (args: PageRequest, ctx: Context, nestedSelection: NestedSelection) => ({
      [list]: nestedPageSelect(
        nestedSelection,
        productListKeyset(list),
        productListPageQuery(list, listPage(args, ctx.config), ctx.catalogNow),
        through,
      ),
    }),
    resolve: (product: { id: number }, args: PageRequest, ctx: Context) =>
      toConnection(
        productListPage(list, product.id, (product as Record<string, unknown>)[list] as Row[], listPage(args, ctx.config), node),
      ),
  };
}

export const Product = builder.prismaNode('Product', {
  id: { field: 'id' },
  nullable: true,
  findUnique: registerNodeType<Prisma.ProductWhereUniqueInput>('Product', {
    model: 'product',
    parseId: intId,
    noRow: NO_ROW,
    visible: (ctx) => publishedProductWhere(ctx.catalogNow),
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
    images: t.connection(
      {
        type: Image,
        description: "The product's images, in display order.",
        ...productListConnection('images', (image: typeof Image.$inferType) => image),
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
    variants: t.connection(
      {
        type: ProductVariant,
        description: "The product's variants, in display order.",
        ...productListConnection('variants', (variant: typeof ProductVariant.$inferType) => variant),
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
        const query = await plannedNodes(ctx, info, 'Product', keysetSelect(productKeyset(sortKey)), sortKey);
        const page = await findProductsPage<typeof Product.$inferType>(
          ctx.prisma,
          query,
          { sortKey, reverse: args.reverse ?? false, filters: args.filters, now: ctx.catalogNow },
          listPage(args, ctx.config),
        );
        return toConnection(page);
      },
    },
    ProductConnection,
  ),
  product: t.field({
    type: Product,
    nullable: true,
    description: 'A published product by `id` or `handle` (exactly one).',
    args: {
      id: t.arg.globalID({ for: Product, required: false, description: 'The product ID.' }),
      handle: t.arg.string({ required: false, description: 'The product handle.' }),
    },
    resolve: async (_root, args, ctx, info) => {
      const query = await plannedQuery(ctx, info, { typeName: 'Product' });
      return findProduct(ctx.prisma, query, idOrHandle(args), ctx.catalogNow);
    },
  }),
}));
