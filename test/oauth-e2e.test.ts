// End to end through app.fetch, behaving like a single-page storefront: discovery, PKCE
// with Web Crypto, the hosted page submitted like a browser, code exchange, GraphQL as
// the customer, refresh, revoke.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../src/auth/oauth/clients.js';
import type { OAuthClient } from '../src/generated/prisma/client.js';
import { createTestApp, TEST_URL, type TestApp } from './helpers/app.js';
import { Browser } from './helpers/oauth.js';

const REDIRECT = 'https://spa.example/auth/callback';
let t: TestApp;
let client: OAuthClient;

beforeAll(async () => {
  t = await createTestApp({ products: 0 });
  client = await createOAuthClient(t.db.prisma, { name: 'Demo Storefront', redirectUris: [REDIRECT] });
}, 120_000);
afterAll(() => t?.close());

const base64url = (bytes: ArrayBuffer | Uint8Array) =>
  Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('base64url');

async function webCryptoPkce() {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  return { verifier, challenge };
}

async function tokenRequest(values: Record<string, string>) {
  const response = await t.app.fetch(
    new Request(`${TEST_URL}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://spa.example' },
      body: new URLSearchParams(values),
    }),
  );
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const CUSTOMER = '{ customer { id email displayName firstName lastName createdAt } }';

describe('a SPA signing a customer in', () => {
  it('runs the whole flow: authorize, sign up, token, GraphQL, refresh, revoke', async () => {
    const browser = new Browser((request) => t.app.fetch(request), { 'x-vitrine-client-ip': '203.0.113.50' });

    // 1. Discovery.
    const metadata = await (await t.app.fetch(new Request(`${TEST_URL}/.well-known/oauth-authorization-server`))).json();
    expect(metadata.issuer).toBe(TEST_URL);

    // 2. PKCE and state with Web Crypto, then the authorization request.
    const { verifier, challenge } = await webCryptoPkce();
    const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
    const authorize = new URL(metadata.authorization_endpoint);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: REDIRECT,
      scope: 'customer',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    const signInPage = await browser.fetch(authorize.toString());
    expect(signInPage.status).toBe(200);
    const signInHtml = await signInPage.text();
    expect(signInHtml).toContain('Demo Storefront');

    // 3. A new customer follows the "Create an account" link and submits the form.
    const link = /<a href="(\?[^"]+)">Create an account<\/a>/.exec(signInHtml)![1]!.replace(/&amp;/g, '&');
    const signUpPage = await browser.fetch(new URL(link, authorize).toString());
    const fields = Browser.hiddenFields(await signUpPage.text());
    expect(fields.csrf_token).toBeTruthy();
    const email = `spa-${Date.now()}@example.com`;
    const submitted = await browser.fetch(new URL('authorize', authorize).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: TEST_URL, 'sec-fetch-site': 'same-origin' },
      body: new URLSearchParams({ ...fields, name: 'Ada Lovelace', email, password: 'analytical engine 1843', action: 'signup' }),
    });
    expect(submitted.status).toBe(303);

    // 4. Back at the app: check iss and state, take the code.
    const callback = new URL(submitted.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    expect(callback.searchParams.get('iss')).toBe(metadata.issuer);
    expect(callback.searchParams.get('state')).toBe(state);
    const code = callback.searchParams.get('code')!;

    // 5. Exchange it.
    const tokens = await tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: client.clientId,
      code_verifier: verifier,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('access-control-allow-origin')).toBe('*');

    // 6. GraphQL as the customer (the storefront token still required).
    const asCustomer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });
    const me = await t.gql(CUSTOMER, {}, asCustomer(tokens.body.access_token));
    expect(me.status).toBe(200);
    expect(me.body.data.customer).toMatchObject({ email, displayName: 'Ada Lovelace', firstName: 'Ada', lastName: 'Lovelace' });
    const updated = await t.gql(
      'mutation($input: CustomerUpdateInput!) { customerUpdate(input: $input) { customer { displayName firstName lastName } userErrors { field code message } } }',
      { input: { firstName: 'Augusta Ada', lastName: 'King' } },
      asCustomer(tokens.body.access_token),
    );
    expect(updated.body.data.customerUpdate).toEqual({
      customer: { displayName: 'Augusta Ada King', firstName: 'Augusta Ada', lastName: 'King' },
      userErrors: [],
    });

    // 7. Refresh: rotated, and the new access token works.
    const refreshed = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: tokens.body.refresh_token,
      client_id: client.clientId,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(tokens.body.refresh_token);
    expect((await t.gql(CUSTOMER, {}, asCustomer(refreshed.body.access_token))).body.data.customer.email).toBe(email);

    // 8. Sign out: revoke the refresh token; every access token of the grant stops working.
    const revoked = await t.app.fetch(
      new Request(`${TEST_URL}/oauth/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refreshed.body.refresh_token, token_type_hint: 'refresh_token', client_id: client.clientId }),
      }),
    );
    expect(revoked.status).toBe(200);
    for (const accessToken of [tokens.body.access_token, refreshed.body.access_token]) {
      const after = await t.gql(CUSTOMER, {}, asCustomer(accessToken));
      expect(after.status).toBe(401);
      expect(after.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
      expect(after.body.data).toBeUndefined();
    }

    // 9. Signed out means signed out: revoking the refresh token ended the hosted session
    //    it came from, so the next sign-in asks for the password again.
    const { challenge: again } = await webCryptoPkce();
    authorize.searchParams.set('code_challenge', again);
    const next = await browser.fetch(authorize.toString());
    expect(next.status).toBe(200);
    expect(next.headers.get('location')).toBeNull();
    expect(await next.text()).toContain('type="password"');
  });
});

describe('GraphQL with customer tokens', () => {
  async function signedIn(email: string) {
    const browser = new Browser((request) => t.app.fetch(request));
    const { verifier, challenge } = await webCryptoPkce();
    const url = `${TEST_URL}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: client.clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', screen: 'signup' })}`;
    const fields = Browser.hiddenFields(await (await browser.fetch(url)).text());
    const submitted = await browser.fetch(`${TEST_URL}/oauth/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, email, password: 'long enough password', action: 'signup' }),
    });
    const code = new URL(submitted.headers.get('location')!).searchParams.get('code')!;
    const tokens = await tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: client.clientId,
      code_verifier: verifier,
    });
    return { authorization: `Bearer ${tokens.body.access_token}` };
  }

  it('answers customer: null when anonymous', async () => {
    const result = await t.gql('{ customer { id } }');
    expect(result.status).toBe(200);
    expect(result.body.data.customer).toBeNull();
  });

  it('still requires the storefront token alongside the bearer token', async () => {
    const auth = await signedIn(`needs-storefront-${Date.now()}@example.com`);
    const result = await t.gql('{ customer { id } }', {}, { ...auth, 'x-storefront-access-token': '' });
    expect(result.status).toBe(401);
    expect(result.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers a bad bearer token with 401 and WWW-Authenticate', async () => {
    for (const token of ['garbage', 'vrt_' + 'a'.repeat(43), t.token, 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.']) {
      const result = await t.gql('{ customer { id } }', {}, { authorization: `Bearer ${token}` });
      expect(result.status, token).toBe(401);
      expect(result.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    }
  });

  it('refuses an access token in the query string', async () => {
    const auth = await signedIn(`query-string-${Date.now()}@example.com`);
    const token = auth.authorization.slice('Bearer '.length);
    const response = await t.app.fetch(
      new Request(`${TEST_URL}/graphql?access_token=${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-storefront-access-token': t.token },
        body: JSON.stringify({ query: '{ customer { id } }' }),
      }),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_request"/);
  });

  it('never shows another customer through node(id:) or nodes', async () => {
    const alice = await signedIn(`alice-${Date.now()}@example.com`);
    const bob = await signedIn(`bob-${Date.now()}@example.com`);
    const aliceId = (await t.gql('{ customer { id } }', {}, alice)).body.data.customer.id as string;
    const own = await t.gql('query($id: ID!) { node(id: $id) { ... on Customer { email } } }', { id: aliceId }, alice);
    expect(own.body.data.node.email).toMatch(/^alice-/);
    const other = await t.gql('query($id: ID!) { node(id: $id) { id ... on Customer { email } } }', { id: aliceId }, bob);
    expect(other.body.data.node).toBeNull();
    expect(other.body.errors).toBeUndefined();
    const missing = await t.gql(
      'query($id: ID!) { node(id: $id) { id } }',
      { id: 'gid://vitrine/Customer/00000000-0000-4000-8000-000000000000' },
      bob,
    );
    expect(other.body).toEqual(missing.body); // exactly like a missing id
    const anonymous = await t.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [aliceId] });
    expect(anonymous.body.data.nodes).toEqual([null]);
  });

  it('customerUpdate validates names with user errors and needs a signed-in customer', async () => {
    const auth = await signedIn(`update-${Date.now()}@example.com`);
    const mutation =
      'mutation($input: CustomerUpdateInput!) { customerUpdate(input: $input) { customer { firstName lastName displayName email } userErrors { field code message } } }';
    const tooLong = await t.gql(mutation, { input: { firstName: 'x'.repeat(101) } }, auth);
    expect(tooLong.body.data.customerUpdate.customer).toBeNull();
    expect(tooLong.body.data.customerUpdate.userErrors).toEqual([
      { field: ['input', 'firstName'], code: 'TOO_LONG', message: expect.any(String) },
    ]);
    const cleared = await t.gql(mutation, { input: { firstName: '  Grace ', lastName: null } }, auth);
    expect(cleared.body.data.customerUpdate.customer).toMatchObject({ firstName: 'Grace', lastName: null, displayName: 'Grace' });
    const anonymous = await t.gql(mutation, { input: { firstName: 'Eve' } });
    expect(anonymous.body.data?.customerUpdate ?? null).toBeNull();
    expect(anonymous.body.errors).toHaveLength(1);
  });
});
