// Two real server processes on one PostgreSQL database and Redis, as behind a load
// balancer: what one process or the CLI changes, the other sees within its cache TTL.
// Runs only when DATABASE_URL and REDIS_URL are set (test/helpers/processes.ts).
import { randomBytes } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUYER_IP_HEADER } from '../src/auth/cost-buckets.ts';
import { createStorefrontToken } from '../src/auth/storefront-tokens.ts';
import { seedDemoCatalog } from '../prisma/seed/load.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';
import { cliRunner } from './helpers/cli.ts';
import { ISSUER, makeCustomer, obtainCode, pkce, registerClient, SPA_REDIRECT } from './helpers/oauth.ts';
import { multiProcessEnv, sharedBackends, startServerProcess, type ServerProcess } from './helpers/processes.ts';

/** Short caches, so "within the TTL" is quick to wait out; the bound each check allows. */
const CACHE_TTL_MS = 500;
const BOUND_MS = CACHE_TTL_MS + 4_000;

/* eslint-disable @typescript-eslint/no-explicit-any -- answers are read by path; the assertions check their shape */
interface GraphQLAnswer {
  data?: Record<string, any>;
  errors?: unknown[];
  extensions?: Record<string, any>;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Sends a request meant for ISSUER to one process instead (cookies and redirects untouched). */
const via = (server: ServerProcess) => async (request: Request) =>
  fetch(request.url.replace(ISSUER, server.url), {
    method: request.method,
    headers: request.headers,
    body: request.method === 'GET' ? undefined : await request.text(),
    redirect: 'manual',
  });

async function graphql(
  server: ServerProcess,
  storefrontToken: string,
  query: string,
  accessToken?: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-storefront-access-token': storefrontToken,
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    cache: response.headers.get('x-cache'),
    body: (await response.json()) as GraphQLAnswer,
  };
}

async function tokenRequest(server: ServerProcess, values: Record<string, string>) {
  const response = await fetch(`${server.url}/oauth/token`, { method: 'POST', body: new URLSearchParams(values) });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe.skipIf(!sharedBackends)('two processes on one PostgreSQL and Redis', () => {
  let db: TestDatabase;
  let processes: [ServerProcess, ServerProcess];
  const cli = cliRunner(() => db, { NODE_ENV: 'test' });

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      ...multiProcessEnv(db),
      PUBLIC_URL: ISSUER, // one issuer for both, as behind one load balancer
      STOREFRONT_TOKEN_CACHE_TTL_MS: String(CACHE_TTL_MS),
      KEY_CACHE_TTL_MS: String(CACHE_TTL_MS),
      SIGNING_KEY_CACHE_TTL_MS: String(CACHE_TTL_MS),
    };
    processes = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });

  afterAll(async () => {
    await Promise.all((processes ?? []).map((p) => p.stop()));
    await db?.close();
  });

  /** Polls until `check` holds on every process, failing after BOUND_MS. Returns how long it took. */
  async function onEveryProcessWithin(check: (server: ServerProcess) => Promise<boolean>, what: string): Promise<number> {
    const started = Date.now();
    for (;;) {
      const results: boolean[] = [];
      for (const server of processes) results.push(await check(server)); // one at a time: a refresh token is single-use
      if (results.every(Boolean)) return Date.now() - started;
      if (Date.now() - started > BOUND_MS) throw new Error(`not every process saw ${what} within ${BOUND_MS} ms: ${results.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('a storefront token revoked by the CLI is refused by both processes within the cache TTL', async () => {
    const { token, record } = await createStorefrontToken(db.prisma, { name: 'soon revoked' });
    for (const server of processes) expect((await graphql(server, token, '{ shop { name } }')).status).toBe(200);
    const revoked = await cli('token', 'revoke', record.id);
    expect(revoked.code).toBe(0);
    await onEveryProcessWithin(async (server) => (await graphql(server, token, '{ shop { name } }')).status === 401, 'the revocation');
  });

  it('signs in on one process, refreshes on the other, and both see signing keys rotated and revoked', async () => {
    const { token: storefront } = await createStorefrontToken(db.prisma, { name: 'web' });
    const client = await registerClient(db.prisma);
    const { email, password } = await makeCustomer(db.prisma);
    const [a, b] = processes;
    const me = '{ customer { email } }';

    // Sign-in and code exchange on A, refresh on B; each access token works on both.
    const { verifier, challenge } = pkce();
    const { code } = await obtainCode(via(a), { clientId: client.clientId, email, password, challenge });
    const signedIn = await tokenRequest(a, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: SPA_REDIRECT,
      client_id: client.clientId,
      code_verifier: verifier,
    });
    expect(signedIn.status).toBe(200);
    const refreshed = await tokenRequest(b, {
      grant_type: 'refresh_token',
      refresh_token: signedIn.body.refresh_token!,
      client_id: client.clientId,
    });
    expect(refreshed.status).toBe(200);
    for (const server of processes)
      for (const access of [signedIn.body.access_token!, refreshed.body.access_token!])
        expect((await graphql(server, storefront, me, access)).body.data).toEqual({ customer: { email } });
    const oldKid = decodeProtectedHeader(refreshed.body.access_token!).kid!;

    // `vitrine keys rotate`: both processes sign with the new key within the TTL; tokens of
    // the old key keep working everywhere.
    const rotated = await cli('keys', 'rotate');
    expect(rotated.code).toBe(0);
    const newKid = rotated.out[0]!;
    expect(newKid).not.toBe(oldKid);
    let refreshToken = refreshed.body.refresh_token!;
    await onEveryProcessWithin(async (server) => {
      const next = await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.clientId });
      expect(next, JSON.stringify(next.body)).toMatchObject({ status: 200 });
      refreshToken = next.body.refresh_token!;
      return decodeProtectedHeader(next.body.access_token!).kid === newKid;
    }, 'the rotated signing key');
    for (const server of processes) expect((await graphql(server, storefront, me, refreshed.body.access_token)).status).toBe(200);

    // `vitrine keys revoke <old kid>`: its tokens are refused by both within the TTL.
    const revoked = await cli('keys', 'revoke', oldKid);
    expect(revoked.code).toBe(0);
    await onEveryProcessWithin(
      async (server) => (await graphql(server, storefront, me, refreshed.body.access_token)).status === 401,
      'the revoked signing key',
    );
  });
});

/** A buyer address of its own (an IPv6 /64 no other run used), so buckets left in Redis by earlier runs do not count. */
const freshBuyer = () => `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}::1`;

describe.skipIf(!sharedBackends)('two processes sharing the response cache and the rate limits in Redis', () => {
  let db: TestDatabase;
  let processes: [ServerProcess, ServerProcess];
  const BUYER_MAX = 60;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoCatalog(db.prisma, { products: 40 });
    const env = {
      ...multiProcessEnv(db),
      PUBLIC_URL: ISSUER,
      RESPONSE_CACHE_TTL_MS: '60000',
      RATE_LIMIT: 'on',
      RATE_LIMIT_BUYER_MAX: String(BUYER_MAX),
      RATE_LIMIT_BUYER_RESTORE_RATE: '1',
      RATE_LIMIT_TOKEN_MAX: '100000',
      RATE_LIMIT_TOKEN_RESTORE_RATE: '1000',
      GRAPHQL_MAX_COST: String(BUYER_MAX),
    };
    processes = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });

  afterAll(async () => {
    await Promise.all((processes ?? []).map((p) => p.stop()));
    await db?.close();
  });

  it('a checkout on one process purges the cached answer on the other', async () => {
    const [a, b] = processes;
    // A server-side token naming a buyer of its own: this test spends no other test's bucket.
    const { token: storefront } = await createStorefrontToken(db.prisma, { name: 'ssr', kind: 'PRIVATE' });
    const shopper = { [BUYER_IP_HEADER]: freshBuyer() };
    const variant = await db.prisma.productVariant.findFirstOrThrow({
      where: { inventoryQuantity: { gte: 5 }, inventoryPolicy: 'DENY', product: { status: 'ACTIVE', publishedAt: { lte: new Date() } } },
      select: { id: true, inventoryQuantity: true, product: { select: { handle: true } } },
    });
    const variantId = `gid://vitrine/ProductVariant/${variant.id}`;
    const STOCK = 'query($handle: String!) { product(handle: $handle) { variants(first: 10) { nodes { id quantityAvailable } } } }';
    const stockOn = async (server: ServerProcess) => {
      const answer = await graphql(server, storefront, STOCK, undefined, { handle: variant.product.handle }, shopper);
      const nodes = answer.body.data!['product'].variants.nodes as { id: string; quantityAvailable: number }[];
      return { cache: answer.cache, stock: nodes.find((n) => n.id === variantId)?.quantityAvailable };
    };
    expect((await stockOn(a)).cache).toBe('MISS');
    expect(await stockOn(b)).toEqual({ cache: 'HIT', stock: variant.inventoryQuantity }); // A's answer, from Redis

    // A customer signs in and checks out on A.
    const client = await registerClient(db.prisma);
    const { email, password } = await makeCustomer(db.prisma);
    const { verifier, challenge } = pkce();
    const { code } = await obtainCode(via(a), { clientId: client.clientId, email, password, challenge });
    const tokens = await tokenRequest(a, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: SPA_REDIRECT,
      client_id: client.clientId,
      code_verifier: verifier,
    });
    const access = tokens.body.access_token!;
    const cart = await graphql(
      a,
      storefront,
      'mutation($lines: [CartLineInput!]!) { cartCreate(input: { lines: $lines }) { cart { id } } }',
      access,
      {
        lines: [{ merchandiseId: variantId, quantity: 2 }],
      },
      shopper,
    );
    const placed = await graphql(
      a,
      storefront,
      `
        mutation ($id: ID!) {
          x: cartDeliveryAddressUpdate(
            cartId: $id
            address: { address1: "1 Main St", city: "Springfield", countryCode: "US", provinceCode: "IL", zip: "62701" }
          ) {
            userErrors {
              code
            }
          }
          y: cartSelectedDeliveryOptionUpdate(cartId: $id, deliveryOptionHandle: "us-standard") {
            userErrors {
              code
            }
          }
          z: checkoutComplete(input: { cartId: $id, idempotencyKey: "two-processes-1" }) {
            order {
              id
            }
            userErrors {
              code
            }
          }
        }
      `,
      access,
      { id: cart.body.data!['cartCreate'].cart.id },
      shopper,
    );
    expect(placed.body.data!['z'].userErrors).toEqual([]);

    // B answers from the database again, with the stock the order took.
    expect(await stockOn(b)).toEqual({ cache: 'MISS', stock: variant.inventoryQuantity - 2 });
  });

  it('one buyer spends one bucket, whichever process answers', async () => {
    // A server-side (private) token names its shopper: a buyer no other test has spent.
    const { token: storefront } = await createStorefrontToken(db.prisma, { name: 'ssr', kind: 'PRIVATE' });
    const buyer = freshBuyer();
    const QUERY = '{ products(first: 5) { nodes { id } } }';
    let served = 0;
    let cost = 0;
    let throttled: Awaited<ReturnType<typeof graphql>> | null = null;
    for (let i = 0; i < 40 && !throttled; i++) {
      const answer = await graphql(processes[i % 2]!, storefront, QUERY, undefined, undefined, { [BUYER_IP_HEADER]: buyer });
      if (answer.status === 429) throttled = answer;
      else {
        expect(answer.status).toBe(200);
        served++;
        cost = answer.body.extensions!['cost'].requestedQueryCost as number;
      }
    }
    expect(throttled?.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'THROTTLED' }) })]);
    // One shared bucket: the buyer got about BUYER_MAX / cost answers in all (plus what was
    // restored meanwhile), not that many from each process.
    expect(cost).toBeGreaterThan(1);
    const perBucket = Math.floor(BUYER_MAX / cost);
    expect(served).toBeGreaterThanOrEqual(perBucket);
    expect(served).toBeLessThan(2 * perBucket);
  });
});
