import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCatalog } from '../prisma/seed/load.js';
import { createApp, type App } from '../src/app.js';
import { CLIENT_IP_HEADER } from '../src/auth/client-address.js';
import { signAccessToken } from '../src/auth/oauth/grants.js';
import { SigningKeyStore } from '../src/auth/oauth/keys.js';
import { createStorefrontToken } from '../src/auth/storefront-tokens.js';
import { loadConfig, type Config } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { timeRequestQuery } from '../src/observability/request-scope.js';
import { TEST_URL } from './helpers/app.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';
import { makeCustomer, registerClient, testKeyEncryption } from './helpers/oauth.js';

const METRICS_TOKEN = 'metrics-secret-for-tests-0123456789';
const LISTING = 'query Listing { products(first: 5) { nodes { title variants(first: 2) { nodes { price { amount } } } } } }';

let db: TestDatabase;
let config: Config;
let app: App;
let token: string;
let tokenId: string;
const lines: string[] = [];
/** Every statement the database client sent, as the test helpers count them. */
const sent: string[] = [];
const requestLog = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry['msg'] === 'request');

beforeAll(async () => {
  db = await createTestDatabase({ timeQuery: timeRequestQuery, onQuery: (sql) => void sent.push(sql) });
  await seedDemoCatalog(db.prisma, { products: 20 });
  config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: TEST_URL,
    LOG_LEVEL: 'info',
    METRICS_TOKEN,
    RESPONSE_CACHE_TTL_MS: '60000',
    RATE_LIMIT: 'on',
    GRAPHQL_MAX_COST: '100',
    RATE_LIMIT_BUYER_MAX: '100',
    RATE_LIMIT_BUYER_RESTORE_RATE: '1',
  });
  app = createApp({ config, db, logger: createLogger('info', (line) => lines.push(line)) });
  const created = await createStorefrontToken(db.prisma, { name: 'web' });
  token = created.token;
  tokenId = created.record.id;
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

function post(query: string, headers: Record<string, string> = {}) {
  return app.fetch(
    new Request(`${TEST_URL}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-storefront-access-token': token, ...headers },
      body: JSON.stringify({ query }),
    }),
  );
}

function metrics(authorization?: string) {
  return app.fetch(new Request(`${TEST_URL}/metrics`, { headers: authorization ? { authorization } : {} }));
}

async function customerAccessToken() {
  const client = await registerClient(db.prisma);
  const { customer } = await makeCustomer(db.prisma);
  const family = await db.prisma.tokenFamily.create({
    data: { clientId: client.id, customerId: customer.id, scope: 'customer', expiresAt: new Date(Date.now() + 86_400_000) },
  });
  const keys = new SigningKeyStore(db.prisma, { encryption: testKeyEncryption });
  const signed = await signAccessToken(
    { config, prisma: db.prisma, keys, now: Date.now },
    { customerId: customer.id, clientId: client.clientId, scope: ['customer'], familyId: family.id },
  );
  return { accessToken: signed.token, customerId: customer.id };
}

describe('request log', () => {
  it('writes one JSON line per request with its ID, operation, status, duration, statements and storefront', async () => {
    lines.length = 0;
    sent.length = 0;
    const response = await post(LISTING, { 'x-request-id': 'edge-7f3a.42' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('edge-7f3a.42');
    const [entry, ...rest] = requestLog();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      level: 'info',
      requestId: 'edge-7f3a.42',
      method: 'POST',
      path: '/graphql',
      operation: 'Listing',
      status: 200,
      storefrontTokenId: tokenId,
      customerId: null,
      cache: 'MISS',
    });
    expect(entry!['statements']).toBeGreaterThan(0);
    expect(entry!['statements']).toBe(sent.length); // every statement of the request, and only those
    expect(typeof entry!['durationMs']).toBe('number');
    expect(typeof entry!['sqlMs']).toBe('number');

    lines.length = 0;
    const hit = await post(LISTING);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(requestLog()[0]).toMatchObject({ statements: 0, cache: 'HIT', operation: 'Listing' });
  });

  it('makes a request ID when none (or a strange one) is sent', async () => {
    lines.length = 0;
    const response = await post('{ shop { name } }', { 'x-request-id': 'has spaces\tand tabs' });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestLog()[0]).toMatchObject({ requestId: id, operation: null });
    const health = await app.fetch(new Request(`${TEST_URL}/health`));
    expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('names the customer by ID and never logs a token or a password', async () => {
    const { accessToken, customerId } = await customerAccessToken();
    lines.length = 0;
    const response = await post('query Me { customer { email } }', { authorization: `Bearer ${accessToken}` });
    expect(response.status).toBe(200);
    expect(requestLog()[0]).toMatchObject({ operation: 'Me', customerId, storefrontTokenId: tokenId });
    const form = await app.fetch(
      new Request(`${TEST_URL}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username: 'a@example.com', password: 'hunter2-secret-password' }),
      }),
    );
    expect(form.status).toBe(400);
    const text = lines.join('\n');
    for (const secret of [token, accessToken, 'hunter2-secret-password']) expect(text).not.toContain(secret);
    expect(requestLog().at(-1)).toMatchObject({ path: '/oauth/token', status: 400, storefrontTokenId: null });
  });
});

describe('GET /metrics', () => {
  it('is refused without the bearer secret', async () => {
    expect((await metrics()).status).toBe(401);
    expect((await metrics('Bearer not-the-secret')).status).toBe(401);
    const noMetrics = createApp({ config: { ...config, metricsToken: null, logLevel: 'silent' }, db });
    expect(
      (await noMetrics.fetch(new Request(`${TEST_URL}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }))).status,
    ).toBe(404);
  });

  it('reports durations by operation and status, SQL per request, cache, throttling, pool and event-loop lag', async () => {
    await post(LISTING);
    const greedy = { [CLIENT_IP_HEADER]: '203.0.113.250' };
    let throttled = 0;
    for (let i = 0; i < 12 && throttled === 0; i++)
      if ((await post('{ products(first: 30) { nodes { id } } }', greedy)).status === 429) throttled++;
    expect(throttled).toBe(1);

    const response = await metrics(`Bearer ${METRICS_TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/vitrine_http_request_duration_seconds_count\{route="graphql",operation="Listing",status="200"\} [1-9]/);
    expect(text).toMatch(/vitrine_http_request_duration_seconds_count\{route="graphql",operation="",status="429"\} 1\n/);
    expect(text).toMatch(/vitrine_sql_statements_per_request_sum\{route="graphql"\} [1-9]/);
    expect(text).toMatch(/vitrine_sql_seconds_per_request_count\{route="graphql"\} [1-9]/);
    expect(text).toMatch(/vitrine_response_cache_requests_total\{result="hit"\} [1-9]/);
    expect(text).toMatch(/vitrine_response_cache_requests_total\{result="miss"\} [1-9]/);
    expect(text).toMatch(/vitrine_throttled_requests_total\{bucket="buyer"\} 1\n/);
    expect(text).toMatch(/nodejs_eventloop_lag_seconds \d/);
    if (db.kind === 'postgres') expect(text).toMatch(/vitrine_db_pool_connections\{state="total"\} [1-9]/);
    expect(text).not.toContain(token);
  });
});
