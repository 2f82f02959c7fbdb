// What the cost-based rate limiter costs per request: `npx tsx bench/rate-limit.ts`
// (bench/README.md, "Rate limiter").
//
// On a throwaway PostgreSQL database with the demo catalog, the listing runs against
// Vitrine servers that differ only in RATE_LIMIT: off, on in memory, and on in Redis
// (when Redis answers), with the response cache off (every request executes) and on
// (almost every request is a cache hit, where the limiter's share is largest). The
// buckets are too large to ever throttle: what is measured is the charge, the refund and
// the cost measurement. All configurations run in each round, in alternating order, so
// they compare side by side. Then the charge and refund alone, in-process, per call.
// Writes a section into bench/RESULTS.md.
import './production-env.ts';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import { Redis } from 'ioredis';
import pg from 'pg';
import { CostBuckets } from '../src/auth/cost-buckets.ts';
import { LISTING_QUERY } from './scenarios.ts';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const MARKER = '<!-- bench/run.ts inserts each run below this line, newest first -->';
const HOST = '127.0.0.1';
const exec = promisify(execFile);

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    products: { type: 'string', default: '300' },
    'no-results': { type: 'boolean', default: false },
    note: { type: 'string' },
  },
});
const DURATION = Number(opts.duration);
const WARMUP = Number(opts.warmup);
const CONNECTIONS = Number(opts.connections);
const ROUNDS = Number(opts.rounds);
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = (m: string) => process.stderr.write(`[rate-limit bench] ${m}\n`);
/** Buckets nothing can empty: every request is charged and refunded, none is refused. */
const HUGE = '1000000000';

type Limiter = 'off' | 'memory' | 'redis';
interface Config {
  limiter: Limiter;
  cacheMs: number;
}
const label = (c: Config) => `limiter ${c.limiter}, cache ${c.cacheMs ? 'on' : 'off'}`;

function dbUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, HOST, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function cli(url: string, args: string[]): Promise<string> {
  const { stdout } = await exec(process.execPath, [path.join(ROOT, 'bin/vitrine.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
    maxBuffer: 1 << 24,
  });
  return stdout;
}

async function startServer(url: string, config: Config): Promise<{ base: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: url,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST,
    PORT: String(port),
    PUBLIC_URL: `http://${HOST}:${port}`,
    RESPONSE_CACHE_TTL_MS: String(config.cacheMs),
    RATE_LIMIT: config.limiter === 'off' ? 'off' : 'on',
    REDIS_URL: config.limiter === 'redis' ? REDIS_URL : '',
    RATE_LIMIT_BUYER_MAX: HUGE,
    RATE_LIMIT_BUYER_RESTORE_RATE: HUGE,
    RATE_LIMIT_TOKEN_MAX: HUGE,
    RATE_LIMIT_TOKEN_RESTORE_RATE: HUGE,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/server.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://${HOST}:${port}`;
  for (let i = 0; ; i++) {
    if (i > 600) throw new Error('server not ready in 120 s');
    try {
      if ((await fetch(`${base}/ready`)).ok) break;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGINT'))) };
}

async function load(base: string, token: string, seconds: number): Promise<Result> {
  return autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': 'application/json', 'x-storefront-access-token': token },
        body: JSON.stringify({ query: LISTING_QUERY, variables: { first: 24 } }),
      },
    ],
    verifyBody: (body: string) => !body.includes('"errors":['),
  });
}

/** Microseconds per charge + refund of the given buckets, in this process. */
async function chargeCost(buckets: CostBuckets, calls: number): Promise<number> {
  const keys = { token: `bench-${randomBytes(4).toString('hex')}`, buyer: '127.0.0.1' };
  const once = async () => {
    await buckets.charge(keys, 300);
    await buckets.refund(keys, 100);
  };
  for (let i = 0; i < Math.min(200, calls); i++) await once();
  const started = performance.now();
  for (let i = 0; i < calls; i++) await once();
  return ((performance.now() - started) * 1000) / calls;
}

async function redisAnswers(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function main() {
  const withRedis = await redisAnswers();
  const limiters: Limiter[] = withRedis ? ['off', 'memory', 'redis'] : ['off', 'memory'];
  const configs: Config[] = [0, 3000].flatMap((cacheMs) => limiters.map((limiter) => ({ limiter, cacheMs })));
  const name = `vitrine_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = dbUrl(name);
  const servers: { stop: () => Promise<void> }[] = [];
  try {
    log(`database ${name}: migrate, seed ${opts.products} products`);
    await cli(url, ['migrate']);
    await cli(url, ['seed', '--products', String(opts.products)]);
    const token = (await cli(url, ['token', 'create', '--name', 'bench'])).trim();

    const results = new Map<string, Result[]>();
    let cost: unknown = null;
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? configs : [...configs].reverse();
      for (const config of order) {
        log(`round ${round + 1}: ${label(config)}`);
        const server = await startServer(url, config);
        servers.push(server);
        try {
          const check = await fetch(`${server.base}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-storefront-access-token': token },
            body: JSON.stringify({ query: LISTING_QUERY, variables: { first: 24 } }),
          });
          const body = (await check.json()) as { extensions?: { cost?: unknown } };
          cost ??= body.extensions?.cost ?? null;
          if (check.status !== 200 || (config.limiter === 'off') !== (body.extensions?.cost === undefined))
            throw new Error(`${label(config)}: unexpected answer ${check.status} ${JSON.stringify(body).slice(0, 300)}`);
          if (WARMUP > 0) await load(server.base, token, WARMUP);
          const r = await load(server.base, token, DURATION);
          results.set(label(config), [...(results.get(label(config)) ?? []), r]);
        } finally {
          await server.stop();
          servers.pop();
        }
      }
    }

    log('charge + refund in-process');
    const memory = await chargeCost(
      new CostBuckets({ token: { maximumAvailable: 1e9, restoreRate: 1e9 }, buyer: { maximumAvailable: 1e9, restoreRate: 1e9 } }),
      20_000,
    );
    let redisUs: number | null = null;
    if (withRedis) {
      const redis = new Redis(REDIS_URL);
      try {
        redisUs = await chargeCost(
          new CostBuckets({
            token: { maximumAvailable: 1e9, restoreRate: 1e9 },
            buyer: { maximumAvailable: 1e9, restoreRate: 1e9 },
            redis,
            prefix: 'vitrine-bench',
          }),
          2_000,
        );
      } finally {
        await redis.quit();
      }
    }

    const rps = (r: Result) => r.requests.total / r.duration;
    const lines = [
      `## Rate limiter run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (bench/rate-limit.ts)`,
      '',
      `The listing (\`products(first: 24)\`, \`extensions.cost\` of one answer: \`${JSON.stringify(cost)}\`) on ${opts.products} products, PostgreSQL, ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s measured per configuration and round, ${ROUNDS} rounds in alternating order; one server at a time. Buckets too large to throttle: the limiter charges and refunds every request but refuses none.${opts.note ? ` ${opts.note}` : ''}`,
      '',
      '| configuration | req/s per round | p50 ms | p99 ms | non-2xx | errors |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...configs.map((config) => {
        const rs = results.get(label(config)) ?? [];
        return `| ${label(config)} | ${rs.map((r) => rps(r).toFixed(1)).join(', ')} | ${rs.map((r) => r.latency.p50).join(', ')} | ${rs.map((r) => r.latency.p99).join(', ')} | ${rs.reduce((n, r) => n + r.non2xx, 0)} | ${rs.reduce((n, r) => n + r.errors + r.mismatches, 0)} |`;
      }),
      '',
      `Charge + refund alone, in-process (two buckets, one consume and one reward each): ${memory.toFixed(1)} µs in memory${redisUs === null ? ' (Redis not reachable: not measured)' : `, ${redisUs.toFixed(0)} µs against Redis on 127.0.0.1`} per request.`,
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
    if (!opts['no-results']) {
      const existing = await readFile(RESULTS, 'utf8');
      const at = existing.indexOf(MARKER);
      const next =
        at >= 0
          ? `${existing.slice(0, at + MARKER.length)}\n\n${lines.join('\n')}${existing.slice(at + MARKER.length)}`
          : `${existing.trimEnd()}\n\n${lines.join('\n')}`;
      await writeFile(RESULTS, next);
    }
  } finally {
    for (const server of servers) await server.stop();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
