import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import { ensureSigningKey, rotateSigningKeys, SigningKeyStore } from '../src/auth/oauth/keys.js';
import { ISSUER, oauthTestConfig, oauthTestDatabase, oauthRoutes, testKeyEncryption } from './helpers/oauth.js';

let db: Database;
beforeAll(async () => {
  db = await oauthTestDatabase();
}, 120_000);
afterAll(() => db?.close());

describe('authorization server metadata (RFC 8414)', () => {
  it('publishes the issuer exactly as configured and the required fields', async () => {
    const routes = oauthRoutes({ config: oauthTestConfig(), prisma: db.prisma });
    const response = await routes(new Request(`${ISSUER}/.well-known/oauth-authorization-server`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const metadata = await response.json();
    expect(metadata).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/oauth/authorize`,
      token_endpoint: `${ISSUER}/oauth/token`,
      revocation_endpoint: `${ISSUER}/oauth/revoke`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['customer'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(metadata.grant_types_supported).not.toContain('password');
    expect(metadata.grant_types_supported).not.toContain('implicit');
  });

  it('follows PUBLIC_URL, including a path (RFC 8414 §3.1)', async () => {
    const config = oauthTestConfig({ PUBLIC_URL: 'https://api.shop.example/store/' });
    const routes = oauthRoutes({ config, prisma: db.prisma });
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/oauth-authorization-server/store']) {
      const metadata = await (await routes(new Request(`https://api.shop.example${path}`))).json();
      expect(metadata.issuer).toBe('https://api.shop.example/store');
      expect(metadata.token_endpoint).toBe('https://api.shop.example/store/oauth/token');
    }
  });

  it('answers 404 for paths it does not own', async () => {
    const routes = oauthRoutes({ config: oauthTestConfig(), prisma: db.prisma });
    expect((await routes(new Request(`${ISSUER}/graphql`))).status).toBe(404);
    expect((await routes(new Request(`${ISSUER}/oauth/other`))).status).toBe(404);
  });
});

describe('signing keys and the JWKS', () => {
  it('creates exactly one key when many processes need one at once', async () => {
    await db.prisma.signingKey.deleteMany();
    const kids = await Promise.all(Array.from({ length: 5 }, () => ensureSigningKey(db.prisma, testKeyEncryption)));
    expect(new Set(kids).size).toBe(1);
    expect(await db.prisma.signingKey.count()).toBe(1);
  });

  it('publishes public keys only, with distinct kids', async () => {
    const routes = oauthRoutes({ config: oauthTestConfig(), prisma: db.prisma });
    await rotateSigningKeys(db.prisma, { accessTokenTtlSeconds: 900, encryption: testKeyEncryption });
    const response = await routes(new Request(`${ISSUER}/.well-known/jwks.json`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/jwk-set\+json/);
    const { keys } = await response.json();
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys.map((k: { kid: string }) => k.kid)).size).toBe(keys.length);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(key).not.toHaveProperty('d');
    }
  });

  it('keeps a rotated-out key published and verifying until its tokens have expired', async () => {
    await db.prisma.signingKey.deleteMany();
    let now = Date.now();
    const store = new SigningKeyStore(db.prisma, { now: () => now, encryption: testKeyEncryption });
    const first = (await store.signingKey()).kid;
    const { kid: second, retired } = await rotateSigningKeys(db.prisma, {
      accessTokenTtlSeconds: 900,
      now: () => now,
      encryption: testKeyEncryption,
    });
    expect(retired).toEqual([first]);
    // A process that rotated (or whose cache expired) signs with the new key.
    const fresh = new SigningKeyStore(db.prisma, { now: () => now, encryption: testKeyEncryption });
    expect((await fresh.signingKey()).kid).toBe(second);
    let kids = (await fresh.jwks()).keys.map((k) => k.kid);
    expect(kids).toEqual([second, first]);
    expect(await fresh.verificationKey(first)).not.toBeNull();
    now += 15 * 60_000 + 30_000; // last token of the old key has just expired; margin left
    kids = (await new SigningKeyStore(db.prisma, { now: () => now, encryption: testKeyEncryption }).jwks()).keys.map((k) => k.kid);
    expect(kids).toContain(first);
    now += 5 * 60_000;
    const later = new SigningKeyStore(db.prisma, { now: () => now, encryption: testKeyEncryption });
    kids = (await later.jwks()).keys.map((k) => k.kid);
    expect(kids).toEqual([second]);
    expect(await later.verificationKey(first)).toBeNull();
  });

  it('picks up a rotation made by another process after its cache period', async () => {
    let now = Date.now();
    const store = new SigningKeyStore(db.prisma, { now: () => now, encryption: testKeyEncryption });
    const before = (await store.signingKey()).kid;
    const { kid } = await rotateSigningKeys(db.prisma, { accessTokenTtlSeconds: 900, now: () => now, encryption: testKeyEncryption });
    expect((await store.signingKey()).kid).toBe(before); // cached
    now += 31_000;
    expect((await store.signingKey()).kid).toBe(kid);
  });
});
