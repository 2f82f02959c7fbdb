import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStorefrontToken,
  hashToken,
  listStorefrontTokens,
  revokeStorefrontToken,
  StorefrontTokenVerifier,
} from '../src/auth/storefront-tokens.js';
import { createApp, type App } from '../src/app.js';
import { createTestApp, TEST_URL, type TestApp } from './helpers/app.js';

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

  it('is refused through the API once revoked (by a server that has not cached it)', async () => {
    const { token, record } = await createStorefrontToken(t.db.prisma, { name: 'to-revoke' });
    const ask = async (app: App) => {
      const response = await app.fetch(
        new Request(`${TEST_URL}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-storefront-access-token': token },
          body: JSON.stringify({ query: '{ __typename }' }),
        }),
      );
      return {
        status: response.status,
        body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] },
      };
    };
    expect(await ask(t.app)).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    expect(await revokeStorefrontToken(t.db.prisma, record.id)).toBe(true);
    expect(await revokeStorefrontToken(t.db.prisma, record.id)).toBe(false);
    // Another server process on the same database: its verification cache is empty, so it
    // refuses the token at once (the next test covers how long a cached answer lives).
    const other = createApp({ config: t.config, db: t.db });
    const refused = await ask(other);
    expect(refused.status).toBe(401);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors?.[0]?.extensions?.code).toBeTruthy();
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
