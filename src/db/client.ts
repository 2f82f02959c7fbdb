// The Prisma client on either home of the database: embedded PGlite (pglite-prisma-adapter)
// or a PostgreSQL server (@prisma/adapter-pg over a pg pool). Same schema, same dialect.
// With a read replica, `reader` sends non-transactional reads there (@prisma/extension-read-replicas).
import { PrismaPg } from '@prisma/adapter-pg';
import { readReplicas } from '@prisma/extension-read-replicas';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseConfig } from '../config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { createPGlite, type PGlite } from './pglite.js';
import { pgOptions } from './prepared-statements.js';

/** Called with every SQL statement the client sends, in order. */
export type QueryListener = (sql: string, params: unknown[]) => void;

/** Told when a statement starts; the function it returns is called when it has finished. */
export type QueryTimer = (sql: string) => () => void;

export interface OpenDatabaseOptions {
  onQuery?: QueryListener;
  /** Times every statement (src/observability: statements and SQL time per request). */
  timeQuery?: QueryTimer;
  /** Sees every statement sent to the read replica (DATABASE_REPLICA_URL), when there is one. */
  onReplicaQuery?: QueryListener;
  /** PGlite only: use this already open embedded database (closed with the Database)
   * instead of opening `dataDir`. Tests use it to start from a migrated template. */
  pglite?: PGlite;
}

/** What src/db/migrate.ts needs to reach the same database outside Prisma Client. */
export type DatabaseDriver = { kind: 'pglite'; pglite: PGlite; dataDir: string | null } | { kind: 'postgres'; url: string; pool: pg.Pool };

export interface Database {
  /** The primary: writes, transactions, and every read that must see the latest write. */
  prisma: PrismaClient;
  /**
   * For reads that may lag a little (anonymous catalog requests): with a replica, its
   * non-transactional reads go there while writes, transactions and raw SQL stay on the
   * primary; without one, the same client as `prisma`.
   */
  reader: PrismaClient;
  kind: 'pglite' | 'postgres';
  /** Checks the database answers (bypasses Prisma Client, so `onQuery` never sees it). */
  ping(): Promise<void>;
  /** Disconnects Prisma and closes the pool or the embedded database. Idempotent. */
  close(): Promise<void>;
  /** The underlying connection, for the migration runner and tests. */
  driver: DatabaseDriver;
}

export async function openDatabase(db: DatabaseConfig, options: OpenDatabaseOptions = {}): Promise<Database> {
  if (db.kind === 'pglite') {
    const pglite = options.pglite ?? (await createPGlite(db.dataDir));
    const prisma = clientOf(withQueryListener(new PrismaPGlite(pglite), options));
    return finish(
      prisma,
      { kind: 'pglite', pglite, dataDir: db.dataDir },
      async () => {
        await pglite.query('SELECT 1');
      },
      () => pglite.close(),
    );
  }
  const pool = new pg.Pool({ connectionString: db.url, max: db.poolMax });
  pool.on('error', () => {}); // an idle client lost its server: the pool replaces it
  // One set of statement names (and one bound) for the primary and the replica alike.
  const adapterOptions = pgOptions(db.preparedStatements !== false);
  const prisma = clientOf(withQueryListener(new PrismaPg(pool, adapterOptions), options));
  const driver: DatabaseDriver = { kind: 'postgres', url: db.url, pool };
  if (!db.replicaUrl)
    return finish(
      prisma,
      driver,
      async () => {
        await pool.query('SELECT 1');
      },
      () => pool.end(),
    );
  const replicaPool = new pg.Pool({ connectionString: db.replicaUrl, max: db.poolMax });
  replicaPool.on('error', () => {});
  const replica = clientOf(
    withQueryListener(new PrismaPg(replicaPool, adapterOptions), {
      onQuery: options.onReplicaQuery,
      timeQuery: options.timeQuery,
    }),
  );
  // The extended client has the same model API (plus $primary/$replica); its type is a
  // generated variant of PrismaClient's, hence the cast.
  const reader = prisma.$extends(readReplicas({ replicas: [replica] })) as unknown as PrismaClient;
  return finish(
    prisma,
    driver,
    async () => {
      await Promise.all([pool.query('SELECT 1'), replicaPool.query('SELECT 1')]);
    },
    async () => {
      try {
        await replica.$disconnect();
      } finally {
        await Promise.all([pool.end(), replicaPool.end()]);
      }
    },
    reader,
  );
}

/**
 * Each client's own connection to its driver, for read-only statements (./reads.ts): a
 * statement sent through it skips Prisma Client's raw-query pipeline (its request, query
 * interpreter and result mapping, 6 % of a listing's CPU) but shares the client's pool or
 * embedded database, its prepared-statement names and its statement listener. The client of
 * a transaction is not here: its statements stay on the transaction's connection.
 */
const directConnections = new WeakMap<object, () => Promise<SqlDriverAdapter>>();

function clientOf(factory: SqlDriverAdapterFactory): PrismaClient {
  const client = new PrismaClient({ adapter: factory });
  let connecting: Promise<SqlDriverAdapter> | undefined;
  directConnections.set(client, () => {
    connecting ??= factory.connect().catch((error: unknown) => {
      connecting = undefined;
      throw error;
    });
    return connecting;
  });
  return client;
}

/** The direct driver connection of a client openDatabase made (see above), else undefined. */
export function directConnection(client: object): (() => Promise<SqlDriverAdapter>) | undefined {
  return directConnections.get(client);
}

function finish(
  prisma: PrismaClient,
  driver: DatabaseDriver,
  ping: () => Promise<void>,
  closeDriver: () => Promise<void>,
  reader: PrismaClient = prisma,
): Database {
  let closing: Promise<void> | undefined;
  return {
    prisma,
    reader,
    kind: driver.kind,
    driver,
    ping,
    close: () =>
      (closing ??= (async () => {
        try {
          await prisma.$disconnect();
        } finally {
          await closeDriver();
        }
      })()),
  };
}

/**
 * Reports every statement to `onQuery`: queryRaw/executeRaw on the connection and inside
 * transactions, plus the transaction control statements the driver sends on its own
 * (BEGIN always; COMMIT/ROLLBACK when the adapter runs them itself, as PGlite's does),
 * so statement counts are the same on PGlite and PostgreSQL. `timeQuery` sees the same
 * statements (a transaction's start counted once) and is told when each has finished.
 */
function withQueryListener(factory: SqlDriverAdapterFactory, options: OpenDatabaseOptions): SqlDriverAdapterFactory {
  const { timeQuery } = options;
  if (!options.onQuery && !timeQuery) return factory;
  const onQuery: QueryListener = options.onQuery ?? (() => {});
  const timed = <T>(sql: string, run: () => Promise<T>): Promise<T> => {
    if (!timeQuery) return run();
    const done = timeQuery(sql);
    const running = run();
    running.then(done, done);
    return running;
  };
  const listen = <T extends SqlDriverAdapter | Transaction>(target: T): T =>
    new Proxy(target, {
      get(obj, key, receiver) {
        const value: unknown = Reflect.get(obj, key, receiver);
        if (typeof value !== 'function') return value;
        switch (key) {
          case 'queryRaw':
          case 'executeRaw':
            return (query: { sql: string; args: unknown[] }) => {
              onQuery(query.sql, query.args);
              return timed(query.sql, () => value.call(obj, query) as Promise<unknown>);
            };
          case 'startTransaction':
            return async (isolationLevel?: string) => {
              onQuery('BEGIN', []);
              if (isolationLevel) onQuery(`SET TRANSACTION ISOLATION LEVEL ${isolationLevel}`, []);
              const tx = await timed('BEGIN', () => value.call(obj, isolationLevel) as Promise<Transaction>);
              return listen(tx);
            };
          case 'commit':
          case 'rollback':
            return () => {
              if (!(obj as Transaction).options.usePhantomQuery) return value.call(obj) as unknown;
              const sql = key === 'commit' ? 'COMMIT' : 'ROLLBACK';
              onQuery(sql, []);
              return timed(sql, () => value.call(obj) as Promise<unknown>);
            };
          default:
            return value.bind(obj) as unknown;
        }
      },
    });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => listen(await factory.connect()),
  };
}
