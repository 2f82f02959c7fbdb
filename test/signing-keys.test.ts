// Signing keys at rest and their revocation: private halves encrypted under
// KEY_ENCRYPTION_SECRET (old plaintext rows re-encrypted on first load), and
// `vitrine keys revoke <kid>` ending the key's tokens in a running app within seconds.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, calculateJwkThumbprint } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { main } from '../src/cli/main.js';
import { signAccessToken } from '../src/auth/oauth/grants.js';
import { isEncryptedJwk, KeyEncryption, keyEncryption } from '../src/auth/oauth/key-encryption.js';
import { ensureSigningKey, SigningKeyStore, signingKeyStore } from '../src/auth/oauth/keys.js';
import { createStorefrontToken } from '../src/auth/storefront-tokens.js';
import { loadConfig } from '../src/config.js';
import type { TestDatabase } from './helpers/db.js';
import { createTestDatabase } from './helpers/db.js';
import { ISSUER, makeCustomer, oauthTestConfig, registerClient, testKeyEncryption } from './helpers/oauth.js';

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'vitrine-keys-'));
}, 120_000);
afterAll(async () => {
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => db.prisma.signingKey.deleteMany());

describe('private keys at rest', () => {
  it('stores only the encrypted private key, bound to its kid', async () => {
    const kid = await ensureSigningKey(db.prisma, testKeyEncryption);
    const row = await db.prisma.signingKey.findUniqueOrThrow({ where: { id: kid } });
    expect(isEncryptedJwk(row.privateJwk)).toBe(true);
    expect(JSON.stringify(row.privateJwk)).not.toMatch(/"d"/);
    const jwk = await testKeyEncryption.decrypt(row.privateJwk as never, kid);
    expect(jwk.d).toBeTruthy();
    await expect(testKeyEncryption.decrypt(row.privateJwk as never, 'another-kid')).rejects.toThrow(/cannot be decrypted/);
    const other = new KeyEncryption({ encryptionSecret: 'a different secret that is long enough', secretFile: '' });
    await expect(other.decrypt(row.privateJwk as never, kid)).rejects.toThrow(/KEY_ENCRYPTION_SECRET/);
  });

  it('re-encrypts plaintext rows from before on first load, and still signs with them', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
    const meta = { kid, alg: 'ES256', use: 'sig' };
    await db.prisma.signingKey.create({
      data: { id: kid, alg: 'ES256', publicJwk: { ...publicJwk, ...meta }, privateJwk: { ...(await exportJWK(privateKey)), ...meta } },
    });
    const store = new SigningKeyStore(db.prisma, { encryption: testKeyEncryption });
    expect((await store.signingKey()).kid).toBe(kid);
    const row = await db.prisma.signingKey.findUniqueOrThrow({ where: { id: kid } });
    expect(isEncryptedJwk(row.privateJwk)).toBe(true);
    expect((await testKeyEncryption.decrypt(row.privateJwk as never, kid)).d).toBeTruthy();
  });

  it('generates a secret into a file beside the embedded database when none is configured', async () => {
    const config = loadConfig({ NODE_ENV: 'development', PGLITE_DIR: path.join(dir, 'pglite'), LOG_LEVEL: 'silent' });
    expect(config.signingKeys.encryptionSecret).toBeNull();
    expect(config.signingKeys.secretFile).toBe(path.join(dir, 'key-encryption-secret'));
    const sealed = await keyEncryption(config).encrypt({ kty: 'EC', d: 'secret' }, 'k1');
    const secret = (await readFile(config.signingKeys.secretFile, 'utf8')).trim();
    expect(secret.length).toBeGreaterThanOrEqual(43);
    // Another process reading the same file decrypts it.
    const again = new KeyEncryption({ encryptionSecret: null, secretFile: config.signingKeys.secretFile });
    expect(await again.decrypt(sealed, 'k1')).toEqual({ kty: 'EC', d: 'secret' });
  });

  it('requires KEY_ENCRYPTION_SECRET in production, and a long one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example' })).toThrow(/KEY_ENCRYPTION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example', KEY_ENCRYPTION_SECRET: 'short' })).toThrow(
      /at least 32/,
    );
    expect(oauthTestConfig().signingKeys.encryptionSecret).toBeTruthy();
  });
});

describe('vitrine keys revoke', () => {
  it('stops the key’s tokens in a running app within the cache TTL, and a new key signs', async () => {
    let clock = Date.now();
    const config = oauthTestConfig({ KEY_CACHE_TTL_MS: '5000' });
    const app = createApp({ config, db, now: () => clock });
    const { token: storefront } = await createStorefrontToken(db.prisma, { name: 'keys test' });
    const client = await registerClient(db.prisma);
    const { customer } = await makeCustomer(db.prisma);
    const family = await db.prisma.tokenFamily.create({
      data: { clientId: client.id, customerId: customer.id, scope: 'customer', expiresAt: new Date(clock + 3600_000) },
    });
    const signer = { config, prisma: db.prisma, keys: signingKeyStore(db.prisma, config, () => clock), now: () => clock };
    const { token } = await signAccessToken(signer, {
      customerId: customer.id,
      clientId: client.clientId,
      scope: ['customer'],
      familyId: family.id,
    });
    /** The status of a customer query with the token, and the refusal's reason. */
    const ask = async (accessToken: string) => {
      const response = await app.fetch(
        new Request(`${ISSUER}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-storefront-access-token': storefront, authorization: `Bearer ${accessToken}` },
          body: JSON.stringify({ query: '{ customer { email } }' }),
        }),
      );
      return { status: response.status, reason: response.headers.get('www-authenticate') ?? '' };
    };
    const me = async (accessToken: string) => (await ask(accessToken)).status;
    expect(await me(token)).toBe(200);

    const kid = (await signer.keys.signingKey()).kid;
    const err: string[] = [];
    const code = await main(['keys', 'revoke', kid], { io: { out: () => {}, err: (l) => err.push(l) }, config, database: db });
    expect(code).toBe(0);
    expect(err.join('\n')).toMatch(/New signing key/);

    clock += 5001; // the app's cached copy of the key has expired
    expect(await ask(token)).toEqual({ status: 401, reason: expect.stringContaining('unknown key') });
    // JWKS no longer publishes it; a token from the new key works.
    const jwks = await (await app.fetch(new Request(`${ISSUER}/.well-known/jwks.json`))).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).not.toContain(kid);
    clock += 5001; // the signer's cached signing key too
    const fresh = await signAccessToken(signer, {
      customerId: customer.id,
      clientId: client.clientId,
      scope: ['customer'],
      familyId: family.id,
    });
    expect(fresh.token).not.toBe(token);
    expect(await me(fresh.token)).toBe(200);

    expect(await main(['keys', 'revoke', 'no-such-kid'], { io: { out: () => {}, err: () => {} }, config, database: db })).toBe(1);
  });
});
