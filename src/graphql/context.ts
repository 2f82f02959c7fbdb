// The per-request GraphQL context: who is asking, the database client for plugin-prisma's
// planned queries, the configuration and one clock. Per-request memoized reads (never
// shared between users) hang off it through src/graphql/owner.ts.
import type { Config } from '../config.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Viewer } from '../auth/viewer.js';
import type { CatalogChange } from './response-cache.js';

export interface Context {
  viewer: Viewer;
  /** For plugin-prisma's query planning and the commerce functions; resolvers stay thin. */
  prisma: PrismaClient;
  config: Config;
  /** One clock per request, for what a request writes (an order's time, a cart's completion). */
  now: Date;
  /**
   * The instant the catalog is shown as of: `now` to the whole second. Every visibility check of
   * a response reads it, so they agree, and the planned queries they are part of are the same
   * for every request of that second (./plan-cache.ts). A product published at 12:00:00.400
   * shows from 12:00:01.
   */
  catalogNow: Date;
  /** Tells the response cache (every process's, when shared) what a write changed in the catalog. */
  catalogChanged: (change: CatalogChange) => Promise<void>;
}

export function createContext(input: {
  viewer: Viewer;
  prisma: PrismaClient;
  config: Config;
  catalogChanged: Context['catalogChanged'];
}): Context {
  const now = new Date();
  return { ...input, now, catalogNow: new Date(now.getTime() - (now.getTime() % 1000)) };
}
