// Unpublished and scheduled collections stay invisible through every path a storefront
// has to them: collection(handle), collections, and Product.collections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshProductRollups } from '../src/commerce/catalog.js';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 0 });
  const prisma = t.db.prisma;
  const product = await prisma.product.create({
    data: {
      handle: 'in-every-collection',
      title: 'In Every Collection',
      status: 'ACTIVE',
      publishedAt: new Date('2026-01-01T00:00:00.000Z'),
      variants: { create: [{ title: 'Default', position: 1, price: 1000 }] },
    },
  });
  await refreshProductRollups(prisma, [product.id]);
  const collections = [
    { handle: 'published', title: 'Published', publishedAt: new Date('2026-01-01T00:00:00.000Z') },
    { handle: 'never-published', title: 'Never Published', publishedAt: null },
    { handle: 'scheduled', title: 'Scheduled', publishedAt: new Date('2099-01-01T00:00:00.000Z') },
  ];
  for (const data of collections) {
    await prisma.collection.create({ data: { ...data, products: { create: [{ productId: product.id, position: 1 }] } } });
  }
});
afterAll(() => t?.close());

describe('unpublished collections', () => {
  it('collection(handle) answers null for a never-published or scheduled collection, and the collection for a published one', async () => {
    const res = await t.gql(`{
      published: collection(handle: "published") { handle products(first: 5) { nodes { handle } } }
      never: collection(handle: "never-published") { handle }
      scheduled: collection(handle: "scheduled") { handle }
    }`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        published: { handle: 'published', products: { nodes: [{ handle: 'in-every-collection' }] } },
        never: null,
        scheduled: null,
      },
    });
  });

  it('Product.collections lists only the published collections that contain the product', async () => {
    const res = await t.gql(`{ product(handle: "in-every-collection") { collections(first: 10) { nodes { handle } } } }`);
    expect(res.body).toEqual({ data: { product: { collections: { nodes: [{ handle: 'published' }] } } } });
  });

  it('collections lists only the published collection', async () => {
    const res = await t.gql(`{ collections(first: 250) { nodes { handle } } }`);
    expect(res.body).toEqual({ data: { collections: { nodes: [{ handle: 'published' }] } } });
  });
});
