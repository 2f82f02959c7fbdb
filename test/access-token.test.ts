import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { base64url, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload, type JWTHeaderParameters } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import { createAccessTokenVerifier, InvalidTokenError } from '../src/auth/access-token.js';
import { signAccessToken, type GrantDeps } from '../src/auth/oauth/grants.js';
import { rotateSigningKeys, SigningKeyStore } from '../src/auth/oauth/keys.js';
import type { EncryptedJwk } from '../src/auth/oauth/key-encryption.js';
import { createStorefrontToken } from '../src/auth/storefront-tokens.js';
import { ISSUER, makeCustomer, oauthTestConfig, oauthTestDatabase, registerClient, testKeyEncryption } from './helpers/oauth.js';

let db: Database;
let now = Date.now();
const config = oauthTestConfig();
let deps: GrantDeps;
let familyId: string;
let customerId: string;
let clientId: string;

beforeAll(async () => {
  db = await oauthTestDatabase();
  deps = {
    config,
    prisma: db.prisma,
    keys: new SigningKeyStore(db.prisma, { now: () => now, encryption: testKeyEncryption }),
    now: () => now,
  };
  const client = await registerClient(db.prisma);
  clientId = client.clientId;
  const { customer } = await makeCustomer(db.prisma);
  customerId = customer.id;
  const family = await db.prisma.tokenFamily.create({
    data: { clientId: client.id, customerId, scope: 'customer', expiresAt: new Date(now + 86_400_000) },
  });
  familyId = family.id;
}, 120_000);
afterAll(() => db?.close());

const verifier = () => createAccessTokenVerifier({ config, prisma: db.prisma, now: () => now });
const bearer = (token: string, url = `${ISSUER}/graphql`) => new Request(url, { headers: { authorization: `Bearer ${token}` } });
const issue = async () => (await signAccessToken(deps, { customerId, clientId, scope: ['customer'], familyId })).token;

/** Signs arbitrary claims with our current private key (to vary one thing at a time). */
async function forge(
  claims: Partial<JWTPayload> & Record<string, unknown>,
  header: Partial<JWTHeaderParameters> = {},
  drop: string[] = [],
) {
  const { kid } = await deps.keys.signingKey();
  const row = await db.prisma.signingKey.findUniqueOrThrow({ where: { id: kid } });
  const key = await importJWK(await testKeyEncryption.decrypt(row.privateJwk as unknown as EncryptedJwk, kid), 'ES256');
  const iat = Math.floor(now / 1000);
  const payload: Record<string, unknown> = {
    iss: ISSUER,
    sub: customerId,
    aud: config.auth.audience,
    iat,
    exp: iat + 900,
    jti: 'j1',
    client_id: clientId,
    scope: 'customer',
    sid: familyId,
    ...claims,
  };
  for (const name of drop) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt', ...header }).sign(key);
}

async function rejects(request: Request, error = 'invalid_token'): Promise<InvalidTokenError> {
  const failure = await verifier()(request).then(
    () => null,
    (e: unknown) => e,
  );
  expect(failure).toBeInstanceOf(InvalidTokenError);
  const invalid = failure as InvalidTokenError;
  expect(invalid.status).toBe(401);
  expect(invalid.wwwAuthenticate).toMatch(new RegExp(`^Bearer error="${error}", error_description="[^"]+"$`));
  return invalid;
}

describe('access-token verifier', () => {
  it('returns null when there is no Authorization header', async () => {
    expect(await verifier()(new Request(`${ISSUER}/graphql`))).toBeNull();
  });

  it('returns the customer for a valid token', async () => {
    const token = await issue();
    expect(await verifier()(bearer(token))).toEqual({
      customerId,
      clientId,
      scope: ['customer'],
      sessionId: familyId,
      tokenId: expect.any(String),
    });
    // The scheme name is case-insensitive (RFC 7235).
    expect(await verifier()(new Request(`${ISSUER}/graphql`, { headers: { authorization: `bearer ${token}` } }))).not.toBeNull();
  });

  it('rejects a token in the query string, even alongside a header', async () => {
    const token = await issue();
    await rejects(new Request(`${ISSUER}/graphql?access_token=${token}`), 'invalid_request');
    await rejects(bearer(token, `${ISSUER}/graphql?access_token=${token}`), 'invalid_request');
  });

  it('rejects other schemes and malformed headers', async () => {
    await rejects(new Request(`${ISSUER}/graphql`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 'invalid_request');
    await rejects(new Request(`${ISSUER}/graphql`, { headers: { authorization: 'Bearer' } }), 'invalid_request');
    await rejects(new Request(`${ISSUER}/graphql`, { headers: { authorization: 'Bearer a b' } }), 'invalid_request');
    await rejects(bearer('not-a-jwt'));
  });

  it('rejects alg: none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: (await deps.keys.signingKey()).kid }));
    const iat = Math.floor(now / 1000);
    const payload = base64url.encode(
      JSON.stringify({
        iss: ISSUER,
        sub: customerId,
        aud: config.auth.audience,
        iat,
        exp: iat + 900,
        jti: 'x',
        client_id: clientId,
        scope: 'customer',
        sid: familyId,
      }),
    );
    await rejects(bearer(`${header}.${payload}.`));
    await rejects(bearer(`${header}.${payload}.c2ln`));
  });

  it('rejects HS256 signed with the public key (algorithm confusion)', async () => {
    const { kid } = await deps.keys.signingKey();
    const row = await db.prisma.signingKey.findUniqueOrThrow({ where: { id: kid } });
    const publicJwk = row.publicJwk as JWK;
    const pem = createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string;
    const iat = Math.floor(now / 1000);
    for (const secret of [new TextEncoder().encode(pem), new TextEncoder().encode(JSON.stringify(publicJwk))]) {
      const token = await new SignJWT({ client_id: clientId, scope: 'customer', sid: familyId })
        .setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' })
        .setIssuer(ISSUER)
        .setSubject(customerId)
        .setAudience(config.auth.audience)
        .setIssuedAt(iat)
        .setExpirationTime(iat + 900)
        .setJti('x')
        .sign(secret);
      await rejects(bearer(token));
    }
  });

  it('rejects a token signed by a key that is not ours, even with our kid', async () => {
    const { kid } = await deps.keys.signingKey();
    const attacker = await generateKeyPair('ES256');
    const iat = Math.floor(now / 1000);
    const token = await new SignJWT({ client_id: clientId, scope: 'customer', sid: familyId })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setSubject(customerId)
      .setAudience(config.auth.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 900)
      .setJti('x')
      .sign(attacker.privateKey);
    await rejects(bearer(token));
  });

  it('rejects an embedded jwk or jku header (RFC 8725 §3.10)', async () => {
    const attacker = await generateKeyPair('ES256', { extractable: true });
    await rejects(bearer(await forge({}, { jwk: await exportJWK(attacker.publicKey) })));
    await rejects(bearer(await forge({}, { jku: 'https://evil.example/jwks.json' })));
  });

  it('rejects a wrong issuer or audience', async () => {
    await rejects(bearer(await forge({ iss: 'https://evil.example' })));
    await rejects(bearer(await forge({ iss: `${ISSUER}/` })));
    await rejects(bearer(await forge({ aud: 'https://other-api.example' })));
    await rejects(bearer(await forge({ aud: ['https://other-api.example'] })));
    expect(await verifier()(bearer(await forge({ aud: ['https://other-api.example', config.auth.audience] })))).not.toBeNull();
  });

  it('rejects a token without typ at+jwt (e.g. an ID token or a plain JWT)', async () => {
    await rejects(bearer(await forge({}, { typ: 'JWT' })));
    await rejects(bearer(await forge({}, { typ: undefined })));
    expect(await verifier()(bearer(await forge({}, { typ: 'application/at+jwt' })))).not.toBeNull();
  });

  it('rejects an expired token and one missing required claims', async () => {
    const token = await issue();
    now += 15 * 60_000 + 10_000;
    try {
      const error = await rejects(bearer(token));
      expect(error.description).toMatch(/expired/);
    } finally {
      now -= 15 * 60_000 + 10_000;
    }
    for (const claim of ['exp', 'iat', 'jti', 'sub', 'sid', 'client_id', 'scope', 'aud', 'iss']) {
      await rejects(bearer(await forge({}, {}, [claim])));
    }
  });

  it('rejects an unknown or missing kid', async () => {
    await rejects(bearer(await forge({}, { kid: 'no-such-key' })));
    await rejects(bearer(await forge({}, { kid: undefined })));
  });

  it('rejects refresh tokens and storefront tokens presented as bearer tokens', async () => {
    await rejects(bearer('vrt_' + 'a'.repeat(43)));
    const { token } = await createStorefrontToken(db.prisma, { name: 'web' });
    await rejects(bearer(token));
  });

  it('rejects tokens of a revoked, expired or foreign grant', async () => {
    const token = await issue();
    await db.prisma.tokenFamily.update({ where: { id: familyId }, data: { revokedAt: new Date(now) } });
    try {
      await rejects(bearer(token));
    } finally {
      await db.prisma.tokenFamily.update({ where: { id: familyId }, data: { revokedAt: null } });
    }
    await rejects(bearer(await forge({ sid: '00000000-0000-4000-8000-000000000000' })));
    const other = await makeCustomer(db.prisma);
    await rejects(bearer(await forge({ sub: other.customer.id })));
  });

  it('accepts tokens signed with a key created by another process after it started', async () => {
    const verify = verifier();
    expect(await verify(bearer(await issue()))).not.toBeNull(); // caches the current key
    await rotateSigningKeys(db.prisma, { accessTokenTtlSeconds: 900, now: () => now, encryption: testKeyEncryption });
    const otherProcess: GrantDeps = { ...deps, keys: new SigningKeyStore(db.prisma, { now: () => now, encryption: testKeyEncryption }) };
    const token = (await signAccessToken(otherProcess, { customerId, clientId, scope: ['customer'], familyId })).token;
    expect(await verify(bearer(token))).not.toBeNull();
  });

  it('exposes InvalidTokenError with an RFC 6750 WWW-Authenticate value', () => {
    const error = new InvalidTokenError('The access token expired.');
    expect(error.wwwAuthenticate).toBe('Bearer error="invalid_token", error_description="The access token expired."');
  });
});
