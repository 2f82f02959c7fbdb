// CORS_ORIGINS decides which browser origins may call /graphql and the OAuth token and
// revocation endpoints; every other origin gets no Access-Control-Allow-Origin, also from
// the OAuth routes, which answer `*` when the list is `*` (the default).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_URL, type TestApp } from './helpers/app.js';

const SHOP = 'http://127.0.0.1:5173';
const EVIL = 'https://evil.example';
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 2, env: { CORS_ORIGINS: `${SHOP}, https://shop.example` } });
});
afterAll(() => t?.close());

const form = (origin: string, path: string, body: Record<string, string>) =>
  t.app.fetch(new Request(`${TEST_URL}${path}`, { method: 'POST', headers: { origin }, body: new URLSearchParams(body) }));
const preflight = (origin: string, path: string) =>
  t.app.fetch(
    new Request(`${TEST_URL}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    }),
  );
const allowOrigin = (response: Response) => response.headers.get('access-control-allow-origin');

describe('CORS for configured storefront origins', () => {
  it('answers the token and revocation endpoints for a listed origin, with Vary: Origin', async () => {
    for (const path of ['/oauth/token', '/oauth/revoke']) {
      const answer = await form(SHOP, path, {
        grant_type: 'refresh_token',
        refresh_token: 'vrt_nope',
        token: 'vrt_nope',
        client_id: 'vc_nope',
      });
      expect(answer.status, path).toBeGreaterThanOrEqual(200); // an OAuth error or 200: the browser may read either
      expect(allowOrigin(answer), path).toBe(SHOP);
      expect(answer.headers.get('vary') ?? '', path).toMatch(/origin/i);
      const pre = await preflight(SHOP, path);
      expect(allowOrigin(pre), path).toBe(SHOP);
      expect(pre.headers.get('access-control-allow-methods'), path).toContain('POST');
    }
  });

  it('refuses other origins on /graphql, the token and revocation endpoints, answers and preflights alike', async () => {
    for (const path of ['/oauth/token', '/oauth/revoke']) {
      expect(
        allowOrigin(await form(EVIL, path, { grant_type: 'refresh_token', refresh_token: 'vrt_nope', token: 'x', client_id: 'vc_nope' })),
        path,
      ).toBeNull();
      expect(allowOrigin(await preflight(EVIL, path)), path).toBeNull();
    }
    const graphql = await t.app.fetch(
      new Request(`${TEST_URL}/graphql`, {
        method: 'POST',
        headers: { origin: EVIL, 'content-type': 'application/json', 'x-storefront-access-token': t.token },
        body: JSON.stringify({ query: '{ __typename }' }),
      }),
    );
    expect(graphql.status).toBe(200); // the server answers; the browser withholds it from the page
    expect(allowOrigin(graphql)).toBeNull();
    expect(allowOrigin(await preflight(EVIL, '/graphql'))).toBeNull();
  });

  it('sends no CORS headers on the hosted pages: they are navigations, never fetched', async () => {
    for (const path of ['/oauth/authorize', '/oauth/logout']) {
      const response = await t.app.fetch(new Request(`${TEST_URL}${path}`, { headers: { origin: SHOP } }));
      expect(allowOrigin(response), path).toBeNull();
    }
  });
});

describe('CORS preflight through the whole app', () => {
  it('answers a listed origin’s preflight for /graphql with 204 and the storefront headers', async () => {
    const response = await t.app.fetch(
      new Request(`${TEST_URL}/graphql`, {
        method: 'OPTIONS',
        headers: {
          origin: SHOP,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, x-storefront-access-token, authorization',
        },
      }),
    );
    expect(response.status).toBe(204);
    expect(allowOrigin(response)).toBe(SHOP);
    expect(response.headers.get('access-control-allow-headers')).toContain('x-storefront-access-token');
  });
});
