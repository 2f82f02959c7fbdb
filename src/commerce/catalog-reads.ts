// Storefront reads of the catalog. Each takes plugin-prisma's planned `query` (the nested
// selection of the GraphQL request) and adds the business rules: visibility, filters, order.
import type { Prisma, PrismaClient, ProductVariant } from '../generated/prisma/client.js';
import { findCatalogRows } from '../db/json-reads.js';
import { publishedCollectionWhere, publishedProductWhere } from './catalog.js';
import { pageOf, pageQuery, plannedPage, type Keyset, type Page, type PageOptions, type PageRequest } from './keyset.js';
import {
  BY_COLLECTION_KEYSET,
  collectionKeyset,
  DISPLAY_ORDER_KEYSET,
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
  const rows = await findCatalogRows<Row>(prisma, 'Product', args);
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
  const rows = await findCatalogRows<Row>(prisma, 'Collection', args);
  return pageOf(rows, page.request, plan, pageOpts, (row) => row);
}

export interface CollectionProductsOptions {
  sortKey: CollectionProductSortKey;
  reverse: boolean;
  filters?: readonly ProductFilter[] | null;
  now: Date;
}

/** Where/order/take of a page nested in its owner's query (one statement for both). */
export interface NestedPageQuery<Where> {
  where: Where;
  orderBy: Record<string, unknown>[];
  take: number;
}

function nestedPageQuery<Where>(options: PageOptions, request: PageRequest, rule: Where | null): NestedPageQuery<Where> {
  const plan = pageQuery(request, options);
  return { where: { AND: [...(rule ? [rule] : []), ...plan.where] } as Where, orderBy: plan.orderBy, take: plan.take };
}

/**
 * Where/order/take of one page of a collection's product memberships, to be nested in
 * the collection's own query (so a collection page stays one statement).
 */
export function collectionProductsPageQuery(
  options: CollectionProductsOptions,
  page: ListPage,
): NestedPageQuery<Prisma.CollectionProductWhereInput> {
  return nestedPageQuery(listPageOptions.collectionProducts(options.sortKey, options.reverse, page), page.request, {
    product: productListWhere(options.filters, options.now),
  });
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
  return pageOf(rows, page.request, plannedPage(page.request, pageOpts), pageOpts, (row) => row.product);
}

/**
 * The lists a product owns, each in one fixed order: its variants and images (display order)
 * and its memberships of published collections. Read as pages nested in the product's query.
 */
interface ProductListWhere {
  variants: Prisma.ProductVariantWhereInput;
  images: Prisma.ProductImageWhereInput;
  collections: Prisma.CollectionProductWhereInput;
}

export type ProductList = keyof ProductListWhere;

const PRODUCT_LISTS: { [L in ProductList]: { keyset: Keyset; where: (now: Date) => ProductListWhere[L] | null } } = {
  variants: { keyset: DISPLAY_ORDER_KEYSET, where: () => null },
  images: { keyset: DISPLAY_ORDER_KEYSET, where: () => null },
  collections: { keyset: BY_COLLECTION_KEYSET, where: (now) => productCollectionsWhere(now) },
};

/** The page options of a product's list; without the product's id, its cursors are not told apart yet. */
export function productListPageOptions(list: ProductList, page: ListPage, productId?: number): PageOptions {
  return pageOptions(`product.${list}`, 'DEFAULT', PRODUCT_LISTS[list].keyset, false, page, productId);
}

/** The keyset of a product's list: its columns must be selected for the cursors. */
export function productListKeyset(list: ProductList): Keyset {
  return PRODUCT_LISTS[list].keyset;
}

/** Where/order/take of one page of a product's list, to be nested in the product's query. */
export function productListPageQuery<L extends ProductList>(list: L, page: ListPage, now: Date): NestedPageQuery<ProductListWhere[L]> {
  return nestedPageQuery<ProductListWhere[L]>(productListPageOptions(list, page), page.request, PRODUCT_LISTS[list].where(now));
}

/** The page of a product's list from the rows loaded with productListPageQuery; cursors name the product. */
export function productListPage<Row, Node>(
  list: ProductList,
  productId: number,
  rows: readonly Row[],
  page: ListPage,
  node: (row: Row) => Node,
): Page<Node> {
  const pageOpts = productListPageOptions(list, page, productId);
  return pageOf(rows, page.request, plannedPage(page.request, pageOpts), pageOpts, node);
}

/** A published product by id or handle, or null. */
export async function findProduct(
  prisma: PrismaClient,
  query: Planned<Prisma.ProductFindFirstArgs>,
  by: { id: number } | { handle: string },
  now: Date,
) {
  const args = { ...query, where: { ...by, ...publishedProductWhere(now) } };
  const [row] = await findCatalogRows<Prisma.ProductGetPayload<typeof args>>(prisma, 'Product', { ...args, take: 1 });
  return row ?? null;
}

export async function findCollection(
  prisma: PrismaClient,
  query: Planned<Prisma.CollectionFindFirstArgs>,
  by: { id: number } | { handle: string },
  now: Date,
) {
  const args = { ...query, where: { ...by, ...publishedCollectionWhere(now) } };
  const [row] = await findCatalogRows<Prisma.CollectionGetPayload<typeof args>>(prisma, 'Collection', { ...args, take: 1 });
  return row ?? null;
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
