// Loading the products and collections a search picked, in the order it picked them, with
// plugin-prisma's planned selection and the visibility rules applied once more.
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
  return loadInOrder(ids, (id) => prisma.product.findMany({ ...planned, where: { id: { in: id }, ...publishedProductWhere(now) } }));
}

export function findPublishedCollections<Q extends Planned<Prisma.CollectionFindManyArgs>>(
  prisma: PrismaClient,
  query: Q,
  ids: readonly number[],
  now: Date,
) {
  const planned = { ...query };
  return loadInOrder(ids, (id) => prisma.collection.findMany({ ...planned, where: { id: { in: id }, ...publishedCollectionWhere(now) } }));
}
