// 1 vs 2 worker processes (WEB_CONCURRENCY) on the listing and the product page, with the
// anonymous response cache off and on, against one PostgreSQL database; every
// configuration in the same run, in alternating order, so their ratios compare even on a
// shared machine. Adds a section to RESULTS.md. Usage: npx tsx bench/workers.ts [--duration S] [--rounds N]
import './production-env.ts';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildScenarios, sampleCatalog } from './scenarios.ts';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    'no-results': { type: 'boolean', default: false },
  },
});
const DURATION = Number(opts.duration);
const WARMUP = Number(opts.warmup);
const ROUNDS = Number(opts.rounds);
const CONNECTIONS = Number(opts.connections);
const execFileAsync = promisify(execFile);
const log = (message: string) => process.stderr.write(`[workers] ${message}\n`);

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function vitrine(dbUrl: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, [path.join(ROOT, 'bin/vitrine.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'warn' },
    timeout: 180_000,
  });
  return stdout.trim();
}

/** Starts `npm start`'s entry with WEB_CONCURRENCY=workers on a port the OS picks. */
async function startServer(dbUrl: string, workers: number, cacheMs: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      WEB_CONCURRENCY: String(workers),
      RESPONSE_CACHE_TTL_MS: String(cacheMs),
      HOST: '127.0.0.1',
      PORT: '0',
      PUBLIC_URL: 'http://127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  let url: string | undefined;
  while (!url) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
    url = /on (http:\/\/[^\s]+)\/graphql/.exec(output)?.[1];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Every worker listening: the primary announces the first; wait for /ready a few times.
  for (let i = 0; i < 10; i++) await fetch(`${url}/ready`).then((r) => r.arrayBuffer());
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function load(url: string, token: string, bodies: string[], seconds: number) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: bodies.map((body) => ({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', 'x-storefront-access-token': token },
      body,
    })),
    verifyBody: (body: string) => !body.includes('"errors":['),
  });
}

interface Row {
  cacheMs: number;
  workers: number;
  scenario: string;
  rps: number[];
  p99: number[];
  failures: number;
}

async function main() {
  const name = `vitrine_bench_workers_${randomBytes(4).toString('hex')}`;
  const dbUrl = databaseUrl(name);
  await admin(`CREATE DATABASE "${name}"`);
  const loadBefore = os.loadavg();
  const rows = new Map<string, Row>();
  try {
    log(`database ${name}: migrate, seed, token`);
    await vitrine(dbUrl, ['migrate']);
    await vitrine(dbUrl, ['seed', '--products', '1000']);
    const token = (await vitrine(dbUrl, ['token', 'create', '--name', 'bench'])).split('\n')[0]!;
    const pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
    const scenarios = buildScenarios(await sampleCatalog(pool)).filter((s) => s.name === 'listing' || s.name === 'product');
    await pool.end();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const cacheMs of [0, 3000]) {
        const order = round % 2 === 1 ? [1, 2] : [2, 1];
        for (const workers of order) {
          const server = await startServer(dbUrl, workers, cacheMs);
          try {
            for (const scenario of scenarios) {
              if (WARMUP > 0) await load(server.url, token, scenario.bodies, WARMUP);
              const r = await load(server.url, token, scenario.bodies, DURATION);
              const key = `${cacheMs}/${workers}/${scenario.name}`;
              const row = rows.get(key) ?? { cacheMs, workers, scenario: scenario.name, rps: [], p99: [], failures: 0 };
              row.rps.push(r.requests.total / r.duration);
              row.p99.push(r.latency.p99);
              row.failures += r.non2xx + r.errors + r.timeouts + r.mismatches;
              rows.set(key, row);
              log(
                `round ${round} cache ${cacheMs} ms, ${workers} worker(s), ${scenario.name}: ${(r.requests.total / r.duration).toFixed(1)} req/s, p99 ${r.latency.p99} ms`,
              );
            }
          } finally {
            await server.stop();
          }
        }
      }
    }
  } finally {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  const loadAfter = os.loadavg();
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const lines = [
    `## 1 vs 2 worker processes (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, bench/workers.ts)`,
    '',
    `${os.cpus().length} cores; load average (1/5/15 min) ${loadBefore.map((l) => l.toFixed(2)).join(' / ')} before, ` +
      `${loadAfter.map((l) => l.toFixed(2)).join(' / ')} after. PostgreSQL on the same machine, 1,000 products, ` +
      `autocannon ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s per measurement, ${ROUNDS} rounds ` +
      '(1 and 2 workers in alternating order), `NODE_ENV=production`. req/s per round; the ratio compares the means.',
    '',
    '| response cache | page | 1 worker req/s | 2 workers req/s | 2 / 1 | p99 ms (1 → 2) | failed requests |',
    '| --- | --- | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const cacheMs of [0, 3000])
    for (const scenario of ['listing', 'product']) {
      const one = rows.get(`${cacheMs}/1/${scenario}`)!;
      const two = rows.get(`${cacheMs}/2/${scenario}`)!;
      lines.push(
        `| ${cacheMs ? `on (${cacheMs / 1000} s)` : 'off'} | ${scenario} | ${one.rps.map((x) => x.toFixed(1)).join(', ')} | ` +
          `${two.rps.map((x) => x.toFixed(1)).join(', ')} | ${(mean(two.rps) / mean(one.rps)).toFixed(2)} | ` +
          `${mean(one.p99).toFixed(0)} → ${mean(two.p99).toFixed(0)} | ${one.failures + two.failures} |`,
      );
    }
  const section = lines.join('\n') + '\n';
  process.stdout.write(section);
  if (!opts['no-results']) {
    const file = path.join(ROOT, 'bench/RESULTS.md');
    const text = await readFile(file, 'utf8');
    const at = text.indexOf('\n## ');
    await writeFile(file, at < 0 ? `${text}\n${section}` : `${text.slice(0, at + 1)}${section}\n${text.slice(at + 1)}`);
  }
}

await main();
