// Search benchmark: statements per request, in-process latency and the query plans of
// `search` (a common term, 24 results, facets), `predictiveSearch` and a collection page
// with facets, on a fresh PostgreSQL database seeded with the demo catalog.
//   npx tsx bench/search.ts [--products N] [--requests N] [--no-results] [--keep-db] [--reuse <db>]
// Appends a section to bench/RESULTS.md unless --no-results.
import { PRODUCTION_SECRETS } from './production-env.ts';
import { randomBytes } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { seedDemoCatalog } from '../prisma/seed/load.ts';
import { createApp } from '../src/app.ts';
import { createStorefrontToken } from '../src/auth/storefront-tokens.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { withDatabase } from '../src/db/engine-adapters.ts';
import { applyMigrations } from '../src/db/migrate.ts';

const { values: opts } = parseArgs({
  options: {
    products: { type: 'string', default: '1000' },
    requests: { type: 'string', default: '40' },
    'no-results': { type: 'boolean', default: false },
    'keep-db': { type: 'boolean', default: false },
    /** A database kept by an earlier --keep-db run: no create, migrate or seed. */
    reuse: { type: 'string' },
  },
});
const PRODUCTS = Number(opts.products);
const REQUESTS = Number(opts.requests);
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const CARD = 'id handle title featuredImage { url } priceRange { minVariantPrice { amount currencyCode } }';
const FILTERS = 'filters { id label type values { id label count input } }';
const SCENARIOS = (term: string, prefix: string, collection: string) => [
  {
    name: `search "${term}", 24 results + facets`,
    query: `query($q: String!) { search(query: $q, first: 24) { totalCount nodes { ${CARD} } pageInfo { hasNextPage endCursor } ${FILTERS} } }`,
    variables: { q: term },
  },
  {
    name: `search "${term}" page 1 without facets`,
    query: `query($q: String!) { search(query: $q, first: 24) { totalCount nodes { ${CARD} } pageInfo { hasNextPage endCursor } } }`,
    variables: { q: term },
  },
  {
    name: `predictiveSearch "${prefix}"`,
    query: `query($q: String!) { predictiveSearch(query: $q, limit: 5) { queries { text styledText } products { handle title featuredImage { url } } collections { handle title } } }`,
    variables: { q: prefix },
  },
  {
    name: `collection "${collection}" 24 products + facets`,
    query: `query($h: String!) { collection(handle: $h) { title products(first: 24) { nodes { ${CARD} } ${FILTERS} } } }`,
    variables: { h: collection },
  },
];

const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
const name = opts.reuse ?? `vitrine_bench_search_${randomBytes(4).toString('hex')}`;
if (!/^vitrine_bench_search_[0-9a-f]+$/.test(name)) throw new Error('--reuse takes a database name printed by --keep-db');
if (!opts.reuse) await admin.query(`CREATE DATABASE "${name}"`);
const url = withDatabase(ADMIN_URL, name);
let recording: { sql: string; params: unknown[] }[] | null = null;
const db = await openDatabase({ kind: 'postgres', url, poolMax: 4 }, { onQuery: (sql, params) => recording?.push({ sql, params }) });
try {
  const started = Date.now();
  if (!opts.reuse) {
    await applyMigrations(db);
    await seedDemoCatalog(db.prisma, { products: PRODUCTS });
  }
  const seedSeconds = (Date.now() - started) / 1000;
  const direct = new pg.Client({ connectionString: url });
  await direct.connect();
  await direct.query('VACUUM ANALYZE');
  // A common title word (the demo catalog's "wool"), else the lexicon's most used long word.
  const words = await direct.query<{ word: string }>(
    `SELECT word FROM "SearchWord" WHERE word ~ '^[a-z]{4,}$' ORDER BY word = 'wool' DESC, products DESC LIMIT 1`,
  );
  const term = words.rows[0]!.word;
  const collection = (
    await direct.query<{ handle: string }>(
      `SELECT c.handle FROM "Collection" c JOIN "CollectionProduct" cp ON cp."collectionId" = c.id WHERE c."publishedAt" <= now() GROUP BY c.id ORDER BY count(*) DESC LIMIT 1`,
    )
  ).rows[0]!.handle;
  const config = loadConfig({
    ...PRODUCTION_SECRETS,
    DATABASE_URL: url,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PUBLIC_URL: 'http://127.0.0.1:1',
    RESPONSE_CACHE_TTL_MS: '0',
  });
  const app = createApp({ config, db });
  const { token } = await createStorefrontToken(db.prisma, { name: 'bench' });
  const send = async (query: string, variables: Record<string, unknown>) => {
    const response = await app.fetch(
      new Request('http://127.0.0.1:1/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-storefront-access-token': token },
        body: JSON.stringify({ query, variables }),
      }),
    );
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    if (response.status !== 200 || body.errors) throw new Error(`${response.status} ${JSON.stringify(body.errors)}`);
    return body;
  };
  const lines: string[] = [];
  const plans: string[] = [];
  for (const scenario of SCENARIOS(term, 'swe', collection)) {
    recording = [];
    const body = await send(scenario.query, scenario.variables);
    const statements = recording;
    recording = null;
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t0 = performance.now();
      await send(scenario.query, scenario.variables);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
    const total = JSON.stringify(body).match(/"totalCount":(\d+)/)?.[1] ?? '';
    lines.push(`| ${scenario.name} | ${statements.length} | ${q(0.5)} | ${q(0.95)} | ${total} |`);
    // Plans of the raw search statements (the ones that touch the search document or the lexicon).
    for (const statement of statements.filter((s) => /searchDocument|SearchWord/.test(s.sql))) {
      const explained = await direct.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${statement.sql}`,
        statement.params,
      );
      const plan = explained.rows.map((r) => r['QUERY PLAN']);
      const indexes = [...new Set(plan.join('\n').match(/(?:Index|Bitmap Index) (?:Only )?Scan (?:using|on) "?\w+"?/g) ?? [])];
      plans.push(
        `${scenario.name} — ${statement.sql.replace(/\s+/g, ' ').slice(0, 90)}…\n  indexes: ${indexes.join(', ') || '(none)'}\n${plan.map((l) => `    ${l}`).join('\n')}`,
      );
    }
  }
  await direct.end();
  const pgVersion = (await admin.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v.split(' on ')[0];
  const section = [
    `## Search — ${new Date().toISOString().slice(0, 16)}Z, ${PRODUCTS} products`,
    '',
    `\`npx tsx bench/search.ts --products ${PRODUCTS}\`; ${pgVersion}; in-process \`app.fetch\`, ${REQUESTS} sequential requests per scenario after one warm-up, response cache off; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' ',
      )} (a shared, busy machine: compare ratios, not absolutes); ${opts.reuse ? 'reused a seeded database' : `migrate + seed took ${seedSeconds.toFixed(1)} s`}.`,
    '',
    '| scenario | statements | p50 ms | p95 ms | totalCount |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...lines,
    '',
    '<details><summary>Query plans (EXPLAIN ANALYZE) of the search statements</summary>',
    '',
    '```',
    ...plans,
    '```',
    '',
    '</details>',
    '',
  ].join('\n');
  console.log(section);
  if (!opts['no-results']) await appendFile(new URL('./RESULTS.md', import.meta.url), `\n${section}`);
} finally {
  await db.close();
  if (opts['keep-db'] || opts.reuse) console.error(`kept database ${name}`);
  else await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
