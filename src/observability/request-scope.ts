// What one request did, gathered while it runs: an AsyncLocalStorage scope opened around
// each request (src/observability/request-log.ts). The SQL timer attributes every
// statement Prisma sends to the request that is running it; GraphQL plugins add the
// operation name and who asked. Statements sent outside any request are not counted.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { QueryTimer } from '../db/client.js';

export interface RequestScope {
  requestId: string;
  /** GraphQL operation name, when the request is a GraphQL one. */
  operation: string | null;
  storefrontTokenId: string | null;
  customerId: string | null;
  /** SQL statements sent for this request, and their time (milliseconds, overlapping ones summed). */
  statements: number;
  sqlMs: number;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The scope of the request running now, if any. */
export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}

/** Counts and times statements per request: pass it to openDatabase as `timeQuery`. */
export const timeRequestQuery: QueryTimer = () => {
  const scope = storage.getStore();
  if (!scope) return () => {};
  scope.statements++;
  const started = performance.now();
  return () => {
    scope.sqlMs += performance.now() - started;
  };
};
