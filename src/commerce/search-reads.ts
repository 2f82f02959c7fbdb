// Loading the products and collections a search picked, in the order it picked them, with
// plugin-prisma's planned selection and the visibility rules applied once more.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { publishedCollectionWhere, publishedProductWhere } from './catalog.js';

type Planned<T> = Omit<T, 'where' | 'orderBy'>;

function inOrder<T extends { id: number }>(rows: T[], ids: readonly number[]): T[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function findPublishedProducts<Q extends Planned<Prisma.ProductFindManyArgs>>(
  prisma: PrismaClient,
  query: Q,
  ids: readonly number[],
  now: Date,
) {
  const planned = { ...query }; // read even when nothing is loaded: an unread plan is a bug report
  if (ids.length === 0) return [];
  const rows = await prisma.product.findMany({ ...planned, where: { id: { in: [...ids] }, ...publishedProductWhere(now) } });
  return inOrder(rows, ids);
}

export async function findPublishedCollections<Q extends Planned<Prisma.CollectionFindManyArgs>>(
  prisma: PrismaClient,
  query: Q,
  ids: readonly number[],
  now: Date,
) {
  const planned = { ...query }; // read even when nothing is loaded: an unread plan is a bug report
  if (ids.length === 0) return [];
  const rows = await prisma.collection.findMany({ ...planned, where: { id: { in: [...ids] }, ...publishedCollectionWhere(now) } });
  return inOrder(rows, ids);
}
