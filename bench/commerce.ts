// The commerce benchmark: `npx tsx bench/commerce.ts` (see bench/README.md, "Commerce").
//
// On a throwaway PostgreSQL database with the demo catalog, a signed-in customer (a real
// access token signed with the database's key) runs three scenarios against a Vitrine
// server: cart (add a line, then read the cart with cost and lines, in one mutation),
// checkout (a fresh, ready cart per request) and an orders page of 24. Statements per
// request come from PostgreSQL's log, for a small and a large case of each. Appends the
// results to bench/RESULTS.md.
import './production-env.ts';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import pg from 'pg';
import { locatePgLog, statementsDuring } from './pg-log.ts';
import { openDatabase } from '../src/db/client.ts';
import { loadConfig } from '../src/config.ts';
import { signingKeyStore } from '../src/auth/oauth/keys.ts';
import { signAccessToken } from '../src/auth/oauth/grants.ts';
import { createOAuthClient } from '../src/auth/oauth/clients.ts';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const MARKER = '<!-- bench/run.ts inserts each run below this line, newest first -->';
const HOST = '127.0.0.1';
const exec = promisify(execFile);

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    products: { type: 'string', default: '300' },
    'no-results': { type: 'boolean', default: false },
    note: { type: 'string' },
  },
});
const DURATION = Number(opts.duration);
const WARMUP = Number(opts.warmup);
const CONNECTIONS = Number(opts.connections);
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (m: string) => process.stderr.write(`[commerce bench] ${m}\n`);
const gid = (type: string, id: string | number) => `gid://vitrine/${type}/${id}`;

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

async function startServer(url: string): Promise<{ base: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: url,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST,
    PORT: String(port),
    PUBLIC_URL: `http://${HOST}:${port}`,
    RESPONSE_CACHE_TTL_MS: '0',
    CART_MAX_LINE_QUANTITY: '100000000',
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

const CART_ADD = `mutation Add($cartId: ID!, $lines: [CartLineInput!]!) {
  cartLinesAdd(cartId: $cartId, lines: $lines) {
    cart { id totalQuantity cost { subtotalAmount { amount currencyCode } totalAmount { amount } }
      lines(first: 100) { nodes { id quantity merchandise { id title price { amount } } cost { amountPerQuantity { amount } totalAmount { amount } } } } }
    userErrors { code }
  }
}`;
const CHECKOUT = `mutation Checkout($cartId: ID!, $key: String!) {
  checkoutComplete(input: { cartId: $cartId, idempotencyKey: $key }) { order { id number total { amount } } userErrors { code } }
}`;
const ORDERS = `query Orders($first: Int!) { customer { orders(first: $first, sortKey: PROCESSED_AT, reverse: true) {
  nodes { id number processedAt status total { amount currencyCode } shippingLine { title } lineItems(first: 5) { nodes { title quantity unitPrice { amount } } } }
  pageInfo { hasNextPage endCursor } } } }`;

const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });
const OK = (text: string) => !text.includes('"errors":[') && !/"userErrors":\[\{/.test(text);

async function main() {
  const name = `vitrine_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = dbUrl(name);
  const db = await openDatabase({ kind: 'postgres', url, poolMax: 4 });
  try {
    log(`database ${name}: migrate, seed ${opts.products} products`);
    await cli(url, ['migrate']);
    await cli(url, ['seed', '--products', String(opts.products)]);
    const storefront = (await cli(url, ['token', 'create', '--name', 'bench'])).trim();
    const prisma = db.prisma;
    const client = await createOAuthClient(prisma, { name: 'bench', redirectUris: ['http://127.0.0.1/cb'] });
    const customer = await prisma.customer.create({ data: { email: 'bench@example.com', passwordHash: 'x' } });
    const family = await prisma.tokenFamily.create({
      data: { clientId: client.id, customerId: customer.id, scope: 'customer', expiresAt: new Date(Date.now() + 86_400_000) },
    });
    const keys = signingKeyStore(prisma, loadConfig({ ...process.env, DATABASE_URL: url }));
    const variants = await prisma.productVariant.findMany({
      where: { product: { status: 'ACTIVE', publishedAt: { lte: new Date() } } },
      orderBy: { id: 'asc' },
      take: 60,
      select: { id: true, price: true },
    });
    await prisma.productVariant.updateMany({
      where: { id: { in: variants.map((v) => v.id) } },
      data: { inventoryPolicy: 'CONTINUE', inventoryQuantity: 1_000_000 },
    });
    const rate = await prisma.shippingRate.findUniqueOrThrow({ where: { handle: 'us-standard' } });
    const address = {
      address1: '1 Main St',
      city: 'Springfield',
      countryCode: 'US',
      provinceCode: 'IL',
      province: 'Illinois',
      zip: '62701',
    };

    /** Carts ready for checkout (address, option, `lines` lines), made in two statements. */
    async function readyCarts(count: number, lines: number): Promise<string[]> {
      const pool = new pg.Client({ connectionString: url });
      await pool.connect();
      try {
        const carts = await pool.query<{ id: string }>(
          `INSERT INTO "Cart" (id, "customerId", "deliveryAddress", "shippingRateId", "updatedAt")
           SELECT gen_random_uuid(), $1, $2::jsonb, $3, now() FROM generate_series(1, $4) RETURNING id`,
          [customer.id, JSON.stringify(address), rate.id, count],
        );
        const ids = carts.rows.map((r) => r.id);
        await pool.query(
          `INSERT INTO "CartLine" (id, "cartId", "variantId", quantity, "seenUnitPrice", "updatedAt")
           SELECT gen_random_uuid(), c, v.id, 1, v.price, now() FROM unnest($1::uuid[]) AS c, (SELECT id, price FROM "ProductVariant" WHERE id = ANY($2::int[])) AS v`,
          [ids, variants.slice(0, lines).map((v) => v.id)],
        );
        return ids;
      } finally {
        await pool.end();
      }
    }

    // The token's issuer and audience are the server's own URL.
    const token = async (base: string) => {
      const config = loadConfig({ DATABASE_URL: url, PUBLIC_URL: base });
      return (
        await signAccessToken(
          { config, prisma, keys, now: Date.now },
          { customerId: customer.id, clientId: client.clientId, scope: ['customer'], familyId: family.id },
        )
      ).token;
    };
    const headers = async (base: string) => ({
      'content-type': 'application/json',
      'x-storefront-access-token': storefront,
      authorization: `Bearer ${await token(base)}`,
    });

    // ---- statements per request, from PostgreSQL's log
    const located = await locatePgLog(admin);
    const counts: Record<string, string> = {};
    if (located.source) {
      await admin.query(`ALTER DATABASE "${name}" SET log_statement = 'all'`);
      const server = await startServer(url);
      try {
        const h = await headers(server.base);
        const send = async (b: string) => {
          const text = await (await fetch(`${server.base}/graphql`, { method: 'POST', headers: h, body: b })).text();
          if (!OK(text)) throw new Error(`bad answer while counting: ${text.slice(0, 300)}`);
        };
        // "n (m)": all statements, and those left when the access-token checks (signing key, grant) are not counted.
        const count = async (b: () => string) => {
          await send(b());
          const { statements } = await statementsDuring(located.source!, name, () => send(b()));
          return `${statements.length} (${statements.filter((s) => !/"(StorefrontToken|SigningKey|TokenFamily)"/.test(s)).length})`;
        };
        const [small] = await readyCarts(1, 1);
        const [large] = await readyCarts(1, 50);
        const addTo = (cart: string) => () =>
          body(CART_ADD, { cartId: gid('Cart', cart), lines: [{ merchandiseId: gid('ProductVariant', variants[0]!.id), quantity: 1 }] });
        counts.cart = `${await count(addTo(small!))} (1 line) / ${await count(addTo(large!))} (50 lines)`;
        const one = await readyCarts(4, 1);
        const fifty = await readyCarts(4, 50);
        let i = 0;
        const c1 = await count(() => body(CHECKOUT, { cartId: gid('Cart', one[i++]!), key: randomBytes(8).toString('hex') }));
        i = 0;
        const c50 = await count(() => body(CHECKOUT, { cartId: gid('Cart', fifty[i++]!), key: randomBytes(8).toString('hex') }));
        counts.checkout = `${c1} (1 line) / ${c50} (50 lines)`;
        counts.orders = `${await count(() => body(ORDERS, { first: 5 }))} (5 orders) / ${await count(() => body(ORDERS, { first: 50 }))} (50 orders)`;
      } finally {
        await server.stop();
        await admin.query(`ALTER DATABASE "${name}" RESET log_statement`);
      }
    } else {
      log(`statements not counted: ${located.reason}`);
    }

    // ---- load
    const server = await startServer(url);
    const results: { label: string; r: Result; statements?: string }[] = [];
    try {
      const h = await headers(server.base);
      let clientIndex = 0;
      const run = (requests: string[][], seconds: number) =>
        autocannon({
          url: server.base,
          connections: CONNECTIONS,
          duration: seconds,
          timeout: 20,
          requests: [{ method: 'POST', path: '/graphql', headers: h, body: requests[0]![0]! }],
          verifyBody: OK,
          // Each connection sends its own bodies in turn (its own cart; its own fresh carts).
          setupClient: (c: { setRequests(r: unknown[]): void }) => {
            const mine = requests[clientIndex++ % requests.length]!;
            c.setRequests(mine.map((b) => ({ method: 'POST', path: '/graphql', headers: h, body: b })));
          },
        } as Parameters<typeof autocannon>[0]);
      const cartBodies = async () =>
        (await readyCarts(CONNECTIONS, 1)).map((cart, k) => [
          body(CART_ADD, {
            cartId: gid('Cart', cart),
            lines: [{ merchandiseId: gid('ProductVariant', variants[k % variants.length]!.id), quantity: 1 }],
          }),
        ]);
      log('cart: add a line, then read the cart');
      await run(await cartBodies(), WARMUP);
      results.push({
        label: 'cart: cartLinesAdd + cart { cost lines }',
        r: await run(await cartBodies(), DURATION),
        statements: counts.cart,
      });

      const checkoutBodies = async (perConnection: number) => {
        const carts = await readyCarts(CONNECTIONS * perConnection, 2);
        return Array.from({ length: CONNECTIONS }, (_, k) =>
          carts.slice(k * perConnection, (k + 1) * perConnection).map((cart) => body(CHECKOUT, { cartId: gid('Cart', cart), key: cart })),
        );
      };
      log('checkout: a fresh cart per request');
      await run(await checkoutBodies(100), WARMUP);
      results.push({
        label: 'checkout: checkoutComplete, fresh 2-line cart each',
        r: await run(await checkoutBodies(400), DURATION),
        statements: counts.checkout,
      });

      log('orders page of 24');
      const orders = [[body(ORDERS, { first: 24 })]];
      await run(orders, WARMUP);
      results.push({ label: 'orders: customer { orders(first: 24) }', r: await run(orders, DURATION), statements: counts.orders });
    } finally {
      await server.stop();
    }

    const lines = [
      `## Commerce run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (bench/commerce.ts)`,
      '',
      `${opts.products} products, PostgreSQL, ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s measured, response cache off, one signed-in customer.${opts.note ? ` ${opts.note}` : ''}`,
      '',
      'Statements per request: all (without the storefront-token and access-token checks).',
      '',
      '| scenario | req/s | p50 ms | p99 ms | requests | non-2xx | errors/user errors | statements per request |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      ...results.map(
        ({ label, r, statements }) =>
          `| ${label} | ${(r.requests.total / r.duration).toFixed(1)} | ${r.latency.p50} | ${r.latency.p99} | ${r.requests.total} | ${r.non2xx} | ${r.mismatches + r.errors} | ${statements ?? 'not counted'} |`,
      ),
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
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
