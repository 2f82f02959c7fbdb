// A cart's lines in the database: add (merging by variant), set quantities, remove. Each
// change runs in changeOpenCart (./cart-store.ts): the customer's own open cart, locked.
import type { PrismaClient } from '../generated/prisma/client.js';
import { checkQuantity, checkVariantQuantity, planAdditions } from './cart.js';
import {
  changeOpenCart,
  currencyErrors,
  fieldOf,
  lineErrors,
  sellableVariants,
  type CartDeps,
  type CartLineRequest,
} from './cart-store.js';
import { userError, type CommerceUserError } from './user-errors.js';

export function addCartLines(prisma: PrismaClient, customerId: string, cartId: string, lines: readonly CartLineRequest[], deps: CartDeps) {
  return changeOpenCart(prisma, customerId, cartId, deps, async (tx, cart) => {
    const { additions, userErrors } = lineErrors(lines, deps.limits, 'lines');
    if (lines.length === 0) userErrors.push(userError(['lines'], 'BLANK', 'Add at least one line.'));
    const existing = await tx.cartLine.findMany({ where: { cartId: cart.id }, select: { id: true, variantId: true, quantity: true } });
    const variants = await sellableVariants(tx, [...additions.keys()], deps.now);
    const plan = planAdditions(
      new Map(existing.map((l) => [l.variantId, l.quantity])),
      additions,
      variants,
      deps.limits,
      fieldOf(lines, 'lines'),
    );
    userErrors.push(...plan.userErrors, ...currencyErrors(variants, cart.currencyCode).slice(0, 1));
    if (userErrors.length > 0) return userErrors;
    const byVariant = new Map(existing.map((l) => [l.variantId, l.id]));
    const fresh = [...plan.quantities].filter(([variantId]) => !byVariant.has(variantId));
    if (fresh.length) {
      await tx.cartLine.createMany({
        data: fresh.map(([variantId, quantity]) => ({
          cartId: cart.id,
          variantId,
          quantity,
          seenUnitPrice: variants.get(variantId)!.price,
        })),
      });
    }
    for (const [variantId, quantity] of plan.quantities) {
      const lineId = byVariant.get(variantId);
      if (lineId)
        await tx.cartLine.update({
          where: { id: lineId },
          data: { quantity, seenUnitPrice: variants.get(variantId)!.price },
          select: { id: true },
        });
    }
    return [];
  });
}

/** Sets line quantities (0 removes the line, as in Shopify). */
export function updateCartLines(
  prisma: PrismaClient,
  customerId: string,
  cartId: string,
  updates: readonly { lineId: string; quantity: number }[],
  deps: CartDeps,
) {
  return changeOpenCart(prisma, customerId, cartId, deps, async (tx, cart) => {
    const userErrors: CommerceUserError[] = [];
    if (updates.length === 0) userErrors.push(userError(['lines'], 'BLANK', 'Pass at least one line.'));
    const existing = await tx.cartLine.findMany({ where: { cartId: cart.id }, select: { id: true, variantId: true } });
    const byId = new Map(existing.map((l) => [l.id, l.variantId]));
    const wanted = new Map<string, { quantity: number; index: number }>();
    updates.forEach((u, index) => {
      if (!byId.has(u.lineId.toLowerCase()))
        userErrors.push(userError(['lines', String(index), 'id'], 'NOT_FOUND', 'No line with this ID in the cart.'));
      else if (u.quantity !== 0) {
        const error = checkQuantity(u.quantity, deps.limits, ['lines', String(index), 'quantity']);
        if (error) userErrors.push(error);
        else wanted.set(u.lineId.toLowerCase(), { quantity: u.quantity, index });
      } else wanted.set(u.lineId.toLowerCase(), { quantity: 0, index });
    });
    const variants = await sellableVariants(
      tx,
      [...wanted].filter(([, w]) => w.quantity > 0).map(([id]) => byId.get(id)!),
      deps.now,
    );
    for (const [lineId, w] of wanted) {
      if (w.quantity === 0) continue;
      const error = checkVariantQuantity(variants.get(byId.get(lineId)!), w.quantity, ['lines', String(w.index), 'quantity']);
      if (error) userErrors.push(error);
    }
    if (userErrors.length > 0) return userErrors;
    const removed = [...wanted].filter(([, w]) => w.quantity === 0).map(([id]) => id);
    if (removed.length) await tx.cartLine.deleteMany({ where: { id: { in: removed }, cartId: cart.id } });
    for (const [lineId, w] of wanted) {
      if (w.quantity === 0) continue;
      const price = variants.get(byId.get(lineId)!)!.price;
      await tx.cartLine.update({ where: { id: lineId }, data: { quantity: w.quantity, seenUnitPrice: price }, select: { id: true } });
    }
    return [];
  });
}

export function removeCartLines(prisma: PrismaClient, customerId: string, cartId: string, lineIds: readonly string[], deps: CartDeps) {
  return changeOpenCart(prisma, customerId, cartId, deps, async (tx, cart) => {
    const ids = lineIds.map((id) => id.toLowerCase());
    const existing = new Set((await tx.cartLine.findMany({ where: { cartId: cart.id }, select: { id: true } })).map((l) => l.id));
    const userErrors = ids.flatMap((id, index) =>
      existing.has(id) ? [] : [userError(['lineIds', String(index)], 'NOT_FOUND', 'No line with this ID in the cart.')],
    );
    if (ids.length === 0) userErrors.push(userError(['lineIds'], 'BLANK', 'Pass at least one line ID.'));
    if (userErrors.length > 0) return userErrors;
    await tx.cartLine.deleteMany({ where: { id: { in: ids }, cartId: cart.id } });
    return [];
  });
}
