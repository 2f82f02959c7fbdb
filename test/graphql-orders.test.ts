// customer { orders } and order(id): sort keys, keyset pages, ownership, and a statement
// count per page that does not grow with the page size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../src/graphql/ids.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { signedInCustomer, type SignedInCustomer } from './helpers/customer.js';

let t: TestApp;
let ada: SignedInCustomer;
let bob: SignedInCustomer;
let adaOrders: { id: string; number: number; total: number; processedAt: Date }[];

const gid = (type: string, id: string | number) => encodeGlobalId(type, id);
const ADDRESS = { address1: '1 Main St', city: 'Springfield', countryCode: 'US', provinceCode: 'IL', zip: '62701' };

async function insertOrders(customerId: string, count: number, prefix: string) {
  const variant = await t.db.prisma.productVariant.findFirstOrThrow({ select: { id: true, productId: true } });
  const rows = [];
  for (let i = 0; i < count; i++) {
    const total = 1000 + ((i * 7919) % 50) * 100; // repeated totals: ties are broken by id
    rows.push(
      await t.db.prisma.order.create({
        data: {
          customerId,
          idempotencyKey: `${prefix}-${i}`,
          email: 'x@example.com',
          currencyCode: 'USD',
          subtotal: total - 500,
          total,
          shippingTitle: 'Standard',
          shippingHandle: 'us-standard',
          shippingPrice: 500,
          shippingAddress: ADDRESS,
          processedAt: new Date(Date.UTC(2026, 0, 1) + ((i * 37) % count) * 60_000),
          lines: {
            create: [
              {
                position: 0,
                productId: variant.productId,
                variantId: variant.id,
                title: `Thing ${i}`,
                variantTitle: 'Default',
                currencyCode: 'USD',
                unitPrice: total - 500,
                quantity: 1,
                total: total - 500,
              },
            ],
          },
        },
        select: { id: true, number: true, total: true, processedAt: true },
      }),
    );
  }
  return rows;
}

const ORDERS = /* GraphQL */ `
  query Orders($first: Int!, $after: String, $sortKey: OrderSortKeys, $reverse: Boolean) {
    customer {
      orders(first: $first, after: $after, sortKey: $sortKey, reverse: $reverse) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          number
          processedAt
          total {
            amount
            currencyCode
          }
          subtotal {
            amount
          }
          shippingLine {
            title
          }
          lineItems(first: 5) {
            nodes {
              title
              quantity
              unitPrice {
                amount
              }
              variant {
                id
              }
            }
          }
        }
      }
    }
  }
`;

beforeAll(async () => {
  t = await createTestApp({ products: 5 });
  ada = await signedInCustomer(t);
  bob = await signedInCustomer(t);
  adaOrders = await insertOrders(ada.customerId, 60, 'ada');
  await insertOrders(bob.customerId, 3, 'bob');
}, 120_000);
afterAll(() => t?.close());

async function walk(sortKey: string, reverse: boolean): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: {
      status: number;
      body: { data: { customer: { orders: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } } };
    } = await ada.gql(ORDERS, { first: 7, after, sortKey, reverse });
    const orders = page.body.data.customer.orders;
    ids.push(...orders.nodes.map((n) => n.id));
    if (!orders.pageInfo.hasNextPage) return ids;
    after = orders.pageInfo.endCursor;
  }
}

describe('customer orders', () => {
  it('numbers orders from #1001 upwards, uniquely', () => {
    const numbers = adaOrders.map((o) => o.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(Math.min(...numbers)).toBeGreaterThanOrEqual(1001);
  });

  it('pages through every sort key in order, with the id breaking ties, and only the own orders', async () => {
    const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
    const expected = {
      ID: [...adaOrders].sort((a, b) => cmp(a.id, b.id)),
      TOTAL_PRICE: [...adaOrders].sort((a, b) => cmp(a.total, b.total) || cmp(a.id, b.id)),
      PROCESSED_AT: [...adaOrders].sort((a, b) => cmp(a.processedAt.getTime(), b.processedAt.getTime()) || cmp(a.id, b.id)),
    };
    for (const [sortKey, rows] of Object.entries(expected)) {
      expect(await walk(sortKey, false), sortKey).toEqual(rows.map((o) => gid('Order', o.id)));
      expect(await walk(sortKey, true), `${sortKey} reversed`).toEqual(rows.map((o) => gid('Order', o.id)).reverse());
    }
  }, 120_000);

  it("reads one order by id; another customer's order answers like an unknown ID", async () => {
    const mine = gid('Order', adaOrders[0]!.id);
    const own = await ada.gql(`query($id: ID!) { order(id: $id) { number email status } node(id: $id) { ... on Order { number } } }`, {
      id: mine,
    });
    expect(own.body.data.order).toEqual({ number: `#${adaOrders[0]!.number}`, email: 'x@example.com', status: 'PENDING_PAYMENT' });
    expect(own.body.data.node).toEqual({ number: `#${adaOrders[0]!.number}` });
    const query = `query($id: ID!) { order(id: $id) { number } node(id: $id) { id } nodes(ids: [$id]) { id } again: order(id: $id) { email } }`;
    const theirs = await bob.gql(query, { id: mine });
    const unknown = await bob.gql(query, { id: gid('Order', '6b1e9a64-0000-4000-8000-000000000000') });
    expect(theirs.body).toEqual(unknown.body);
    expect(theirs.body.data).toEqual({ order: null, node: null, nodes: [null], again: null });
    const anonymous = await t.gql(query, { id: mine });
    expect(anonymous.status).toBe(401);
    expect(JSON.stringify(anonymous.body)).not.toContain('x@example.com');
    const bobs = await bob.gql(`{ customer { orders(first: 50) { nodes { id } } } }`);
    expect(bobs.body.data.customer.orders.nodes).toHaveLength(3);
  });

  it('answers an orders page in the same number of statements for 5 and 50 orders', async () => {
    const ownOnly = (sql: string[]) => sql.filter((s) => !/"(StorefrontToken|SigningKey|TokenFamily)"/.test(s));
    await ada.gql(ORDERS, { first: 1 }); // warm the token caches
    const small = await t.statements(() => ada.gql(ORDERS, { first: 5, sortKey: 'TOTAL_PRICE', reverse: true }));
    const large = await t.statements(() => ada.gql(ORDERS, { first: 50, sortKey: 'TOTAL_PRICE', reverse: true }));
    expect(small.result.body.errors).toBeUndefined();
    expect(small.result.body.data.customer.orders.nodes).toHaveLength(5);
    expect(large.result.body.data.customer.orders.nodes).toHaveLength(50);
    expect(ownOnly(small.sql).length).toBeLessThanOrEqual(5);
    expect(ownOnly(large.sql).length).toBe(ownOnly(small.sql).length);
  });
});
