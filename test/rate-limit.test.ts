import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { CLIENT_IP_HEADER } from '../src/auth/client-address.js';
import { buyerAddress, CostBuckets, windowSeconds } from '../src/auth/cost-buckets.js';
import { createStorefrontToken } from '../src/auth/storefront-tokens.js';
import { loadConfig } from '../src/config.js';
import { countObjects } from '../src/graphql/rate-limit.js';
import { createTestApp, TEST_URL, type TestApp } from './helpers/app.js';

// Buckets of 100 points refilling in 100 s: nothing refills during a test.
const LIMITS = {
  RATE_LIMIT: 'on',
  GRAPHQL_MAX_COST: '100',
  RATE_LIMIT_BUYER_MAX: '100',
  RATE_LIMIT_BUYER_RESTORE_RATE: '1',
  RATE_LIMIT_TOKEN_MAX: '10000',
  RATE_LIMIT_TOKEN_RESTORE_RATE: '100',
};
/** Requested cost 11 (the connection, 10 products); 60 published products, so 11 used. */
const TEN = '{ products(first: 10) { nodes { title } } }';
/** Requested cost 21; no product matches, so only the connection object is used. */
const NONE = '{ products(first: 20, filters: [{ productVendor: "No such vendor" }]) { nodes { title } } }';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 60, env: LIMITS });
});
afterAll(() => t?.close());

let nextShopper = 1;
const shopper = () => ({ [CLIENT_IP_HEADER]: `203.0.113.${nextShopper++}` });

describe('rate limits by cost', () => {
  it('answers with the cost extension, refunding what the answer did not use', async () => {
    const me = shopper();
    const first = await t.gql(TEN, {}, me);
    expect(first.status).toBe(200);
    expect(first.body.data.products.nodes).toHaveLength(10);
    expect(first.body.extensions.cost).toEqual({
      requestedQueryCost: 11,
      actualQueryCost: 11,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable: 89, restoreRate: 1 },
    });
    const empty = await t.gql(NONE, {}, me);
    expect(empty.body.data.products.nodes).toEqual([]);
    expect(empty.body.extensions.cost).toEqual({
      requestedQueryCost: 21,
      actualQueryCost: 1,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable: 88, restoreRate: 1 },
    });
  });

  it('throttles a burst from one shopper with 429 and Retry-After while another is served', async () => {
    const greedy = shopper();
    const other = shopper();
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await t.gql(TEN, {}, greedy)).status);
    expect(statuses).toEqual(Array(9).fill(200)); // 99 of 100 points spent
    const refused = await t.gql(TEN, {}, greedy);
    expect(refused.status).toBe(429);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors[0].extensions.code).toBe('THROTTLED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(100);
    expect(refused.body.extensions.cost).toEqual({
      requestedQueryCost: 11,
      actualQueryCost: 0,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable: 1, restoreRate: 1 },
    });
    // A refused request spends nothing: a query the last point can pay still runs.
    const cheap = await t.gql('{ shop { name } }', {}, greedy);
    expect(cheap.status).toBe(200);
    expect(cheap.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(0);
    expect((await t.gql('{ shop { name } }', {}, greedy)).status).toBe(429);

    const served = await t.gql(TEN, {}, other);
    expect(served.status).toBe(200);
    expect(served.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(89);
  });

  it('charges a refused document the minimum, and one over the cost limit is refused for its cost, not throttled', async () => {
    const me = shopper();
    const invalid = await t.gql('{ nope }', {}, me);
    expect(invalid.status).toBe(400);
    expect(invalid.body.extensions.cost).toMatchObject({ requestedQueryCost: 0, actualQueryCost: 1 });
    const tooMuch = await t.gql('{ products(first: 200) { nodes { title } } }', {}, me);
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(tooMuch.body.extensions.cost).toMatchObject({ requestedQueryCost: 201, actualQueryCost: 1 });
    expect(tooMuch.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(98);
  });

  it('lets a private token name each shopper with Vitrine-Buyer-IP; a public token may not', async () => {
    const { token } = await createStorefrontToken(t.db.prisma, { name: 'ssr', kind: 'PRIVATE' });
    const ssr = { 'x-storefront-access-token': token, ...shopper() }; // every shopper comes from the SSR server's address
    const alice = { ...ssr, 'vitrine-buyer-ip': '198.51.100.7' };
    const bob = { ...ssr, 'vitrine-buyer-ip': '2001:db8:1:2::9' };
    for (let i = 0; i < 9; i++) expect((await t.gql(TEN, {}, alice)).status).toBe(200);
    expect((await t.gql(TEN, {}, alice)).status).toBe(429);
    const served = await t.gql(TEN, {}, bob);
    expect(served.status).toBe(200);
    expect(served.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(89);

    const publicToken = await t.gql(TEN, {}, { ...shopper(), 'vitrine-buyer-ip': '198.51.100.8' });
    expect(publicToken.status).toBe(400);
    expect(publicToken.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(publicToken.body.errors[0].message).toMatch(/private storefront token/);
    const garbage = await t.gql(TEN, {}, { ...ssr, 'vitrine-buyer-ip': '198.51.100.7, 10.0.0.1' });
    expect(garbage.status).toBe(400);
    expect(garbage.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('charges a cached answer and gives it this caller’s cost, never the stored one', async () => {
    const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: TEST_URL, LOG_LEVEL: 'silent', RESPONSE_CACHE_TTL_MS: '60000', ...LIMITS });
    const app = createApp({ config, db: t.db });
    try {
      const ask = async (headers: Record<string, string>) => {
        const response = await app.fetch(
          new Request(`${TEST_URL}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-storefront-access-token': t.token, ...headers },
            body: JSON.stringify({ query: TEN }),
          }),
        );
        return {
          cache: response.headers.get('x-cache'),
          body: (await response.json()) as { extensions: { cost: { throttleStatus: object } } },
        };
      };
      const a = shopper();
      const b = shopper();
      expect((await ask(a)).cache).toBe('MISS');
      const again = await ask(a);
      expect(again.cache).toBe('HIT');
      expect(again.body.extensions.cost.throttleStatus).toMatchObject({ currentlyAvailable: 78 });
      const hitForB = await ask(b);
      expect(hitForB.cache).toBe('HIT');
      expect(hitForB.body.extensions.cost).toEqual({
        requestedQueryCost: 11,
        actualQueryCost: 11,
        throttleStatus: { maximumAvailable: 100, currentlyAvailable: 89, restoreRate: 1 },
      });
    } finally {
      await app.close();
    }
  });
});

describe('rate limits on public GET answers', () => {
  it('charges a public GET but gives it no cost extension, so a CDN can share it and its ETag holds', async () => {
    const me = shopper();
    const get = (headers: Record<string, string>) =>
      t.app.fetch(
        new Request(`${TEST_URL}/graphql?query=${encodeURIComponent(TEN)}`, {
          headers: { accept: 'application/json', 'x-storefront-access-token': t.token, ...headers },
        }),
      );
    const first = await get(me);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toMatch(/^public/);
    const body = (await first.json()) as { data: unknown; extensions?: unknown };
    expect(body.extensions).toBeUndefined();
    const etag = first.headers.get('etag')!;
    const other = await get(shopper());
    expect(other.headers.get('etag')).toBe(etag);
    expect((await get({ ...me, 'if-none-match': etag })).status).toBe(304);
    // Both GETs of this shopper were charged: 100 - 11 - 11.
    const post = await t.gql('{ shop { name } }', {}, me);
    expect(post.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(77);
  });
});

describe('rate limits on persisted documents', () => {
  it('measures a document sent by its hash alone', async () => {
    const me = shopper();
    const sha256Hash = createHash('sha256').update(TEN).digest('hex');
    const send = (body: Record<string, unknown>) =>
      t.app.fetch(
        new Request(`${TEST_URL}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-storefront-access-token': t.token, ...me },
          body: JSON.stringify({ ...body, extensions: { persistedQuery: { version: 1, sha256Hash } } }),
        }),
      );
    expect((await send({ query: TEN })).status).toBe(200); // registers it
    const byHash = await send({});
    expect(byHash.status).toBe(200);
    const body = (await byHash.json()) as {
      extensions: { cost: { requestedQueryCost: number; throttleStatus: { currentlyAvailable: number } } };
    };
    expect(body.extensions.cost.requestedQueryCost).toBe(11);
    expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBe(78);
  });
});

describe('rate limits when Redis is unreachable', () => {
  it('keeps limiting in the process’s memory', async () => {
    const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: TEST_URL, LOG_LEVEL: 'silent', REDIS_URL: 'redis://127.0.0.1:1', ...LIMITS });
    const app = createApp({ config, db: t.db });
    try {
      await app.ready();
      const ask = () =>
        app.fetch(
          new Request(`${TEST_URL}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-storefront-access-token': t.token, [CLIENT_IP_HEADER]: '192.0.2.77' },
            body: JSON.stringify({ query: TEN }),
          }),
        );
      for (let i = 0; i < 9; i++) expect((await ask()).status).toBe(200);
      expect((await ask()).status).toBe(429);
    } finally {
      await app.close();
    }
  });
});

describe('cost bucket rules', () => {
  it('charges the buyer by client address unless a private token names one', () => {
    expect(buyerAddress('PUBLIC', '203.0.113.9', null)).toEqual({ key: '203.0.113.9' });
    expect(buyerAddress('PUBLIC', '203.0.113.9', '198.51.100.1')).toHaveProperty('error');
    expect(buyerAddress('PRIVATE', '203.0.113.9', '198.51.100.1')).toEqual({ key: '198.51.100.1' });
    expect(buyerAddress('PRIVATE', '203.0.113.9', '2001:db8:1:2:3:4:5:6')).toEqual({ key: '2001:db8:1:2::/64' });
    expect(buyerAddress('PRIVATE', '203.0.113.9', 'localhost')).toHaveProperty('error');
  });

  it('refills a full bucket in maximum / restore rate seconds', () => {
    expect(windowSeconds({ maximumAvailable: 1000, restoreRate: 50 })).toBe(20);
    expect(windowSeconds({ maximumAvailable: 10, restoreRate: 3 })).toBe(4);
  });

  it('counts the objects of an answer, the root left out', () => {
    expect(countObjects({ shop: { name: 'x' } }) - 1).toBe(1);
    expect(countObjects({ products: { nodes: [{ a: 1 }, { a: 2 }], pageInfo: { hasNextPage: true } } }) - 1).toBe(4);
    expect(countObjects(null)).toBe(0);
  });

  it('refuses a charge on either bucket, spending neither', async () => {
    const buckets = new CostBuckets({ token: { maximumAvailable: 10, restoreRate: 1 }, buyer: { maximumAvailable: 100, restoreRate: 1 } });
    const keys = { token: 't', buyer: 'b' };
    expect(await buckets.charge(keys, 8)).toMatchObject({ allowed: true, status: { currentlyAvailable: 2, maximumAvailable: 10 } });
    expect(await buckets.charge(keys, 5)).toMatchObject({ allowed: false, bucket: 'token', status: { currentlyAvailable: 2 } });
    expect(await buckets.charge({ token: 't', buyer: 'b' }, 2)).toMatchObject({ allowed: true, status: { currentlyAvailable: 0 } });
  });
});

describe.skipIf(!process.env.REDIS_URL)('rate limits in Redis', () => {
  let apps: App[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('shares one bucket between two app instances', async () => {
    const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: TEST_URL, LOG_LEVEL: 'silent', REDIS_URL: process.env.REDIS_URL, ...LIMITS });
    apps = [createApp({ config, db: t.db }), createApp({ config, db: t.db })];
    for (const app of apps) await app.ready();
    const { token } = await createStorefrontToken(t.db.prisma, { name: `redis-${randomBytes(4).toString('hex')}` });
    const ip = `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
    const ask = (app: App) =>
      app.fetch(
        new Request(`${TEST_URL}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-storefront-access-token': token, [CLIENT_IP_HEADER]: ip },
          body: JSON.stringify({ query: TEN }),
        }),
      );
    const available: number[] = [];
    for (let i = 0; i < 9; i++) {
      const response = await ask(apps[i % 2]!);
      expect(response.status).toBe(200);
      available.push(
        ((await response.json()) as { extensions: { cost: { throttleStatus: { currentlyAvailable: number } } } }).extensions.cost
          .throttleStatus.currentlyAvailable,
      );
    }
    expect(available).toEqual([89, 78, 67, 56, 45, 34, 23, 12, 1]);
    const refused = await ask(apps[1]!);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await ask(apps[0]!)).status).toBe(429);
  });
});
