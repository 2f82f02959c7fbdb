// Loading the products and collections a search picked, in the order it picked them, with
// plugin-prisma's planned selection and the visibility rules applied once more. Read as one
// JSON text where the arguments compile (../db/json-reads.ts), else through Prisma Client.
import { findCatalogRows } from '../db/json-reads.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { publishedCollectionWhere, publishedProductWhere } from './catalog.js';

type Planned<T> = Omit<T, 'where' | 'orderBy'>;

function inOrder<T extends { id: number }>(rows: T[], ids: readonly number[]): T[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

// plugin-prisma's plan is read (spread) even when nothing is loaded: an unread plan is reported as a bug.
async function loadInOrder<T extends { id: number }>(ids: readonly number[], load: (ids: number[]) => Promise<T[]>): Promise<T[]> {
  if (ids.length === 0) return [];
  return inOrder(await load([...ids]), ids);
}

export function findPublishedProducts<Q extends Planned<Prisma.ProductFindManyArgs>>(
  prisma: PrismaClient,
  query: Q,
  ids: readonly number[],
  now: Date,
) {
  const planned = { ...query };
  return loadInOrder(ids, (id) => {
    const args = { ...planned, where: { id: { in: id }, ...publishedProductWhere(now) } };
    type Row = Awaited<ReturnType<typeof prisma.product.findMany<typeof args>>>[number];
    return findCatalogRows<Row>(prisma, 'Product', args);
  });
}

export function findPublishedCollections<Q extends Planned<Prisma.CollectionFindManyArgs>>(
  prisma: PrismaClient,
  query: Q,
  ids: readonly number[],
  now: Date,
) {
  const planned = { ...query };
  return loadInOrder(ids, (id) => {
    const args = { ...planned, where: { id: { in: id }, ...publishedCollectionWhere(now) } };
    type Row = Awaited<ReturnType<typeof prisma.collection.findMany<typeof args>>>[number];
    return findCatalogRows<Row>(prisma, 'Collection', args);
  });
}
