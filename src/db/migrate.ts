// In-process migrations: the same schema engine as `prisma migrate deploy` (compiled to
// wasm), recording in `_prisma_migrations` exactly as the CLI does, so either may be
// used on the same database.
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DatabaseConfig } from '../config.js';
import type { Database } from './client.js';
import { createSchemaEngine, MIGRATIONS_DIR, NO_FILTERS, readMigrationsList, SCHEMA_PATH, type SchemaEngine } from './engine.js';
import { pgEngineAdapter, pgliteEngineAdapter, trackAdapters } from './engine-adapters.js';
import { createPGlite } from './pglite.js';

/** An open Database (its connection is reused: required for PGlite, which allows one
 * opener per folder and whose in-memory databases exist only in that instance), or a
 * config to open and close again. */
export type MigrationTarget = Pick<Database, 'driver'> | DatabaseConfig;

export interface MigrateOptions {
  /** Defaults to this checkout's prisma/migrations. */
  migrationsDir?: string;
}

export interface MigrationStatus {
  /** Migration directories on disk, in order. */
  local: string[];
  /** On disk, not yet applied. */
  pending: string[];
  /** Recorded in the database but missing on disk. */
  unknown: string[];
  /** Failed (and not rolled back) in the database. */
  failed: string[];
  /** Applied, but their migration.sql changed since. */
  edited: string[];
  hasMigrationsTable: boolean;
  upToDate: boolean;
}

/** Applies the pending migrations; returns the names just applied (empty when up to date). */
export async function applyMigrations(target: MigrationTarget, options: MigrateOptions = {}): Promise<string[]> {
  const migrationsList = await readMigrationsList(options.migrationsDir ?? MIGRATIONS_DIR);
  return withEngine(target, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return appliedMigrationNames;
  });
}

/** Where the database stands against the migrations folder (what `prisma migrate status` reports). */
export async function migrationStatus(target: MigrationTarget, options: MigrateOptions = {}): Promise<MigrationStatus> {
  const migrationsList = await readMigrationsList(options.migrationsDir ?? MIGRATIONS_DIR);
  const local = migrationsList.migrationDirectories.map((d) => d.path);
  const d = await withEngine(target, (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS }),
  );
  const h = d.history;
  const pending = h?.diagnostic === 'databaseIsBehind' || h?.diagnostic === 'historiesDiverge' ? h.unappliedMigrationNames : [];
  const unknown =
    h?.diagnostic === 'migrationsDirectoryIsBehind' || h?.diagnostic === 'historiesDiverge' ? h.unpersistedMigrationNames : [];
  return {
    local,
    pending,
    unknown,
    failed: d.failedMigrationNames,
    edited: d.editedMigrationNames,
    hasMigrationsTable: d.hasMigrationsTable,
    upToDate: h === null && d.failedMigrationNames.length === 0 && d.editedMigrationNames.length === 0,
  };
}

/**
 * The SQL that would bring the database to the Prisma schema: empty when the database
 * matches it exactly (no drift). Reads the schema from prisma/schema.prisma by default.
 */
export async function schemaDrift(target: MigrationTarget, options: { schemaPath?: string } = {}): Promise<string> {
  const schemaPath = options.schemaPath ?? SCHEMA_PATH;
  const files = [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }];
  const result = await withEngine(target, (engine) =>
    engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: path.dirname(schemaPath) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    }),
  );
  return (result.stdout ?? '').replace(/^-- This is an empty migration\.\s*$/, '').trim();
}

/** Runs fn with a schema engine on the target, then releases every connection it opened. */
async function withEngine<T>(target: MigrationTarget, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  let closeTarget = async () => {};
  let factory: SqlMigrationAwareDriverAdapterFactory;
  let checkpoint = async () => {};
  if ('driver' in target) {
    const driver = target.driver;
    factory = driver.kind === 'pglite' ? pgliteEngineAdapter(driver.pglite) : pgEngineAdapter(driver.url);
    if (driver.kind === 'pglite' && driver.dataDir !== null) checkpoint = async () => void (await driver.pglite.exec('CHECKPOINT'));
  } else if (target.kind === 'pglite') {
    const pglite = await createPGlite(target.dataDir);
    factory = pgliteEngineAdapter(pglite);
    closeTarget = () => pglite.close();
  } else {
    factory = pgEngineAdapter(target.url);
  }
  const tracked = trackAdapters(factory);
  let engine: SchemaEngine | undefined;
  try {
    engine = await createSchemaEngine({ adapter: tracked.factory });
    const result = await fn(engine);
    await checkpoint();
    return result;
  } finally {
    engine?.free();
    await tracked.disposeAll();
    await closeTarget();
  }
}
