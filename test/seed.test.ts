import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVariantAvailable, publishedCollectionWhere, publishedProductWhere } from '../src/commerce/catalog.ts';
import { parseImageUrl } from '../src/images.ts';
import type { PrismaClient } from '../src/generated/prisma/client.js';
import { generateCatalog, slugify } from '../prisma/seed/generate.ts';
import { seedDemoCatalog, type SeedSummary } from '../prisma/seed/load.ts';
import { seedCommand } from '../prisma/seed/index.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';

const HANDLE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

describe('generateCatalog (pure)', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateCatalog({ products: 200, seed: 7 });
    const b = generateCatalog({ products: 200, seed: 7 });
    const c = generateCatalog({ products: 200, seed: 8 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(c.products.map((p) => p.handle)).not.toEqual(a.products.map((p) => p.handle));
  });

  it('makes the default catalog: ~1,000 products, ~4,000 variants, ~30 collections', () => {
    const catalog = generateCatalog();
    expect(catalog.products).toHaveLength(1000);
    expect(catalog.variants.length).toBeGreaterThan(3500);
    expect(catalog.variants.length).toBeLessThan(4500);
    expect(catalog.collections.length).toBeGreaterThanOrEqual(28);
    expect(catalog.collections.length).toBeLessThanOrEqual(34);
    expect(new Set(catalog.products.map((p) => p.vendor)).size).toBe(12);
    expect(new Set(catalog.products.map((p) => p.productType)).size).toBe(10);
  });

  it('gives unique slug handles and SKUs, real-looking prices and 1 to 3 options', () => {
    const catalog = generateCatalog({ products: 3000 });
    const handles = catalog.products.map((p) => p.handle);
    expect(new Set(handles).size).toBe(handles.length);
    for (const h of [...handles, ...catalog.collections.map((c) => c.handle)]) expect(h).toMatch(HANDLE);
    const skus = catalog.variants.map((v) => v.sku);
    expect(new Set(skus).size).toBe(skus.length);
    for (const v of catalog.variants) {
      expect([0, 99]).toContain(v.price % 100);
      if (v.compareAtPrice != null) expect(v.compareAtPrice).toBeGreaterThan(v.price);
    }
    const optionsPer = new Map<number, number>();
    for (const o of catalog.options) optionsPer.set(o.productId, (optionsPer.get(o.productId) ?? 0) + 1);
    expect(Math.min(...optionsPer.values())).toBe(1);
    expect(Math.max(...optionsPer.values())).toBe(3);
    expect(optionsPer.size).toBe(3000);
    expect(new Set(catalog.options.map((o) => o.name))).toEqual(new Set(['Size', 'Color', 'Material']));
  });

  it('gives every product its own title, so a search for one finds one', () => {
    for (const products of [1000, 3000]) {
      const titles = generateCatalog({ products }).products.map((p) => p.title);
      expect(new Set(titles).size, `${products} products`).toBe(titles.length);
    }
  });

  it('puts in "On Sale" exactly the products whose every variant has a compare-at price above its price', () => {
    const catalog = generateCatalog({ products: 3000 });
    const sale = catalog.collections.find((c) => c.handle === 'on-sale')!;
    const members = new Set(catalog.collectionProducts.filter((m) => m.collectionId === sale.id).map((m) => m.productId));
    const variantsOf = new Map<number, (typeof catalog.variants)[number][]>();
    for (const v of catalog.variants) variantsOf.set(v.productId, [...(variantsOf.get(v.productId) ?? []), v]);
    const markedDown = catalog.products
      .filter((p) => variantsOf.get(p.id)!.every((v) => v.compareAtPrice != null && v.compareAtPrice > v.price))
      .map((p) => p.id);
    expect(members.size).toBeGreaterThan(200);
    expect([...members].sort((a, b) => a - b)).toEqual(markedDown);
    for (const p of catalog.products) expect((p.tags as string[]).includes('sale'), p.handle).toBe(members.has(p.id));
    // Some products are marked down on only some variants: they stay out of the collection.
    const partly = catalog.products.filter((p) => !members.has(p.id) && variantsOf.get(p.id)!.some((v) => v.compareAtPrice != null));
    expect(partly.length).toBeGreaterThan(0);
  });

  it('never depends on the wall clock', () => {
    const catalog = generateCatalog({ products: 300 });
    const dates = catalog.products.flatMap((p) => [p.createdAt, p.updatedAt, p.publishedAt]).filter((d) => d != null);
    const max = Math.max(...catalog.products.map((p) => new Date(p.createdAt!).getTime()));
    expect(max).toBeLessThanOrEqual(new Date('2026-10-01T00:00:00.000Z').getTime());
    expect(dates.length).toBeGreaterThan(600);
  });

  it('slugifies titles', () => {
    expect(slugify('Alder & Pine')).toBe('alder-pine');
    expect(slugify('Ceramic Pour-Over Set')).toBe('ceramic-pour-over-set');
    expect(slugify('Summit Supply Co.')).toBe('summit-supply-co');
    expect(slugify('Crème Brûlée  Mug!')).toBe('creme-brulee-mug');
  });
});

describe('seedDemoCatalog on a database', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let summary: SeedSummary;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = db.prisma;
    const started = performance.now();
    summary = await seedDemoCatalog(prisma, { products: 1000 });
    console.info(`seeded the default demo catalog in ${Math.round(performance.now() - started)} ms:`, summary);
  }, 120_000);

  afterAll(async () => {
    await db?.close();
  });

  it('loads what it reports', async () => {
    expect(await prisma.product.count()).toBe(summary.products);
    expect(await prisma.productVariant.count()).toBe(summary.variants);
    expect(await prisma.productImage.count()).toBe(summary.images);
    expect(await prisma.productOption.count()).toBe(summary.options);
    expect(await prisma.collection.count()).toBe(summary.collections);
    expect(await prisma.collectionProduct.count()).toBe(summary.collectionProducts);
    expect(summary.variants / summary.products).toBeGreaterThan(3.5);
  });

  it('mixes visible, draft, archived and scheduled products', async () => {
    const published = await prisma.product.count({ where: publishedProductWhere() });
    expect(published).toBe(summary.publishedProducts);
    expect(published / summary.products).toBeGreaterThan(0.85);
    expect(published / summary.products).toBeLessThan(0.97);
    expect(await prisma.product.count({ where: { status: 'DRAFT' } })).toBeGreaterThan(0);
    expect(await prisma.product.count({ where: { status: 'ARCHIVED' } })).toBeGreaterThan(0);
    expect(await prisma.product.count({ where: { status: 'ACTIVE', publishedAt: { gt: new Date() } } })).toBeGreaterThan(0);
    const collections = await prisma.collection.count({ where: publishedCollectionWhere() });
    expect(collections).toBeGreaterThanOrEqual(summary.collections - 3);
    expect(collections).toBeLessThan(summary.collections);
  });

  it('has sold-out variants and products, backorders, and roll-ups that match the variants', async () => {
    const soldOutVariants = await prisma.productVariant.count({ where: { inventoryQuantity: { lte: 0 }, inventoryPolicy: 'DENY' } });
    expect(soldOutVariants / summary.variants).toBeGreaterThan(0.05);
    expect(await prisma.productVariant.count({ where: { inventoryPolicy: 'CONTINUE' } })).toBeGreaterThan(0);
    const soldOutProducts = await prisma.product.count({ where: { availableForSale: false } });
    expect(soldOutProducts).toBe(summary.soldOutProducts);
    expect(soldOutProducts / summary.products).toBeGreaterThan(0.02);
    expect(soldOutProducts / summary.products).toBeLessThan(0.15);
    expect(await prisma.product.count({ where: { minCompareAtPrice: { not: null } } })).toBeGreaterThan(50);

    const products = await prisma.product.findMany({ include: { variants: true, images: true }, orderBy: { id: 'asc' } });
    for (const p of products) {
      const prices = p.variants.map((v) => v.price);
      expect(p.minPrice).toBe(Math.min(...prices));
      expect(p.maxPrice).toBe(Math.max(...prices));
      expect(p.availableForSale).toBe(p.variants.some((v) => isVariantAvailable(v)));
      expect(p.featuredImageId).toBe(p.images.find((i) => i.position === 1)?.id);
      expect(p.images.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('gives colour variants their colour image, and every image URL is one the API serves', async () => {
    const variants = await prisma.productVariant.findMany({ include: { image: true } });
    const coloured = variants.filter((v) => (v.selectedOptions as { name: string }[]).some((o) => o.name === 'Color'));
    expect(coloured.length).toBeGreaterThan(0);
    for (const v of coloured) {
      expect(v.image?.productId).toBe(v.productId);
      const colour = (v.selectedOptions as { name: string; value: string }[]).find((o) => o.name === 'Color')!.value;
      expect(v.image?.altText).toContain(colour);
    }
    const images = await prisma.productImage.findMany({ select: { url: true, width: true, height: true } });
    for (const image of images) {
      const spec = parseImageUrl(new URL(image.url, 'http://vitrine.test'));
      expect(spec, image.url).not.toBeNull();
      expect([spec!.width, spec!.height]).toEqual([image.width, image.height]);
    }
    for (const c of await prisma.collection.findMany()) expect(parseImageUrl(new URL(c.imageUrl!, 'http://vitrine.test'))).not.toBeNull();
  });

  it('orders collection memberships 1..n, with per-vendor and per-type collections', async () => {
    const collections = await prisma.collection.findMany({ include: { products: { orderBy: { position: 'asc' } } } });
    for (const c of collections) {
      expect(c.products.map((m) => m.position)).toEqual(c.products.map((_, i) => i + 1));
    }
    const handles = collections.map((c) => c.handle);
    expect(handles).toEqual(expect.arrayContaining(['summer-essentials', 'new-arrivals', 'under-50', 'sweaters', 'alder-pine']));
    const under50 = collections.find((c) => c.handle === 'under-50')!;
    const cheap = await prisma.product.findMany({ where: { id: { in: under50.products.map((m) => m.productId) } } });
    expect(cheap.every((p) => p.minPrice < 5000)).toBe(true);
  });

  it('matches the figures the README gives for the first start', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    const figures =
      /loads a demo catalog \(([\d,]+) products of which ([\d,]+) published, ([\d,]+) variants, ([\d,]+) images, ([\d,]+) collections of which ([\d,]+) published/.exec(
        readme,
      );
    expect(figures, 'the sentence in README.md').not.toBeNull();
    const [products, published, variants, images, collections, publishedCollections] = figures!
      .slice(1)
      .map((n) => Number(n.replaceAll(',', '')));
    expect({ products, published, variants, images, collections, publishedCollections }).toEqual({
      products: summary.products,
      published: summary.publishedProducts,
      variants: summary.variants,
      images: summary.images,
      collections: summary.collections,
      publishedCollections: await prisma.collection.count({ where: publishedCollectionWhere() }),
    });
  });

  it('refuses to seed over a catalog unless asked to replace it', async () => {
    await expect(seedCommand(prisma, { products: 10, replace: false })).rejects.toThrow(/catalog is not empty.*--replace/s);
    expect(await prisma.product.count()).toBe(summary.products);
  });
});

describe('seeding is reproducible across databases', () => {
  it('same seed, same rows and ids; seedCommand replaces on request', async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    try {
      await seedCommand(a.prisma, { products: 120, replace: false });
      await seedDemoCatalog(b.prisma, { products: 120 });
      const read = (prisma: PrismaClient) =>
        prisma.productVariant.findMany({
          orderBy: { id: 'asc' },
          select: {
            id: true,
            sku: true,
            price: true,
            compareAtPrice: true,
            inventoryQuantity: true,
            product: { select: { id: true, handle: true, createdAt: true } },
          },
        });
      const rowsA = await read(a.prisma);
      expect(rowsA.length).toBeGreaterThan(300);
      expect(await read(b.prisma)).toEqual(rowsA);

      const replaced = await seedCommand(a.prisma, { products: 40, replace: true, seed: 2 });
      expect(await a.prisma.product.count()).toBe(40);
      expect(await a.prisma.collectionProduct.count()).toBe(replaced.collectionProducts);
      expect(await a.prisma.collection.count()).toBe(replaced.collections);
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);
});
