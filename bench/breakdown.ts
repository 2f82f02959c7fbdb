// Where a listing request's time goes, layer by layer, measured in-process and one request
// at a time (no concurrency, no sockets): CPU milliseconds of this Node process per request
// (process.cpuUsage) and wall milliseconds. Each layer leaves out the one above it:
//
//   app.fetch, real database          everything but node:http and the socket
//   app.fetch, Prisma from memory     Yoga + GraphQL + Pothos + our code, no database
//   graphql execute + JSON.stringify  GraphQL execution (Pothos resolvers) and serialization
//   structuredClone of the rows       the stand-in's own cost, to subtract from the two above
//   prisma.product.findMany           Prisma Client + pg + PostgreSQL, with the planned args
//   the same statements through pg    pg + PostgreSQL, without Prisma
//   the ceiling's statement           one hand-written statement through pg
//
// "Prisma from memory": the PrismaClient handed to the app answers product.findMany with a
// copy of a real answer, so GraphQL runs exactly as usual minus the database.
// Run by `bench/run.ts --breakdown`; needs NODE_ENV=production set before graphql loads.
import { PRODUCTION_SECRETS } from './production-env.ts';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { LISTING_SQL } from './ceiling-server.ts';
import { LISTING_QUERY } from './scenarios.ts';

export interface BreakdownRow {
  layer: string;
  cpuMs: number;
  wallMs: number;
}

export interface Breakdown {
  rows: BreakdownRow[];
  statements: number;
  iterations: number;
}

async function time(layer: string, iterations: number, fn: () => Promise<unknown>): Promise<BreakdownRow> {
  for (let i = 0; i < Math.min(50, iterations); i++) await fn();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  const wallMs = (performance.now() - started) / iterations;
  const used = process.cpuUsage(cpu);
  return { layer, cpuMs: (used.user + used.system) / 1000 / iterations, wallMs };
}

export async function runBreakdown(options: { dbUrl: string; token: string; publicUrl: string; iterations?: number }): Promise<Breakdown> {
  const iterations = options.iterations ?? 150;
  const { loadConfig } = await import('../src/config.ts');
  const { openDatabase } = await import('../src/db/client.ts');
  const { createApp } = await import('../src/app.ts');
  const { schema } = await import('../src/graphql/schema.ts');
  const { createContext } = await import('../src/graphql/context.ts');
  const { execute, parse } = await import('graphql');

  const config = loadConfig({
    ...PRODUCTION_SECRETS,
    DATABASE_URL: options.dbUrl,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PUBLIC_URL: options.publicUrl,
    RATE_LIMIT: 'off', // one in-process caller would spend a production bucket
    RESPONSE_CACHE_TTL_MS: '0', // the engine is what is timed
  });
  let recording: { sql: string; params: unknown[] }[] | null = null;
  const db = await openDatabase(config.database, { onQuery: (sql, params) => recording?.push({ sql, params }) });
  const pool = new pg.Pool({ connectionString: options.dbUrl, max: 2 });
  try {
    // The stand-in: product.findMany answers a copy of the first real answer.
    let planned: unknown = null;
    let answer: unknown = null;
    const productDelegate = db.prisma.product;
    const fromMemory = new Proxy(productDelegate, {
      get(target, key, receiver) {
        if (key !== 'findMany') return Reflect.get(target, key, receiver);
        return async (args: unknown) => {
          if (answer === null) {
            planned = args;
            answer = await target.findMany(args as Parameters<typeof target.findMany>[0]);
          }
          return structuredClone(answer);
        };
      },
    });
    const memoryPrisma = new Proxy(db.prisma, {
      get: (target, key, receiver) => (key === 'product' ? fromMemory : Reflect.get(target, key, receiver)),
    });

    const body = JSON.stringify({ query: LISTING_QUERY, variables: { first: 24 } });
    const request = () =>
      new Request(`${options.publicUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-storefront-access-token': options.token },
        body,
      });
    const real = createApp({ config, db });
    // Anonymous requests read through `reader` (the primary itself without a replica).
    const memory = createApp({ config, db: { ...db, prisma: memoryPrisma, reader: memoryPrisma } });
    const fetchText = async (app: typeof real) => {
      const response = await app.fetch(request());
      const text = await response.text();
      if (response.status !== 200 || text.includes('"errors":[')) throw new Error(`breakdown: ${response.status} ${text.slice(0, 300)}`);
      return text;
    };

    const rows: BreakdownRow[] = [];
    rows.push(await time('app.fetch, real database', iterations, () => fetchText(real)));
    rows.push(await time('app.fetch, Prisma from memory (no database)', iterations, () => fetchText(memory)));
    const document = parse(LISTING_QUERY);
    const viewer = { storefront: { id: 'bench', name: 'bench', kind: 'PUBLIC' as const }, customer: null };
    rows.push(
      await time('graphql execute + JSON.stringify, Prisma from memory', iterations, async () => {
        const result = await execute({
          schema,
          document,
          variableValues: { first: 24 },
          contextValue: createContext({ viewer, prisma: memoryPrisma, config, catalogChanged: () => Promise.resolve() }),
        });
        if (result.errors?.length) throw new Error(`breakdown: ${result.errors[0]!.message}`);
        return JSON.stringify(result);
      }),
    );
    rows.push(
      await time('structuredClone of the rows (stand-in cost, included above)', iterations, () => Promise.resolve(structuredClone(answer))),
    );
    rows.push(
      await time('prisma.product.findMany with the planned args', iterations, () =>
        productDelegate.findMany(planned as Parameters<typeof productDelegate.findMany>[0]),
      ),
    );
    recording = [];
    await productDelegate.findMany(planned as Parameters<typeof productDelegate.findMany>[0]);
    const statements: { sql: string; params: unknown[] }[] = recording;
    recording = null;
    rows.push(
      await time(`the same ${statements.length} statements through pg, one after another`, iterations, async () => {
        for (const s of statements) await pool.query({ text: s.sql, values: s.params, rowMode: 'array' });
      }),
    );
    rows.push(
      await time("the ceiling's one statement through pg", iterations, () =>
        pool.query({ name: 'ceiling-listing', text: LISTING_SQL, values: [24, options.publicUrl, new Date().toISOString()] }),
      ),
    );
    return { rows, statements: statements.length, iterations };
  } finally {
    await pool.end();
    await db.close();
  }
}

export function formatBreakdown(breakdown: Breakdown): string {
  const get = (prefix: string) => breakdown.rows.find((r) => r.layer.startsWith(prefix));
  const full = get('app.fetch, real');
  const memory = get('app.fetch, Prisma');
  const exec = get('graphql execute');
  const clone = get('structuredClone');
  const prisma = get('prisma.product');
  const raw = get('the same');
  const lines = [
    `In-process, one request at a time, ${breakdown.iterations} iterations per layer after a warm-up; CPU = this Node process only (PostgreSQL's CPU is not in it).`,
    '',
    '| layer | CPU ms/request | wall ms/request |',
    '| --- | ---: | ---: |',
    ...breakdown.rows.map((r) => `| ${r.layer} | ${r.cpuMs.toFixed(2)} | ${r.wallMs.toFixed(2)} |`),
  ];
  if (full && memory && exec && clone && prisma && raw) {
    const share = (x: number) => `${((100 * x) / full.cpuMs).toFixed(0)}%`;
    const yoga = memory.cpuMs - exec.cpuMs;
    const graphql = exec.cpuMs - clone.cpuMs;
    const prismaOwn = prisma.cpuMs - raw.cpuMs;
    lines.push(
      '',
      `Derived CPU per listing request (of ${full.cpuMs.toFixed(1)} ms): Yoga/HTTP plumbing/protections ≈ ${yoga.toFixed(1)} ms (${share(yoga)}); ` +
        `GraphQL execution with Pothos resolvers + JSON ≈ ${graphql.toFixed(1)} ms (${share(graphql)}); ` +
        `Prisma Client's own work ≈ ${prismaOwn.toFixed(1)} ms (${share(prismaOwn)}); ` +
        `pg driver for ${breakdown.statements} statements ≈ ${raw.cpuMs.toFixed(1)} ms (${share(raw.cpuMs)}).`,
    );
  }
  return lines.join('\n');
}
