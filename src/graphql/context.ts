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
  /** One clock per request, so every visibility check in a response agrees. */
  now: Date;
  /** Tells the response cache (every process's, when shared) what a write changed in the catalog. */
  catalogChanged: (change: CatalogChange) => Promise<void>;
}

export function createContext(input: {
  viewer: Viewer;
  prisma: PrismaClient;
  config: Config;
  catalogChanged: Context['catalogChanged'];
}): Context {
  return { ...input, now: new Date() };
}
