// Loading the generated catalog: bulk INSERTs in one transaction, then the price and
// availability roll-ups.
import type { Prisma, PrismaClient } from '../../src/generated/prisma/client.js';
import { refreshProductRollups } from '../../src/commerce/catalog.js';
import { generateCatalog } from './generate.js';
import type { GeneratedCatalog, SeedOptions } from './shape.js';

export interface SeedSummary {
  products: number;
  variants: number;
  options: number;
  images: number;
  collections: number;
  collectionProducts: number;
  /** Products a storefront sees today (ACTIVE and published). */
  publishedProducts: number;
  /** Products with no variant for sale. */
  soldOutProducts: number;
  ms: number;
}

type Tx = Prisma.TransactionClient;

/** Reserves `count` ids from a table's sequence and returns the first; ids are never reused. */
async function reserveIds(tx: Tx, table: string, count: number): Promise<number> {
  if (count === 0) return 1;
  const rows = await tx.$queryRawUnsafe<{ first: bigint | number }[]>(
    `WITH s AS (SELECT nextval(pg_get_serial_sequence('"${table}"', 'id')) AS first)
     SELECT first, setval(pg_get_serial_sequence('"${table}"', 'id'), first + $1 - 1) FROM s`,
    count,
  );
  return Number(rows[0]!.first);
}

/** Rows per INSERT statement (one JSON parameter each). */
const CHUNK = 5000;

/**
 * Bulk INSERT: each chunk of rows travels as one JSON parameter that PostgreSQL turns into
 * rows typed like the table (json_populate_recordset), ten times faster than createMany
 * on PGlite. Rows are the generator's Prisma create inputs, so their shape is still
 * type-checked; every row carries the same keys.
 */
async function insertRows(tx: Tx, table: string, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!)
    .map((c) => `"${c}"`)
    .join(', ');
  for (let i = 0; i < rows.length; i += CHUNK) {
    const json = JSON.stringify(rows.slice(i, i + CHUNK));
    await tx.$executeRawUnsafe(
      `INSERT INTO "${table}" (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::"${table}", $1::json)`,
      json,
    );
  }
}

/**
 * Loads the demo catalog into the database in one transaction, with bulk INSERTs, then
 * sets featured images and the price/availability roll-ups. Meant for an empty catalog
 * (handles and SKUs would clash with an earlier load); ids come from the tables'
 * sequences, so a fresh database gets the same ids every time.
 */
export async function seedDemoCatalog(prisma: PrismaClient, options: SeedOptions = {}): Promise<SeedSummary> {
  const started = performance.now();
  const catalog = generateCatalog(options);
  await prisma.$transaction(
    async (tx) => {
      const firstProduct = await reserveIds(tx, 'Product', catalog.products.length);
      const firstOption = await reserveIds(tx, 'ProductOption', catalog.options.length);
      const firstImage = await reserveIds(tx, 'ProductImage', catalog.images.length);
      const firstVariant = await reserveIds(tx, 'ProductVariant', catalog.variants.length);
      const firstCollection = await reserveIds(tx, 'Collection', catalog.collections.length);
      const product = (id: number) => id + firstProduct - 1;
      const image = (id: number) => id + firstImage - 1;

      await insertRows(
        tx,
        'Product',
        catalog.products.map((p) => ({ ...p, id: product(p.id) })),
      );
      await insertRows(
        tx,
        'ProductOption',
        catalog.options.map((o) => ({ ...o, id: o.id + firstOption - 1, productId: product(o.productId) })),
      );
      await insertRows(
        tx,
        'ProductImage',
        catalog.images.map((i) => ({ ...i, id: image(i.id), productId: product(i.productId) })),
      );
      await insertRows(
        tx,
        'ProductVariant',
        catalog.variants.map((v) => ({
          ...v,
          id: v.id + firstVariant - 1,
          productId: product(v.productId),
          imageId: v.imageId == null ? null : image(v.imageId),
        })),
      );
      await insertRows(
        tx,
        'Collection',
        catalog.collections.map((c) => ({ ...c, id: c.id + firstCollection - 1 })),
      );
      await insertRows(
        tx,
        'CollectionProduct',
        catalog.collectionProducts.map((m) => ({
          ...m,
          collectionId: m.collectionId + firstCollection - 1,
          productId: product(m.productId),
        })),
      );

      if (catalog.products.length > 0) {
        const last = product(catalog.products.length);
        await tx.$executeRaw`
          UPDATE "Product" AS p SET "featuredImageId" = i.id
          FROM "ProductImage" AS i
          WHERE i."productId" = p.id AND i.position = 1 AND p.id BETWEEN ${firstProduct} AND ${last}`;
        await refreshProductRollups(
          tx,
          catalog.products.map((p) => product(p.id)),
        );
      }
    },
    { timeout: 30 * 60_000, maxWait: 60_000 },
  );
  // A bulk load leaves the planner with empty-table statistics until autovacuum gets to
  // it; the catalog reads (nested JSON per product) then pick plans that visit every row.
  await prisma.$executeRawUnsafe('ANALYZE "Product", "ProductOption", "ProductImage", "ProductVariant", "Collection", "CollectionProduct"');

  const now = new Date();
  return {
    products: catalog.products.length,
    variants: catalog.variants.length,
    options: catalog.options.length,
    images: catalog.images.length,
    collections: catalog.collections.length,
    collectionProducts: catalog.collectionProducts.length,
    publishedProducts: catalog.products.filter((p) => p.status === 'ACTIVE' && p.publishedAt != null && new Date(p.publishedAt) <= now)
      .length,
    soldOutProducts: soldOut(catalog),
    ms: Math.round(performance.now() - started),
  };
}

function soldOut(catalog: GeneratedCatalog): number {
  const forSale = new Set<number>();
  for (const v of catalog.variants) if ((v.inventoryQuantity ?? 0) > 0 || v.inventoryPolicy === 'CONTINUE') forSale.add(v.productId);
  return catalog.products.filter((p) => !forSale.has(p.id)).length;
}
