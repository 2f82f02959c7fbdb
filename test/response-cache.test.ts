import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '../src/auth/oauth/grants.js';
import { SigningKeyStore } from '../src/auth/oauth/keys.js';
import { createResponseCacheStore } from '../src/graphql/response-cache.js';
import { createApp } from '../src/app.js';
import { createTestApp, TEST_URL, type TestApp } from './helpers/app.js';
import { makeCustomer, registerClient, testKeyEncryption } from './helpers/oauth.js';
import { signedInCustomer } from './helpers/customer.js';
import { encodeGlobalId } from '../src/graphql/ids.js';

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
  const deps = {
    config: t.config,
    prisma: t.db.prisma,
    keys: new SigningKeyStore(t.db.prisma, { encryption: testKeyEncryption }),
    now: Date.now,
  };
  return (await signAccessToken(deps, { customerId: customer.id, clientId: client.clientId, scope: ['customer'], familyId: family.id }))
    .token;
}

describe('anonymous response cache', () => {
  it('answers a repeated anonymous query from memory, without SQL', async () => {
    const first = await t.gql(CHEAPEST);
    expect(first.headers.get('x-cache')).toBe('MISS');
    const again = await t.statements(() => t.gql(CHEAPEST));
    expect(again.result.headers.get('x-cache')).toBe('HIT');
    expect(again.result.body).toEqual(first.body);
    expect(Object.keys(again.result.body)).toEqual(['data']);
    expect(again.sql).toEqual([]);
  });

  it('serves a hit as the very bytes of the answer it stored', async () => {
    const query = '{ products(first: 3, sortKey: TITLE) { nodes { handle title priceRange { minVariantPrice { amount } } } } }';
    const post = () =>
      t.app.fetch(
        new Request(`${TEST_URL}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-storefront-access-token': t.token },
          body: JSON.stringify({ query }),
        }),
      );
    const miss = await post();
    const hit = await post();
    expect([miss.headers.get('x-cache'), hit.headers.get('x-cache')]).toEqual(['MISS', 'HIT']);
    expect(hit.headers.get('content-type')).toBe(miss.headers.get('content-type'));
    const text = await miss.text();
    expect(await hit.text()).toBe(text);
    expect(JSON.parse(text)).toHaveProperty('data.products.nodes.2.handle');
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

  it('never serves or stores a signed-in customer’s responses; a mutation purges only what its answer shows', async () => {
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
    // A customer's name is in no catalog answer: the cached listing stays.
    expect((await t.gql(CHEAPEST)).headers.get('x-cache')).toBe('HIT');
  });

  it('purges the answers showing a variant when a checkout takes its stock, and only those', async () => {
    const ada = await signedInCustomer(t);
    const variant = await t.db.prisma.productVariant.findFirstOrThrow({
      where: { inventoryQuantity: { gte: 5 }, inventoryPolicy: 'DENY', product: { status: 'ACTIVE', publishedAt: { lte: new Date() } } },
      select: { id: true, productId: true, inventoryQuantity: true, product: { select: { handle: true } } },
    });
    const other = await t.db.prisma.product.findFirstOrThrow({
      where: { id: { not: variant.productId }, status: 'ACTIVE', publishedAt: { lte: new Date() } },
      select: { handle: true },
    });
    const STOCK = 'query($handle: String!) { product(handle: $handle) { variants(first: 50) { nodes { id quantityAvailable } } } }';
    const shown = async (handle: string) => {
      const res = await t.gql(STOCK, { handle });
      const nodes = res.body.data.product.variants.nodes as { id: string; quantityAvailable: number }[];
      return {
        cache: res.headers.get('x-cache'),
        stock: nodes.find((n) => n.id === encodeGlobalId('ProductVariant', variant.id))?.quantityAvailable,
      };
    };
    await shown(variant.product.handle);
    await shown(other.handle);
    expect(await shown(variant.product.handle)).toEqual({ cache: 'HIT', stock: variant.inventoryQuantity });

    const placed = await ada.gql(
      `mutation($lines: [CartLineInput!]!) {
        cartCreate(input: { lines: $lines }) { cart { id } userErrors { code } }
      }`,
      { lines: [{ merchandiseId: encodeGlobalId('ProductVariant', variant.id), quantity: 2 }] },
    );
    const cartId = placed.body.data.cartCreate.cart.id as string;
    const steps = await ada.gql(
      `mutation($id: ID!) {
        a: cartDeliveryAddressUpdate(cartId: $id, address: { address1: "1 Main St", city: "Springfield", countryCode: "US", provinceCode: "IL", zip: "62701" }) { userErrors { code } }
        b: cartSelectedDeliveryOptionUpdate(cartId: $id, deliveryOptionHandle: "us-standard") { userErrors { code } }
        c: checkoutComplete(input: { cartId: $id, idempotencyKey: "cache-purge-1" }) { order { id } userErrors { code } }
      }`,
      { id: cartId },
    );
    expect(steps.body.data.c.userErrors).toEqual([]);
    expect(steps.body.data.c.order.id).toBeTruthy();

    expect(await shown(variant.product.handle)).toEqual({ cache: 'MISS', stock: variant.inventoryQuantity - 2 });
    expect((await shown(other.handle)).cache).toBe('HIT');
  });
});

describe('anonymous response cache, bounded', () => {
  it('never caches a mutation, even one that succeeds anonymously', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await t.gql('mutation { __typename }');
      expect(res.body.data.__typename).toBe('Mutation');
      expect(res.body.extensions).toBeUndefined(); // the cache's bookkeeping never leaks out
      expect(res.headers.get('x-cache')).toBeNull();
    }
  });

  it('marks a signed-in customer’s answers private, no-store', async () => {
    const token = await customerToken();
    const mine = await t.gql('{ customer { email } }', {}, { authorization: `Bearer ${token}` });
    expect(mine.body.data.customer.email).toMatch(/@/);
    expect(mine.headers.get('cache-control')).toBe('private, no-store');
    expect((await t.gql('{ customer { email } }')).headers.get('cache-control') ?? '').not.toMatch(/private/);
  });

  it('cannot be filled with large unique bodies (40 POSTs of junk variables)', { timeout: 180_000 }, async () => {
    const store = createResponseCacheStore({ maxBytes: 64 * 1024, maxEntryBytes: 16 * 1024 });
    const app = createApp({ config: t.config, db: t.db, responseCache: store });
    const post = (variables: Record<string, unknown>) =>
      app.fetch(
        new Request(`${TEST_URL}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-storefront-access-token': t.token },
          body: JSON.stringify({ query: CHEAPEST, variables }),
        }),
      );
    expect((await post({})).headers.get('x-cache')).toBe('MISS');
    const baseline = store.bytes;
    for (let i = 0; i < 40; i++) {
      // ~250 KB of unused variables, each body unique: answered, never kept.
      const junk = Array.from({ length: 20_000 }, (_, j) => `${i}-${j}`.padEnd(10, 'x'));
      const res = await post({ junk });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-cache')).toBeNull();
    }
    expect(store.size).toBe(1);
    expect(store.bytes).toBe(baseline);
    // Unique small queries are kept, but never beyond the byte budget.
    for (let n = 1; n <= 40; n++) await post({ n, pad: 'y'.repeat(2000) });
    expect(store.bytes).toBeLessThanOrEqual(64 * 1024);
  });
});

describe('response cache store', () => {
  const result = (n: number, pad = 0) => ({ data: { n, pad: 'x'.repeat(pad) } });

  it('expires entries after their TTL', () => {
    let now = 1_000_000;
    const store = createResponseCacheStore({ maxBytes: 10_000, maxEntryBytes: 1_000, now: () => now });
    store.set('a', result(1), [], 1000);
    expect(store.get('a')?.data).toEqual(result(1).data);
    now += 1000;
    expect(store.get('a')?.data).toEqual(result(1).data);
    now += 1;
    expect(store.get('a')).toBeNull();
    store.set('b', result(2), [], 0); // a TTL of 0 means "do not cache"
    expect(store.get('b')).toBeNull();
  });

  it('is bounded in bytes, evicting the least recently used', () => {
    const store = createResponseCacheStore({ maxBytes: 300, maxEntryBytes: 200 });
    store.set('a', result(1, 80), [], 60_000);
    store.set('b', result(2, 80), [], 60_000);
    expect(store.get('a')).not.toBeNull(); // a is now the most recent
    store.set('c', result(3, 80), [], 60_000);
    expect(store.get('b')).toBeNull();
    expect(store.get('a')).not.toBeNull();
    expect(store.get('c')).not.toBeNull();
    expect(store.bytes).toBeLessThanOrEqual(300);
    store.set('big', result(4, 250), [], 60_000); // larger than one entry may be
    expect(store.get('big')).toBeNull();
    expect(store.get('a')).not.toBeNull(); // and it evicted nothing
  });

  it('purges the entries showing an invalidated entity, and only those', () => {
    const store = createResponseCacheStore({ maxBytes: 10_000, maxEntryBytes: 1_000 });
    const product = (id: number) => ({ typename: 'Product', id: `gid://vitrine/Product/${id}` });
    store.set('a', result(1), [product(1), product(2)], 60_000);
    store.set('b', result(2), [product(2)], 60_000);
    store.set('c', result(3), [{ typename: 'Collection', id: 'gid://vitrine/Collection/1' }], 60_000);
    store.invalidate([product(1)]);
    expect([store.get('a'), store.get('b')?.data, store.get('c')?.data]).toEqual([null, result(2).data, result(3).data]);
    store.invalidate([{ typename: 'Product' }]); // a type without an id: every answer showing one
    expect([store.get('b'), store.get('c')?.data]).toEqual([null, result(3).data]);
    store.invalidate([{ typename: 'Customer', id: '1' }]);
    expect(store.size).toBe(1);
  });
});
