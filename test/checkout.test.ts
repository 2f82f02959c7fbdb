// Checkout through GraphQL: orders, snapshots, idempotency, coded refusals, and the
// concurrency guarantees (no overselling, one order per key, no deadlocks). Runs on PGlite,
// and on PostgreSQL when DATABASE_URL is set.
import { randomUUID } from 'node:crypto';
import { encodeGlobalId, parseGlobalId } from '../src/graphql/ids.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCart, selectCartDeliveryOption } from '../src/commerce/cart-store.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { signedInCustomer, type SignedInCustomer } from './helpers/customer.js';

let t: TestApp;
let ada: SignedInCustomer;
let variantIds: number[];

const ADDRESS = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  address1: '1 Main St',
  city: 'Springfield',
  countryCode: 'US',
  provinceCode: 'IL',
  zip: '62701',
};
const gid = (type: string, id: string | number) => encodeGlobalId(type, id);
const dbId = (globalId: string) => parseGlobalId(globalId)!.id;
const deps = () => ({ limits: t.config.commerce, now: new Date() });

const CHECKOUT = /* GraphQL */ `
  mutation Checkout($cartId: ID!, $key: String!) {
    checkoutComplete(input: { cartId: $cartId, idempotencyKey: $key }) {
      order {
        id
        number
        orderNumber
        status
        financialStatus
        fulfillmentStatus
        processedAt
        currencyCode
        subtotal {
          amount
        }
        totalShipping {
          amount
        }
        total {
          amount
          currencyCode
        }
        shippingAddress {
          address1
          city
          provinceCode
          countryCode
          zip
        }
        shippingLine {
          title
          handle
          originalPrice {
            amount
          }
        }
        lineItems(first: 10) {
          nodes {
            title
            variantTitle
            sku
            quantity
            unitPrice {
              amount
            }
            totalPrice {
              amount
            }
            imageUrl
            variant {
              id
            }
          }
        }
      }
      priceChanges {
        merchandiseId
        title
        previousUnitPrice {
          amount
        }
        unitPrice {
          amount
        }
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

/** A cart of the customer's, with an address and the US standard rate, made through the commerce layer. */
async function readyCart(customerId: string, lines: { variantId: number; quantity: number }[], option: string | null = 'us-standard') {
  const created = await createCart(t.db.prisma, customerId, { lines, deliveryAddress: ADDRESS }, deps());
  expect(created.userErrors).toEqual([]);
  if (option) expect((await selectCartDeliveryOption(t.db.prisma, customerId, created.cartId!, option, deps())).userErrors).toEqual([]);
  return gid('Cart', created.cartId!);
}

/** Many ready carts in two statements (the concurrency tests need dozens). */
async function readyCartsBulk(customerId: string, linesPerCart: { variantId: number; quantity: number }[][]) {
  const rate = await t.db.prisma.shippingRate.findUniqueOrThrow({ where: { handle: 'us-standard' } });
  const address = { ...ADDRESS, province: 'Illinois' };
  const ids = linesPerCart.map(() => randomUUID());
  await t.db.prisma.cart.createMany({ data: ids.map((id) => ({ id, customerId, deliveryAddress: address, shippingRateId: rate.id })) });
  await t.db.prisma.cartLine.createMany({ data: linesPerCart.flatMap((lines, i) => lines.map((l) => ({ cartId: ids[i]!, ...l }))) });
  return ids.map((id) => gid('Cart', id));
}

beforeAll(async () => {
  // Generous transaction limits: on a loaded 2-core machine, 50 checkouts queue for PGlite's one connection.
  t = await createTestApp({ products: 12, env: { CHECKOUT_MAX_WAIT_MS: '120000', CHECKOUT_TIMEOUT_MS: '120000' } });
  ada = await signedInCustomer(t);
  const visible = await t.db.prisma.productVariant.findMany({
    where: { product: { status: 'ACTIVE', publishedAt: { lte: new Date() } } },
    orderBy: { id: 'asc' },
    select: { id: true },
  });
  variantIds = visible.map((v) => v.id);
  await t.db.prisma.productVariant.updateMany({
    where: { id: { in: variantIds } },
    data: { inventoryQuantity: 1000, inventoryPolicy: 'DENY' },
  });
});
afterAll(() => t?.close());

describe('checkout', () => {
  it('walks from cartCreate to an order: delivery options, cost, snapshot, stock, completed cart', async () => {
    const [v1, v2] = variantIds;
    const created = await ada.gql(
      `mutation($input: CartInput) { cartCreate(input: $input) { cart { id deliveryAddress { city province country } deliveryOptions { handle title estimatedCost { amount } }
        cost { subtotalAmount { amount } totalShippingAmount { amount } totalAmount { amount } } } userErrors { code } } }`,
      {
        input: {
          lines: [
            { merchandiseId: gid('ProductVariant', v1!), quantity: 2 },
            { merchandiseId: gid('ProductVariant', v2!), quantity: 1 },
          ],
          deliveryAddress: ADDRESS,
        },
      },
    );
    const cart = created.body.data.cartCreate.cart;
    expect(cart.deliveryAddress).toEqual({ city: 'Springfield', province: 'Illinois', country: 'United States' });
    expect(cart.deliveryOptions.map((o: { handle: string }) => o.handle)).toEqual(['us-standard', 'us-express']);
    expect(cart.cost.totalShippingAmount).toBeNull();

    const noOption = await ada.gql(CHECKOUT, { cartId: cart.id, key: 'k-no-option' });
    expect(noOption.body.data.checkoutComplete.userErrors.map((e: { code: string }) => e.code)).toEqual(['DELIVERY_OPTION_REQUIRED']);

    const chosen = await ada.gql(
      `mutation($id: ID!) { cartSelectedDeliveryOptionUpdate(cartId: $id, deliveryOptionHandle: "us-express") { cart { selectedDeliveryOption { handle } cost { subtotalAmount { amount } totalShippingAmount { amount } totalAmount { amount } } } userErrors { code } } }`,
      { id: cart.id },
    );
    const cost = chosen.body.data.cartSelectedDeliveryOptionUpdate.cart.cost;
    expect(cost.totalShippingAmount.amount).toBe('14.99');
    expect(Number(cost.totalAmount.amount)).toBeCloseTo(Number(cost.subtotalAmount.amount) + 14.99, 2);
    const before = await t.db.prisma.productVariant.findMany({
      where: { id: { in: [v1!, v2!] } },
      orderBy: { id: 'asc' },
      select: { inventoryQuantity: true },
    });

    const placed = await ada.gql(CHECKOUT, { cartId: cart.id, key: 'k-1' });
    expect(placed.status).toBe(200);
    const { order, userErrors, priceChanges } = placed.body.data.checkoutComplete;
    expect(userErrors).toEqual([]);
    expect(priceChanges).toEqual([]);
    expect(order).toMatchObject({
      number: expect.stringMatching(/^#\d{4,}$/),
      status: 'PENDING_PAYMENT',
      financialStatus: 'PENDING',
      fulfillmentStatus: 'UNFULFILLED',
      currencyCode: 'USD',
      subtotal: cost.subtotalAmount,
      totalShipping: { amount: '14.99' },
      total: { amount: cost.totalAmount.amount, currencyCode: 'USD' },
      shippingAddress: { address1: '1 Main St', city: 'Springfield', provinceCode: 'IL', countryCode: 'US', zip: '62701' },
      shippingLine: { title: 'Express', handle: 'us-express', originalPrice: { amount: '14.99' } },
    });
    expect(order.orderNumber).toBeGreaterThanOrEqual(1001);
    expect(order.lineItems.nodes.map((l: { quantity: number; variant: { id: string } }) => [l.variant.id, l.quantity])).toEqual([
      [gid('ProductVariant', v1!), 2],
      [gid('ProductVariant', v2!), 1],
    ]);
    const after = await t.db.prisma.productVariant.findMany({
      where: { id: { in: [v1!, v2!] } },
      orderBy: { id: 'asc' },
      select: { inventoryQuantity: true },
    });
    expect(after.map((v) => v.inventoryQuantity)).toEqual([before[0]!.inventoryQuantity - 2, before[1]!.inventoryQuantity - 1]);

    // The cart is completed and read-only; the same key returns the same order; another cart with it is refused.
    const frozen = await ada.gql(
      `mutation($id: ID!) { cartNoteUpdate(cartId: $id, note: "late") { cart { completedAt note } userErrors { code } } }`,
      { id: cart.id },
    );
    expect(frozen.body.data.cartNoteUpdate.userErrors).toEqual([{ code: 'ALREADY_COMPLETED' }]);
    expect(frozen.body.data.cartNoteUpdate.cart.completedAt).not.toBeNull();
    const again = await ada.gql(CHECKOUT, { cartId: cart.id, key: 'k-1' });
    expect(again.body.data.checkoutComplete.order.id).toBe(order.id);
    const otherCart = await readyCart(ada.customerId, [{ variantId: v1!, quantity: 1 }]);
    const reused = await ada.gql(CHECKOUT, { cartId: otherCart, key: 'k-1' });
    expect(reused.body.data.checkoutComplete).toMatchObject({
      order: null,
      userErrors: [{ field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED' }],
    });
    const secondKey = await ada.gql(CHECKOUT, { cartId: cart.id, key: 'k-2' });
    expect(secondKey.body.data.checkoutComplete.userErrors.map((e: { code: string }) => e.code)).toEqual(['ALREADY_COMPLETED']);

    // The order is a snapshot: catalog changes do not reach it.
    await t.db.prisma.product.updateMany({ where: { variants: { some: { id: v1! } } }, data: { title: 'Renamed later' } });
    await t.db.prisma.productVariant.update({ where: { id: v1! }, data: { price: { increment: 500 }, sku: 'CHANGED' } });
    const read = await ada.gql(
      `query($id: ID!) { order(id: $id) { lineItems(first: 10) { nodes { title sku unitPrice { amount } } } total { amount } } }`,
      { id: order.id },
    );
    expect(read.body.data.order.lineItems.nodes[0]).toEqual({
      title: order.lineItems.nodes[0].title,
      sku: order.lineItems.nodes[0].sku,
      unitPrice: order.lineItems.nodes[0].unitPrice,
    });
    expect(read.body.data.order.total.amount).toBe(order.total.amount);
    // A line's current variant is shown only while its product is published.
    const lineVariant = `query($id: ID!) { order(id: $id) { lineItems(first: 10) { nodes { title variant { id sku } } } } }`;
    expect((await ada.gql(lineVariant, { id: order.id })).body.data.order.lineItems.nodes[0].variant).toEqual({
      id: gid('ProductVariant', v1!),
      sku: 'CHANGED',
    });
    await t.db.prisma.product.updateMany({ where: { variants: { some: { id: v1! } } }, data: { status: 'DRAFT' } });
    const hidden = await ada.gql(lineVariant, { id: order.id });
    expect(hidden.body.data.order.lineItems.nodes[0]).toEqual({ title: order.lineItems.nodes[0].title, variant: null });
    await t.db.prisma.product.updateMany({ where: { variants: { some: { id: v1! } } }, data: { status: 'ACTIVE' } });
  }, 120_000);

  it('refuses with codes: no address, no option, empty cart, sold out, not enough stock, unpublished', async () => {
    const [v1, v2, v3] = variantIds;
    const codes = async (cartId: string) => {
      const result = await ada.gql(CHECKOUT, { cartId, key: `k-${Math.random()}` });
      expect(result.status).toBe(200);
      expect(result.body.data.checkoutComplete.order).toBeNull();
      return result.body.data.checkoutComplete.userErrors.map((e: { code: string }) => e.code);
    };
    const bare = await createCart(t.db.prisma, ada.customerId, { lines: [{ variantId: v1!, quantity: 1 }] }, deps());
    expect(await codes(gid('Cart', bare.cartId!))).toEqual(['DELIVERY_ADDRESS_REQUIRED', 'DELIVERY_OPTION_REQUIRED']);
    const empty = await createCart(t.db.prisma, ada.customerId, { lines: [], deliveryAddress: ADDRESS }, deps());
    await selectCartDeliveryOption(t.db.prisma, ada.customerId, empty.cartId!, 'us-standard', deps());
    expect(await codes(gid('Cart', empty.cartId!))).toEqual(['EMPTY_CART']);

    const cart = await readyCart(ada.customerId, [
      { variantId: v2!, quantity: 3 },
      { variantId: v3!, quantity: 1 },
    ]);
    await t.db.prisma.productVariant.update({ where: { id: v2! }, data: { inventoryQuantity: 2 } });
    await t.db.prisma.productVariant.update({ where: { id: v3! }, data: { inventoryQuantity: 0 } });
    expect(await codes(cart)).toEqual(['NOT_ENOUGH_IN_STOCK', 'OUT_OF_STOCK']);
    await t.db.prisma.productVariant.update({ where: { id: v2! }, data: { inventoryPolicy: 'CONTINUE' } });
    const hiddenProduct = await t.db.prisma.productVariant.findUniqueOrThrow({ where: { id: v3! }, select: { productId: true } });
    await t.db.prisma.product.update({ where: { id: hiddenProduct.productId }, data: { status: 'ARCHIVED' } });
    expect(new Set(await codes(cart))).toEqual(new Set(['NOT_FOUND'])); // v2 may share v3's product
    // Nothing was taken by the refused attempts, and the cart is still open.
    expect((await t.db.prisma.productVariant.findUniqueOrThrow({ where: { id: v2! } })).inventoryQuantity).toBe(2);
    expect((await t.db.prisma.cart.findUniqueOrThrow({ where: { id: dbId(cart) } })).completedAt).toBeNull();
    await t.db.prisma.product.update({ where: { id: hiddenProduct.productId }, data: { status: 'ACTIVE' } });
    await t.db.prisma.productVariant.update({ where: { id: v3! }, data: { inventoryQuantity: 1000 } });
    // Backorder (CONTINUE) may go below zero.
    const placed = await ada.gql(CHECKOUT, { cartId: cart, key: 'backorder' });
    expect(placed.body.data.checkoutComplete.userErrors).toEqual([]);
    expect((await t.db.prisma.productVariant.findUniqueOrThrow({ where: { id: v2! } })).inventoryQuantity).toBe(-1);
    await t.db.prisma.productVariant.update({ where: { id: v2! }, data: { inventoryQuantity: 1000, inventoryPolicy: 'DENY' } });
  }, 120_000);

  it('applies a price change since the line was added and reports it', async () => {
    const v = variantIds[4]!;
    const cart = await readyCart(ada.customerId, [{ variantId: v, quantity: 2 }]);
    const old = (await t.db.prisma.productVariant.findUniqueOrThrow({ where: { id: v } })).price;
    await t.db.prisma.productVariant.update({ where: { id: v }, data: { price: old + 100 } });
    const placed = await ada.gql(CHECKOUT, { cartId: cart, key: 'price-change' });
    const result = placed.body.data.checkoutComplete;
    expect(result.userErrors).toEqual([]);
    expect(result.priceChanges).toEqual([
      expect.objectContaining({
        merchandiseId: gid('ProductVariant', v),
        previousUnitPrice: { amount: (old / 100).toFixed(2) },
        unitPrice: { amount: ((old + 100) / 100).toFixed(2) },
      }),
    ]);
    expect(result.order.lineItems.nodes[0].unitPrice.amount).toBe(((old + 100) / 100).toFixed(2));
    expect(result.order.subtotal.amount).toBe((((old + 100) * 2) / 100).toFixed(2));
  });

  it('answers anonymous and other customers like an unknown cart', async () => {
    const bob = await signedInCustomer(t);
    const cart = await readyCart(ada.customerId, [{ variantId: variantIds[5]!, quantity: 1 }]);
    const theirs = await bob.gql(CHECKOUT, { cartId: cart, key: 'x' });
    const unknown = await bob.gql(CHECKOUT, { cartId: gid('Cart', '6b1e9a64-0000-4000-8000-000000000000'), key: 'x' });
    expect(theirs.body).toEqual(unknown.body);
    expect(theirs.body.data.checkoutComplete.userErrors[0].code).toBe('NOT_FOUND');
    const anonymous = await t.gql(CHECKOUT, { cartId: cart, key: 'x' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await t.db.prisma.order.count({ where: { cartId: dbId(cart) } })).toBe(0);
  });
});

describe('checkout under concurrency', () => {
  it('50 parallel checkouts of a variant with 30 units: 30 orders, stock exactly 0, no 500s', async () => {
    const v = variantIds[6]!;
    const carts = await readyCartsBulk(
      ada.customerId,
      Array.from({ length: 50 }, () => [{ variantId: v, quantity: 1 }]),
    );
    await t.db.prisma.productVariant.update({ where: { id: v }, data: { inventoryQuantity: 30 } });
    const results = await Promise.all(carts.map((cartId, i) => ada.gql(CHECKOUT, { cartId, key: `burst-${i}` })));
    expect(results.map((r) => r.status)).toEqual(carts.map(() => 200));
    const placed = results.filter((r) => r.body.data.checkoutComplete.order);
    const refused = results.filter((r) => !r.body.data.checkoutComplete.order);
    expect(placed).toHaveLength(30);
    for (const r of refused) expect(['OUT_OF_STOCK', 'NOT_ENOUGH_IN_STOCK']).toContain(r.body.data.checkoutComplete.userErrors[0].code);
    expect((await t.db.prisma.productVariant.findUniqueOrThrow({ where: { id: v } })).inventoryQuantity).toBe(0);
    expect(await t.db.prisma.orderLine.aggregate({ where: { variantId: v }, _sum: { quantity: true } })).toEqual({
      _sum: { quantity: 30 },
    });
    const product = await t.db.prisma.product.findFirstOrThrow({
      where: { variants: { some: { id: v } } },
      select: { availableForSale: true, variants: { select: { inventoryQuantity: true } } },
    });
    expect(product.availableForSale).toBe(product.variants.some((x) => x.inventoryQuantity > 0));
  }, 180_000);

  it('20 parallel calls with one idempotency key: one order, and all 20 answers name it', async () => {
    const cart = await readyCart(ada.customerId, [{ variantId: variantIds[7]!, quantity: 2 }]);
    const before = (await t.db.prisma.productVariant.findUniqueOrThrow({ where: { id: variantIds[7]! } })).inventoryQuantity;
    const results = await Promise.all(Array.from({ length: 20 }, () => ada.gql(CHECKOUT, { cartId: cart, key: 'one-key' })));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    const ids = new Set(results.map((r) => r.body.data.checkoutComplete.order?.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toEqual(expect.any(String));
    expect(await t.db.prisma.order.count({ where: { cartId: dbId(cart) } })).toBe(1);
    expect((await t.db.prisma.productVariant.findUniqueOrThrow({ where: { id: variantIds[7]! } })).inventoryQuantity).toBe(before - 2);
  }, 180_000);

  it('carts taking the same two variants in opposite order never deadlock', async () => {
    const [a, b] = [variantIds[8]!, variantIds[9]!];
    const carts = await readyCartsBulk(
      ada.customerId,
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? [
              { variantId: b, quantity: 1 },
              { variantId: a, quantity: 1 },
            ]
          : [
              { variantId: a, quantity: 1 },
              { variantId: b, quantity: 1 },
            ],
      ),
    );
    const results = await Promise.all(carts.map((cartId, i) => ada.gql(CHECKOUT, { cartId, key: `pair-${i}` })));
    expect(results.map((r) => [r.status, r.body.data?.checkoutComplete.userErrors])).toEqual(carts.map(() => [200, []]));
    const stock = await t.db.prisma.productVariant.findMany({ where: { id: { in: [a, b] } }, select: { inventoryQuantity: true } });
    expect(stock.map((s) => s.inventoryQuantity)).toEqual([980, 980]);
  }, 180_000);
});
