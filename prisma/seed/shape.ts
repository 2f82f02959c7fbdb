// The demo catalog's shape: the rows the generator produces, the facts collection rules
// read about each product, and the fixed dates everything is relative to.
import type { Prisma } from '../../src/generated/prisma/client.js';
import type { ProductTypeDef } from './data.js';

/** Everything is dated relative to this fixed instant, never the wall clock. */
export const BASE_DATE = new Date('2026-10-01T00:00:00.000Z');
/** Scheduled products and collections publish here: far enough ahead to stay in the future. */
export const SCHEDULED_DATE = new Date('2099-01-01T00:00:00.000Z');

export const DAY = 86_400_000;
export const MINUTE = 60_000;

export interface SeedOptions {
  /** Number of products (default 1000, about 4 variants each). */
  products?: number;
  /** PRNG seed (default 1). */
  seed?: number;
}

export type Row<T> = T & { id: number };

export interface GeneratedCatalog {
  products: Row<Prisma.ProductCreateManyInput>[];
  options: Row<Prisma.ProductOptionCreateManyInput>[];
  images: Row<Prisma.ProductImageCreateManyInput>[];
  variants: Row<Prisma.ProductVariantCreateManyInput>[];
  collections: Row<Prisma.CollectionCreateManyInput>[];
  collectionProducts: Prisma.CollectionProductCreateManyInput[];
}

/** What collection rules need to know about a generated product. */
export interface ProductFacts {
  id: number;
  type: ProductTypeDef;
  vendor: string;
  tags: string[];
  minPrice: number;
  onSale: boolean;
  createdAt: Date;
  visible: boolean;
  scheduled: boolean;
}
