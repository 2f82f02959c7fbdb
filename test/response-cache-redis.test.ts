// The response cache shared through Redis (REDIS_URL): one process's answers serve another,
// and a checkout in one purges the answers showing its variants for all. Runs when
// REDIS_URL is set (.ci/run sets it for the PostgreSQL run).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { encodeGlobalId } from '../src/graphql/ids.js';
import { createRedisResponseCacheStore } from '../src/graphql/response-cache-redis.js';
import { createTestApp, TEST_URL, type TestApp } from './helpers/app.js';
import { signedInCustomer } from './helpers/customer.js';

const REDIS_URL = process.env.REDIS_URL;

describe.skipIf(!REDIS_URL)('response cache in Redis', () => {
  let t: TestApp;
  let other: App;
  let redis: Redis;

  beforeAll(async () => {
    t = await createTestApp({ products: 60, env: { RESPONSE_CACHE_TTL_MS: '60000', REDIS_URL: REDIS_URL! } });
    other = createApp({ config: t.config, db: t.db }); // a second process's app: same database, same Redis
    await Promise.all([t.app.ready(), other.ready()]);
    redis = new Redis(REDIS_URL!);
    await redis.ping(); // ready: the store skips Redis while it is not
  }, 120_000);
  afterAll(async () => {
    await Promise.all([t?.app.close(), other?.close(), redis?.quit()]);
    await t?.close();
  });

  const ask = async (app: App, query: string, variables: Record<string, unknown>) => {
    const response = await app.fetch(
      new Request(`${TEST_URL}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-storefront-access-token': t.token },
        body: JSON.stringify({ query, variables }),
      }),
    );
    return { cache: response.headers.get('x-cache'), body: (await response.json()) as { data: Record<string, unknown> } };
  };

  it('stores, finds and purges by entity, bounded per entry', async () => {
    const store = createRedisResponseCacheStore(redis, { prefix: `vitrine-test:${randomUUID()}:`, maxEntryBytes: 200 });
    const product = (id: number) => ({ typename: 'Product', id: encodeGlobalId('Product', id) });
    await store.set('a', { data: { n: 1 } }, [product(1)], 60_000);
    await store.set('b', { data: { n: 2 } }, [product(2)], 60_000);
    await store.set('big', { data: { pad: 'x'.repeat(300) } }, [product(3)], 60_000);
    expect(await store.get('a')).toEqual({ data: { n: 1 } });
    expect(await store.get('big')).toBeNull();
    await store.invalidate([product(1)]);
    expect([await store.get('a'), await store.get('b')]).toEqual([null, { data: { n: 2 } }]);
    await store.clear();
    expect(await store.get('b')).toBeNull();
  });

  it('serves one process’s answer to another, and a checkout in one purges it for both', async () => {
    const variant = await t.db.prisma.productVariant.findFirstOrThrow({
      where: { inventoryQuantity: { gte: 5 }, inventoryPolicy: 'DENY', product: { status: 'ACTIVE', publishedAt: { lte: new Date() } } },
      orderBy: { id: 'desc' },
      select: { id: true, inventoryQuantity: true, product: { select: { handle: true } } },
    });
    const STOCK = 'query($handle: String!) { product(handle: $handle) { variants(first: 50) { nodes { id quantityAvailable } } } }';
    const stock = (answer: { body: { data: Record<string, unknown> } }) =>
      (answer.body.data['product'] as { variants: { nodes: { id: string; quantityAvailable: number }[] } }).variants.nodes.find(
        (n) => n.id === encodeGlobalId('ProductVariant', variant.id),
      )?.quantityAvailable;
    const handle = variant.product.handle;

    const first = await ask(t.app, STOCK, { handle });
    const shared = await ask(other, STOCK, { handle });
    expect([first.cache, shared.cache]).toEqual(['MISS', 'HIT']);
    expect(stock(shared)).toBe(variant.inventoryQuantity);

    const ada = await signedInCustomer(t); // signed in on the first app
    const created = await ada.gql(`mutation($lines: [CartLineInput!]!) { cartCreate(input: { lines: $lines }) { cart { id } } }`, {
      lines: [{ merchandiseId: encodeGlobalId('ProductVariant', variant.id), quantity: 3 }],
    });
    const placed = await ada.gql(
      `mutation($id: ID!) {
        a: cartDeliveryAddressUpdate(cartId: $id, address: { address1: "1 Main St", city: "Springfield", countryCode: "US", provinceCode: "IL", zip: "62701" }) { userErrors { code } }
        b: cartSelectedDeliveryOptionUpdate(cartId: $id, deliveryOptionHandle: "us-standard") { userErrors { code } }
        c: checkoutComplete(input: { cartId: $id, idempotencyKey: "redis-purge-1" }) { order { id } userErrors { code } }
      }`,
      { id: (created.body.data.cartCreate as { cart: { id: string } }).cart.id },
    );
    expect(placed.body.data.c.userErrors).toEqual([]);

    const after = await ask(other, STOCK, { handle });
    expect(after.cache).toBe('MISS');
    expect(stock(after)).toBe(variant.inventoryQuantity - 3);
  });
});
