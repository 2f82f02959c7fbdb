// The per-request GraphQL context: who is asking, the database client for plugin-prisma's
// planned queries, the configuration and one clock. Per-request memoized reads (never
// shared between users) hang off it through src/graphql/owner.ts.
import type { Config } from '../config.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Viewer } from '../auth/viewer.js';

export interface Context {
  viewer: Viewer;
  /** For plugin-prisma's query planning and the commerce functions; resolvers stay thin. */
  prisma: PrismaClient;
  config: Config;
  /** One clock per request, so every visibility check in a response agrees. */
  now: Date;
}

export function createContext(input: { viewer: Viewer; prisma: PrismaClient; config: Config }): Context {
  return { ...input, now: new Date() };
}
