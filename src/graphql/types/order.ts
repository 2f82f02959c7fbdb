// Order (a snapshot made at checkout), `order(id)`, `customer { orders }`, and
// `checkoutComplete`. Orders belong to one customer: every lookup filters by the viewer.
import { readAddress } from '../../commerce/addresses.js';
import { completeCheckout, type CheckoutResult, type PriceChange } from '../../commerce/checkout.js';
import { findOwnOrder, orderName, orderSort } from '../../commerce/orders.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { isPublished } from '../../commerce/catalog.js';
import { builder } from '../builder.js';
import { registerNodeType } from '../node-loader.js';
import { NO_UUID, ownedBy, parseUuid, requireCustomer, toUserErrors, uuidOrNone, viewerCustomerId } from '../owner.js';
import { AddressSnapshot } from './address.js';
import { absoluteUrl, MoneyV2, UserError } from './common.js';
import { Cart } from './cart.js';
import { Customer } from './customer.js';
import { ProductVariant } from './product-variant.js';
import { PRISMA_UUID_CURSOR } from '../input-checks.js';

const OrderStatus = builder.enumType('OrderStatus', {
  description: 'Where an order stands. Payment is not part of Vitrine yet: orders start as PENDING_PAYMENT.',
  values: {
    PENDING_PAYMENT: { description: 'Placed and waiting for payment.' },
    OPEN: { description: 'Accepted and in progress.' },
    CANCELLED: { description: 'Cancelled; it will not ship.' },
  } as const,
});
const OrderFinancialStatus = builder.enumType('OrderFinancialStatus', {
  description: 'Where the payment of an order stands. Orders start as PENDING.',
  values: {
    PENDING: { description: 'Not paid yet.' },
    AUTHORIZED: { description: 'The payment is authorized but not captured yet.' },
    PAID: { description: 'The payment was captured.' },
    REFUNDED: { description: 'The payment was refunded.' },
    VOIDED: { description: 'The authorization was voided before capture.' },
  } as const,
});
const OrderFulfillmentStatus = builder.enumType('OrderFulfillmentStatus', {
  description: 'How much of an order has shipped. Orders start as UNFULFILLED.',
  values: {
    UNFULFILLED: { description: 'Nothing has shipped yet.' },
    PARTIALLY_FULFILLED: { description: 'Some lines have shipped.' },
    FULFILLED: { description: 'Every line has shipped.' },
  } as const,
});
const OrderSortKeys = builder.enumType('OrderSortKeys', {
  description: 'How `customer.orders` can be ordered. Ties are broken by ID.',
  values: {
    PROCESSED_AT: { description: 'By the time the order was placed.' },
    TOTAL_PRICE: { description: 'By order total.' },
    ID: { description: 'By order ID (stable, not chronological).' },
  } as const,
});

const OrderLineItem = builder.prismaObject('OrderLine', {
  name: 'OrderLineItem',
  description: 'A line of an order as it was bought: title, SKU and price never follow later catalog changes.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'The product title at checkout.' }),
    variantTitle: t.exposeString('variantTitle', { description: 'The variant title at checkout, e.g. "Navy / M".' }),
    sku: t.exposeString('sku', { nullable: true, description: 'The SKU at checkout; null when the variant had none.' }),
    quantity: t.exposeInt('quantity', { description: 'How many were bought.' }),
    unitPrice: t.field({
      type: MoneyV2,
      description: 'The price of one item at checkout.',
      resolve: (l) => ({ amount: l.unitPrice, currencyCode: l.currencyCode }),
    }),
    totalPrice: t.field({
      type: MoneyV2,
      description: 'The unit price times the quantity.',
      resolve: (l) => ({ amount: l.total, currencyCode: l.currencyCode }),
    }),
    imageUrl: t.field({
      type: 'URL',
      nullable: true,
      description: 'The image of the variant (or product) at checkout, as an absolute URL; null when there was none.',
      resolve: (l, _args, ctx) => (l.imageUrl ? absoluteUrl(l.imageUrl, ctx.config.publicUrl) : null),
    }),
    variant: t.field({
      type: ProductVariant,
      nullable: true,
      description: "The variant today, while it exists and is published (its price may differ from the order's).",
      select: (_args, _ctx, nestedSelection) => ({
        variant: nestedSelection({ select: { product: { select: { status: true, publishedAt: true } } } }),
      }),
      resolve: (line, _args, ctx) => {
        // The nested selection also holds the variant's own columns.
        const variant = line.variant as unknown as
          (typeof ProductVariant.$inferType & { product: { status: string; publishedAt: Date | null } }) | null;
        return variant && isPublished(variant.product, ctx.catalogNow) ? variant : null;
      },
    }),
  }),
});

const OrderLineItemConnection = builder.connectionObject({ type: OrderLineItem, name: 'OrderLineItemConnection' });

const ShippingLine = builder.objectRef<{ title: string; handle: string; price: number; currencyCode: string }>('ShippingLine').implement({
  description: 'The delivery option an order was placed with, at its price then.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'The name of the delivery option at checkout.' }),
    handle: t.exposeString('handle', { description: 'The handle of the delivery option.' }),
    originalPrice: t.field({
      type: MoneyV2,
      description: 'What delivery cost when the order was placed.',
      resolve: (s) => ({ amount: s.price, currencyCode: s.currencyCode }),
    }),
  }),
});

const money = (amount: number, currencyCode: string) => ({ amount, currencyCode });

export const Order = builder.prismaNode('Order', {
  id: { field: 'id' },
  nullable: true,
  findUnique: registerNodeType<Prisma.OrderWhereUniqueInput, string>('Order', {
    model: 'order',
    parseId: parseUuid,
    noRow: NO_UUID,
    visible: (ctx) => ownedBy(ctx, 'customerId'),
  }),
  authScopes: (order, ctx) => order.customerId === viewerCustomerId(ctx),
  description: 'An order the signed-in customer placed.',
  fields: (t) => ({
    number: t.string({ description: 'The order number shoppers quote, e.g. "#1001".', resolve: (o) => orderName(o.number) }),
    name: t.string({ description: "Same as `number` (Shopify's name for it).", resolve: (o) => orderName(o.number) }),
    orderNumber: t.exposeInt('number', { description: 'The order number without the "#".' }),
    email: t.exposeString('email', { description: "The customer's email address when the order was placed." }),
    processedAt: t.expose('processedAt', { type: 'DateTime', description: 'When the order was placed.' }),
    status: t.field({ type: OrderStatus, description: 'Where the order stands.', resolve: (o) => o.status }),
    financialStatus: t.field({ type: OrderFinancialStatus, description: 'Where the payment stands.', resolve: (o) => o.financialStatus }),
    fulfillmentStatus: t.field({
      type: OrderFulfillmentStatus,
      description: 'How much of the order has shipped.',
      resolve: (o) => o.fulfillmentStatus,
    }),
    currencyCode: t.exposeString('currencyCode', { description: 'The currency of every amount of the order (ISO 4217).' }),
    note: t.exposeString('note', { nullable: true, description: 'The note from the customer, copied from the cart; null when none.' }),
    subtotal: t.field({
      type: MoneyV2,
      description: 'The sum of the line items, before delivery.',
      resolve: (o) => money(o.subtotal, o.currencyCode),
    }),
    totalShipping: t.field({ type: MoneyV2, description: 'What delivery cost.', resolve: (o) => money(o.shippingPrice, o.currencyCode) }),
    total: t.field({
      type: MoneyV2,
      description: 'The subtotal plus delivery: what the customer owes.',
      resolve: (o) => money(o.total, o.currencyCode),
    }),
    shippingAddress: t.field({
      type: AddressSnapshot,
      nullable: true,
      description: 'Where the order ships, as it was at checkout.',
      resolve: (o) => readAddress(o.shippingAddress),
    }),
    shippingLine: t.field({
      type: ShippingLine,
      description: 'The delivery option the order was placed with.',
      resolve: (o) => ({ title: o.shippingTitle, handle: o.shippingHandle, price: o.shippingPrice, currencyCode: o.currencyCode }),
    }),
    lineItems: t.relatedConnection(
      'lines',
      {
        cursor: 'id',
        description: "What was bought, in the order of the cart's lines.",
        extensions: { [PRISMA_UUID_CURSOR]: true },
        query: { orderBy: { position: 'asc' } },
        maxSize: 250,
      },
      OrderLineItemConnection,
    ),
  }),
});

export const OrderConnection = builder.connectionObject({ type: Order, name: 'OrderConnection' });

builder.prismaObjectFields(Customer, (t) => ({
  orders: t.relatedConnection(
    'orders',
    {
      cursor: 'id',
      maxSize: 250,
      description: "The customer's orders.",
      extensions: { [PRISMA_UUID_CURSOR]: true },
      args: {
        sortKey: t.arg({ type: OrderSortKeys, required: false, defaultValue: 'ID', description: 'What to order the list by.' }),
        reverse: t.arg.boolean({
          required: false,
          defaultValue: false,
          description: 'Reverse the order (e.g. newest first with PROCESSED_AT).',
        }),
      },
      query: (args) => ({ orderBy: orderSort(args.sortKey ?? 'ID', args.reverse ?? false) }),
    },
    OrderConnection,
  ),
}));

builder.queryFields((t) => ({
  order: t.prismaField({
    type: Order,
    nullable: true,
    description: "One of the signed-in customer's orders; null for an unknown ID (or anyone else's order).",
    args: { id: t.arg.globalID({ for: Order, required: true, description: 'The ID of the order.' }) },
    resolve: (query, _root, args, ctx) => findOwnOrder(ctx.prisma, query, requireCustomer(ctx), String(args.id.id)),
  }),
}));

const CheckoutPriceChange = builder.objectRef<PriceChange>('CheckoutPriceChange').implement({
  description: 'A line whose price changed since it was put in the cart; the order uses the new price.',
  fields: (t) => ({
    merchandiseId: t.globalID({
      description: 'The ID of the product variant.',
      resolve: (c) => ({ type: 'ProductVariant', id: c.variantId }),
    }),
    title: t.exposeString('title', { description: 'The product and variant title, to show the customer.' }),
    previousUnitPrice: t.field({
      type: MoneyV2,
      description: 'The price of one item when it was put in the cart.',
      resolve: (c) => money(c.previousUnitPrice, c.currencyCode),
    }),
    unitPrice: t.field({
      type: MoneyV2,
      description: 'The price of one item in the order.',
      resolve: (c) => money(c.unitPrice, c.currencyCode),
    }),
  }),
});

const CheckoutCompleteInput = builder.inputType('CheckoutCompleteInput', {
  description: 'The cart to check out and a key that makes retries safe.',
  fields: (t) => ({
    cartId: t.globalID({ for: Cart, required: true, description: 'The cart to turn into an order.' }),
    idempotencyKey: t.string({
      required: true,
      description: 'Made once per purchase attempt (e.g. a UUID); a retry with the same key returns the same order.',
    }),
  }),
});

const CheckoutCompletePayload = builder.objectRef<CheckoutResult>('CheckoutCompletePayload').implement({
  description: 'The result of `checkoutComplete`.',
  fields: (t) => ({
    order: t.prismaField({
      type: Order,
      nullable: true,
      description: 'The placed order; null when there are user errors.',
      resolve: (query, result, _args, ctx) =>
        result.orderId ? findOwnOrder(ctx.prisma, query, requireCustomer(ctx), result.orderId) : null,
    }),
    priceChanges: t.field({
      type: [CheckoutPriceChange],
      description: 'Lines whose price changed since they were added.',
      resolve: (r) => r.priceChanges,
    }),
    userErrors: t.field({
      type: [UserError],
      description:
        'Why no order was placed: NOT_FOUND, ALREADY_COMPLETED, EMPTY_CART, DELIVERY_ADDRESS_REQUIRED, DELIVERY_OPTION_REQUIRED, DELIVERY_OPTION_UNAVAILABLE, OUT_OF_STOCK, NOT_ENOUGH_IN_STOCK, CURRENCY_MISMATCH, IDEMPOTENCY_KEY_REUSED; BLANK, TOO_LONG or INVALID for malformed input.',
      resolve: (r) => toUserErrors(r.userErrors),
    }),
  }),
});

builder.mutationFields((t) => ({
  checkoutComplete: t.field({
    type: CheckoutCompletePayload,
    description: 'Places an order from a cart in one transaction. Orders start as PENDING_PAYMENT.',
    args: { input: t.arg({ type: CheckoutCompleteInput, required: true, description: 'The cart and the idempotency key.' }) },
    resolve: async (_root, { input }, ctx) => {
      const result = await completeCheckout(
        ctx.prisma,
        requireCustomer(ctx),
        { cartId: uuidOrNone(input.cartId.id), idempotencyKey: input.idempotencyKey },
        { now: ctx.now, maxWaitMs: ctx.config.commerce.checkoutMaxWaitMs, timeoutMs: ctx.config.commerce.checkoutTimeoutMs },
      );
      // No cached catalog answer may go on showing the stock this order took.
      if (result.stockChanged) await ctx.catalogChanged(result.stockChanged);
      return result;
    },
  }),
}));
