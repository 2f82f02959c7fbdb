// Cart and CartLine (Shopify's shapes), `cart(id)`, and `customer { carts activeCart }`.
// A cart belongs to one customer: every lookup filters by the viewer, and the type's own
// scope check compares the row with the viewer, so `node(id:)` cannot route around it.
// Money comes from the catalog's current prices, in integer minor units.
import { readAddress } from '../../commerce/addresses.js';
import { cartTotals, type CartTotals } from '../../commerce/cart.js';
import { findActiveCart, findOwnCart } from '../../commerce/cart-store.js';
import { listActiveRates, rateCost, ratesForCountry } from '../../commerce/shipping.js';
import type { Context } from '../context.js';
import type { ShippingRate } from '../../generated/prisma/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { builder } from '../builder.js';
import { registerNodeType } from '../node-loader.js';
import { NO_UUID, ownedBy, parseUuid, perRequest, requireCustomer, viewerCustomerId } from '../owner.js';
import { AddressSnapshot } from './address.js';
import { MoneyV2, type Money } from './common.js';
import { Customer } from './customer.js';
import { PRISMA_UUID_CURSOR } from '../input-checks.js';

const CartLineCost = builder
  .objectRef<{ unitPrice: number; compareAtPrice: number | null; quantity: number; currencyCode: string }>('CartLineCost')
  .implement({
    description: "A line's money at the catalog's current prices.",
    fields: (t) => ({
      amountPerQuantity: t.field({
        type: MoneyV2,
        description: "The variant's current price for one item.",
        resolve: (c) => ({ amount: c.unitPrice, currencyCode: c.currencyCode }),
      }),
      compareAtAmountPerQuantity: t.field({
        type: MoneyV2,
        nullable: true,
        description: "The variant's compare-at price for one item; null when it has none.",
        resolve: (c) => (c.compareAtPrice === null ? null : { amount: c.compareAtPrice, currencyCode: c.currencyCode }),
      }),
      subtotalAmount: t.field({
        type: MoneyV2,
        description: 'The price of one item times the quantity.',
        resolve: (c) => ({ amount: c.unitPrice * c.quantity, currencyCode: c.currencyCode }),
      }),
      totalAmount: t.field({
        type: MoneyV2,
        description: 'What the line costs; the same as `subtotalAmount` (there are no discounts yet).',
        resolve: (c) => ({ amount: c.unitPrice * c.quantity, currencyCode: c.currencyCode }),
      }),
    }),
  });

export const CartLine = builder.prismaNode('CartLine', {
  id: { field: 'id' },
  nullable: true,
  findUnique: registerNodeType<Prisma.CartLineWhereUniqueInput, string>('CartLine', {
    model: 'cartLine',
    parseId: parseUuid,
    noRow: NO_UUID,
    visible: (ctx) => ownedBy(ctx, 'cart'),
  }),
  description: 'A line of a cart: one variant and how many of it.',
  fields: (t) => ({
    quantity: t.exposeInt('quantity', { description: 'How many of the variant the line holds.' }),
    merchandise: t.relation('variant', { description: 'The product variant this line buys.' }),
    cost: t.field({
      type: CartLineCost,
      description: "The line's prices at the catalog's current prices.",
      select: { quantity: true, variant: { select: { price: true, compareAtPrice: true, currencyCode: true } } },
      resolve: (line) => ({
        unitPrice: line.variant.price,
        compareAtPrice: line.variant.compareAtPrice,
        quantity: line.quantity,
        currencyCode: line.variant.currencyCode,
      }),
    }),
  }),
});

const CartLineConnection = builder.connectionObject({ type: CartLine, name: 'BaseCartLineConnection' });

const CartCost = builder.objectRef<CartTotals & { currencyCode: string }>('CartCost').implement({
  description: "The cart's money: lines at current catalog prices, plus the chosen delivery option.",
  fields: (t) => ({
    subtotalAmount: t.field({
      type: MoneyV2,
      description: 'The sum of the lines, before delivery.',
      resolve: (c) => ({ amount: c.subtotal, currencyCode: c.currencyCode }),
    }),
    totalShippingAmount: t.field({
      type: MoneyV2,
      nullable: true,
      description: "The chosen delivery option's cost; null until one is chosen.",
      resolve: (c) => (c.shipping === null ? null : { amount: c.shipping, currencyCode: c.currencyCode }),
    }),
    totalAmount: t.field({
      type: MoneyV2,
      description: 'The lines plus the chosen delivery option (the lines alone until one is chosen).',
      resolve: (c) => ({ amount: c.total, currencyCode: c.currencyCode }),
    }),
  }),
});

interface DeliveryOption {
  rate: ShippingRate;
  cost: Money;
}

const CartDeliveryOption = builder.objectRef<DeliveryOption>('CartDeliveryOption').implement({
  description: 'A way to ship the cart to its delivery address.',
  fields: (t) => ({
    handle: t.string({ description: 'Pass it to `cartSelectedDeliveryOptionUpdate`.', resolve: (o) => o.rate.handle }),
    title: t.string({ description: 'The name of the option, e.g. "Standard".', resolve: (o) => o.rate.title }),
    description: t.string({
      description: 'How long delivery takes, e.g. "3–5 business days".',
      resolve: (o) => `${o.rate.minDeliveryDays}–${o.rate.maxDeliveryDays} business days`,
    }),
    deliveryMethodType: t.string({ description: 'How the goods travel; always "SHIPPING" for now.', resolve: () => 'SHIPPING' }),
    estimatedCost: t.field({ type: MoneyV2, description: 'What the option costs for this cart.', resolve: (o) => o.cost }),
  }),
});

/** Every column the cart's money depends on. */
const PRICING = {
  currencyCode: true,
  shippingRateId: true,
  deliveryAddress: true,
  lines: { select: { quantity: true, variant: { select: { price: true } } } },
} as const;

interface PricingRow {
  currencyCode: string;
  shippingRateId: number | null;
  deliveryAddress: unknown;
  lines: { quantity: number; variant: { price: number } }[];
}

function rates(ctx: Context): Promise<ShippingRate[]> {
  return perRequest(ctx, 'shipping-rates', () => listActiveRates(ctx.prisma));
}

function availableOptions(cart: PricingRow, all: ShippingRate[]): DeliveryOption[] {
  const address = readAddress(cart.deliveryAddress);
  if (!address) return [];
  const subtotal = cartTotals(lineCosts(cart), () => null).subtotal;
  return ratesForCountry(all, address.countryCode, cart.currencyCode).map((rate) => ({
    rate,
    cost: { amount: rateCost(rate, subtotal), currencyCode: rate.currencyCode },
  }));
}

const lineCosts = (cart: PricingRow) => cart.lines.map((l) => ({ quantity: l.quantity, unitPrice: l.variant.price }));

async function totals(cart: PricingRow, ctx: Context) {
  const selected =
    cart.shippingRateId === null ? undefined : availableOptions(cart, await rates(ctx)).find((o) => o.rate.id === cart.shippingRateId);
  return { ...cartTotals(lineCosts(cart), () => selected?.cost.amount ?? null), currencyCode: cart.currencyCode };
}

export const Cart = builder.prismaNode('Cart', {
  id: { field: 'id' },
  nullable: true,
  findUnique: registerNodeType<Prisma.CartWhereUniqueInput, string>('Cart', {
    model: 'cart',
    parseId: parseUuid,
    noRow: NO_UUID,
    visible: (ctx) => ownedBy(ctx, 'customerId'),
  }),
  authScopes: (cart, ctx) => cart.customerId === viewerCustomerId(ctx),
  description: "A signed-in customer's cart. It follows the customer across devices.",
  fields: (t) => ({
    note: t.exposeString('note', { nullable: true, description: 'A note from the customer for the order; null when none.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the cart was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the cart last changed.' }),
    completedAt: t.expose('completedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When checkout turned the cart into an order; a completed cart cannot change.',
    }),
    totalQuantity: t.int({
      description: 'The number of items in the cart: the sum of the line quantities.',
      select: { lines: { select: { quantity: true } } },
      resolve: (cart) => cart.lines.reduce((n, l) => n + l.quantity, 0),
    }),
    lines: t.relatedConnection(
      'lines',
      {
        cursor: 'id',
        description: 'The lines of the cart, in the order they were added.',
        extensions: { [PRISMA_UUID_CURSOR]: true },
        query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
        maxSize: 250,
      },
      CartLineConnection,
    ),
    cost: t.field({
      type: CartCost,
      description: "The cart's totals at the catalog's current prices.",
      select: PRICING,
      resolve: (cart, _args, ctx) => totals(cart, ctx),
    }),
    deliveryAddress: t.field({
      type: AddressSnapshot,
      nullable: true,
      description: 'Where the cart ships; null until set.',
      select: { deliveryAddress: true },
      resolve: (cart) => readAddress(cart.deliveryAddress),
    }),
    deliveryOptions: t.field({
      type: [CartDeliveryOption],
      description: 'The delivery options for the delivery address; empty until one is set.',
      select: PRICING,
      resolve: async (cart, _args, ctx) => availableOptions(cart, await rates(ctx)),
    }),
    selectedDeliveryOption: t.field({
      type: CartDeliveryOption,
      nullable: true,
      description: 'The chosen delivery option; null until one is chosen, or when it no longer ships to the delivery address.',
      select: PRICING,
      resolve: async (cart, _args, ctx) => availableOptions(cart, await rates(ctx)).find((o) => o.rate.id === cart.shippingRateId) ?? null,
    }),
  }),
});

export const CartConnection = builder.connectionObject({ type: Cart, name: 'CartConnection' });

builder.prismaObjectFields(Customer, (t) => ({
  carts: t.relatedConnection(
    'carts',
    {
      cursor: 'id',
      description: "The customer's carts, checked out or not, most recently changed first.",
      extensions: { [PRISMA_UUID_CURSOR]: true },
      query: { orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }] },
      maxSize: 250,
    },
    CartConnection,
  ),
  activeCart: t.prismaField({
    type: Cart,
    nullable: true,
    description: 'The most recently changed cart not checked out yet: the one to resume on another device.',
    resolve: (query, customer, _args, ctx) => findActiveCart(ctx.prisma, query, customer.id),
  }),
}));

builder.queryFields((t) => ({
  cart: t.prismaField({
    type: Cart,
    nullable: true,
    description: "One of the signed-in customer's carts; null for an unknown ID (or anyone else's cart).",
    args: { id: t.arg.globalID({ for: Cart, required: true, description: 'The ID of the cart.' }) },
    resolve: (query, _root, args, ctx) => findOwnCart(ctx.prisma, query, requireCustomer(ctx), String(args.id.id)),
  }),
}));
