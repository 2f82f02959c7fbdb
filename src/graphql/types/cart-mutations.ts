// Cart mutations, named and shaped as Shopify's: each returns `{ cart, userErrors }`.
// Resolvers only translate: the rules live in src/commerce/cart.ts, cart-store.ts and cart-lines.ts.
import { addCartLines, removeCartLines, updateCartLines } from '../../commerce/cart-lines.js';
import {
  createCart,
  selectCartDeliveryOption,
  updateCartDeliveryAddress,
  updateCartNote,
  type CartLineRequest,
  type CartWriteResult,
} from '../../commerce/cart-store.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { intId } from '../ids.js';
import { requireCustomer, toUserErrors, uuidOrNone } from '../owner.js';
import { MailingAddress, MailingAddressInput } from './address.js';
import { Cart, CartLine } from './cart.js';
import { UserError } from './common.js';
import { ProductVariant } from './product-variant.js';

const CartLineInput = builder.inputType('CartLineInput', {
  description: 'A variant to put in the cart. Prices are never taken from the client.',
  fields: (t) => ({
    merchandiseId: t.globalID({ for: ProductVariant, required: true, description: 'The ID of the product variant to buy.' }),
    quantity: t.int({
      required: false,
      defaultValue: 1,
      description: 'How many to buy (at least 1, at most the configured limit per line).',
    }),
  }),
});

const CartLineUpdateInput = builder.inputType('CartLineUpdateInput', {
  description: 'A new quantity for a line; 0 removes it.',
  fields: (t) => ({
    id: t.globalID({ for: CartLine, required: true, description: 'The ID of the cart line to change.' }),
    quantity: t.int({ required: true, description: 'The new quantity; 0 removes the line.' }),
  }),
});

const CartInput = builder.inputType('CartInput', {
  description: 'What a new cart starts with; every field is optional.',
  fields: (t) => ({
    lines: t.field({ type: [CartLineInput], required: false, description: 'The variants to put in the cart.' }),
    note: t.string({ required: false, description: 'A note from the customer for the order.' }),
    deliveryAddress: t.field({
      type: MailingAddressInput,
      required: false,
      description: 'A new address to deliver to, instead of `deliveryAddressId`.',
    }),
    deliveryAddressId: t.globalID({
      for: MailingAddress,
      required: false,
      description: 'A saved address to deliver to, instead of `deliveryAddress`.',
    }),
  }),
});

function payload(name: string, description: string) {
  return builder.objectRef<CartWriteResult>(name).implement({
    description,
    fields: (t) => ({
      cart: t.prismaField({
        type: Cart,
        nullable: true,
        description: 'The cart after the change (unchanged when there are user errors); null when no cart was found or made.',
        resolve: (query, result, _args, ctx) =>
          result.cartId ? ctx.prisma.cart.findFirst({ ...query, where: { id: result.cartId, customerId: requireCustomer(ctx) } }) : null,
      }),
      userErrors: t.field({
        type: [UserError],
        description: 'Why the change was refused, each with a `code` and the `field` at fault; empty on success.',
        resolve: (result) => toUserErrors(result.userErrors),
      }),
    }),
  });
}

const lineRequests = (lines: readonly { merchandiseId: { id: string }; quantity?: number | null }[]): CartLineRequest[] =>
  lines.map((l) => ({ variantId: intId(l.merchandiseId.id), quantity: l.quantity ?? 1 }));

const deps = (ctx: Context) => ({
  limits: { maxLineQuantity: ctx.config.commerce.maxLineQuantity, maxCartLines: ctx.config.commerce.maxCartLines },
  now: ctx.now,
  maxWaitMs: ctx.config.commerce.checkoutMaxWaitMs,
  timeoutMs: ctx.config.commerce.checkoutTimeoutMs,
});

const cartId = (id: { id: string | number }) => uuidOrNone(id.id);

builder.mutationFields((t) => ({
  cartCreate: t.field({
    type: payload('CartCreatePayload', 'The result of `cartCreate`.'),
    description: 'Creates a cart for the signed-in customer.',
    args: { input: t.arg({ type: CartInput, required: false, description: 'Lines, note and delivery address to start with.' }) },
    resolve: (_root, { input }, ctx) =>
      createCart(
        ctx.prisma,
        requireCustomer(ctx),
        {
          lines: lineRequests(input?.lines ?? []),
          note: input?.note,
          deliveryAddress: input?.deliveryAddress,
          deliveryAddressId: input?.deliveryAddressId ? uuidOrNone(input.deliveryAddressId.id) : null,
        },
        deps(ctx),
      ),
  }),
  cartLinesAdd: t.field({
    type: payload('CartLinesAddPayload', 'The result of `cartLinesAdd`.'),
    description: 'Adds lines; a variant already in the cart gets its quantity increased.',
    args: {
      cartId: t.arg.globalID({ for: Cart, required: true, description: 'The cart to add to.' }),
      lines: t.arg({ type: [CartLineInput], required: true, description: 'The variants and quantities to add.' }),
    },
    resolve: (_root, args, ctx) => addCartLines(ctx.prisma, requireCustomer(ctx), cartId(args.cartId), lineRequests(args.lines), deps(ctx)),
  }),
  cartLinesUpdate: t.field({
    type: payload('CartLinesUpdatePayload', 'The result of `cartLinesUpdate`.'),
    description: 'Sets line quantities; 0 removes a line.',
    args: {
      cartId: t.arg.globalID({ for: Cart, required: true, description: 'The cart to change.' }),
      lines: t.arg({ type: [CartLineUpdateInput], required: true, description: 'The lines to change and their new quantities.' }),
    },
    resolve: (_root, args, ctx) =>
      updateCartLines(
        ctx.prisma,
        requireCustomer(ctx),
        cartId(args.cartId),
        args.lines.map((l) => ({ lineId: uuidOrNone(l.id.id), quantity: l.quantity })),
        deps(ctx),
      ),
  }),
  cartLinesRemove: t.field({
    type: payload('CartLinesRemovePayload', 'The result of `cartLinesRemove`.'),
    description: 'Removes lines from the cart; NOT_FOUND for an unknown cart or line, ALREADY_COMPLETED for a checked-out cart.',
    args: {
      cartId: t.arg.globalID({ for: Cart, required: true, description: 'The cart to change.' }),
      lineIds: t.arg.globalIDList({ for: CartLine, required: true, description: 'The IDs of the lines to remove.' }),
    },
    resolve: (_root, args, ctx) =>
      removeCartLines(
        ctx.prisma,
        requireCustomer(ctx),
        cartId(args.cartId),
        args.lineIds.map((id) => uuidOrNone(id.id)),
        deps(ctx),
      ),
  }),
  cartNoteUpdate: t.field({
    type: payload('CartNoteUpdatePayload', 'The result of `cartNoteUpdate`.'),
    description:
      "Replaces the cart's note; TOO_LONG over 5000 characters, NOT_FOUND for an unknown cart, ALREADY_COMPLETED for a checked-out cart.",
    args: {
      cartId: t.arg.globalID({ for: Cart, required: true, description: 'The cart to change.' }),
      note: t.arg.string({ required: true, description: 'The new note; an empty string clears it.' }),
    },
    resolve: (_root, args, ctx) => updateCartNote(ctx.prisma, requireCustomer(ctx), cartId(args.cartId), args.note, deps(ctx)),
  }),
  cartDeliveryAddressUpdate: t.field({
    type: payload('CartDeliveryAddressUpdatePayload', 'The result of `cartDeliveryAddressUpdate`.'),
    description: 'Sets where the cart ships: a new address or one of the saved ones (exactly one).',
    args: {
      cartId: t.arg.globalID({ for: Cart, required: true, description: 'The cart to change.' }),
      address: t.arg({ type: MailingAddressInput, required: false, description: 'A new address to deliver to.' }),
      addressId: t.arg.globalID({ for: MailingAddress, required: false, description: 'One of the saved addresses to deliver to.' }),
    },
    resolve: (_root, args, ctx) =>
      updateCartDeliveryAddress(
        ctx.prisma,
        requireCustomer(ctx),
        cartId(args.cartId),
        { address: args.address, addressId: args.addressId ? uuidOrNone(args.addressId.id) : null },
        deps(ctx),
      ),
  }),
  cartSelectedDeliveryOptionUpdate: t.field({
    type: payload('CartSelectedDeliveryOptionUpdatePayload', 'The result of `cartSelectedDeliveryOptionUpdate`.'),
    description: 'Chooses one of `Cart.deliveryOptions` by its handle.',
    args: {
      cartId: t.arg.globalID({ for: Cart, required: true, description: 'The cart to change.' }),
      deliveryOptionHandle: t.arg.string({ required: true, description: 'The `handle` of one of `Cart.deliveryOptions`.' }),
    },
    resolve: (_root, args, ctx) =>
      selectCartDeliveryOption(ctx.prisma, requireCustomer(ctx), cartId(args.cartId), args.deliveryOptionHandle, deps(ctx)),
  }),
}));
