// Cart rules, with no database and no GraphQL: quantities, line caps, merging lines by
// variant, whether a variant can be sold in a quantity, and the cart's money. Amounts
// are integer minor units taken from the catalog, never from the client.
import { isVariantAvailable } from './catalog.js';
import { userError, type CommerceUserError } from './user-errors.js';
import type { InventoryPolicy } from '../generated/prisma/client.js';

export interface CartLimits {
  /** Largest quantity of one line. */
  maxLineQuantity: number;
  /** Most lines in one cart. */
  maxCartLines: number;
}

/** Largest amount an order may total: the database keeps amounts in 32-bit integers. */
export const MAX_AMOUNT = 2_147_483_647;

/** A requested quantity: a whole number from 1 to the per-line cap. */
export function checkQuantity(quantity: number, limits: CartLimits, field: string[]): CommerceUserError | null {
  if (!Number.isInteger(quantity) || quantity < 1) return userError(field, 'GREATER_THAN', 'The quantity must be greater than 0.');
  if (quantity > limits.maxLineQuantity) {
    return userError(field, 'LESS_THAN_OR_EQUAL_TO', `The quantity must be at most ${limits.maxLineQuantity}.`);
  }
  return null;
}

export interface SellableVariant {
  id: number;
  price: number;
  currencyCode: string;
  inventoryQuantity: number;
  inventoryPolicy: InventoryPolicy;
}

/**
 * Whether `quantity` units of a variant can be sold: it must be visible (found), in
 * stock or sold on backorder, and have enough units unless its policy is CONTINUE.
 */
export function checkVariantQuantity(variant: SellableVariant | undefined, quantity: number, field: string[]): CommerceUserError | null {
  if (!variant) return userError(field, 'NOT_FOUND', 'This product variant does not exist or is not for sale.');
  if (!isVariantAvailable(variant)) return userError(field, 'OUT_OF_STOCK', 'This product variant is sold out.');
  if (variant.inventoryPolicy === 'DENY' && quantity > variant.inventoryQuantity) {
    return userError(field, 'NOT_ENOUGH_IN_STOCK', `Only ${variant.inventoryQuantity} in stock.`);
  }
  return null;
}

/** Sums requested quantities per variant, in first-seen order: lines merge by variant. */
export function mergeByVariant<T extends { variantId: number; quantity: number }>(lines: readonly T[]): Map<number, number> {
  const merged = new Map<number, number>();
  for (const line of lines) merged.set(line.variantId, (merged.get(line.variantId) ?? 0) + line.quantity);
  return merged;
}

/**
 * Applies additions to a cart's existing lines: the new quantity of every touched variant,
 * or user errors (per-line cap, 250-line cap, unknown or unavailable variants, stock).
 * `field(variantId)` names the input an error points at.
 */
export function planAdditions(
  existing: ReadonlyMap<number, number>,
  additions: ReadonlyMap<number, number>,
  variants: ReadonlyMap<number, SellableVariant>,
  limits: CartLimits,
  field: (variantId: number) => string[],
): { quantities: Map<number, number>; userErrors: CommerceUserError[] } {
  const quantities = new Map<number, number>();
  const userErrors: CommerceUserError[] = [];
  for (const [variantId, added] of additions) {
    const quantity = (existing.get(variantId) ?? 0) + added;
    const error =
      checkQuantity(quantity, limits, [...field(variantId), 'quantity']) ??
      checkVariantQuantity(variants.get(variantId), quantity, [...field(variantId), 'merchandiseId']);
    if (error) userErrors.push(error);
    else quantities.set(variantId, quantity);
  }
  const lineCount = new Set([...existing.keys(), ...additions.keys()]).size;
  if (lineCount > limits.maxCartLines) {
    userErrors.push(userError(['lines'], 'TOO_MANY_LINES', `A cart can have at most ${limits.maxCartLines} lines.`));
  }
  return { quantities, userErrors };
}

export interface PricedLine {
  quantity: number;
  unitPrice: number;
}

export interface CartTotals {
  totalQuantity: number;
  subtotal: number;
  /** Null until a delivery option is chosen. */
  shipping: number | null;
  total: number;
}

/** The cart's money: subtotal from the lines, plus the chosen delivery option's cost. */
export function cartTotals(lines: readonly PricedLine[], shipping: (subtotal: number) => number | null): CartTotals {
  let subtotal = 0;
  let totalQuantity = 0;
  for (const line of lines) {
    subtotal += line.unitPrice * line.quantity;
    totalQuantity += line.quantity;
  }
  const shippingCost = shipping(subtotal);
  return { totalQuantity, subtotal, shipping: shippingCost, total: subtotal + (shippingCost ?? 0) };
}

/** A cart note: at most 5,000 characters; empty clears it. */
export function checkNote(note: string | null | undefined, field: string[]): { note: string | null; error: CommerceUserError | null } {
  const value = (note ?? '').trim();
  if (value.length > 5000) return { note: null, error: userError(field, 'TOO_LONG', 'Use at most 5000 characters.') };
  return { note: value || null, error: null };
}
