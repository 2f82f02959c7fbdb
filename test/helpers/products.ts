// Products for search tests: exactly the words each test needs.
import { refreshProductRollups } from '../../src/commerce/catalog.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';

const past = new Date('2026-01-01T00:00:00Z');

export interface ProductSpec {
  handle: string;
  title: string;
  description?: string;
  vendor?: string;
  productType?: string;
  tags?: string[];
  status?: 'ACTIVE' | 'DRAFT';
  publishedAt?: Date | null;
  variants?: { title: string; price: number; stock?: number; options?: { name: string; value: string }[] }[];
}

/** Creates the products (published in the past unless told otherwise) and their roll-ups; returns ids by handle. */
export async function createProducts(prisma: PrismaClient, specs: ProductSpec[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const spec of specs) {
    const variants = spec.variants ?? [{ title: 'Default', price: 2000, stock: 5 }];
    const product = await prisma.product.create({
      data: {
        handle: spec.handle,
        title: spec.title,
        description: spec.description ?? '',
        vendor: spec.vendor ?? 'Acme',
        productType: spec.productType ?? 'Misc',
        tags: spec.tags ?? [],
        status: spec.status ?? 'ACTIVE',
        publishedAt: spec.publishedAt === undefined ? past : spec.publishedAt,
        variants: {
          create: variants.map((v, i) => ({
            title: v.title,
            position: i + 1,
            price: v.price,
            inventoryQuantity: v.stock ?? 5,
            selectedOptions: v.options ?? [],
          })),
        },
      },
    });
    ids.set(spec.handle, product.id);
  }
  await refreshProductRollups(prisma, [...ids.values()]);
  return ids;
}
