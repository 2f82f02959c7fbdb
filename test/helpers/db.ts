// A migrated database for one vitest file.
// - Default: an in-memory PGlite. vitest.config.ts runs `setup` below once per run: it
//   migrates one PGlite and dumps it to a temporary tarball that every file starts from
//   (~1.5 s instead of 4–5 s of initdb per file).
// - DATABASE_URL set: a fresh database `vitrine_test_<random>` on that server, migrated,
//   dropped again on close.
// Share one per file (beforeAll) and call truncateAll/truncate between tests.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';
import { databaseFromEnv } from '../../src/config.ts';
import { openDatabase, type Database, type QueryListener, type QueryTimer } from '../../src/db/client.ts';
import { adminQuery, withDatabase } from '../../src/db/engine-adapters.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { createPGlite } from '../../src/db/pglite.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Tarball of a migrated PGlite, or null (then each file runs initdb itself). */
    pgliteTemplate: string | null;
  }
}

export interface TestDatabase extends Database {
  /** Database name on the PostgreSQL server; 'memory' for PGlite. */
  name: string;
  /** Empties every table (truncateAll on this database). */
  truncate(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Sees every SQL statement Prisma Client sends (see openDatabase). */
  onQuery?: QueryListener;
  /** Times every statement (see openDatabase). */
  timeQuery?: QueryTimer;
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const server = databaseFromEnv();
  if (server.kind === 'postgres') {
    const name = `vitrine_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(server.url, `CREATE DATABASE "${name}"`);
    const drop = () => adminQuery(server.url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => {});
    try {
      const db = await openDatabase(
        { kind: 'postgres', url: withDatabase(server.url, name), poolMax: 4 },
        { onQuery: options.onQuery, timeQuery: options.timeQuery },
      );
      await applyMigrations(db).catch(async (error: unknown) => {
        await db.close();
        throw error;
      });
      return testDatabase(db, name, async () => {
        await db.close();
        await drop();
      });
    } catch (error) {
      await drop();
      throw error;
    }
  }
  const template = templatePath();
  const pglite = await createPGlite(null, template ? { loadDataDir: new Blob([await readFile(template)]) } : {});
  const db = await openDatabase({ kind: 'pglite', dataDir: null }, { onQuery: options.onQuery, timeQuery: options.timeQuery, pglite });
  await applyMigrations(db); // the whole job without a template; a no-op check with one
  return testDatabase(db, 'memory', () => db.close());
}

/** Empties every table except _prisma_migrations and restarts their sequences. */
export async function truncateAll(prisma: PrismaClient): Promise<void> {
  const tables = await prisma.$queryRaw<{ name: string }[]>`
    SELECT quote_ident(tablename) AS name FROM pg_tables
    WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`;
  if (tables.length) await prisma.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => t.name).join(', ')} RESTART IDENTITY CASCADE`);
}

function testDatabase(db: Database, name: string, close: () => Promise<void>): TestDatabase {
  let closing: Promise<void> | undefined;
  return { ...db, name, close: () => (closing ??= close()), truncate: () => truncateAll(db.prisma) };
}

function templatePath(): string | null {
  try {
    return inject('pgliteTemplate');
  } catch {
    return null; // not under vitest's globalSetup
  }
}

// ---------------------------------------------------------------------------
// vitest globalSetup (see vitest.config.ts): the PGlite template, once per run
// ---------------------------------------------------------------------------

let templateDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (databaseFromEnv().kind === 'postgres') {
    project.provide('pgliteTemplate', null);
    return;
  }
  const pglite = await createPGlite(null);
  try {
    await applyMigrations({ driver: { kind: 'pglite', pglite, dataDir: null } });
    templateDir = await mkdtemp(path.join(tmpdir(), 'vitrine-pglite-template-'));
    const file = path.join(templateDir, 'template.tar');
    await writeFile(file, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
    project.provide('pgliteTemplate', file);
  } finally {
    await pglite.close();
  }
}

export async function teardown(): Promise<void> {
  if (templateDir) await rm(templateDir, { recursive: true, force: true });
}
