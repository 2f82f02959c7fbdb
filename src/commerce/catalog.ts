// Catalog rules shared by every read and write: which products and collections a
// storefront may see, when a variant can be sold, and the per-product roll-ups
// (price range, availability) that listings sort and filter on.
import type { InventoryPolicy, Prisma, PrismaClient } from '../generated/prisma/client.js';

/** A client or an interactive transaction's client: roll-ups are refreshed inside checkout's transaction. */
export type CatalogDb = PrismaClient | Prisma.TransactionClient;

/**
 * The one visibility rule for products: ACTIVE and published in the past. Every storefront
 * read (lists, lookups by id or handle, `node`, collection memberships) goes through it.
 */
export function publishedProductWhere(now: Date = new Date()): PublishedProductWhere {
  return { status: 'ACTIVE', publishedAt: { lte: now } } satisfies Prisma.ProductWhereInput;
}

/** The shape of the rule, narrower than Prisma.ProductWhereInput so it can be spread into unique lookups. */
export interface PublishedProductWhere {
  status: 'ACTIVE';
  publishedAt: { lte: Date };
}

/** The same rule for a product row already loaded (status and publishedAt). */
export function isPublished(product: { status: string; publishedAt: Date | null }, now: Date = new Date()): boolean {
  return product.status === 'ACTIVE' && product.publishedAt !== null && product.publishedAt <= now;
}

/** The visibility rule for collections: published in the past. */
export function publishedCollectionWhere(now: Date = new Date()): PublishedCollectionWhere {
  return { publishedAt: { lte: now } } satisfies Prisma.CollectionWhereInput;
}

export interface PublishedCollectionWhere {
  publishedAt: { lte: Date };
}

export interface VariantStock {
  inventoryQuantity: number;
  inventoryPolicy: InventoryPolicy;
}

/** A variant can be bought when it is in stock or keeps selling when out of stock. */
export function isVariantAvailable(variant: VariantStock): boolean {
  return variant.inventoryQuantity > 0 || variant.inventoryPolicy === 'CONTINUE';
}

/** Out of stock but still sold: the shopper is buying on backorder. */
export function isCurrentlyNotInStock(variant: VariantStock): boolean {
  return variant.inventoryQuantity <= 0 && variant.inventoryPolicy === 'CONTINUE';
}

/** Variant weights are stored in grams (ProductVariant.weight). */
export const VARIANT_WEIGHT_UNIT = 'GRAMS' as const;

/** How much of the description stands in for a missing SEO description. */
export const SEO_DESCRIPTION_LENGTH = 320;

/**
 * Search-engine title and description of a product or collection: the merchant's own,
 * else the title and the start of the plain-text description (null when there is none).
 */
export function seoOf(item: { seoTitle: string | null; seoDescription: string | null; title: string; description: string }): {
  title: string;
  description: string | null;
} {
  return {
    title: item.seoTitle ?? item.title,
    description: item.seoDescription ?? (item.description.slice(0, SEO_DESCRIPTION_LENGTH) || null),
  };
}

/** Units on hand a shopper may be told about; backorders can push the count below zero. */
export function quantityAvailable(variant: VariantStock): number {
  return Math.max(0, variant.inventoryQuantity);
}

/**
 * Recomputes the roll-up columns of the given products from their variants in one
 * statement: min/max price, min/max compare-at price, currency and availableForSale
 * (any variant with stock or with the CONTINUE policy). A product without variants gets
 * an empty range and is not for sale. Rows whose roll-ups are already right are not
 * written, so concurrent checkouts do not queue on unchanged products. Returns how many
 * products changed.
 */
export async function refreshProductRollups(prisma: CatalogDb, productIds: readonly number[]): Promise<number> {
  const ids = [...new Set(productIds)].filter((id) => Number.isSafeInteger(id));
  if (ids.length === 0) return 0;
  return prisma.$executeRaw`
    UPDATE "Product" AS p
    SET "minPrice" = r."minPrice",
        "maxPrice" = r."maxPrice",
        "minCompareAtPrice" = r."minCompareAtPrice",
        "maxCompareAtPrice" = r."maxCompareAtPrice",
        "currencyCode" = COALESCE(r."currencyCode", p."currencyCode"),
        "availableForSale" = r."availableForSale"
    FROM (
      SELECT pr.id,
             COALESCE(min(v.price), 0) AS "minPrice",
             COALESCE(max(v.price), 0) AS "maxPrice",
             min(v."compareAtPrice") AS "minCompareAtPrice",
             max(v."compareAtPrice") AS "maxCompareAtPrice",
             min(v."currencyCode") AS "currencyCode",
             COALESCE(bool_or(v."inventoryQuantity" > 0 OR v."inventoryPolicy" = 'CONTINUE'), false) AS "availableForSale"
      FROM "Product" AS pr
      LEFT JOIN "ProductVariant" AS v ON v."productId" = pr.id
      WHERE pr.id = ANY(${ids}::int[])
      GROUP BY pr.id
    ) AS r
    WHERE p.id = r.id
      AND (p."minPrice", p."maxPrice", p."minCompareAtPrice", p."maxCompareAtPrice", p."currencyCode", p."availableForSale")
          IS DISTINCT FROM
          (r."minPrice", r."maxPrice", r."minCompareAtPrice", r."maxCompareAtPrice", COALESCE(r."currencyCode", p."currencyCode"), r."availableForSale")`;
}
