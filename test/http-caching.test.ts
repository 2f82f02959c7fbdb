import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchema, createYoga } from 'graphql-yoga';
import { createStorefrontToken, revokeStorefrontToken } from '../src/auth/storefront-tokens.js';
import { addVary, ifNoneMatchMatches, publicCacheControl, strongETag, useHttpCaching } from '../src/graphql/http-caching.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createTestApp, TEST_URL, type TestApp } from './helpers/app.js';
import { createSharedCache } from './helpers/cdn.js';
import { signedInCustomer } from './helpers/customer.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    products: 10,
    env: { PUBLIC_CACHE_MAX_AGE_SECONDS: '7', PUBLIC_CACHE_STALE_WHILE_REVALIDATE_SECONDS: '11' },
  });
});
afterAll(() => t?.close());

const CHEAPEST = '{ products(first: 2, sortKey: PRICE) { nodes { handle title } } }';

function get(query: string, headers: Record<string, string> = {}, token = t.token): Promise<Response> {
  return t.app.fetch(
    new Request(`${TEST_URL}/graphql?${new URLSearchParams({ query })}`, {
      headers: { 'x-storefront-access-token': token, accept: 'application/graphql-response+json', ...headers },
    }),
  );
}

function varyOf(response: Response): string[] {
  return (response.headers.get('vary') ?? '').split(',').map((name) => name.trim().toLowerCase());
}

describe('the helpers', () => {
  it('compares If-None-Match weakly, in lists and with *', () => {
    const etag = '"abc"';
    expect(ifNoneMatchMatches('"abc"', etag)).toBe(true);
    expect(ifNoneMatchMatches('W/"abc"', etag)).toBe(true);
    expect(ifNoneMatchMatches('"x", "abc"', etag)).toBe(true);
    expect(ifNoneMatchMatches('*', etag)).toBe(true);
    expect(ifNoneMatchMatches('"abcd"', etag)).toBe(false);
    expect(ifNoneMatchMatches(null, etag)).toBe(false);
  });

  it('merges Vary without duplicates', () => {
    const headers = new Headers({ vary: 'Origin, accept' });
    addVary(headers, ['Accept', 'Authorization']);
    expect(headers.get('vary')).toBe('Origin, accept, Authorization');
  });

  it('writes the public Cache-Control from the config', () => {
    expect(publicCacheControl({ maxAgeSeconds: 5, staleWhileRevalidateSeconds: 25 })).toBe('public, max-age=5, stale-while-revalidate=25');
    expect(publicCacheControl({ maxAgeSeconds: 5, staleWhileRevalidateSeconds: 0 })).toBe('public, max-age=5');
    expect(publicCacheControl({ maxAgeSeconds: 0, staleWhileRevalidateSeconds: 25 })).toBe('public, no-cache');
  });
});

describe('anonymous GET answers', () => {
  it('are public for the configured time, with a strong ETag of the body and Vary on what changes them', async () => {
    const response = await get(CHEAPEST);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=7, stale-while-revalidate=11');
    const body = new Uint8Array(await response.arrayBuffer());
    expect(JSON.parse(new TextDecoder().decode(body)).data.products.nodes).toHaveLength(2);
    expect(response.headers.get('etag')).toBe(strongETag(body));
    expect(response.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(response.headers.get('last-modified')).toBeNull();
    expect(varyOf(response)).toEqual(expect.arrayContaining(['accept', 'authorization', 'x-storefront-access-token']));
  });

  it('answer 304 without a body to a matching If-None-Match, and 200 to another', async () => {
    const etag = (await get(CHEAPEST)).headers.get('etag')!;
    const notModified = await get(CHEAPEST, { 'if-none-match': `"stale", ${etag}` });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect(notModified.headers.get('etag')).toBe(etag);
    expect(notModified.headers.get('cache-control')).toBe('public, max-age=7, stale-while-revalidate=11');
    expect(varyOf(notModified)).toContain('x-storefront-access-token');

    const changed = await get(CHEAPEST, { 'if-none-match': '"something-else"' });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe(etag);
  });

  it('differ in ETag when the body differs (the media type too)', async () => {
    const a = await get(CHEAPEST);
    const b = await get('{ products(first: 3, sortKey: PRICE) { nodes { handle title } } }');
    expect(a.headers.get('etag')).not.toBe(b.headers.get('etag'));
    const json = await get(CHEAPEST, { accept: 'application/json' });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.headers.get('etag')).toBe(strongETag(new Uint8Array(await json.arrayBuffer())));
  });

  it('get the same ETag from the in-process response cache as from the database', async () => {
    const cached = await createTestApp({ products: 10, env: { RESPONSE_CACHE_TTL_MS: '60000' } });
    try {
      const fetchIt = () =>
        cached.app.fetch(
          new Request(`${TEST_URL}/graphql?${new URLSearchParams({ query: CHEAPEST })}`, {
            headers: { 'x-storefront-access-token': cached.token },
          }),
        );
      const miss = await fetchIt();
      const hit = await fetchIt();
      expect([miss.headers.get('x-cache'), hit.headers.get('x-cache')]).toEqual(['MISS', 'HIT']);
      expect(hit.headers.get('etag')).toBe(miss.headers.get('etag'));
      expect(hit.headers.get('last-modified')).toBeNull();
    } finally {
      await cached.close();
    }
  });
});

describe('answers a shared cache must not keep', () => {
  it('a signed-in customer’s GET: private, no-store, no ETag', async () => {
    const { headers } = await signedInCustomer(t);
    const response = await get('{ customer { email } }', headers);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('etag')).toBeNull();
    expect(varyOf(response)).toContain('authorization');
  });

  it('POST answers, answers with errors, and refusals', async () => {
    const post = await t.gql(CHEAPEST);
    expect(post.status).toBe(200);
    expect(post.headers.get('cache-control')).toBe('no-store');
    expect(post.headers.get('etag')).toBeNull();

    const withErrors = await get('{ products(first: 1, filters: [{ price: { min: "2", max: "1" } }]) { nodes { id } } }');
    expect((await withErrors.json()).errors).toBeDefined();
    expect(withErrors.headers.get('cache-control')).toBe('no-store');
    expect(withErrors.headers.get('etag')).toBeNull();

    const tooDeep = await get(
      '{ products(first: 1) { nodes { collections(first: 1) { nodes { products(first: 1) { nodes { collections(first: 1) { nodes { products(first: 1) { nodes { id } } } } } } } } } } }',
    );
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.headers.get('cache-control')).toBe('no-store');

    const unauthenticated = await get(CHEAPEST, {}, 'vst_' + 'x'.repeat(43));
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('cache-control')).toBe('no-store');
    expect(varyOf(unauthenticated)).toContain('x-storefront-access-token');
  });

  it('a throttled (429) answer, even one that set its own Cache-Control', async () => {
    // A throttling plugin ends the request before GraphQL runs.
    const yoga = createYoga({
      schema: createSchema({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'hi' } } }),
      plugins: [
        {
          onRequest(event) {
            event.endResponse(
              new Response('{"errors":[{"message":"Slow down","extensions":{"code":"THROTTLED"}}]}', {
                status: 429,
                headers: { 'cache-control': 'public, max-age=60' },
              }),
            );
          },
        },
        useHttpCaching({ maxAgeSeconds: 60, staleWhileRevalidateSeconds: 0, isAnonymous: () => true }),
      ],
    });
    const throttled = await yoga.fetch('http://yoga/graphql?query=%7Bhello%7D');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('cache-control')).toBe('no-store');
    expect(throttled.headers.get('etag')).toBeNull();
  });
});

describe('behind a CDN-like shared cache', () => {
  it('keeps answers per storefront token, and a revoked token stops being served once the answer is stale', async () => {
    // Token checks are not reused here, so the revocation reaches the origin at once (in
    // production it takes up to the 5 s of the process's token cache).
    const app = createApp({ config: { ...t.config, http: { ...t.config.http, storefrontTokenCacheTtlMs: 1 } }, db: t.db });
    let clock = 1_000_000;
    const cdn = createSharedCache(
      (request) => app.fetch(request),
      () => clock,
    );
    const url = `${TEST_URL}/graphql?${new URLSearchParams({ query: CHEAPEST })}`;
    const { token: other, record } = await createStorefrontToken(t.db.prisma, { name: 'other app' });
    const as = (token: string) => cdn.fetch(new Request(url, { headers: { 'x-storefront-access-token': token } }));

    expect((await as(t.token)).headers.get('x-cdn')).toBe('MISS');
    expect((await as(t.token)).headers.get('x-cdn')).toBe('HIT');
    expect((await as(other)).headers.get('x-cdn')).toBe('MISS'); // Vary: another token is another entry
    const anonymous = await cdn.fetch(new Request(url));
    expect(anonymous.status).toBe(401); // never the cached answer of a token holder
    expect(cdn.originRequests).toBe(3);

    await revokeStorefrontToken(t.db.prisma, record.id);
    expect((await as(other)).headers.get('x-cdn')).toBe('HIT'); // still fresh: served for up to max-age
    clock += 7_000; // past max-age
    await new Promise((resolve) => setTimeout(resolve, 5)); // past the 1 ms token cache
    const afterRevocation = await as(other);
    expect(afterRevocation.status).toBe(401);
    // The holder of a valid token is revalidated with If-None-Match and gets the stored body back.
    const revalidated = await as(t.token);
    expect(revalidated.headers.get('x-cdn')).toBe('REVALIDATED');
    expect((await revalidated.json()).data.products.nodes).toHaveLength(2);
  });

  it('adds Origin to Vary when CORS_ORIGINS is a list', async () => {
    const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: TEST_URL, LOG_LEVEL: 'silent', CORS_ORIGINS: 'https://shop.example' });
    const app = createApp({ config, db: t.db });
    const response = await app.fetch(
      new Request(`${TEST_URL}/graphql?${new URLSearchParams({ query: CHEAPEST })}`, {
        headers: { 'x-storefront-access-token': t.token, origin: 'https://shop.example' },
      }),
    );
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(varyOf(response)).toEqual(expect.arrayContaining(['accept', 'authorization', 'x-storefront-access-token', 'origin']));
  });
});
