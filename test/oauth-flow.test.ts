import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import { createOAuthRoutes } from '../src/auth/oauth/routes.js';
import { Browser, authorizeUrl, form, ISSUER, makeCustomer, oauthTestConfig, oauthTestDatabase, pkce, registerClient, SPA_REDIRECT } from './helpers/oauth.js';

let db: Database;
beforeAll(async () => {
  db = await oauthTestDatabase();
}, 120_000);
afterAll(() => db?.close());

describe('smoke', () => {
  it('signs in and exchanges a code', async () => {
    const config = oauthTestConfig();
    const routes = createOAuthRoutes({ config, prisma: db.prisma });
    const client = await registerClient(db.prisma);
    const { email, password } = await makeCustomer(db.prisma);
    const { verifier, challenge } = pkce();
    const browser = new Browser(routes);
    const page = await browser.fetch(authorizeUrl({ response_type: 'code', client_id: client.clientId, redirect_uri: SPA_REDIRECT, state: 'xyz', code_challenge: challenge, code_challenge_method: 'S256' }));
    expect(page.status).toBe(200);
    const html = await page.text();
    const hidden = Browser.hiddenFields(html);
    const submit = await browser.fetch(`${ISSUER}/oauth/authorize`, form({ ...hidden, email, password, action: 'signin' }));
    expect(submit.status).toBe(303);
    const location = new URL(submit.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code')!;
    const tokenRes = await routes(new Request(`${ISSUER}/oauth/token`, form({ grant_type: 'authorization_code', code, redirect_uri: SPA_REDIRECT, client_id: client.clientId, code_verifier: verifier })));
    const body = await tokenRes!.json();
    expect(tokenRes!.status, JSON.stringify(body)).toBe(200);
    console.log(body);
  });
});
