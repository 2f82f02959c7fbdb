// Prisma's schema engine (migrations, diffing, introspection) compiled to WebAssembly,
// driven through JS driver adapters, so no native engine is ever downloaded.
// Used in-process by src/db/migrate.ts and, through prisma/schema-engine.mjs, by the
// Prisma CLI. Background: prisma/README.md; the fixed driver adapters: engine-adapters.ts.
import { readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';
import { PACKAGE_ROOT } from '../package-root.js';

export type { MigrationList, SchemaEngine };

const require = createRequire(import.meta.url);

/** prisma/migrations of this checkout. */
export const MIGRATIONS_DIR = path.join(PACKAGE_ROOT, 'prisma', 'migrations') + path.sep;

/** prisma/schema.prisma of this checkout. */
export const SCHEMA_PATH = path.join(PACKAGE_ROOT, 'prisma', 'schema.prisma');

/** No externally managed tables or enums (prisma.config.ts declares none). */
export const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

// ---------------------------------------------------------------------------
// The wasm module: instantiated once per process
// ---------------------------------------------------------------------------

// Its package exports neither package.json nor the .wasm: locate them by its entry file.
const WASM_DIR = path.dirname(require.resolve('@prisma/schema-engine-wasm'));

type WasmGlue = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/** The engine commit the installed Prisma CLI expects. */
export function cliEngineCommit(): string {
  const fromPrisma = createRequire(require.resolve('prisma/package.json'));
  const fromEngines = createRequire(fromPrisma.resolve('@prisma/engines/package.json'));
  return (fromEngines('@prisma/engines-version') as { enginesVersion: string }).enginesVersion;
}

/** The engine commit the installed wasm was built from (its npm version ends with it). */
export function wasmEngineCommit(): string {
  const { version } = JSON.parse(readFileSync(path.join(WASM_DIR, 'package.json'), 'utf8')) as { version: string };
  return version.slice(version.lastIndexOf('.') + 1);
}

// On globalThis, not in a module variable: the wasm glue is one module per process, while
// test runners may evaluate this file more than once, and a second instantiation would
// corrupt the first.
const WASM = Symbol.for('vitrine.schema-engine-wasm');
type WithWasm = typeof globalThis & { [WASM]?: Promise<WasmGlue> };

let lastPanic: string | null = null;

/** The message of the last Rust panic in the engine, and forgets it. */
export function takePanicMessage(): string | null {
  const message = lastPanic;
  lastPanic = null;
  return message;
}

function loadWasm(): Promise<WasmGlue> {
  const holder = globalThis as WithWasm;
  return (holder[WASM] ??= (async () => {
    const cli = cliEngineCommit();
    const wasm = wasmEngineCommit();
    if (cli !== wasm) {
      throw new Error(
        `@prisma/schema-engine-wasm is built from engine commit ${wasm} but prisma expects ${cli}. ` +
          `Pin @prisma/schema-engine-wasm to the version matching prisma (x.y.z-N.${cli}).`,
      );
    }
    // A Rust panic reports its message here before the wasm traps ("unreachable");
    // schemaEngineCall() attaches it to the error.
    const holder2 = globalThis as typeof globalThis & { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
    holder2.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(message: string) {
        lastPanic = message;
      },
    };
    const glue: WasmGlue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(WASM_DIR, 'schema_engine_bg.wasm'));
    // The engine arms ~10 s timers (connection pool housekeeping): unref them so they
    // never keep a CLI run or a test worker alive.
    const imports: Record<string, unknown> = { ...glue };
    for (const name of Object.keys(imports)) {
      if (name.startsWith('__wbg_setTimeout_')) {
        imports[name] = (fn: () => void, ms: number) => {
          const timer = setTimeout(fn, ms >>> 0);
          timer.unref();
          return timer;
        };
      }
    }
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': imports as WebAssembly.ModuleImports });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })());
}

// ---------------------------------------------------------------------------
// Engines and migration lists
// ---------------------------------------------------------------------------

export interface EngineOptions {
  adapter: SqlMigrationAwareDriverAdapterFactory;
  /** [path, content] of the Prisma schema files, when the method needs them. */
  datamodels?: [string, string][];
  /** Receives the engine's JSON log lines. */
  log?: (line: string) => void;
}

/** A schema engine bound to one database. Call `free()` when done. */
export async function createSchemaEngine(options: EngineOptions): Promise<SchemaEngine> {
  const glue = await loadWasm();
  const bound = bindMigrationAwareSqlAdapterFactory(options.adapter);
  return glue.SchemaEngine.new({ datamodels: options.datamodels }, options.log ?? (() => {}), bound);
}

/** The migrations folder in the shape the engine expects (directories sorted by name). */
export async function readMigrationsList(baseDir: string = MIGRATIONS_DIR): Promise<MigrationList> {
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  const lockContent = await readFile(lockPath, 'utf8').catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      dirs.map(async (dir) => {
        const sql = await readFile(path.join(baseDir, dir, 'migration.sql'), 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (error: Error) => ({ tag: 'error' as const, value: error.message }),
        );
        return { path: dir, migrationFile: { path: 'migration.sql', content: sql } };
      }),
    ),
  };
}
