// Storefront reads of the catalog. Each takes plugin-prisma's planned `query` (the nested
// selection of the GraphQL request) and adds the business rules: visibility, filters, order.
import type { Prisma, PrismaClient, ProductVariant } from '../generated/prisma/client.js';
import { findManyAsJson } from '../db/json-reads.js';
import { publishedCollectionWhere, publishedProductWhere } from './catalog.js';
import { pageOf, pageQuery, type Page, type PageOptions, type PageRequest } from './keyset.js';
import {
  collectionKeyset,
  collectionProductKeyset,
  productKeyset,
  type CollectionSortKey,
  productListWhere,
  type CollectionProductSortKey,
  type ProductFilter,
  type ProductSortKey,
} from './product-listing.js';
import {
  matchVariantBySelectedOptions,
  selectedOrFirstAvailableVariant,
  type OptionMatchSettings,
  type SelectedOption,
} from './variant-options.js';

type Planned<T> = Omit<T, 'where' | 'orderBy'>;

export interface ProductListOptions {
  sortKey: ProductSortKey;
  reverse: boolean;
  filters?: readonly ProductFilter[] | null;
  now: Date;
}

/** How one page of a sorted list was asked for, and the limits and cursor secret that apply. */
export interface ListPage {
  request: PageRequest;
  cursorSecret: string;
  defaultSize: number;
  maxSize: number;
}

function pageOptions(
  list: string,
  sortKey: string,
  keyset: PageOptions['keyset'],
  reverse: boolean,
  page: ListPage,
  owner?: number,
): PageOptions {
  const scope = owner === undefined ? { list, sortKey } : { list, sortKey, owner };
  return { secret: page.cursorSecret, scope, keyset, reverse, defaultSize: page.defaultSize, maxSize: page.maxSize };
}

/** The page options of a list, for checking its cursors before anything runs. */
export const listPageOptions = {
  products: (sortKey: ProductSortKey, reverse: boolean, page: ListPage) =>
    pageOptions('products', sortKey, productKeyset(sortKey), reverse, page),
  collections: (sortKey: CollectionSortKey, reverse: boolean, page: ListPage) =>
    pageOptions('collections', sortKey, collectionKeyset(sortKey), reverse, page),
  /** Without the collection's id, a cursor of another collection's products is not told apart yet. */
  collectionProducts: (sortKey: CollectionProductSortKey, reverse: boolean, page: ListPage, collectionId?: number) =>
    pageOptions('collection.products', sortKey, collectionProductKeyset(sortKey), reverse, page, collectionId),
};

/**
 * One page of published products under keyset pagination. `query` must select the sort
 * columns (keysetSelect(productKeyset(sortKey))) besides what the request shows.
 */
export async function findProductsPage<Row>(
  prisma: PrismaClient,
  query: Planned<Prisma.ProductFindManyArgs>,
  options: ProductListOptions,
  page: ListPage,
): Promise<Page<Row>> {
  const pageOpts = listPageOptions.products(options.sortKey, options.reverse, page);
  const plan = pageQuery(page.request, pageOpts);
  const args = {
    ...query,
    where: { AND: [productListWhere(options.filters, options.now), ...plan.where] },
    orderBy: plan.orderBy,
    take: plan.take,
  };
  const rows = (await findManyAsJson<Row>(prisma, 'Product', args)) ?? ((await prisma.product.findMany(args)) as Row[]);
  return pageOf(rows, page.request, plan, pageOpts, (row) => row);
}

/** One page of published collections under keyset pagination (see findProductsPage). */
export async function findCollectionsPage<Row>(
  prisma: PrismaClient,
  query: Planned<Prisma.CollectionFindManyArgs>,
  options: { sortKey: CollectionSortKey; reverse: boolean; now: Date },
  page: ListPage,
): Promise<Page<Row>> {
  const pageOpts = listPageOptions.collections(options.sortKey, options.reverse, page);
  const plan = pageQuery(page.request, pageOpts);
  const args = {
    ...query,
    where: { AND: [publishedCollectionWhere(options.now), ...plan.where] },
    orderBy: plan.orderBy,
    take: plan.take,
  };
  const rows = (await findManyAsJson<Row>(prisma, 'Collection', args)) ?? ((await prisma.collection.findMany(args)) as Row[]);
  return pageOf(rows, page.request, plan, pageOpts, (row) => row);
}

export interface CollectionProductsOptions {
  sortKey: CollectionProductSortKey;
  reverse: boolean;
  filters?: readonly ProductFilter[] | null;
  now: Date;
}

/**
 * Where/order/take of one page of a collection's product memberships, to be nested in
 * the collection's own query (so a collection page stays one statement).
 */
export function collectionProductsPageQuery(options: CollectionProductsOptions, page: ListPage) {
  const plan = pageQuery(page.request, listPageOptions.collectionProducts(options.sortKey, options.reverse, page));
  return {
    where: { AND: [{ product: productListWhere(options.filters, options.now) }, ...plan.where] } as Prisma.CollectionProductWhereInput,
    orderBy: plan.orderBy as Prisma.CollectionProductOrderByWithRelationInput[],
    take: plan.take,
  };
}

/**
 * The page of products from the membership rows loaded with collectionProductsPageQuery.
 * Its cursors name the collection, and a cursor of another collection is refused here.
 */
export function collectionProductsPage<Row extends { product: unknown }>(
  collectionId: number,
  rows: readonly Row[],
  options: CollectionProductsOptions,
  page: ListPage,
): Page<Row['product']> {
  const pageOpts = listPageOptions.collectionProducts(options.sortKey, options.reverse, page, collectionId);
  return pageOf(rows, page.request, pageQuery(page.request, pageOpts), pageOpts, (row) => row.product);
}

/** A published product by id or handle, or null. */
export async function findProduct(
  prisma: PrismaClient,
  query: Planned<Prisma.ProductFindFirstArgs>,
  by: { id: number } | { handle: string },
  now: Date,
) {
  const args = { ...query, where: { ...by, ...publishedProductWhere(now) } };
  const rows = await findManyAsJson<Prisma.ProductGetPayload<typeof args>>(prisma, 'Product', { ...args, take: 1 });
  return rows ? (rows[0] ?? null) : prisma.product.findFirst(args);
}

export async function findCollection(
  prisma: PrismaClient,
  query: Planned<Prisma.CollectionFindFirstArgs>,
  by: { id: number } | { handle: string },
  now: Date,
) {
  const args = { ...query, where: { ...by, ...publishedCollectionWhere(now) } };
  const rows = await findManyAsJson<Prisma.CollectionGetPayload<typeof args>>(prisma, 'Collection', { ...args, take: 1 });
  return rows ? (rows[0] ?? null) : prisma.collection.findFirst(args);
}

/** Where for a product's collection memberships: only published collections. */
export function productCollectionsWhere(now: Date): Prisma.CollectionProductWhereInput {
  return { collection: publishedCollectionWhere(now) };
}

/** The columns the option-matching rules read, added to a planned selection. */
const MATCH_COLUMNS = { selectedOptions: true, inventoryQuantity: true, inventoryPolicy: true } as const;

/** Loads a product's variants in display order with what matching needs: one statement. */
async function variantsForMatching(
  prisma: PrismaClient,
  query: Planned<Prisma.ProductVariantFindManyArgs>,
  productId: number,
): Promise<ProductVariant[]> {
  const planned = query.select ? { ...query, select: { ...query.select, ...MATCH_COLUMNS } } : query;
  // Rows carry the planned columns plus MATCH_COLUMNS; typed as the model, as plugin-prisma expects.
  return prisma.productVariant.findMany({
    ...planned,
    where: { productId },
    orderBy: [{ position: 'asc' }, { id: 'asc' }],
  });
}

/** The variant of a product whose options are exactly the given ones (see ./variant-options.ts), or null. */
export async function findVariantBySelectedOptions(
  prisma: PrismaClient,
  query: Planned<Prisma.ProductVariantFindManyArgs>,
  productId: number,
  selectedOptions: readonly SelectedOption[],
  settings: OptionMatchSettings,
) {
  return matchVariantBySelectedOptions(await variantsForMatching(prisma, query, productId), selectedOptions, settings);
}

/** The variant the options name, else the first for sale, else the first (see ./variant-options.ts). */
export async function findSelectedOrFirstAvailableVariant(
  prisma: PrismaClient,
  query: Planned<Prisma.ProductVariantFindManyArgs>,
  productId: number,
  selectedOptions: readonly SelectedOption[] | null | undefined,
  settings: OptionMatchSettings,
) {
  return selectedOrFirstAvailableVariant(await variantsForMatching(prisma, query, productId), selectedOptions, settings);
}
