// Vitrine's benchmark: `npm run bench` (or `npx tsx bench/run.ts [options]`).
//
// Creates a throwaway PostgreSQL database, migrates it and loads the demo catalog with
// Vitrine's own CLI, counts the statements one request of each scenario sends (from
// PostgreSQL's log), then load-tests Vitrine and the hand-written ceiling side by side
// with autocannon, writes bench/RESULTS.md, and drops the database, also on failure.
// See bench/README.md.
import { PRODUCTION_SECRETS } from './production-env.ts';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs, promisify } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import pg from 'pg';
import { startCeilingServer } from './ceiling-server.ts';
import { locatePgLog, statementsDuring, type LogSource } from './pg-log.ts';
import { formatBreakdown, runBreakdown, type Breakdown } from './breakdown.ts';
import { profileScenario, renderProfile, type Profile } from './profiling.ts';
import { prepareBaseline, renderBaselineTable, type BaselineTree } from './baseline.ts';
import { fmt, mean } from './stats.ts';
import { buildScenarios, sampleCatalog, type CatalogSample, type Scenario, type ScenarioName } from './scenarios.ts';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const BENCH = path.join(ROOT, 'bench');
const RESULTS = path.join(BENCH, 'RESULTS.md');
const HOST = '127.0.0.1';
const RUNS_MARKER = '<!-- bench/run.ts inserts each run below this line, newest first -->';

const execFileAsync = promisify(execFile);

// Vitrine's modules are loaded in this process too (statement counts, --breakdown): graphql-js
// must see production mode when it loads, as in the server, or it runs its slower dev checks;
// ./production-env.ts (imported first) sets it.

// ---------------------------------------------------------------------------------------
// Options

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    products: { type: 'string', default: '1000' },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    breakdown: { type: 'boolean', default: false },
    'profile-scenario': { type: 'string', default: 'listing' },
    'no-results': { type: 'boolean', default: false },
    'keep-db': { type: 'boolean', default: false },
    note: { type: 'string' },
    'response-cache-ms': { type: 'string', default: '0' },
    baseline: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (opts.help) {
  process.stdout.write(`Usage: npx tsx bench/run.ts [options]
  --duration S         seconds measured per scenario and round (default 10)
  --warmup S           unmeasured seconds before each measurement (default 2)
  --connections N      concurrent connections (default 10)
  --rounds N           rounds; listing and ceiling alternate order each round (default 2)
  --products N         demo catalog size (default 1000)
  --only a,b           scenarios: listing,ceiling,product,collection,nodes,search
  --profile            also CPU-profile Vitrine (and the --baseline) under each --profile-scenario (default listing;
                       a list: listing,product,collection)
  --breakdown          also time the listing layer by layer in-process (bench/breakdown.ts)
  --no-results         do not write bench/RESULTS.md
  --keep-db            keep the database (it is dropped by default, also on failure)
  --note TEXT          a line of context for RESULTS.md
  --response-cache-ms N  Vitrine's anonymous response cache TTL (RESPONSE_CACHE_TTL_MS; default 0 = off,
                       so the engine itself is measured; production's default is 3000)
  --baseline COMMIT    also run Vitrine as of COMMIT (a git worktree) and measure both, back to back
Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_PG_LOG (PostgreSQL log file),
  BENCH_SERVER_ENTRY (the server entry to run, default src/server.ts)
`);
  process.exit(0);
}

function positive(name: string, raw: string | undefined, min = 1): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number >= ${min}`);
  return value;
}

const DURATION = positive('duration', opts.duration);
const WARMUP = positive('warmup', opts.warmup, 0);
const CONNECTIONS = positive('connections', opts.connections);
const ROUNDS = positive('rounds', opts.rounds);
const PRODUCTS = positive('products', opts.products);
const ALL: ScenarioName[] = ['listing', 'ceiling', 'product', 'collection', 'nodes', 'search'];
const ONLY = opts.only ? (opts.only.split(',').map((s) => s.trim()) as ScenarioName[]) : ALL;
for (const name of ONLY) if (!ALL.includes(name)) throw new Error(`unknown scenario ${name}`);

const SERVER_ENTRY = path.resolve(ROOT, process.env.BENCH_SERVER_ENTRY ?? 'src/server.ts');
const ADMIN_URL = process.env.BENCH_PG_URL ?? `postgres://postgres@${HOST}:5432/postgres`;
{
  const host = new URL(ADMIN_URL).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`BENCH_PG_URL must point at 127.0.0.1, not ${host}`);
}

// ---------------------------------------------------------------------------------------
// Small helpers

const t0 = Date.now();
function log(message: string): void {
  process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${message}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `npx vitrine <args>` against the bench database; returns stdout. */
async function vitrineCli(dbUrl: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(process.execPath, [path.join(ROOT, 'bin/vitrine.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: dbUrl, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
      timeout: 180_000,
      maxBuffer: 10 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`vitrine ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}${e.stdout ?? ''}`, { cause: error });
  }
}

/** Every server started, so a failure can show what they logged. */
const children: Child[] = [];

interface Child {
  name: string;
  url: string;
  process: ChildProcess;
  output: () => string;
  readyMs: number;
  stop(): Promise<void>;
}

async function spawnServer(
  name: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  readyPath: string,
  cwd = ROOT,
): Promise<Child> {
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env, HOST, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  const url = `http://${HOST}:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`${name} exited with code ${exited} before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready within 120 s:\n${output}`);
    }
    try {
      const response = await fetch(url + readyPath, {
        method: readyPath === '/graphql' ? 'POST' : 'GET',
        signal: AbortSignal.timeout(2_000),
      });
      await response.arrayBuffer();
      if (readyPath === '/graphql' ? response.status < 500 : response.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  const readyMs = Date.now() - started;
  const handle: Child = {
    name,
    url,
    process: child,
    output: () => output,
    readyMs,
    async stop() {
      if (exited !== undefined) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
  children.push(handle);
  return handle;
}

interface VitrineEnv {
  dbUrl: string;
  port: number;
  publicUrl: string;
}

function startVitrine(
  name: string,
  env: VitrineEnv,
  cpuProfDir?: string,
  cacheMs = String(opts['response-cache-ms']),
  tree?: BaselineTree,
): Promise<Child> {
  const entry = tree ? path.join(tree.dir, path.relative(ROOT, SERVER_ENTRY)) : SERVER_ENTRY;
  const args = ['--import', 'tsx', ...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []), entry];
  return spawnServer(
    name,
    args,
    { DATABASE_URL: env.dbUrl, NODE_ENV: 'production', LOG_LEVEL: 'warn', PUBLIC_URL: env.publicUrl, RESPONSE_CACHE_TTL_MS: cacheMs },
    env.port,
    '/ready',
    tree?.dir,
  );
}

function startCeiling(env: VitrineEnv): Promise<Child> {
  return spawnServer(
    'ceiling',
    ['--import', 'tsx', path.join(BENCH, 'ceiling-server.ts')],
    { DATABASE_URL: env.dbUrl, PUBLIC_URL: env.publicUrl },
    env.port,
    '/graphql',
  );
}

async function post(url: string, token: string, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url + '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-storefront-access-token': token },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** The first path where two JSON values differ, for a readable mismatch report. */
function firstDifference(a: unknown, b: unknown, at = '$'): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return `${at}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const d = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      Array.isArray(a) ? `${at}[${key}]` : `${at}.${key}`,
    );
    if (d) return d;
  }
  return `${at}: differs`;
}

// ---------------------------------------------------------------------------------------
// Measurements

interface Measurement {
  scenario: ScenarioName;
  /** Today's tree, or the --baseline commit's server. */
  server: 'today' | 'baseline';
  round: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  graphqlErrors: number;
  bytesPerResponse: number;
}

const NO_ERRORS = (body: string) => !body.includes('"errors":[');

async function load(url: string, token: string, bodies: string[], seconds: number): Promise<Result> {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 10,
    requests: bodies.map((body) => ({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', 'x-storefront-access-token': token },
      body,
    })),
    verifyBody: NO_ERRORS,
  });
}

async function measure(
  scenario: Scenario,
  round: number,
  url: string,
  token: string,
  server: Measurement['server'] = 'today',
): Promise<Measurement> {
  if (WARMUP > 0) await load(url, token, scenario.bodies, WARMUP);
  const r = await load(url, token, scenario.bodies, DURATION);
  const m: Measurement = {
    scenario: scenario.name,
    server,
    round,
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    graphqlErrors: r.mismatches,
    bytesPerResponse: r.requests.total ? r.throughput.total / r.requests.total : 0,
  };
  log(
    `  round ${round} ${(server === 'baseline' ? `${scenario.name}@base` : scenario.name).padEnd(15)} ${m.rps.toFixed(1).padStart(7)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  non-2xx ${m.non2xx}  errors ${m.errors}  graphql-errors ${m.graphqlErrors}`,
  );
  return m;
}

interface StatementCount {
  /** Statements per request, one entry per distinct request body counted. */
  perRequest: number[];
  /** The statements of the first counted request (first line, shortened). */
  sample: string[];
}

type Send = (body: string) => Promise<{ status: number; text: string }>;
/** Runs a request and returns the statements it caused. */
type Recorder = <T>(fn: () => Promise<T>) => Promise<{ result: T; statements: string[] }>;

async function countStatements(scenario: Scenario, send: Send, record: Recorder, maxBodies = 4): Promise<StatementCount> {
  const perRequest: number[] = [];
  let sample: string[] = [];
  for (const body of scenario.bodies.slice(0, maxBodies)) {
    // The first request warms caches (the token lookup is cached for a few seconds): count the second.
    const warm = await send(body);
    if (warm.status !== 200) throw new Error(`${scenario.name}: HTTP ${warm.status} ${warm.text.slice(0, 300)}`);
    const recorded = await record(() => send(body));
    const { result } = recorded;
    // The storefront token lookup is cached for 5 s; when the cache expires between the two
    // requests it shows up here: it is not part of the page, leave it out.
    const statements = recorded.statements.filter((sql) => !sql.includes('"StorefrontToken"'));
    const problem = result.status === 200 ? scenario.check(JSON.parse(result.text)) : `HTTP ${result.status}`;
    if (problem) throw new Error(`${scenario.name}: ${problem}`);
    perRequest.push(statements.length);
    if (sample.length === 0)
      sample = statements.map((s) => s.replace(/\s+/g, ' ')).map((s) => (s.length > 160 ? s.slice(0, 157) + '...' : s));
  }
  return { perRequest, sample };
}

/** From PostgreSQL's log, against a Vitrine process (and an in-process ceiling) of their own. */
async function countFromLog(
  admin: pg.Client,
  logSource: LogSource,
  dbName: string,
  dbUrl: string,
  scenarios: Scenario[],
  token: string,
): Promise<Map<ScenarioName, StatementCount>> {
  const counts = new Map<ScenarioName, StatementCount>();
  const record: Recorder = (fn) => statementsDuring(logSource, dbName, fn);
  // Only sessions opened from now on log: the servers under load, started later, do not.
  await admin.query(`ALTER DATABASE "${dbName}" SET log_statement = 'all'`);
  try {
    const port = await freePort();
    const publicUrl = `http://${HOST}:${port}`;
    // Statements are counted with the response cache off: a cache hit sends none.
    const counter = await startVitrine('vitrine (statement count)', { dbUrl, port, publicUrl }, undefined, '0');
    try {
      for (const scenario of scenarios) {
        if (scenario.target === 'vitrine')
          counts.set(scenario.name, await countStatements(scenario, (body) => post(counter.url, token, body), record));
      }
    } finally {
      await counter.stop();
    }
    const ceilingScenario = scenarios.find((s) => s.name === 'ceiling');
    if (ceilingScenario) {
      const ceiling = await startCeilingServer({ databaseUrl: dbUrl, publicUrl });
      try {
        counts.set('ceiling', await countStatements(ceilingScenario, (body) => post(ceiling.url, token, body), record));
      } finally {
        await ceiling.close();
      }
    }
  } finally {
    await admin.query(`ALTER DATABASE "${dbName}" RESET log_statement`);
  }
  return counts;
}

/** From Vitrine's own hook (src/db/client.ts `onQuery`), with the app in this process. */
async function countInProcess(dbUrl: string, scenarios: Scenario[], token: string): Promise<Map<ScenarioName, StatementCount>> {
  const { loadConfig } = await import('../src/config.ts');
  const { openDatabase } = await import('../src/db/client.ts');
  const { createApp } = await import('../src/app.ts');
  const config = loadConfig({
    ...PRODUCTION_SECRETS,
    DATABASE_URL: dbUrl,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PUBLIC_URL: `http://${HOST}:1`,
    RESPONSE_CACHE_TTL_MS: '0',
  });
  let recording: string[] | null = null;
  const db = await openDatabase(config.database, { onQuery: (sql) => recording?.push(sql) });
  const counts = new Map<ScenarioName, StatementCount>();
  try {
    const app = createApp({ config, db });
    const send: Send = async (body) => {
      const response = await app.fetch(
        new Request(`http://${HOST}:1/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-storefront-access-token': token },
          body,
        }),
      );
      return { status: response.status, text: await response.text() };
    };
    const record: Recorder = async (fn) => {
      const statements: string[] = [];
      recording = statements;
      try {
        return { result: await fn(), statements };
      } finally {
        recording = null;
      }
    };
    for (const scenario of scenarios) {
      if (scenario.target === 'vitrine') counts.set(scenario.name, await countStatements(scenario, send, record));
    }
  } finally {
    await db.close();
  }
  return counts;
}

// ---------------------------------------------------------------------------------------
// Report

function statementsCell(count: StatementCount | undefined): string {
  if (!count) return 'n/a';
  const min = Math.min(...count.perRequest);
  const max = Math.max(...count.perRequest);
  return min === max ? String(min) : `${min}–${max}`;
}

interface RunInfo {
  date: string;
  commit: string;
  node: string;
  postgres: string;
  cpus: string;
  loadBefore: string;
  loadAfter: string;
  sample: CatalogSample;
  listingBytes: number;
  identicalBytes: boolean;
  statementsSource: string;
  note?: string;
}

function renderRun(
  info: RunInfo,
  scenarios: Scenario[],
  measurements: Measurement[],
  counts: Map<ScenarioName, StatementCount>,
  profiles: Profile[],
  breakdown: Breakdown | null,
  baseline: BaselineTree | null,
): string {
  const lines: string[] = [];
  lines.push(`## Run of ${info.date}`, '');
  if (info.note) lines.push(`> ${info.note}`, '');
  lines.push(
    `- Vitrine ${info.commit}; Node ${info.node}; ${info.postgres}`,
    `- Server: \`node --import tsx ${path.relative(ROOT, SERVER_ENTRY)}\` with NODE_ENV=production, LOG_LEVEL=warn, RESPONSE_CACHE_TTL_MS=${opts['response-cache-ms']}${opts['response-cache-ms'] === '0' ? ' (response cache off)' : ' (anonymous response cache on)'}, pool of 10; the ceiling likewise with a pg.Pool of 10`,
    `- Machine: ${info.cpus}; load average before/after: ${info.loadBefore} / ${info.loadAfter} (shared with other jobs: compare ratios within this run, not absolute numbers across runs)`,
    `- Catalog: ${info.sample.counts.products} products (${info.sample.counts.visibleProducts} visible), ${info.sample.counts.variants} variants, ${info.sample.counts.collections} collections (${info.sample.counts.visibleCollections} visible)`,
    `- autocannon: ${CONNECTIONS} connections, ${DURATION} s measured after ${WARMUP} s warm-up, ${ROUNDS} round(s); listing and ceiling back to back in each round, order alternating`,
    `- Listing response: ${info.listingBytes} bytes; ceiling answer deep-equal: yes; byte-identical: ${info.identicalBytes ? 'yes' : 'no'}`,
    `- Statements per request: ${info.statementsSource}`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | non-2xx | statements/request |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const scenario of scenarios) {
    const ms = measurements.filter((m) => m.scenario === scenario.name && m.server === 'today');
    if (ms.length === 0) continue;
    const perRound = ms.length > 1 ? ` (${ms.map((m) => fmt(m.rps, 0)).join(' / ')})` : '';
    const bad = ms.reduce((a, m) => a + m.non2xx, 0);
    const problems = ms.reduce((a, m) => a + m.errors + m.graphqlErrors, 0);
    lines.push(
      `| ${scenario.label} | ${fmt(mean(ms.map((m) => m.rps)))}${perRound} | ${fmt(mean(ms.map((m) => m.p50)))} | ${fmt(mean(ms.map((m) => m.p99)))} | ${bad}${problems ? ` (+${problems} errors)` : ''} | ${statementsCell(counts.get(scenario.name))} |`,
    );
  }
  const listing = measurements.filter((m) => m.scenario === 'listing' && m.server === 'today');
  const ceiling = measurements.filter((m) => m.scenario === 'ceiling');
  if (listing.length && ceiling.length) {
    const ratios = listing.map((l) => {
      const c = ceiling.find((m) => m.round === l.round);
      return c ? l.rps / c.rps : NaN;
    });
    const overall = mean(listing.map((m) => m.rps)) / mean(ceiling.map((m) => m.rps));
    lines.push(
      '',
      `**Listing / ceiling (req/s): ${fmt(overall, 2)}** (per round: ${ratios.map((r) => fmt(r, 2)).join(', ')}). Goal: at least 0.50. ` +
        `p50 latency: Vitrine ${fmt(mean(listing.map((m) => m.p50)))} ms vs ceiling ${fmt(mean(ceiling.map((m) => m.p50)))} ms.`,
    );
  }
  if (baseline) lines.push('', renderBaselineTable(baseline, scenarios, measurements));
  if (counts.size) {
    lines.push('', '<details><summary>Statements of one request per scenario (first line of each, shortened)</summary>', '');
    for (const scenario of scenarios) {
      const count = counts.get(scenario.name);
      if (!count) continue;
      lines.push(`${scenario.label}: ${statementsCell(count)}`, '', '```sql', ...count.sample, '```', '');
    }
    lines.push('</details>');
  }
  if (breakdown) {
    lines.push(
      '',
      '<details><summary>Listing request, layer by layer (bench/breakdown.ts)</summary>',
      '',
      formatBreakdown(breakdown),
      '',
      '</details>',
    );
  }
  for (const profile of profiles) lines.push('', renderProfile(profile, ROOT));
  lines.push('');
  return lines.join('\n');
}

async function writeResults(section: string): Promise<void> {
  let existing: string;
  try {
    existing = await readFile(RESULTS, 'utf8');
  } catch {
    existing = [
      '# Benchmark results',
      '',
      'Written by `npm run bench` (bench/run.ts); what is measured and how: bench/README.md.',
      'The machine is shared and has 2 cores: only numbers measured side by side in the same',
      'run compare (the listing/ceiling ratio above all), never absolute numbers across runs.',
      '',
      RUNS_MARKER,
      '',
    ].join('\n');
  }
  if (!existing.includes(RUNS_MARKER)) existing = `${existing.trimEnd()}\n\n${RUNS_MARKER}\n\n`;
  const at = existing.indexOf(RUNS_MARKER) + RUNS_MARKER.length;
  await writeFile(RESULTS, `${existing.slice(0, at)}\n\n${section}${existing.slice(at).replace(/^\n+/, '\n')}`);
}

// ---------------------------------------------------------------------------------------
// Main

const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        log(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })());
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanup().then(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  cleanups.push(() => admin.end());
  const postgres = (await admin.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v.split(' on ')[0]!;
  const loadBefore = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

  const dbName = `vitrine_bench_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE "${dbName}"`);
  log(`created database ${dbName}`);
  cleanups.push(async () => {
    if (opts['keep-db']) {
      log(`kept database ${dbName}`);
      return;
    }
    await admin.query(`ALTER DATABASE "${dbName}" RESET log_statement`).catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    log(`dropped database ${dbName}`);
  });
  const dbUrl = databaseUrl(dbName);

  await vitrineCli(dbUrl, ['migrate']);
  log('migrated');
  const started = Date.now();
  await vitrineCli(dbUrl, ['seed', '--products', String(PRODUCTS)]);
  log(`seeded ${PRODUCTS} products in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const token = (await vitrineCli(dbUrl, ['token', 'create', '--name', 'bench'])).trim();
  if (!/^vs[tp]_\S+$/.test(token)) throw new Error(`unexpected token output: ${JSON.stringify(token)}`);
  const benchClient = new pg.Client({ connectionString: dbUrl });
  await benchClient.connect();
  await benchClient.query('VACUUM ANALYZE');
  const sample = await sampleCatalog(benchClient);
  await benchClient.end();
  const scenarios = buildScenarios(sample).filter((s) => ONLY.includes(s.name));
  log(
    `catalog: ${sample.counts.visibleProducts}/${sample.counts.products} products visible, ${sample.counts.variants} variants, ${sample.counts.visibleCollections}/${sample.counts.collections} collections visible`,
  );

  // 1. Statements per request, from PostgreSQL's log, with servers of their own: only
  //    sessions opened after ALTER DATABASE log, so the load test below does not.
  const located = await locatePgLog(admin);
  let counts = new Map<ScenarioName, StatementCount>();
  let statementsSource: string;
  const hook = await countInProcess(dbUrl, scenarios, token);
  if (located.source) {
    counts = await countFromLog(admin, located.source, dbName, dbUrl, scenarios, token);
    statementsSource =
      `counted in PostgreSQL's log (log_statement = 'all' on the bench database only; ${located.source.describe}), ` +
      `cross-checked with Vitrine's onQuery hook in-process`;
    const disagree = [...hook].filter(([name, c]) => statementsCell(c) !== statementsCell(counts.get(name)));
    if (disagree.length) {
      statementsSource += `; the hook disagrees on ${disagree.map(([name, c]) => `${name} (hook: ${statementsCell(c)})`).join(', ')}`;
    } else {
      statementsSource += ' (same counts)';
    }
  } else {
    counts = hook;
    statementsSource = `counted with Vitrine's onQuery hook in-process (PostgreSQL's log unavailable: ${located.reason}); the ceiling is not counted`;
  }
  statementsSource +=
    '; the second identical request is counted, so the storefront token lookup (cached 5 s, +1 statement) is not included';
  for (const [name, count] of counts)
    log(
      `statements per request, ${name}: ${statementsCell(count)}${hook.has(name) ? ` (onQuery hook: ${statementsCell(hook.get(name))})` : ''}`,
    );

  // 2. The servers under load: Vitrine and the ceiling, same database, same PUBLIC_URL.
  const vitrinePort = await freePort();
  const publicUrl = `http://${HOST}:${vitrinePort}`;
  const vitrine = await startVitrine('vitrine', { dbUrl, port: vitrinePort, publicUrl });
  cleanups.push(() => vitrine.stop());
  log(`vitrine ready on ${vitrine.url} in ${vitrine.readyMs} ms`);
  const ceiling = await startCeiling({ dbUrl, port: await freePort(), publicUrl });
  cleanups.push(() => ceiling.stop());
  log(`ceiling ready on ${ceiling.url} in ${ceiling.readyMs} ms`);
  // The --baseline commit's server: same database, same PUBLIC_URL (so both answer the same URLs).
  const baseline = opts.baseline ? await prepareBaseline(ROOT, opts.baseline, log) : null;
  const base = baseline
    ? await startVitrine(`vitrine ${baseline.label}`, { dbUrl, port: await freePort(), publicUrl }, undefined, undefined, baseline)
    : null;
  if (base) {
    cleanups.push(() => base.stop());
    log(`baseline ${baseline!.label} ready on ${base.url} in ${base.readyMs} ms`);
  }

  // 3. Every request body answers for real, and the ceiling answers exactly what Vitrine does.
  const urlOf = (s: Scenario) => (s.target === 'ceiling' ? ceiling.url : vitrine.url);
  for (const scenario of scenarios) {
    const urls = [urlOf(scenario), ...(base && scenario.target === 'vitrine' ? [base.url] : [])];
    for (const url of urls)
      for (const body of scenario.bodies) {
        const { status, text } = await post(url, token, body);
        const problem = status === 200 ? scenario.check(JSON.parse(text)) : `HTTP ${status}: ${text.slice(0, 300)}`;
        if (problem) throw new Error(`${scenario.name} at ${url} (${body.slice(0, 120)}...): ${problem}`);
      }
  }
  const listingBody = buildScenarios(sample)[0]!.bodies[0]!;
  const fromVitrine = await post(vitrine.url, token, listingBody);
  const fromCeiling = await post(ceiling.url, token, listingBody);
  const difference = firstDifference(JSON.parse(fromVitrine.text), JSON.parse(fromCeiling.text));
  if (difference) {
    await writeFile(path.join(BENCH, '.listing-vitrine.json'), fromVitrine.text);
    await writeFile(path.join(BENCH, '.listing-ceiling.json'), fromCeiling.text);
    throw new Error(`the ceiling's listing differs from Vitrine's at ${difference} (both saved as bench/.listing-*.json)`);
  }
  const identicalBytes = fromVitrine.text === fromCeiling.text;
  log(
    `listing: ceiling answer deep-equal to Vitrine's (${fromVitrine.text.length} bytes, byte-identical: ${identicalBytes ? 'yes' : 'no'})`,
  );

  // 4. Load: rounds of every scenario; listing and ceiling back to back, alternating order.
  const measurements: Measurement[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const order = [...scenarios];
    if (round % 2 === 0) {
      const li = order.findIndex((s) => s.name === 'listing');
      const ci = order.findIndex((s) => s.name === 'ceiling');
      if (li >= 0 && ci >= 0) [order[li], order[ci]] = [order[ci]!, order[li]!];
      order.splice(2, order.length - 2, ...order.slice(2).reverse());
    }
    for (const scenario of order) {
      // With --baseline, each Vitrine scenario runs on both servers back to back, order alternating.
      const today = () => measure(scenario, round, urlOf(scenario), token);
      const old = () => measure(scenario, round, base!.url, token, 'baseline');
      if (!base || scenario.target !== 'vitrine') measurements.push(await today());
      else if (round % 2 === 1) measurements.push(await today(), await old());
      else measurements.push(await old(), await today());
    }
  }

  // 5. Optional CPU profiles of Vitrine (and of the baseline) under the listed scenarios.
  const profiles: Profile[] = [];
  if (opts.profile) {
    const names = opts['profile-scenario'].split(',').map((n) => n.trim());
    const targets = scenarios.filter((s) => names.includes(s.name) && s.target === 'vitrine');
    if (targets.length !== names.length) throw new Error(`--profile-scenario must name Vitrine scenarios in --only`);
    await vitrine.stop();
    await base?.stop();
    for (const target of targets) {
      for (const tree of [null, ...(baseline ? [baseline] : [])]) {
        const server = tree ? `commit ${tree.label}` : 'today';
        const profile = await profileScenario({
          dir: path.join(BENCH, 'profiles'),
          scenario: target.name,
          server,
          start: (dir) =>
            startVitrine(`vitrine (profiled, ${server})`, { dbUrl, port: vitrinePort, publicUrl }, dir, undefined, tree ?? undefined),
          load: async (url, seconds) => {
            const r = await load(url, token, target.bodies, seconds);
            return r.requests.total / r.duration;
          },
          warmupSeconds: WARMUP,
          durationSeconds: DURATION,
        });
        log(`profiled ${target.name} on ${server}: ${profile.rps.toFixed(1)} req/s (with the profiler on)`);
        profiles.push(profile);
      }
    }
  }

  // 6. Optional in-process breakdown of the listing, layer by layer.
  let breakdown: Breakdown | null = null;
  if (opts.breakdown) {
    await vitrine.stop();
    log('breakdown: timing the listing layer by layer in-process');
    breakdown = await runBreakdown({ dbUrl, token, publicUrl });
    process.stdout.write(`\nListing, layer by layer:\n${formatBreakdown(breakdown)}\n`);
  }

  let commit = 'unknown commit';
  try {
    const head = (await execFileAsync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT })).stdout.trim();
    const dirty = (
      await execFileAsync('git', ['status', '--porcelain', '--', 'src', 'prisma', 'package.json'], { cwd: ROOT })
    ).stdout.trim();
    commit = `commit ${head}${dirty ? ' + uncommitted changes in src/prisma' : ''}`;
  } catch {
    // not a git checkout
  }
  const cpu = os.cpus();
  const info: RunInfo = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit,
    node: process.version,
    postgres,
    cpus: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${os.platform()} ${os.release()}`,
    loadBefore,
    loadAfter: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    sample,
    listingBytes: Buffer.byteLength(fromVitrine.text),
    identicalBytes,
    statementsSource,
    ...(opts.note ? { note: opts.note } : {}),
  };
  const section = renderRun(info, scenarios, measurements, counts, profiles, breakdown, baseline);
  process.stdout.write(`\n${section}\n`);
  if (!opts['no-results']) {
    await writeResults(section);
    log(`wrote ${path.relative(ROOT, RESULTS)}`);
  }
  await rm(path.join(BENCH, '.listing-vitrine.json'), { force: true });
  await rm(path.join(BENCH, '.listing-ceiling.json'), { force: true });
}

const deadline = setTimeout(() => {
  log('the run took longer than 15 minutes: giving up');
  void cleanup().then(() => process.exit(1));
}, 15 * 60_000);
deadline.unref();

main()
  .then(
    () => cleanup(),
    async (error: unknown) => {
      log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      for (const child of children) {
        const tail = child.output().trim().split('\n').slice(-15).join('\n').slice(-4000);
        if (tail) log(`last output of ${child.name}:\n${tail}`);
      }
      process.exitCode = 1;
      await cleanup();
    },
  )
  .finally(() => {
    log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    process.exit(process.exitCode ?? 0);
  });
