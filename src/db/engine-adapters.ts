// Driver adapters for Prisma's schema engine (src/db/engine.ts), with the upstream bugs
// fixed (see prisma/README.md), plus the small PostgreSQL helpers they and the tests use.
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { createPGlite, type PGlite } from './pglite.js';

type OnError = { onError(error: unknown): never };

/**
 * pglite-prisma-adapter 0.7.2, fixed: `executeScript` awaits `exec` (upstream does not,
 * so a failing migration was recorded as applied), and the shadow database is a fresh
 * in-memory PGlite with our extensions, closed on dispose.
 */
export function pgliteEngineAdapter(db: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const fix = (client: PGlite, adapter: SqlDriverAdapter, onDispose?: () => Promise<void>): SqlDriverAdapter => {
    adapter.executeScript = async (script) => {
      try {
        await client.exec(script);
      } catch (error) {
        (adapter as unknown as OnError).onError(error);
      }
    };
    if (onDispose) adapter.dispose = onDispose;
    return adapter;
  };
  return {
    provider: 'postgres',
    adapterName: 'vitrine-pglite',
    connect: async () => fix(db, await new PrismaPGlite(db).connect()),
    connectToShadowDb: async () => {
      const shadow = await createPGlite(null);
      return fix(shadow, await new PrismaPGlite(shadow).connect(), () => shadow.close());
    },
  };
}

/** Catalog types the schema reader selects that adapter-pg cannot map ("char", reg*,
 * oidvector, ...). Their text values are fine: report them as text (OID 25). */
const CATALOG_TEXT_OIDS = new Set([
  18, 22, 24, 28, 29, 30, 194, 1033, 1034, 2202, 2203, 2204, 2205, 2206, 3734, 3769, 4089, 4096, 4191, 5069,
]);

/** @prisma/adapter-pg 7.10, fixed for the engine. */
export function pgEngineAdapter(
  url: string,
  options: { shadowDatabaseUrl?: string | undefined } = {},
): SqlMigrationAwareDriverAdapterFactory {
  const fix = (adapter: SqlDriverAdapter, client: pg.Pool): SqlDriverAdapter => {
    // 1. Catalog OIDs as text.
    const patchIO = (queryable: object) => {
      const q = queryable as { performIO(query: SqlQuery): Promise<pg.QueryResult> };
      const performIO = q.performIO.bind(queryable);
      q.performIO = async (query) => {
        const result = await performIO(query);
        for (const field of result.fields) if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = 25;
        return result;
      };
    };
    patchIO(adapter);
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const tx: Transaction = await startTransaction(isolationLevel);
      patchIO(tx);
      return tx;
    };
    // 3. The whole script as one simple-protocol query (upstream splits on ';', which
    //    breaks $$ bodies and leaves a failed migration half applied).
    adapter.executeScript = async (script) => {
      try {
        await client.query(script);
      } catch (error) {
        (adapter as unknown as OnError).onError(error);
      }
    };
    return adapter;
  };
  const open = async (connectionString: string, onDispose?: () => Promise<void>) => {
    const pool = new pg.Pool({ connectionString, max: 2 });
    const adapter = fix(await new PrismaPg(pool).connect(), pool);
    adapter.dispose = async () => {
      await pool.end();
      await onDispose?.();
    };
    return adapter;
  };
  return {
    provider: 'postgres',
    adapterName: 'vitrine-pg',
    connect: () => open(url),
    // 2. Upstream's shadow database ends up on the main database (the connection string
    //    wins over its `database` option). Use shadowDatabaseUrl, or create our own.
    connectToShadowDb: async () => {
      if (options.shadowDatabaseUrl) return open(options.shadowDatabaseUrl);
      const name = `prisma_migrate_shadow_db_${crypto.randomUUID().replaceAll('-', '_')}`;
      await adminQuery(url, `CREATE DATABASE "${name}"`);
      return open(withDatabase(url, name), () => adminQuery(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => {}));
    },
  };
}

/** The same server URL naming another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** One statement on a short-lived connection to `url` (CREATE/DROP DATABASE, probes). */
export async function adminQuery(url: string, sql: string, values?: unknown[]): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

/** Wraps a factory so every adapter it hands out can be disposed at the end, once. */
export function trackAdapters(factory: SqlMigrationAwareDriverAdapterFactory): {
  factory: SqlMigrationAwareDriverAdapterFactory;
  disposeAll(): Promise<void>;
} {
  const open = new Set<SqlDriverAdapter>();
  const track = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    open.add(adapter);
    const dispose = adapter.dispose.bind(adapter);
    let disposed: Promise<void> | undefined;
    adapter.dispose = () => {
      open.delete(adapter);
      return (disposed ??= dispose());
    };
    return adapter;
  };
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => track(await factory.connect()),
      connectToShadowDb: async () => track(await factory.connectToShadowDb()),
    },
    async disposeAll() {
      const errors: unknown[] = [];
      for (const adapter of [...open]) await adapter.dispose().catch((e: unknown) => errors.push(e));
      if (errors.length) throw errors[0];
    },
  };
}
