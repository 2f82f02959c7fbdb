import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '../src/auth/oauth/grants.js';
import { SigningKeyStore } from '../src/auth/oauth/keys.js';
import { ResponseCache } from '../src/graphql/response-cache.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeCustomer, registerClient, testKeyEncryption } from './helpers/oauth.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 30, env: { RESPONSE_CACHE_TTL_MS: '60000' } });
});
afterAll(() => t?.close());

const CHEAPEST = '{ products(first: 1, sortKey: PRICE) { nodes { handle title } } }';

async function customerToken() {
  const client = await registerClient(t.db.prisma);
  const { customer } = await makeCustomer(t.db.prisma);
  const family = await t.db.prisma.tokenFamily.create({
    data: { clientId: client.id, customerId: customer.id, scope: 'customer', expiresAt: new Date(Date.now() + 86_400_000) },
  });
  const deps = { config: t.config, prisma: t.db.prisma, keys: new SigningKeyStore(t.db.prisma, { encryption: testKeyEncryption }), now: Date.now };
  return (await signAccessToken(deps, { customerId: customer.id, clientId: client.clientId, scope: ['customer'], familyId: family.id })).token;
}

describe('anonymous response cache', () => {
  it('answers a repeated anonymous query from memory, without SQL', async () => {
    const first = await t.gql(CHEAPEST);
    expect(first.headers.get('x-cache')).toBe('MISS');
    const again = await t.statements(() => t.gql(CHEAPEST));
    expect(again.result.headers.get('x-cache')).toBe('HIT');
    expect(again.result.body).toEqual(first.body);
    expect(again.sql).toEqual([]);
  });

  it('keys on the document and variables', async () => {
    const q = 'query($n: Int!) { products(first: $n) { nodes { id } } }';
    expect((await t.gql(q, { n: 2 })).headers.get('x-cache')).toBe('MISS');
    expect((await t.gql(q, { n: 3 })).headers.get('x-cache')).toBe('MISS');
    expect((await t.gql(q, { n: 2 })).headers.get('x-cache')).toBe('HIT');
  });

  it('still requires a valid storefront token', async () => {
    await t.gql(CHEAPEST);
    const res = await t.gql(CHEAPEST, {}, { 'x-storefront-access-token': 'vst_' + 'x'.repeat(43) });
    expect(res.status).toBe(401);
  });

  it('never caches errors', async () => {
    const bad = '{ products(first: 1, filters: [{ price: { min: "2", max: "1" } }]) { nodes { id } } }';
    expect((await t.gql(bad)).body.errors).toBeDefined();
    const again = await t.gql(bad);
    expect(again.headers.get('x-cache')).toBeNull();
  });

  it('never serves or stores a signed-in customer’s responses, and a mutation empties it', async () => {
    const token = await customerToken();
    const auth = { authorization: `Bearer ${token}` };
    const mine = await t.gql('{ customer { email } products(first: 1) { nodes { id } } }', {}, auth);
    expect(mine.body.data.customer.email).toMatch(/@/);
    expect(mine.headers.get('x-cache')).toBeNull();
    const anonymous = await t.gql('{ customer { email } products(first: 1) { nodes { id } } }');
    expect(anonymous.body.data.customer).toBeNull();

    await t.gql(CHEAPEST);
    expect((await t.gql(CHEAPEST)).headers.get('x-cache')).toBe('HIT');
    const update = await t.gql('mutation { customerUpdate(input: { firstName: "Ada" }) { userErrors { code } } }', {}, auth);
    expect(update.body.errors).toBeUndefined();
    expect((await t.gql(CHEAPEST)).headers.get('x-cache')).toBe('MISS');
  });
});

describe('ResponseCache', () => {
  it('expires entries after the TTL and evicts the least recently used', () => {
    let now = 0;
    const cache = new ResponseCache({ ttlMs: 1000, maxEntries: 2, maxBodyBytes: 100 }, () => now);
    const value = (body: string) => ({ body, contentType: 'application/json' });
    expect(cache.set('a', value('{"data":1}'))).toBe(true);
    expect(cache.set('b', value('{"data":2}'))).toBe(true);
    expect(cache.get('a')?.body).toBe('{"data":1}'); // a is now the most recent
    cache.set('c', value('{"data":3}'));
    expect(cache.get('b')).toBeNull();
    expect(cache.get('a')).not.toBeNull();
    now = 1000;
    expect(cache.get('a')).toBeNull();
    expect(cache.set('big', value('x'.repeat(101)))).toBe(false);
    expect(cache.set('err', value('{"errors":[]}'))).toBe(false);
    expect(new ResponseCache({ ttlMs: 0, maxEntries: 1, maxBodyBytes: 1 }).enabled).toBe(false);
  });
});
