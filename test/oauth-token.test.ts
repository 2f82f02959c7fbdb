import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import type { OAuthClient } from '../src/generated/prisma/client.js';
import { createAccessTokenVerifier } from '../src/auth/access-token.js';
import { purgeExpiredOAuthRows } from '../src/auth/oauth/grant-housekeeping.js';
import { sha256 } from '../src/hash.js';
import {
  ISSUER,
  makeCustomer,
  obtainCode,
  oauthTestConfig,
  oauthTestDatabase,
  pkce,
  post,
  registerClient,
  SPA_REDIRECT,
  type Routes,
  oauthRoutes,
} from './helpers/oauth.js';

let db: Database;
let routes: Routes;
let client: OAuthClient;
let otherClient: OAuthClient;
let customer: { email: string; password: string; customer: { id: string } };
let clock = Date.now();
const config = oauthTestConfig({ REFRESH_IDLE_TTL_SECONDS: '3600', REFRESH_ABSOLUTE_TTL_SECONDS: '7200' });

beforeAll(async () => {
  db = await oauthTestDatabase();
  routes = oauthRoutes({ config, prisma: db.prisma, now: () => clock });
  client = await registerClient(db.prisma);
  otherClient = await registerClient(db.prisma, [SPA_REDIRECT], 'Other app');
  customer = await makeCustomer(db.prisma);
}, 120_000);
afterAll(() => db?.close());

const verifyBearer = (token: string) =>
  createAccessTokenVerifier({ config, prisma: db.prisma, now: () => clock })(
    new Request(`${ISSUER}/graphql`, { headers: { authorization: `Bearer ${token}` } }),
  );

async function newCode(scope?: string) {
  const { verifier, challenge } = pkce();
  const { code } = await obtainCode(routes, {
    clientId: client.clientId,
    email: customer.email,
    password: customer.password,
    challenge,
    scope,
  });
  return { code, verifier };
}

const exchange = (values: Record<string, string | undefined>, headers?: Record<string, string>) =>
  post(routes, '/oauth/token', values, headers);
const byCode = (
  code: string,
  verifier: string | undefined,
  extra: Record<string, string | undefined> = {},
  headers?: Record<string, string>,
) =>
  exchange(
    { grant_type: 'authorization_code', code, redirect_uri: SPA_REDIRECT, client_id: client.clientId, code_verifier: verifier, ...extra },
    headers,
  );
const byRefresh = (refreshToken: string, extra: Record<string, string | undefined> = {}) =>
  exchange({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.clientId, ...extra });

function expectOAuthError(result: { status: number; headers: Headers; body: { error: string } }, error: string, status = 400) {
  expect(result.body.error).toBe(error);
  expect(result.status).toBe(status);
  expect(result.headers.get('content-type')).toMatch(/^application\/json/);
  expect(result.headers.get('cache-control')).toBe('no-store');
}

describe('authorization_code grant', () => {
  it('issues an RFC 9068 access token and an opaque refresh token, not cacheable', async () => {
    const { code, verifier } = await newCode();
    const result = await byCode(code, verifier);
    expect(result.status).toBe(200);
    expect(result.headers.get('cache-control')).toBe('no-store');
    expect(result.headers.get('pragma')).toBe('no-cache');
    expect(result.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'customer' });
    expect(result.body.refresh_token).toMatch(/^vrt_[A-Za-z0-9_-]{43}$/);
    const header = decodeProtectedHeader(result.body.access_token);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(typeof header.kid).toBe('string');
    const claims = decodeJwt(result.body.access_token);
    expect(claims).toMatchObject({
      iss: ISSUER,
      sub: customer.customer.id,
      aud: config.auth.audience,
      client_id: client.clientId,
      scope: 'customer',
    });
    expect(claims.exp! - claims.iat!).toBe(15 * 60);
    expect(typeof claims.jti).toBe('string');
    expect(typeof claims.sid).toBe('string');
    // Refresh tokens are stored hashed.
    const row = await db.prisma.refreshToken.findUnique({ where: { tokenHash: sha256(result.body.refresh_token) } });
    expect(row).not.toBeNull();
    expect(JSON.stringify(await db.prisma.refreshToken.findMany())).not.toContain(result.body.refresh_token);
    expect(await verifyBearer(result.body.access_token)).toMatchObject({
      customerId: customer.customer.id,
      clientId: client.clientId,
      scope: ['customer'],
      sessionId: claims.sid,
      tokenId: claims.jti,
    });
  });

  it('refuses a wrong code_verifier with invalid_grant, and the code is spent', async () => {
    const { code, verifier } = await newCode();
    expectOAuthError(await byCode(code, pkce().verifier), 'invalid_grant');
    expectOAuthError(await byCode(code, verifier), 'invalid_grant');
  });

  it('requires a code_verifier of 43–128 characters of [A-Za-z0-9-._~]', async () => {
    const { code } = await newCode();
    expectOAuthError(await byCode(code, undefined), 'invalid_request');
    const second = await newCode();
    expectOAuthError(await byCode(second.code, 'a'.repeat(42)), 'invalid_request');
    expectOAuthError(await byCode(second.code, 'a'.repeat(129)), 'invalid_request');
    expectOAuthError(await byCode(second.code, `${'a'.repeat(50)}+/=`), 'invalid_request');
  });

  it('refuses a code_verifier for a code issued without a challenge (PKCE downgrade)', async () => {
    const { verifier } = pkce();
    const code = 'vac_' + 'D'.repeat(43);
    await db.prisma.authorizationCode.create({
      data: {
        codeHash: sha256(code),
        clientId: client.id,
        customerId: customer.customer.id,
        redirectUri: SPA_REDIRECT,
        codeChallenge: '',
        scope: 'customer',
        expiresAt: new Date(clock + 60_000),
      },
    });
    expectOAuthError(await byCode(code, verifier), 'invalid_grant');
  });

  it('makes codes single use: a replay fails and revokes the tokens issued from the code', async () => {
    const { code, verifier } = await newCode();
    const first = await byCode(code, verifier);
    expect(first.status).toBe(200);
    expect(await verifyBearer(first.body.access_token)).not.toBeNull();
    expectOAuthError(await byCode(code, verifier), 'invalid_grant');
    await expect(verifyBearer(first.body.access_token)).rejects.toMatchObject({ name: 'InvalidTokenError' });
    expectOAuthError(await byRefresh(first.body.refresh_token), 'invalid_grant');
  });

  it('lets exactly one of two concurrent exchanges of a code succeed', async () => {
    const { code, verifier } = await newCode();
    const results = await Promise.all([byCode(code, verifier), byCode(code, verifier)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it('expires codes after 60 seconds', async () => {
    const { code, verifier } = await newCode();
    clock += 61_000;
    try {
      expectOAuthError(await byCode(code, verifier), 'invalid_grant');
    } finally {
      clock -= 61_000;
    }
    const fresh = await newCode();
    clock += 59_000;
    try {
      expect((await byCode(fresh.code, fresh.verifier)).status).toBe(200);
    } finally {
      clock -= 59_000;
    }
  });

  it('binds the code to its client_id and redirect_uri', async () => {
    const a = await newCode();
    expectOAuthError(await byCode(a.code, a.verifier, { client_id: otherClient.clientId }), 'invalid_grant');
    const b = await newCode();
    expectOAuthError(await byCode(b.code, b.verifier, { redirect_uri: `${SPA_REDIRECT}/` }), 'invalid_grant');
    const c = await newCode();
    expectOAuthError(await byCode(c.code, c.verifier, { redirect_uri: undefined }), 'invalid_request');
  });

  it('answers unknown or missing client_id with invalid_client (401)', async () => {
    const { code, verifier } = await newCode();
    expectOAuthError(await byCode(code, verifier, { client_id: 'vc_nosuchclientnosuchcli' }), 'invalid_client', 401);
    expectOAuthError(await byCode(code, verifier, { client_id: undefined }), 'invalid_client', 401);
    // Public clients have no secret: HTTP Basic with a secret is refused.
    const basic = `Basic ${Buffer.from(`${client.clientId}:secret`).toString('base64')}`;
    expectOAuthError(await byCode(code, verifier, { client_id: undefined }, { authorization: basic }), 'invalid_client', 401);
  });

  it('accepts the client_id through HTTP Basic with an empty secret', async () => {
    const { code, verifier } = await newCode();
    const basic = `Basic ${Buffer.from(`${client.clientId}:`).toString('base64')}`;
    const result = await byCode(code, verifier, { client_id: undefined }, { authorization: basic });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
  });

  it('refuses unknown codes', async () => {
    expectOAuthError(await byCode('vac_' + 'x'.repeat(43), pkce().verifier), 'invalid_grant');
    expectOAuthError(await byCode('garbage', pkce().verifier), 'invalid_grant');
  });
});

describe('token endpoint requests', () => {
  it('answers grant_type=password with unsupported_grant_type', async () => {
    expectOAuthError(
      await exchange({ grant_type: 'password', username: customer.email, password: customer.password, client_id: client.clientId }),
      'unsupported_grant_type',
    );
    expectOAuthError(await exchange({ grant_type: 'client_credentials', client_id: client.clientId }), 'unsupported_grant_type');
    expectOAuthError(
      await exchange({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: client.clientId }),
      'unsupported_grant_type',
    );
  });

  it('requires grant_type, a form body and POST; refuses repeated parameters', async () => {
    expectOAuthError(await exchange({ client_id: client.clientId }), 'invalid_request');
    const json = (await routes(
      new Request(`${ISSUER}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    ))!;
    expect(json.status).toBe(400);
    expect((await json.json()).error).toBe('invalid_request');
    const get = (await routes(new Request(`${ISSUER}/oauth/token`)))!;
    expect(get.status).toBe(405);
    const dup = (await routes(
      new Request(`${ISSUER}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=refresh_token&grant_type=authorization_code',
      }),
    ))!;
    expect((await dup.json()).error).toBe('invalid_request');
  });
});

describe('refresh_token grant', () => {
  async function tokens(scope?: string) {
    const { code, verifier } = await newCode(scope);
    const result = await byCode(code, verifier);
    expect(result.status).toBe(200);
    return result.body as { access_token: string; refresh_token: string; scope: string };
  }

  it('rotates the refresh token on every use and keeps the grant', async () => {
    const first = await tokens();
    const second = await byRefresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.headers.get('cache-control')).toBe('no-store');
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.body.access_token).sid).toBe(decodeJwt(first.access_token).sid);
    const third = await byRefresh(second.body.refresh_token);
    expect(third.status).toBe(200);
  });

  it('detects reuse of a spent refresh token and revokes the whole family', async () => {
    const first = await tokens();
    const second = await byRefresh(first.refresh_token);
    expectOAuthError(await byRefresh(first.refresh_token), 'invalid_grant');
    // The attacker's reuse also kills the legitimate, newer tokens.
    expectOAuthError(await byRefresh(second.body.refresh_token), 'invalid_grant');
    await expect(verifyBearer(second.body.access_token)).rejects.toMatchObject({ name: 'InvalidTokenError' });
    const family = await db.prisma.tokenFamily.findUniqueOrThrow({ where: { id: decodeJwt(first.access_token).sid as string } });
    expect(family.revokedReason).toBe('refresh_token_reuse');
  });

  it('refuses another client’s refresh token without revoking it', async () => {
    const mine = await tokens();
    expectOAuthError(await byRefresh(mine.refresh_token, { client_id: otherClient.clientId }), 'invalid_grant');
    expect((await byRefresh(mine.refresh_token)).status).toBe(200);
  });

  it('keeps the same scope; narrowing is allowed, widening refused', async () => {
    const t = await tokens('customer');
    const same = await byRefresh(t.refresh_token);
    expect(same.body.scope).toBe('customer');
    expectOAuthError(await byRefresh(same.body.refresh_token, { scope: 'customer admin' }), 'invalid_scope');
    const again = await byRefresh(same.body.refresh_token, { scope: 'customer' });
    expect(again.status).toBe(200);
    expect(decodeJwt(again.body.access_token).scope).toBe('customer');
  });

  it('expires after the idle timeout', async () => {
    const t = await tokens();
    clock += 3601_000;
    try {
      expectOAuthError(await byRefresh(t.refresh_token), 'invalid_grant');
    } finally {
      clock -= 3601_000;
    }
  });

  it('expires at the absolute lifetime of the grant, however often it is used', async () => {
    const start = clock;
    let t = await tokens();
    try {
      for (let i = 0; i < 3; i++) {
        clock += 3000_000; // within the idle window each time
        const next = await byRefresh(t.refresh_token);
        if (clock - start < 7200_000) {
          expect(next.status).toBe(200);
          t = next.body;
        } else {
          expectOAuthError(next, 'invalid_grant');
        }
      }
    } finally {
      clock = start;
    }
  });

  it('refuses unknown refresh tokens and refresh tokens as codes', async () => {
    expectOAuthError(await byRefresh('vrt_' + 'z'.repeat(43)), 'invalid_grant');
    const t = await tokens();
    expectOAuthError(await byCode(t.refresh_token, pkce().verifier), 'invalid_grant');
  });
});

describe('revocation (RFC 7009)', () => {
  async function tokens() {
    const { code, verifier } = await newCode();
    return (await byCode(code, verifier)).body as { access_token: string; refresh_token: string };
  }
  const revoke = (token: string, clientId = client.clientId, hint?: string) =>
    post(routes, '/oauth/revoke', { token, client_id: clientId, token_type_hint: hint });

  it('answers 200 for unknown tokens', async () => {
    for (const token of ['vrt_' + 'q'.repeat(43), 'not-a-token', 'a.b.c']) {
      const result = await revoke(token);
      expect(result.status).toBe(200);
      expect(result.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('revoking a refresh token ends its family: the access tokens stop working', async () => {
    const t = await tokens();
    expect(await verifyBearer(t.access_token)).not.toBeNull();
    expect((await revoke(t.refresh_token, client.clientId, 'refresh_token')).status).toBe(200);
    await expect(verifyBearer(t.access_token)).rejects.toMatchObject({ name: 'InvalidTokenError' });
    expectOAuthError(await byRefresh(t.refresh_token), 'invalid_grant');
    expect((await revoke(t.refresh_token)).status).toBe(200); // idempotent
  });

  it('revoking an access token ends its grant too', async () => {
    const t = await tokens();
    expect((await revoke(t.access_token, client.clientId, 'access_token')).status).toBe(200);
    await expect(verifyBearer(t.access_token)).rejects.toMatchObject({ name: 'InvalidTokenError' });
    expectOAuthError(await byRefresh(t.refresh_token), 'invalid_grant');
  });

  it('refuses to revoke another client’s token, which keeps working', async () => {
    const t = await tokens();
    const refused = await revoke(t.refresh_token, otherClient.clientId);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('unauthorized_client');
    expect((await revoke(t.access_token, otherClient.clientId)).status).toBe(400);
    expect(await verifyBearer(t.access_token)).not.toBeNull();
    expect((await byRefresh(t.refresh_token)).status).toBe(200);
  });

  it('requires client identification and a token', async () => {
    const t = await tokens();
    expectOAuthError(await post(routes, '/oauth/revoke', { token: t.refresh_token }), 'invalid_client', 401);
    expectOAuthError(await post(routes, '/oauth/revoke', { client_id: client.clientId }), 'invalid_request');
  });
});

describe('housekeeping', () => {
  it('purges expired codes, dead grants with their refresh tokens, and old sessions', async () => {
    const { code, verifier } = await newCode();
    const live = (await byCode(code, verifier)).body as { refresh_token: string };
    const later = clock + 100 * 24 * 3600 * 1000; // past every expiry in this file
    const purged = await purgeExpiredOAuthRows(db.prisma, later);
    expect(purged.authorizationCodes).toBeGreaterThan(0);
    expect(purged.tokenFamilies).toBeGreaterThan(0);
    expect(await db.prisma.refreshToken.findUnique({ where: { tokenHash: sha256(live.refresh_token) } })).toBeNull();
    expect(await db.prisma.authorizationCode.count({ where: { expiresAt: { lt: new Date(later - 24 * 3600 * 1000) } } })).toBe(0);
  });
});
