// The seed entry points used by the CLI (`vitrine seed`) and by the server's first start.
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { seedDemoCatalog, type SeedSummary } from './load.js';

export interface SeedCommandOptions {
  products: number;
  /** Delete the existing catalog (products, variants, images, collections) first. */
  replace: boolean;
  seed?: number;
}

export class CatalogNotEmptyError extends Error {
  override name = 'CatalogNotEmptyError';
}

/**
 * Loads the demo catalog. Refuses when the catalog already has products or collections,
 * unless `replace`, which deletes them first (carts lose those lines; orders keep their
 * snapshots, with the product reference cleared).
 */
export async function seedCommand(prisma: PrismaClient, options: SeedCommandOptions): Promise<SeedSummary> {
  const [products, collections] = await Promise.all([prisma.product.count(), prisma.collection.count()]);
  if (products + collections > 0) {
    if (!options.replace) {
      throw new CatalogNotEmptyError(
        `The catalog is not empty (${products} products, ${collections} collections). ` +
          'Run `vitrine seed --replace` to delete it and load the demo catalog instead.',
      );
    }
    await prisma.$transaction([prisma.collectionProduct.deleteMany(), prisma.collection.deleteMany(), prisma.product.deleteMany()]);
  }
  return seedDemoCatalog(prisma, { products: options.products, ...(options.seed === undefined ? {} : { seed: options.seed }) });
}
