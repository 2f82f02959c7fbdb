import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorefrontToken, hashToken, listStorefrontTokens, revokeStorefrontToken, StorefrontTokenVerifier } from '../src/auth/storefront-tokens.js';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 0 });
});
afterAll(() => t?.close());

describe('storefront tokens', () => {
  it('stores only a hash and shows the token once', async () => {
    const { token, record } = await createStorefrontToken(t.db.prisma, { name: 'web', kind: 'PUBLIC' });
    expect(token).toMatch(/^vst_[A-Za-z0-9_-]{43}$/);
    expect(record.tokenHash).toBe(hashToken(token));
    const row = await t.db.prisma.storefrontToken.findUniqueOrThrow({ where: { id: record.id } });
    expect(JSON.stringify(row)).not.toContain(token);
    const priv = await createStorefrontToken(t.db.prisma, { name: 'ssr', kind: 'PRIVATE' });
    expect(priv.token).toMatch(/^vsp_/);
    expect((await listStorefrontTokens(t.db.prisma)).map((r) => r.name)).toEqual(expect.arrayContaining(['web', 'ssr']));
  });

  it('stops working once revoked, through the API', async () => {
    const { token, record } = await createStorefrontToken(t.db.prisma, { name: 'to-revoke' });
    const ask = () => t.gql('{ __typename }', {}, { 'x-storefront-access-token': token });
    expect((await ask()).status).toBe(200);
    expect(await revokeStorefrontToken(t.db.prisma, record.id)).toBe(true);
    expect(await revokeStorefrontToken(t.db.prisma, record.id)).toBe(false);
    // A fresh verifier (another process) sees the revocation at once.
    expect(await new StorefrontTokenVerifier(t.db.prisma).verify(token)).toBeNull();
  });

  it('expires cached answers, so a revocation reaches every process within seconds', async () => {
    let now = 1_000_000;
    const verifier = new StorefrontTokenVerifier(t.db.prisma, 5_000, () => now);
    const { token, record } = await createStorefrontToken(t.db.prisma, { name: 'cached' });
    expect(await verifier.verify(token)).toMatchObject({ id: record.id, kind: 'PUBLIC' });
    await revokeStorefrontToken(t.db.prisma, record.id);
    expect(await verifier.verify(token)).not.toBeNull(); // still cached
    now += 5_001;
    expect(await verifier.verify(token)).toBeNull();
  });

  it('rejects blank names', async () => {
    await expect(createStorefrontToken(t.db.prisma, { name: '  ' })).rejects.toThrow(/name/);
  });
});
