#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, which the CLI would otherwise
// download from a CDN. prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here. It runs
// the same engine compiled to WebAssembly (@prisma/schema-engine-wasm) over JS driver
// adapters, for a PostgreSQL URL (postgres://...) or an embedded PGlite
// (pglite:///absolute/folder, pglite://memory). See prisma/README.md.
//
// The engine logic lives in src/db/engine.ts, the adapter fixes in src/db/engine-adapters.ts (shared with the
// in-process migration runner); tsx, a dependency, lets this plain script import them.
//
// Speaks the binary's protocol, as the CLI uses it:
//   --version                                   one line
//   --datasource '{"url":...}' cli <command>    can-connect-to-database | create-database
//   --datamodels <file>... --datasource '{...}' JSON-RPC 2.0, one object per line on stdin/stdout
// Nothing but protocol goes to stdout; logs go to stderr as JSON lines.
import { readFileSync, mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';

const log = (level, message, fields = {}) =>
  process.stderr.write(JSON.stringify({ level, target: 'schema_engine::logger', fields: { message, ...fields } }) + '\n');

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------
const argv = process.argv.slice(2);
const datamodelPaths = [];
let datasource = {};
let cliCommand = null;
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i];
  if (arg === '--version' || arg === '-V') {
    const wasmPkg = new URL('../node_modules/@prisma/schema-engine-wasm/package.json', import.meta.url);
    const { version } = JSON.parse(readFileSync(wasmPkg, 'utf8'));
    process.stdout.write(`schema-engine-cli ${version.slice(version.lastIndexOf('.') + 1)}\n`);
    process.exit(0);
  } else if (arg === '--datamodels') datamodelPaths.push(argv[++i]);
  else if (arg === '--datasource') datasource = JSON.parse(argv[++i]);
  else if (arg === '--enabled-preview-features' || arg === '--extension-types')
    i++; // nothing to do with them
  else if (arg === 'cli') cliCommand = argv[++i];
}

const { register } = await import('tsx/esm/api');
register();
const { createSchemaEngine, takePanicMessage } = await import('../src/db/engine.ts');
const { pgEngineAdapter, pgliteEngineAdapter, trackAdapters, adminQuery, withDatabase } = await import('../src/db/engine-adapters.ts');
const { createPGlite } = await import('../src/db/pglite.ts');

// ---------------------------------------------------------------------------
// The datasource
// ---------------------------------------------------------------------------
const url = datasource.url ?? '';
/** pglite://memory → null (in memory); pglite:///abs/folder → '/abs/folder'. */
const pgliteDir = url.startsWith('pglite://')
  ? url.slice('pglite://'.length) === 'memory'
    ? null
    : decodeURI(url.slice('pglite://'.length))
  : undefined;
const isPostgres = /^postgres(ql)?:\/\//.test(url);
if (pgliteDir === undefined && !isPostgres) {
  fail('P1013', `The datasource URL must start with postgres://, postgresql:// or pglite:// (got "${url.split(':')[0]}:").`);
}

/** Emits the error log the CLI looks for, then exits 1. */
function fail(errorCode, message) {
  process.stderr.write('schema-engine stand-in: error\n'); // the CLI skips the first stderr line
  process.stderr.write(JSON.stringify({ level: 'ERROR', target: 'schema_engine::logger', fields: { error_code: errorCode, message } }));
  process.exit(1);
}

// ---------------------------------------------------------------------------
// `cli` commands
// ---------------------------------------------------------------------------
if (cliCommand !== null) {
  const name = isPostgres ? decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres' : pgliteDir;
  if (pgliteDir !== undefined) {
    // An embedded database always "exists": opening a folder creates it.
    if (cliCommand === 'create-database' && pgliteDir) mkdirSync(pgliteDir, { recursive: true });
  } else {
    try {
      if (cliCommand === 'can-connect-to-database') await adminQuery(url, 'SELECT 1');
      else if (cliCommand === 'create-database')
        await adminQuery(withDatabase(url, 'postgres'), `CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      else fail('P1000', `Unsupported command: cli ${cliCommand}`);
    } catch (error) {
      const { hostname: host, port } = new URL(url);
      if (error.code === '3D000')
        fail('P1003', `Database \`${name}\` does not exist on the database server at \`${host}:${port || 5432}\`.`);
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOTFOUND')
        fail('P1001', `Can't reach database server at \`${host}:${port || 5432}\``);
      if (error.code === '28P01' || error.code === '28000')
        fail('P1000', `Authentication failed against database server at \`${host}\`: ${error.message}`);
      fail('P1000', error.message);
    }
  }
  if (cliCommand === 'create-database') process.stdout.write(JSON.stringify({ database_name: name }) + '\n');
  process.exit(0);
}

// ---------------------------------------------------------------------------
// JSON-RPC mode
// ---------------------------------------------------------------------------
let current = null; // id of the request being answered
// A Rust panic traps the wasm from inside a callback: answer the request, then give up.
process.on('uncaughtException', (error) => {
  if (current !== null) send({ id: current, error: rpcError(error) });
  else log('ERROR', `${takePanicMessage() ?? ''} ${error?.stack ?? error}`);
  process.exit(1);
});

const pglite = pgliteDir === undefined ? null : await createPGlite(pgliteDir);
const adapters = trackAdapters(
  pglite ? pgliteEngineAdapter(pglite) : pgEngineAdapter(url, { shadowDatabaseUrl: datasource.shadowDatabaseUrl }),
);
// Without --datamodels (diff, db execute) the engine must get none at all: an empty list panics.
const datamodels = datamodelPaths.length ? datamodelPaths.map((path) => [path, readFileSync(path, 'utf8')]) : undefined;
const engine = await createSchemaEngine({ adapter: adapters.factory, datamodels, log: (line) => process.stderr.write(line + '\n') }).catch(
  (error) => {
    log('ERROR', error.message); // e.g. the wasm and the CLI disagree on the engine version
    process.exit(1);
  },
);

const send = (message) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\n');
let printId = 0;

async function call(method, params) {
  switch (method) {
    case 'getDatabaseVersion':
      return engine.version(params);
    case 'createDatabase':
      if (pglite) return { databaseName: pgliteDir ?? 'memory' };
      throw new Error('createDatabase is not supported: create the database first');
    case 'diff': {
      // The native engine prints the diff itself; the CLI relays a `print` request.
      const result = await engine.diff(params);
      if (result.stdout) send({ id: `print-${++printId}`, method: 'print', params: { content: result.stdout } });
      return { exitCode: result.exitCode };
    }
    case 'evaluateDataLoss':
    case 'createMigration':
      try {
        return await engine[method](params);
      } catch (error) {
        // The wasm engine only finds the shadow database after a devDiagnostic on the
        // same engine has warmed its cache: do that once and retry.
        if (!/shadow DB must be provided through an external factory/.test(String(error?.message))) throw error;
        await engine.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters });
        return engine[method](params);
      }
    default:
      if (typeof engine[method] !== 'function') throw new Error(`Unknown method ${method}`);
      return engine[method](params);
  }
}

/** The engine's errors carry the user-facing code (P3006, ...) the CLI shows. */
function rpcError(error) {
  const panic = takePanicMessage();
  const message = panic ?? String(error?.message ?? error);
  const data = { is_panic: panic !== null, message };
  if (error?.code && /^P\d{4}$/.test(error.code)) data.error_code = error.code;
  if (error?.meta) data.meta = error.meta;
  return { code: 4466, message: 'An error happened. Check the data field for details.', data };
}

// One request at a time, in order, like the native engine.
let queue = Promise.resolve();
createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on('line', (line) => {
    if (!line.trim()) return;
    const request = JSON.parse(line);
    if (request.method === undefined) return; // the CLI's answer to our `print`
    queue = queue.then(async () => {
      current = request.id;
      try {
        const result = await call(request.method, request.params);
        // The CLI kills us right after the last answer: make a folder's writes durable first.
        if (pglite && pgliteDir) await pglite.exec('CHECKPOINT');
        send({ id: request.id, result: result ?? {} });
      } catch (error) {
        if (pglite && pgliteDir) await pglite.exec('CHECKPOINT').catch(() => {});
        send({ id: request.id, error: rpcError(error) });
      }
      current = null;
    });
  })
  .on('close', () => {
    queue.then(async () => {
      engine.free();
      await adapters.disposeAll().catch(() => {});
      await pglite?.close();
      process.exit(0);
    });
  });
