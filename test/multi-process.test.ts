// Two real server processes on one PostgreSQL database and Redis, as behind a load
// balancer: what one process or the CLI changes, the other sees within its cache TTL.
// Runs only when DATABASE_URL and REDIS_URL are set (test/helpers/processes.ts).
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorefrontToken } from '../src/auth/storefront-tokens.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';
import { cliRunner } from './helpers/cli.ts';
import { ISSUER, makeCustomer, obtainCode, pkce, registerClient, SPA_REDIRECT } from './helpers/oauth.ts';
import { multiProcessEnv, sharedBackends, startServerProcess, type ServerProcess } from './helpers/processes.ts';

/** Short caches, so "within the TTL" is quick to wait out; the bound each check allows. */
const CACHE_TTL_MS = 500;
const BOUND_MS = CACHE_TTL_MS + 4_000;

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

  /** Sends a request meant for ISSUER to one process instead (cookies and redirects untouched). */
  const via = (server: ServerProcess) => async (request: Request) =>
    fetch(request.url.replace(ISSUER, server.url), {
      method: request.method,
      headers: request.headers,
      body: request.method === 'GET' ? undefined : await request.text(),
      redirect: 'manual',
    });

  async function graphql(server: ServerProcess, storefrontToken: string, query: string, accessToken?: string) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-storefront-access-token': storefrontToken,
        ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
      },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] } };
  }

  async function tokenRequest(server: ServerProcess, values: Record<string, string>) {
    const response = await fetch(`${server.url}/oauth/token`, { method: 'POST', body: new URLSearchParams(values) });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }

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
