import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  isVariantAvailable,
  publishedCollectionWhere,
  publishedProductWhere,
  quantityAvailable,
  refreshProductRollups,
} from '../src/commerce/catalog.ts';
import type { Prisma, PrismaClient } from '../src/generated/prisma/client.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';

let db: TestDatabase;
let prisma: PrismaClient;
let recording: string[] | null = null;

beforeAll(async () => {
  db = await createTestDatabase({ onQuery: (sql: string) => recording?.push(sql) });
  prisma = db.prisma;
}, 60_000);

afterAll(async () => {
  await db?.close();
});

beforeEach(async () => {
  await db.truncate();
});

const NOW = new Date('2026-06-01T12:00:00.000Z');
let counter = 0;

async function product(
  data: Partial<Prisma.ProductCreateInput> = {},
  variants: Partial<Prisma.ProductVariantCreateWithoutProductInput>[] = [],
) {
  counter += 1;
  return prisma.product.create({
    data: {
      handle: `product-${counter}`,
      title: `Product ${counter}`,
      status: 'ACTIVE',
      publishedAt: new Date('2026-01-01T00:00:00.000Z'),
      ...data,
      variants: {
        create: variants.map((v, i) => ({ title: `V${i + 1}`, position: i + 1, price: 1000, ...v })),
      },
    },
  });
}

async function rollups(id: number) {
  return prisma.product.findUniqueOrThrow({
    where: { id },
    select: {
      minPrice: true,
      maxPrice: true,
      minCompareAtPrice: true,
      maxCompareAtPrice: true,
      currencyCode: true,
      availableForSale: true,
    },
  });
}

describe('visibility rules', () => {
  it('shows only ACTIVE products published at or before now', async () => {
    await product({ handle: 'live' });
    await product({ handle: 'exactly-now', publishedAt: NOW });
    await product({ handle: 'draft', status: 'DRAFT' });
    await product({ handle: 'archived', status: 'ARCHIVED' });
    await product({ handle: 'unpublished', publishedAt: null });
    await product({ handle: 'scheduled', publishedAt: new Date(NOW.getTime() + 1000) });
    const visible = await prisma.product.findMany({ where: publishedProductWhere(NOW), orderBy: { handle: 'asc' } });
    expect(visible.map((p) => p.handle)).toEqual(['exactly-now', 'live']);
    // Default is the current time: the scheduled one (a second after NOW) is visible by now.
    const today = await prisma.product.findMany({ where: publishedProductWhere(), orderBy: { handle: 'asc' } });
    expect(today.map((p) => p.handle)).toEqual(['exactly-now', 'live', 'scheduled']);
  });

  it('spreads into unique lookups', async () => {
    const draft = await product({ status: 'DRAFT' });
    const live = await product();
    expect(await prisma.product.findUnique({ where: { id: draft.id, ...publishedProductWhere(NOW) } })).toBeNull();
    expect(await prisma.product.findUnique({ where: { id: live.id, ...publishedProductWhere(NOW) } })).not.toBeNull();
  });

  it('shows collections published at or before now', async () => {
    await prisma.collection.createMany({
      data: [
        { handle: 'published', title: 'Published', publishedAt: new Date('2026-01-01T00:00:00.000Z') },
        { handle: 'hidden', title: 'Hidden', publishedAt: null },
        { handle: 'later', title: 'Later', publishedAt: new Date('2099-01-01T00:00:00.000Z') },
      ],
    });
    const visible = await prisma.collection.findMany({ where: publishedCollectionWhere(NOW) });
    expect(visible.map((c) => c.handle)).toEqual(['published']);
  });
});

describe('variant stock helpers', () => {
  it('isVariantAvailable: in stock, or sold out but CONTINUE', () => {
    expect(isVariantAvailable({ inventoryQuantity: 3, inventoryPolicy: 'DENY' })).toBe(true);
    expect(isVariantAvailable({ inventoryQuantity: 0, inventoryPolicy: 'DENY' })).toBe(false);
    expect(isVariantAvailable({ inventoryQuantity: -2, inventoryPolicy: 'DENY' })).toBe(false);
    expect(isVariantAvailable({ inventoryQuantity: 0, inventoryPolicy: 'CONTINUE' })).toBe(true);
    expect(isVariantAvailable({ inventoryQuantity: -5, inventoryPolicy: 'CONTINUE' })).toBe(true);
  });

  it('quantityAvailable never goes below zero', () => {
    expect(quantityAvailable({ inventoryQuantity: 7, inventoryPolicy: 'DENY' })).toBe(7);
    expect(quantityAvailable({ inventoryQuantity: 0, inventoryPolicy: 'DENY' })).toBe(0);
    expect(quantityAvailable({ inventoryQuantity: -4, inventoryPolicy: 'CONTINUE' })).toBe(0);
  });
});

describe('refreshProductRollups', () => {
  it('computes price ranges, compare-at ranges, currency and availability in one statement', async () => {
    const p = await product({}, [
      { price: 4500, compareAtPrice: 6000, inventoryQuantity: 0, currencyCode: 'EUR' },
      { price: 1999, compareAtPrice: null, inventoryQuantity: 0, currencyCode: 'EUR' },
      { price: 12900, compareAtPrice: 15900, inventoryQuantity: 3, currencyCode: 'EUR' },
    ]);
    expect(await rollups(p.id)).toMatchObject({ minPrice: 0, maxPrice: 0, availableForSale: false, currencyCode: 'USD' });

    recording = [];
    const changed = await refreshProductRollups(prisma, [p.id]);
    const statements = recording.filter((sql) => !/^\s*(BEGIN|COMMIT|ROLLBACK)/i.test(sql));
    recording = null;
    expect(changed).toBe(1);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^\s*UPDATE "Product"/);
    expect(await rollups(p.id)).toEqual({
      minPrice: 1999,
      maxPrice: 12900,
      minCompareAtPrice: 6000,
      maxCompareAtPrice: 15900,
      currencyCode: 'EUR',
      availableForSale: true,
    });
  });

  it('follows stock changes: sold out, backorder, restock', async () => {
    const p = await product({}, [
      { inventoryQuantity: 2, inventoryPolicy: 'DENY' },
      { inventoryQuantity: 0, inventoryPolicy: 'DENY' },
    ]);
    await refreshProductRollups(prisma, [p.id]);
    expect((await rollups(p.id)).availableForSale).toBe(true);

    await prisma.productVariant.updateMany({ where: { productId: p.id }, data: { inventoryQuantity: 0 } });
    await refreshProductRollups(prisma, [p.id]);
    expect((await rollups(p.id)).availableForSale).toBe(false);

    await prisma.productVariant.updateMany({
      where: { productId: p.id, position: 2 },
      data: { inventoryQuantity: -1, inventoryPolicy: 'CONTINUE' },
    });
    await refreshProductRollups(prisma, [p.id]);
    expect((await rollups(p.id)).availableForSale).toBe(true);
  });

  it('resets a product without variants to an empty range that is not for sale', async () => {
    const p = await product({ minPrice: 500, maxPrice: 900, minCompareAtPrice: 1000, maxCompareAtPrice: 1000, availableForSale: true });
    expect(await refreshProductRollups(prisma, [p.id])).toBe(1);
    expect(await rollups(p.id)).toEqual({
      minPrice: 0,
      maxPrice: 0,
      minCompareAtPrice: null,
      maxCompareAtPrice: null,
      currencyCode: 'USD',
      availableForSale: false,
    });
  });

  it('touches only the given products and skips rows that are already right', async () => {
    const a = await product({}, [{ price: 2500, inventoryQuantity: 1 }]);
    const b = await product({}, [{ price: 3500, inventoryQuantity: 1 }]);
    expect(await refreshProductRollups(prisma, [a.id, a.id])).toBe(1);
    expect((await rollups(b.id)).minPrice).toBe(0);
    const before = await prisma.product.findUniqueOrThrow({ where: { id: a.id } });
    expect(await refreshProductRollups(prisma, [a.id, b.id])).toBe(1);
    expect(await refreshProductRollups(prisma, [a.id, b.id])).toBe(0);
    const after = await prisma.product.findUniqueOrThrow({ where: { id: a.id } });
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  it('does nothing for an empty list or unknown ids', async () => {
    recording = [];
    expect(await refreshProductRollups(prisma, [])).toBe(0);
    expect(recording).toHaveLength(0);
    recording = null;
    expect(await refreshProductRollups(prisma, [999_999])).toBe(0);
  });

  it('runs inside an interactive transaction and rolls back with it', async () => {
    const p = await product({}, [{ price: 1500, inventoryQuantity: 4 }]);
    await refreshProductRollups(prisma, [p.id]);
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.productVariant.updateMany({ where: { productId: p.id }, data: { inventoryQuantity: 0, price: 1700 } });
        expect(await refreshProductRollups(tx, [p.id])).toBe(1);
        const inside = await tx.product.findUniqueOrThrow({ where: { id: p.id } });
        expect(inside).toMatchObject({ availableForSale: false, minPrice: 1700 });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await rollups(p.id)).toMatchObject({ availableForSale: true, minPrice: 1500 });

    await prisma.$transaction(async (tx) => {
      await tx.productVariant.updateMany({ where: { productId: p.id }, data: { inventoryQuantity: 0 } });
      await refreshProductRollups(tx, [p.id]);
    });
    expect((await rollups(p.id)).availableForSale).toBe(false);
  });
});
