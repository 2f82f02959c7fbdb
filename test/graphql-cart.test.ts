import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId, parseGlobalId } from '../src/graphql/ids.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { signedInCustomer, type SignedInCustomer } from './helpers/customer.js';

let t: TestApp;
let ada: SignedInCustomer;
let bob: SignedInCustomer;
let variants: { id: string; price: { amount: string }; quantityAvailable: number }[];

const VARIANTS = /* GraphQL */ `
  {
    products(first: 20) {
      nodes {
        variants(first: 5) {
          nodes {
            id
            price {
              amount
            }
            quantityAvailable
            availableForSale
          }
        }
      }
    }
  }
`;

const CART_FIELDS = /* GraphQL */ `
  fragment CartFields on Cart {
    id
    totalQuantity
    note
    createdAt
    updatedAt
    lines(first: 50) {
      nodes {
        id
        quantity
        merchandise {
          ... on ProductVariant {
            id
            title
          }
        }
        cost {
          amountPerQuantity {
            amount
            currencyCode
          }
          compareAtAmountPerQuantity {
            amount
          }
          subtotalAmount {
            amount
          }
          totalAmount {
            amount
          }
        }
      }
    }
    cost {
      subtotalAmount {
        amount
        currencyCode
      }
      totalAmount {
        amount
      }
    }
  }
`;

beforeAll(async () => {
  t = await createTestApp({ products: 20 });
  ada = await signedInCustomer(t);
  bob = await signedInCustomer(t);
  const result = await t.gql(VARIANTS);
  type Variant = { availableForSale: boolean; quantityAvailable: number };
  variants = result.body.data.products.nodes
    .flatMap((p: { variants: { nodes: Variant[] } }) => p.variants.nodes)
    .filter((v: Variant) => v.availableForSale && v.quantityAvailable >= 3);
});
afterAll(() => t?.close());

describe('cart', () => {
  it('creates a cart, merges lines by variant and prices them from the catalog', async () => {
    const [a, b] = variants;
    const created = await ada.gql(
      `mutation($input: CartInput) { cartCreate(input: $input) { cart { ...CartFields } userErrors { field code message } } } ${CART_FIELDS}`,
      {
        input: {
          lines: [
            { merchandiseId: a!.id, quantity: 1 },
            { merchandiseId: b!.id, quantity: 2 },
            { merchandiseId: a!.id, quantity: 1 },
          ],
          note: 'Gift',
        },
      },
    );
    expect(created.status).toBe(200);
    expect(created.body.errors).toBeUndefined();
    const { cart, userErrors } = created.body.data.cartCreate;
    expect(userErrors).toEqual([]);
    expect(cart.totalQuantity).toBe(4);
    expect(cart.lines.nodes).toHaveLength(2);
    const lineA = cart.lines.nodes.find((l: { merchandise: { id: string } }) => l.merchandise.id === a!.id);
    expect(lineA.quantity).toBe(2);
    expect(lineA.cost.amountPerQuantity.amount).toBe(a!.price.amount);
    const expected = (Number(a!.price.amount) * 2 + Number(b!.price.amount) * 2).toFixed(2);
    expect(cart.cost.subtotalAmount).toEqual({ amount: expected, currencyCode: 'USD' });
    expect(cart.cost.totalAmount.amount).toBe(expected);
    expect(cart.note).toBe('Gift');
  });

  it('adds, updates and removes lines; the same cart follows the customer', async () => {
    const [a, b, c] = variants;
    const { cartId } = await newCart(ada, [{ merchandiseId: a!.id, quantity: 1 }]);
    const added = await ada.gql(
      `mutation($id: ID!, $lines: [CartLineInput!]!) { cartLinesAdd(cartId: $id, lines: $lines) { cart { ...CartFields } userErrors { code } } } ${CART_FIELDS}`,
      { id: cartId, lines: [{ merchandiseId: a!.id, quantity: 1 }, { merchandiseId: b!.id }] },
    );
    expect(added.body.data.cartLinesAdd.userErrors).toEqual([]);
    const lines = added.body.data.cartLinesAdd.cart.lines.nodes;
    expect(lines.map((l: { quantity: number }) => l.quantity).sort()).toEqual([1, 2]);
    const lineA = lines.find((l: { merchandise: { id: string } }) => l.merchandise.id === a!.id);
    const lineB = lines.find((l: { merchandise: { id: string } }) => l.merchandise.id === b!.id);

    const updated = await ada.gql(
      `mutation($id: ID!, $lines: [CartLineUpdateInput!]!) { cartLinesUpdate(cartId: $id, lines: $lines) { cart { totalQuantity lines(first: 5) { nodes { id quantity } } } userErrors { code } } }`,
      {
        id: cartId,
        lines: [
          { id: lineA.id, quantity: 3 },
          { id: lineB.id, quantity: 0 },
        ],
      },
    );
    expect(updated.body.data.cartLinesUpdate).toEqual({
      cart: { totalQuantity: 3, lines: { nodes: [{ id: lineA.id, quantity: 3 }] } },
      userErrors: [],
    });

    const more = await ada.gql(
      `mutation($id: ID!, $lines: [CartLineInput!]!) { cartLinesAdd(cartId: $id, lines: $lines) { userErrors { code } } }`,
      {
        id: cartId,
        lines: [{ merchandiseId: c!.id, quantity: 1 }],
      },
    );
    expect(more.body.data.cartLinesAdd.userErrors).toEqual([]);
    const removed = await ada.gql(
      `mutation($id: ID!, $ids: [ID!]!) { cartLinesRemove(cartId: $id, lineIds: $ids) { cart { totalQuantity } userErrors { code } } }`,
      {
        id: cartId,
        ids: [lineA.id],
      },
    );
    expect(removed.body.data.cartLinesRemove).toEqual({ cart: { totalQuantity: 1 }, userErrors: [] });
    const note = await ada.gql(
      `mutation($id: ID!) { cartNoteUpdate(cartId: $id, note: "Leave at the door") { cart { note } userErrors { code } } }`,
      { id: cartId },
    );
    expect(note.body.data.cartNoteUpdate.cart.note).toBe('Leave at the door');

    // Another device: the same customer finds the cart again.
    const resumed = await ada.gql(`{ customer { activeCart { id totalQuantity } carts(first: 10) { nodes { id } } } }`);
    expect(resumed.body.data.customer.activeCart).toEqual({ id: cartId, totalQuantity: 1 });
    expect(resumed.body.data.customer.carts.nodes.map((n: { id: string }) => n.id)).toContain(cartId);
  });

  it('answers bad input with coded user errors, never a crash', async () => {
    const [a] = variants;
    const codes = async (lines: unknown[]) => {
      const result = await ada.gql(
        `mutation($input: CartInput) { cartCreate(input: $input) { cart { id } userErrors { field code message } } }`,
        { input: { lines } },
      );
      expect(result.status).toBe(200);
      expect(result.body.data.cartCreate.cart).toBeNull();
      return result.body.data.cartCreate.userErrors.map((e: { field: string[]; code: string }) => `${e.field.join('.')}:${e.code}`);
    };
    expect(await codes([{ merchandiseId: a!.id, quantity: 0 }])).toEqual(['lines.0.quantity:GREATER_THAN']);
    expect(await codes([{ merchandiseId: a!.id, quantity: -1 }])).toEqual(['lines.0.quantity:GREATER_THAN']);
    expect(await codes([{ merchandiseId: a!.id, quantity: 101 }])).toEqual(['lines.0.quantity:LESS_THAN_OR_EQUAL_TO']);
    expect(await codes([{ merchandiseId: a!.id, quantity: a!.quantityAvailable + 1 }])).toEqual([
      'lines.0.merchandiseId:NOT_ENOUGH_IN_STOCK',
    ]);
    const unknown = encodeGlobalId('ProductVariant', 999999);
    expect(await codes([{ merchandiseId: unknown, quantity: 1 }])).toEqual(['lines.0.merchandiseId:NOT_FOUND']);

    const dbId = (globalId: string) => Number(parseGlobalId(globalId)!.id);
    const soldOut = variants[variants.length - 1]!;
    await t.db.prisma.productVariant.update({ where: { id: dbId(soldOut.id) }, data: { inventoryQuantity: 0, inventoryPolicy: 'DENY' } });
    expect(await codes([{ merchandiseId: soldOut.id, quantity: 1 }])).toEqual(['lines.0.merchandiseId:OUT_OF_STOCK']);
    await t.db.prisma.productVariant.update({ where: { id: dbId(soldOut.id) }, data: { inventoryPolicy: 'CONTINUE' } });
    const codesOk = await ada.gql(
      `mutation($input: CartInput) { cartCreate(input: $input) { cart { totalQuantity } userErrors { code } } }`,
      {
        input: { lines: [{ merchandiseId: soldOut.id, quantity: 5 }] },
      },
    );
    expect(codesOk.body.data.cartCreate).toEqual({ cart: { totalQuantity: 5 }, userErrors: [] });

    const hidden = await t.db.prisma.productVariant.findUniqueOrThrow({
      where: { id: dbId(variants[variants.length - 2]!.id) },
      select: { productId: true },
    });
    await t.db.prisma.product.update({ where: { id: hidden.productId }, data: { status: 'DRAFT' } });
    expect(await codes([{ merchandiseId: variants[variants.length - 2]!.id, quantity: 1 }])).toEqual(['lines.0.merchandiseId:NOT_FOUND']);
    await t.db.prisma.product.update({ where: { id: hidden.productId }, data: { status: 'ACTIVE' } });
  });

  it('caps a cart at the configured number of lines', async () => {
    const small = await createTestApp({ products: 3, env: { CART_MAX_LINES: '2' } });
    try {
      const carol = await signedInCustomer(small);
      const ids = (await small.gql(VARIANTS)).body.data.products.nodes.flatMap((p: { variants: { nodes: { id: string }[] } }) =>
        p.variants.nodes.map((v) => v.id),
      );
      const create = await carol.gql(
        `mutation($input: CartInput) { cartCreate(input: $input) { cart { id } userErrors { field code } } }`,
        {
          input: { lines: ids.slice(0, 3).map((merchandiseId: string) => ({ merchandiseId, quantity: 1 })) },
        },
      );
      expect(create.body.data.cartCreate).toEqual({ cart: null, userErrors: [{ field: ['lines'], code: 'TOO_MANY_LINES' }] });
      const ok = await carol.gql(`mutation($input: CartInput) { cartCreate(input: $input) { cart { id } userErrors { code } } }`, {
        input: { lines: ids.slice(0, 2).map((merchandiseId: string) => ({ merchandiseId, quantity: 1 })) },
      });
      const cartId = ok.body.data.cartCreate.cart.id;
      const add = await carol.gql(
        `mutation($id: ID!, $lines: [CartLineInput!]!) { cartLinesAdd(cartId: $id, lines: $lines) { cart { totalQuantity } userErrors { code } } }`,
        {
          id: cartId,
          lines: [
            { merchandiseId: ids[2], quantity: 1 },
            { merchandiseId: ids[0], quantity: 1 },
          ],
        },
      );
      // All or nothing: the cart is unchanged.
      expect(add.body.data.cartLinesAdd).toEqual({ cart: { totalQuantity: 2 }, userErrors: [{ code: 'TOO_MANY_LINES' }] });
    } finally {
      await small.close();
    }
  }, 120_000);
});

describe('cart batching', () => {
  it('reads a cart of 1 line and of many lines in the same statements', async () => {
    const ownOnly = (sql: string[]) => sql.filter((s) => !/"(StorefrontToken|SigningKey|TokenFamily)"/.test(s));
    const one = await newCart(ada, [{ merchandiseId: variants[0]!.id, quantity: 1 }]);
    const many = await newCart(
      ada,
      variants.slice(0, 30).map((v) => ({ merchandiseId: v.id, quantity: 1 })),
    );
    const read = (id: string) =>
      ada.gql(`query($id: ID!) { cart(id: $id) { ...CartFields deliveryOptions { handle } } } ${CART_FIELDS}`, { id });
    await read(one.cartId); // warm the token caches
    const small = await t.statements(() => read(one.cartId));
    const large = await t.statements(() => read(many.cartId));
    expect(small.result.body.errors).toBeUndefined();
    expect(large.result.body.data.cart.lines.nodes).toHaveLength(Math.min(30, variants.length));
    expect(ownOnly(large.sql).length).toBe(ownOnly(small.sql).length);
    expect(ownOnly(small.sql).length).toBeLessThanOrEqual(10);
  }, 120_000);
});

describe('cart ownership', () => {
  it("answers another customer's cart exactly as an unknown ID, in every path", async () => {
    const [a] = variants;
    const { cartId, lineId } = await newCart(ada, [{ merchandiseId: a!.id, quantity: 1 }]);
    const unknownCart = encodeGlobalId('Cart', '6b1e9a64-0000-4000-8000-000000000000');
    const unknownLine = encodeGlobalId('CartLine', '6b1e9a64-0000-4000-8000-000000000000');
    const probe = async (id: string, line: string) => {
      const read = await bob.gql(
        `query($id: ID!, $line: ID!) { cart(id: $id) { id } node(id: $id) { id } nodes(ids: [$id, $line]) { id } one: cart(id: $id) { note } two: node(id: $line) { id } }`,
        { id, line },
      );
      const mutations = await bob.gql(
        `mutation($id: ID!, $line: ID!, $lines: [CartLineInput!]!) {
          a: cartLinesAdd(cartId: $id, lines: $lines) { cart { id } userErrors { field code message } }
          b: cartLinesUpdate(cartId: $id, lines: [{ id: $line, quantity: 2 }]) { cart { id } userErrors { field code message } }
          c: cartLinesRemove(cartId: $id, lineIds: [$line]) { cart { id } userErrors { field code message } }
          d: cartNoteUpdate(cartId: $id, note: "mine") { cart { id } userErrors { field code message } }
          e: cartDeliveryAddressUpdate(cartId: $id, address: { address1: "1 Main St", city: "Springfield", countryCode: "US", provinceCode: "IL", zip: "62701" }) { cart { id } userErrors { field code message } }
          f: cartSelectedDeliveryOptionUpdate(cartId: $id, deliveryOptionHandle: "us-standard") { cart { id } userErrors { field code message } }
          g: checkoutComplete(input: { cartId: $id, idempotencyKey: "bob-1" }) { order { id } userErrors { field code message } }
        }`,
        { id, line, lines: [{ merchandiseId: a!.id, quantity: 1 }] },
      );
      return { status: [read.status, mutations.status], read: read.body, mutations: mutations.body };
    };
    const theirs = await probe(cartId, lineId);
    const missing = await probe(unknownCart, unknownLine);
    expect(theirs).toEqual(missing);
    expect(theirs.read.data).toEqual({ cart: null, node: null, nodes: [null, null], one: null, two: null });
    expect(theirs.mutations.data.a).toEqual({
      cart: null,
      userErrors: [{ field: ['cartId'], code: 'NOT_FOUND', message: 'No cart with this ID.' }],
    });
    // Ada's cart is untouched.
    const mine = await ada.gql(`query($id: ID!) { cart(id: $id) { note totalQuantity completedAt } }`, { id: cartId });
    expect(mine.body.data.cart).toEqual({ note: null, totalQuantity: 1, completedAt: null });
  });

  it('gives anonymous requests a clear error and no cart data', async () => {
    const [a] = variants;
    const { cartId } = await newCart(ada, [{ merchandiseId: a!.id, quantity: 1 }]);
    const read = await t.gql(`query($id: ID!) { cart(id: $id) { id note } node(id: $id) { id } }`, { id: cartId });
    expect(read.body.data).toEqual({ cart: null, node: null });
    expect(read.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const write = await t.gql(`mutation { cartCreate(input: {}) { cart { id } userErrors { code } } }`);
    expect(write.status).toBeGreaterThanOrEqual(400);
    expect(write.body.data ?? null).toBeNull();
    expect(write.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify([read.body, write.body])).not.toContain(cartId);
  });
});

async function newCart(who: SignedInCustomer, lines: { merchandiseId: string; quantity: number }[]) {
  const result = await who.gql(
    `mutation($input: CartInput) { cartCreate(input: $input) { cart { id lines(first: 1) { nodes { id } } } userErrors { code } } }`,
    { input: { lines } },
  );
  expect(result.body.data.cartCreate.userErrors).toEqual([]);
  const cart = result.body.data.cartCreate.cart;
  return { cartId: cart.id as string, lineId: cart.lines.nodes[0]?.id as string };
}
