// Signing out signs out: /oauth/logout ends the hosted sign-in session and the grants it
// produced, and revoking a refresh token ends the session it came from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import type { OAuthClient } from '../src/generated/prisma/client.js';
import { createOAuthClient } from '../src/auth/oauth/clients.js';
import {
  authorizeUrl,
  ISSUER,
  makeCustomer,
  obtainCode,
  oauthRoutes,
  oauthTestConfig,
  oauthTestDatabase,
  pkce,
  post,
  SPA_REDIRECT,
  type Browser,
} from './helpers/oauth.js';

const SIGNED_OUT = 'https://shop.example/signed-out';
let db: Database;
let routes: ReturnType<typeof oauthRoutes>;
let client: OAuthClient;
let customer: { email: string; password: string; customer: { id: string } };

beforeAll(async () => {
  db = await oauthTestDatabase();
  routes = oauthRoutes({ config: oauthTestConfig(), prisma: db.prisma });
  client = await createOAuthClient(db.prisma, { name: 'Shop', redirectUris: [SPA_REDIRECT], postLogoutRedirectUris: [SIGNED_OUT] });
  customer = await makeCustomer(db.prisma);
}, 120_000);
afterAll(() => db?.close());

/** Signs in on the hosted page and exchanges the code: the browser keeps the session cookie. */
async function signIn() {
  const { verifier, challenge } = pkce();
  const { code, browser } = await obtainCode(routes, {
    clientId: client.clientId,
    email: customer.email,
    password: customer.password,
    challenge,
  });
  const tokens = await post(routes, '/oauth/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: SPA_REDIRECT,
    client_id: client.clientId,
    code_verifier: verifier,
  });
  expect(tokens.status).toBe(200);
  return { browser, refreshToken: tokens.body.refresh_token as string };
}

const authorizeAgain = (browser: Browser) =>
  browser.fetch(
    authorizeUrl({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: SPA_REDIRECT,
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    }),
  );

const refresh = (refreshToken: string) =>
  post(routes, '/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.clientId });

describe('/oauth/logout', () => {
  it('ends the session and its grants, clears the cookie and returns to the registered address with state', async () => {
    const { browser, refreshToken } = await signIn();
    expect((await authorizeAgain(browser)).status).toBe(302); // signed in: no password asked
    const before = await db.prisma.loginSession.count({ where: { customerId: customer.customer.id } });

    const url = new URL(`${ISSUER}/oauth/logout`);
    url.search = new URLSearchParams({ client_id: client.clientId, post_logout_redirect_uri: SIGNED_OUT, state: 'bye 1' }).toString();
    const response = await browser.fetch(url.toString());
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(SIGNED_OUT);
    expect(location.searchParams.get('state')).toBe('bye 1');
    const cleared = response.headers.getSetCookie().find((c) => c.startsWith('vitrine_session='))!;
    expect(cleared).toMatch(/Max-Age=0/);

    expect(await db.prisma.loginSession.count({ where: { customerId: customer.customer.id } })).toBe(before - 1);
    expect((await authorizeAgain(browser)).status).toBe(200); // the form again
    expect((await refresh(refreshToken)).body.error).toBe('invalid_grant');
  });

  it('works by POST and without a return address (a "signed out" page)', async () => {
    const { browser } = await signIn();
    const response = await browser.fetch(`${ISSUER}/oauth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('signed out');
    expect((await authorizeAgain(browser)).status).toBe(200);
  });

  it('shows an error page, never a redirect, for an unregistered return address, and keeps the session', async () => {
    const { browser } = await signIn();
    const cases: Record<string, string>[] = [
      { client_id: client.clientId, post_logout_redirect_uri: 'https://evil.example/' },
      { client_id: client.clientId, post_logout_redirect_uri: SPA_REDIRECT }, // a sign-in redirect is not a sign-out one
      { post_logout_redirect_uri: SIGNED_OUT },
      { client_id: 'vc_unknown', post_logout_redirect_uri: SIGNED_OUT },
    ];
    for (const params of cases) {
      const url = new URL(`${ISSUER}/oauth/logout`);
      url.search = new URLSearchParams(params).toString();
      const response = await browser.fetch(url.toString());
      expect(response.status, JSON.stringify(params)).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
    }
    expect((await authorizeAgain(browser)).status).toBe(302);
  });
});

describe('revoking a refresh token', () => {
  it('also ends the hosted sign-in session it came from', async () => {
    const { browser, refreshToken } = await signIn();
    expect((await authorizeAgain(browser)).status).toBe(302);
    // That redirect issued a new code from the same session; exchange is not needed to test this.
    const revoked = await post(routes, '/oauth/revoke', { token: refreshToken, client_id: client.clientId });
    expect(revoked.status).toBe(200);
    expect((await authorizeAgain(browser)).status).toBe(200);
  });

  it('leaves other sessions of the same customer alone', async () => {
    const first = await signIn();
    const second = await signIn();
    await post(routes, '/oauth/revoke', { token: first.refreshToken, client_id: client.clientId });
    expect((await authorizeAgain(first.browser)).status).toBe(200);
    expect((await authorizeAgain(second.browser)).status).toBe(302);
  });
});
