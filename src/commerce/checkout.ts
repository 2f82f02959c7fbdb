// Checkout: turns the customer's cart into an order in ONE transaction. It re-prices the
// lines from the catalog, takes the stock with a conditional decrement that can never go
// below zero (variant rows locked in id order, so concurrent checkouts cannot deadlock),
// snapshots lines, address and delivery into the order, and marks the cart completed.
// An idempotency key makes it safe to retry: the same key returns the same order, also
// when the calls race; the same key with another cart is refused.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { readAddress } from './addresses.js';
import { MAX_AMOUNT } from './cart.js';
import { UUID } from './cart-store.js';
import { publishedProductWhere, refreshProductRollups } from './catalog.js';
import { listActiveRates, rateCost, ratesForCountry } from './shipping.js';
import { isUniqueViolation, userError, type CommerceUserError } from './user-errors.js';

export interface PriceChange {
  variantId: number;
  title: string;
  currencyCode: string;
  previousUnitPrice: number;
  unitPrice: number;
}

export type CheckoutResult = {
  orderId: string | null;
  priceChanges: PriceChange[];
  userErrors: CommerceUserError[];
  /** The products and variants whose stock this call took (none for a refusal or a replay): cached catalog answers showing them are stale. */
  stockChanged?: { productIds: number[]; variantIds: number[] };
};

export interface CheckoutDeps {
  now: Date;
  maxWaitMs: number;
  timeoutMs: number;
}

const MAX_KEY_LENGTH = 255;

/** Thrown inside the transaction to roll it back with user errors. */
class CheckoutRefused extends Error {
  constructor(readonly userErrors: CommerceUserError[]) {
    super('checkout refused');
  }
}

const refused = (userErrors: CommerceUserError[]): CheckoutResult => ({ orderId: null, priceChanges: [], userErrors });

/** The order an idempotency key already made: the same order for the same cart, a refusal otherwise. */
async function replay(prisma: PrismaClient, customerId: string, idempotencyKey: string, cartId: string): Promise<CheckoutResult | null> {
  const order = await prisma.order.findUnique({
    where: { customerId_idempotencyKey: { customerId, idempotencyKey } },
    select: { id: true, cartId: true },
  });
  if (!order) return null;
  if (order.cartId === cartId) return { orderId: order.id, priceChanges: [], userErrors: [] };
  return refused([userError(['input', 'idempotencyKey'], 'IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used for another cart.')]);
}

export async function completeCheckout(
  prisma: PrismaClient,
  customerId: string,
  input: { cartId: string; idempotencyKey: string },
  deps: CheckoutDeps,
): Promise<CheckoutResult> {
  const key = input.idempotencyKey.trim();
  if (!key)
    return refused([
      userError(['input', 'idempotencyKey'], 'BLANK', 'Pass an idempotency key, e.g. a UUID made when the shopper pressed "Buy".'),
    ]);
  if (key.length > MAX_KEY_LENGTH)
    return refused([userError(['input', 'idempotencyKey'], 'TOO_LONG', `Use at most ${MAX_KEY_LENGTH} characters.`)]);
  if (!UUID.test(input.cartId)) return refused([userError(['input', 'cartId'], 'NOT_FOUND', 'No cart with this ID.')]);
  const cartId = input.cartId.toLowerCase();

  const earlier = await replay(prisma, customerId, key, cartId);
  if (earlier) return earlier;
  try {
    return await prisma.$transaction((tx) => placeOrder(tx, customerId, cartId, key, deps.now), {
      maxWait: deps.maxWaitMs,
      timeout: deps.timeoutMs,
    });
  } catch (error) {
    if (error instanceof CheckoutRefused) {
      // A racing call with the same key may have completed this cart: answer with its order.
      if (error.userErrors.some((e) => e.code === 'ALREADY_COMPLETED'))
        return (await replay(prisma, customerId, key, cartId)) ?? refused(error.userErrors);
      return refused(error.userErrors);
    }
    if (isUniqueViolation(error)) {
      const winner = await replay(prisma, customerId, key, cartId);
      if (winner) return winner;
    }
    throw error;
  }
}

async function placeOrder(
  tx: Prisma.TransactionClient,
  customerId: string,
  cartId: string,
  key: string,
  now: Date,
): Promise<CheckoutResult> {
  // Completing the cart first takes its row lock: a second checkout of it waits, then finds it completed.
  const { count } = await tx.cart.updateMany({ where: { id: cartId, customerId, completedAt: null }, data: { completedAt: now } });
  if (count === 0) {
    const exists = await tx.cart.findFirst({ where: { id: cartId, customerId }, select: { id: true } });
    throw new CheckoutRefused([
      exists
        ? userError(['input', 'cartId'], 'ALREADY_COMPLETED', 'This cart has already been checked out.')
        : userError(['input', 'cartId'], 'NOT_FOUND', 'No cart with this ID.'),
    ]);
  }
  const cart = await tx.cart.findUniqueOrThrow({
    where: { id: cartId },
    select: {
      currencyCode: true,
      note: true,
      deliveryAddress: true,
      shippingRateId: true,
      customer: { select: { email: true } },
      lines: {
        orderBy: { variantId: 'asc' },
        select: {
          quantity: true,
          seenUnitPrice: true,
          variant: {
            select: {
              id: true,
              title: true,
              sku: true,
              price: true,
              currencyCode: true,
              productId: true,
              image: { select: { url: true } },
              product: { select: { title: true, featuredImage: { select: { url: true } } } },
            },
          },
        },
      },
    },
  });
  const errors: CommerceUserError[] = [];
  if (cart.lines.length === 0) errors.push(userError(['input', 'cartId'], 'EMPTY_CART', 'The cart is empty.'));
  const address = readAddress(cart.deliveryAddress);
  if (!address) errors.push(userError(['input', 'cartId'], 'DELIVERY_ADDRESS_REQUIRED', 'Set a delivery address before checking out.'));
  const rates = await listActiveRates(tx);
  const rate = rates.find((r) => r.id === cart.shippingRateId);
  if (!rate) errors.push(userError(['input', 'cartId'], 'DELIVERY_OPTION_REQUIRED', 'Choose a delivery option before checking out.'));
  else if (address && !ratesForCountry(rates, address.countryCode, cart.currencyCode).some((r) => r.id === rate.id)) {
    errors.push(
      userError(['input', 'cartId'], 'DELIVERY_OPTION_UNAVAILABLE', 'The chosen delivery option does not ship to the delivery address.'),
    );
  }

  // Lock the variants in id order, then check and take the stock.
  const variantIds = cart.lines.map((l) => l.variant.id);
  const visible = new Set(
    (
      await tx.productVariant.findMany({ where: { id: { in: variantIds }, product: publishedProductWhere(now) }, select: { id: true } })
    ).map((v) => v.id),
  );
  const stock = variantIds.length
    ? await tx.$queryRaw<{ id: number; inventoryQuantity: number; inventoryPolicy: string }[]>`
        SELECT id, "inventoryQuantity", "inventoryPolicy" FROM "ProductVariant" WHERE id = ANY(${variantIds}::int[]) ORDER BY id FOR UPDATE`
    : [];
  const stockById = new Map(stock.map((s) => [s.id, s]));
  cart.lines.forEach((line, index) => {
    const field = ['input', 'cartId', 'lines', String(index)];
    const s = stockById.get(line.variant.id);
    if (!visible.has(line.variant.id) || !s)
      errors.push(userError(field, 'NOT_FOUND', `${line.variant.product.title} is no longer for sale.`));
    else if (line.variant.currencyCode !== cart.currencyCode)
      errors.push(userError(field, 'CURRENCY_MISMATCH', `Every line must be priced in ${cart.currencyCode}.`));
    else if (s.inventoryPolicy !== 'CONTINUE' && s.inventoryQuantity <= 0)
      errors.push(userError(field, 'OUT_OF_STOCK', `${line.variant.product.title} is sold out.`));
    else if (s.inventoryPolicy !== 'CONTINUE' && s.inventoryQuantity < line.quantity) {
      errors.push(userError(field, 'NOT_ENOUGH_IN_STOCK', `Only ${s.inventoryQuantity} of ${line.variant.product.title} in stock.`));
    }
  });
  const subtotal = cart.lines.reduce((sum, line) => sum + line.variant.price * line.quantity, 0);
  const shipping = rate ? rateCost(rate, subtotal) : 0;
  if (subtotal + shipping > MAX_AMOUNT) errors.push(userError(['input', 'cartId'], 'INVALID', 'The order total is too large.'));
  if (errors.length > 0 || !address || !rate) throw new CheckoutRefused(errors);

  const quantities = cart.lines.map((l) => l.quantity);
  const taken = await tx.$executeRaw`
    UPDATE "ProductVariant" AS v
    SET "inventoryQuantity" = v."inventoryQuantity" - d.q, "updatedAt" = ${now}
    FROM unnest(${variantIds}::int[], ${quantities}::int[]) AS d(id, q)
    WHERE v.id = d.id AND (v."inventoryPolicy" = 'CONTINUE' OR v."inventoryQuantity" >= d.q)`;
  if (taken !== variantIds.length) throw new Error(`stock changed under a row lock (${taken} of ${variantIds.length})`);
  await refreshProductRollups(
    tx,
    [...new Set(cart.lines.map((l) => l.variant.productId))].sort((a, b) => a - b),
  );

  const priceChanges: PriceChange[] = cart.lines
    .filter((l) => l.seenUnitPrice !== null && l.seenUnitPrice !== l.variant.price)
    .map((l) => ({
      variantId: l.variant.id,
      title: `${l.variant.product.title} - ${l.variant.title}`,
      currencyCode: l.variant.currencyCode,
      previousUnitPrice: l.seenUnitPrice!,
      unitPrice: l.variant.price,
    }));
  const order = await tx.order.create({
    data: {
      customerId,
      cartId,
      idempotencyKey: key,
      email: cart.customer.email,
      currencyCode: cart.currencyCode,
      subtotal,
      shippingTitle: rate.title,
      shippingHandle: rate.handle,
      shippingPrice: shipping,
      total: subtotal + shipping,
      shippingAddress: { ...address },
      note: cart.note,
      processedAt: now,
      lines: {
        create: cart.lines.map((line, position) => ({
          position,
          productId: line.variant.productId,
          variantId: line.variant.id,
          title: line.variant.product.title,
          variantTitle: line.variant.title,
          sku: line.variant.sku,
          currencyCode: line.variant.currencyCode,
          unitPrice: line.variant.price,
          quantity: line.quantity,
          total: line.variant.price * line.quantity,
          imageUrl: line.variant.image?.url ?? line.variant.product.featuredImage?.url ?? null,
        })),
      },
    },
    select: { id: true },
  });
  const productIds = [...new Set(cart.lines.map((l) => l.variant.productId))].sort((a, b) => a - b);
  return { orderId: order.id, priceChanges, userErrors: [], stockChanged: { productIds, variantIds } };
}
