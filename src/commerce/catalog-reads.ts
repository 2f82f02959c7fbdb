// Storefront reads of the catalog. Each takes plugin-prisma's planned `query` (the nested
// selection of the GraphQL request) and adds the business rules: visibility, filters, order.
import type { Prisma, PrismaClient, ProductVariant } from '../generated/prisma/client.js';
import { publishedCollectionWhere, publishedProductWhere } from './catalog.js';
import {
  collectionProductOrderBy,
  productListWhere,
  productOrderBy,
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

export function findProducts(prisma: PrismaClient, query: Planned<Prisma.ProductFindManyArgs>, options: ProductListOptions) {
  return prisma.product.findMany({
    ...query,
    where: productListWhere(options.filters, options.now),
    orderBy: productOrderBy(options.sortKey, options.reverse),
  });
}

/** A published product by id or handle, or null. */
export function findProduct(
  prisma: PrismaClient,
  query: Planned<Prisma.ProductFindFirstArgs>,
  by: { id: number } | { handle: string },
  now: Date,
) {
  return prisma.product.findFirst({
    ...query,
    where: { ...by, ...publishedProductWhere(now) },
  });
}

export function findCollections(
  prisma: PrismaClient,
  query: Planned<Prisma.CollectionFindManyArgs>,
  options: { sortKey: 'TITLE' | 'UPDATED_AT' | 'ID'; reverse: boolean; now: Date },
) {
  const direction = options.reverse ? 'desc' : 'asc';
  const orderBy: Prisma.CollectionOrderByWithRelationInput[] =
    options.sortKey === 'TITLE'
      ? [{ title: direction }, { id: direction }]
      : options.sortKey === 'UPDATED_AT'
        ? [{ updatedAt: direction }, { id: direction }]
        : [{ id: direction }];
  return prisma.collection.findMany({ ...query, where: publishedCollectionWhere(options.now), orderBy });
}

export function findCollection(
  prisma: PrismaClient,
  query: Planned<Prisma.CollectionFindFirstArgs>,
  by: { id: number } | { handle: string },
  now: Date,
) {
  return prisma.collection.findFirst({
    ...query,
    where: { ...by, ...publishedCollectionWhere(now) },
  });
}

/** Where/order for a collection's product memberships: only published products. */
export function collectionProductsQuery(options: {
  sortKey: CollectionProductSortKey;
  reverse: boolean;
  filters?: readonly ProductFilter[] | null;
  now: Date;
}): { where: Prisma.CollectionProductWhereInput; orderBy: Prisma.CollectionProductOrderByWithRelationInput[] } {
  return {
    where: { product: productListWhere(options.filters, options.now) },
    orderBy: collectionProductOrderBy(options.sortKey, options.reverse),
  };
}

/** Where for a product's collection memberships: only published collections. */
export function productCollectionsWhere(now: Date): Prisma.CollectionProductWhereInput {
  return { collection: publishedCollectionWhere(now) };
}

/** The columns the option-matching rules read, added to a planned selection. */
const MATCH_COLUMNS = { selectedOptions: true, inventoryQuantity: true, inventoryPolicy: true } as const;

/** Loads a product's variants in display order with what matching needs: one statement. */
async function variantsForMatching(prisma: PrismaClient, query: Planned<Prisma.ProductVariantFindManyArgs>, productId: number) {
  const planned = query.select ? { ...query, select: { ...query.select, ...MATCH_COLUMNS } } : query;
  // Rows carry the planned columns plus MATCH_COLUMNS; typed as the model, as plugin-prisma expects.
  return (await prisma.productVariant.findMany({
    ...planned,
    where: { productId },
    orderBy: [{ position: 'asc' }, { id: 'asc' }],
  })) as ProductVariant[];
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
