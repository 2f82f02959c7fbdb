// Carts in the database: create, note, delivery address and option, and the helpers the
// line changes (./cart-lines.ts) share. Every function takes the signed-in customer's id and only ever finds that
// customer's carts: another customer's cart answers exactly like a missing one. Writes
// lock the cart row first, so checkout and concurrent edits of one cart take turns.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { findOwnAddress, addressOfRow, readAddress, validateAddress, type Address, type AddressInput } from './addresses.js';
import { checkNote, checkQuantity, mergeByVariant, planAdditions, type CartLimits, type SellableVariant } from './cart.js';
import { publishedProductWhere } from './catalog.js';
import { listActiveRates, ratesForCountry } from './shipping.js';
import { userError, type CommerceUserError } from './user-errors.js';

type Tx = Prisma.TransactionClient;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CartLineRequest {
  /** Null when the client's ID could not name a variant: answered as not found. */
  variantId: number | null;
  quantity: number;
}

export type CartWriteResult = { cartId: string | null; userErrors: CommerceUserError[] };

export interface CartDeps {
  limits: CartLimits;
  now: Date;
  /** Transaction limits (ms): waiting to start, and running. Prisma's defaults (2 s, 5 s) when absent. */
  maxWaitMs?: number;
  timeoutMs?: number;
}

const SELLABLE = { id: true, price: true, currencyCode: true, inventoryQuantity: true, inventoryPolicy: true } as const;

/** The visible variants among `ids`, by id (unpublished products' variants are missing). */
export async function sellableVariants(db: PrismaClient | Tx, ids: number[], now: Date): Promise<Map<number, SellableVariant>> {
  if (ids.length === 0) return new Map();
  const rows = await db.productVariant.findMany({ where: { id: { in: ids }, product: publishedProductWhere(now) }, select: SELLABLE });
  return new Map(rows.map((row) => [row.id, row]));
}

/** The customer's cart with a planned selection, or null. */
export function findOwnCart<Q extends Omit<Prisma.CartFindFirstArgs, 'where'>>(
  prisma: PrismaClient,
  query: Q,
  customerId: string,
  cartId: string,
) {
  return prisma.cart.findFirst({
    ...query,
    where: { id: UUID.test(cartId) ? cartId : '00000000-0000-0000-0000-000000000000', customerId },
  });
}

/** The customer's most recently changed cart that is not checked out yet. */
export function findActiveCart<Q extends Omit<Prisma.CartFindFirstArgs, 'where' | 'orderBy'>>(
  prisma: PrismaClient,
  query: Q,
  customerId: string,
) {
  return prisma.cart.findFirst({ ...query, where: { customerId, completedAt: null }, orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }] });
}

/** Checks requested lines; the valid ones merged by variant. */
export function lineErrors(
  lines: readonly CartLineRequest[],
  limits: CartLimits,
  path: string,
): { additions: Map<number, number>; userErrors: CommerceUserError[] } {
  const userErrors: CommerceUserError[] = [];
  const valid: (CartLineRequest & { variantId: number })[] = [];
  lines.forEach((line, index) => {
    const error =
      checkQuantity(line.quantity, limits, [path, String(index), 'quantity']) ??
      (line.variantId === null
        ? userError([path, String(index), 'merchandiseId'], 'NOT_FOUND', 'This product variant does not exist or is not for sale.')
        : null);
    if (error) userErrors.push(error);
    else valid.push(line as CartLineRequest & { variantId: number });
  });
  // Lines with errors are left out, so a merged quantity is not reported twice.
  return { additions: mergeByVariant(valid), userErrors };
}

/** Where an error about a variant points: the first input line naming it. */
export function fieldOf(lines: readonly CartLineRequest[], path: string) {
  return (variantId: number) => [
    path,
    String(
      Math.max(
        0,
        lines.findIndex((l) => l.variantId === variantId),
      ),
    ),
  ];
}

export function currencyErrors(variants: Map<number, SellableVariant>, currencyCode: string): CommerceUserError[] {
  return [...variants.values()]
    .filter((v) => v.currencyCode !== currencyCode)
    .map(() => userError(['lines'], 'CURRENCY_MISMATCH', `Every line of a cart must be priced in ${currencyCode}.`));
}

async function resolveAddress(
  db: PrismaClient | Tx,
  customerId: string,
  input: { address?: AddressInput | null; addressId?: string | null },
  path: string[],
): Promise<{ address: Address | null; userErrors: CommerceUserError[] }> {
  if (input.addressId) {
    const row = UUID.test(input.addressId) ? await findOwnAddress(db, customerId, input.addressId) : null;
    return row
      ? { address: addressOfRow(row), userErrors: [] }
      : { address: null, userErrors: [userError([...path.slice(0, -1), 'addressId'], 'NOT_FOUND', 'No address with this ID.')] };
  }
  if (input.address) return validateAddress(input.address, path);
  return { address: null, userErrors: [] };
}

export async function createCart(
  prisma: PrismaClient,
  customerId: string,
  input: {
    lines: readonly CartLineRequest[];
    note?: string | null;
    deliveryAddress?: AddressInput | null;
    deliveryAddressId?: string | null;
  },
  deps: CartDeps,
): Promise<CartWriteResult> {
  const { additions, userErrors } = lineErrors(input.lines, deps.limits, 'lines');
  const note = checkNote(input.note, ['note']);
  if (note.error) userErrors.push(note.error);
  const delivery = await resolveAddress(prisma, customerId, { address: input.deliveryAddress, addressId: input.deliveryAddressId }, [
    'deliveryAddress',
  ]);
  userErrors.push(...delivery.userErrors);
  const variants = await sellableVariants(prisma, [...additions.keys()], deps.now);
  const currencyCode = variants.values().next().value?.currencyCode ?? 'USD';
  const plan = planAdditions(new Map(), additions, variants, deps.limits, fieldOf(input.lines, 'lines'));
  userErrors.push(...plan.userErrors, ...currencyErrors(variants, currencyCode).slice(0, 1));
  if (userErrors.length > 0) return { cartId: null, userErrors };
  const cart = await prisma.cart.create({
    data: {
      customerId,
      currencyCode,
      note: note.note,
      deliveryAddress: delivery.address ? { ...delivery.address } : undefined,
      lines: {
        create: [...plan.quantities].map(([variantId, quantity]) => ({
          variantId,
          quantity,
          seenUnitPrice: variants.get(variantId)!.price,
        })),
      },
    },
    select: { id: true },
  });
  return { cartId: cart.id, userErrors: [] };
}

interface LockedCart {
  id: string;
  currencyCode: string;
  deliveryAddress: unknown;
}

/**
 * Runs `change` on the customer's open cart inside a transaction that holds the cart's
 * row lock. `change` validates first and writes only when it returns no errors.
 */
export async function changeOpenCart(
  prisma: PrismaClient,
  customerId: string,
  cartId: string,
  deps: CartDeps,
  change: (tx: Tx, cart: LockedCart) => Promise<CommerceUserError[]>,
): Promise<CartWriteResult> {
  const now = deps.now;
  if (!UUID.test(cartId)) return { cartId: null, userErrors: [userError(['cartId'], 'NOT_FOUND', 'No cart with this ID.')] };
  return prisma.$transaction(
    async (tx) => {
      const [cart] = await tx.$queryRaw<(LockedCart & { completedAt: Date | null })[]>`
      SELECT id, "currencyCode", "deliveryAddress", "completedAt" FROM "Cart"
      WHERE id = ${cartId}::uuid AND "customerId" = ${customerId}::uuid FOR UPDATE`;
      if (!cart) return { cartId: null, userErrors: [userError(['cartId'], 'NOT_FOUND', 'No cart with this ID.')] };
      if (cart.completedAt)
        return {
          cartId: cart.id,
          userErrors: [userError(['cartId'], 'ALREADY_COMPLETED', 'This cart has been checked out and cannot change.')],
        };
      const userErrors = await change(tx, cart);
      if (userErrors.length === 0) await tx.cart.update({ where: { id: cart.id }, data: { updatedAt: now }, select: { id: true } });
      return { cartId: cart.id, userErrors };
    },
    { maxWait: deps.maxWaitMs, timeout: deps.timeoutMs },
  );
}

export function updateCartNote(prisma: PrismaClient, customerId: string, cartId: string, input: string | null, deps: CartDeps) {
  return changeOpenCart(prisma, customerId, cartId, deps, async (tx, cart) => {
    const { note, error } = checkNote(input, ['note']);
    if (error) return [error];
    await tx.cart.update({ where: { id: cart.id }, data: { note }, select: { id: true } });
    return [];
  });
}

/** Sets where the cart ships; a chosen option that does not ship there is dropped. */
export function updateCartDeliveryAddress(
  prisma: PrismaClient,
  customerId: string,
  cartId: string,
  input: { address?: AddressInput | null; addressId?: string | null },
  deps: CartDeps,
) {
  return changeOpenCart(prisma, customerId, cartId, deps, async (tx, cart) => {
    if ((input.address ? 1 : 0) + (input.addressId ? 1 : 0) !== 1)
      return [userError(['address'], 'INVALID', 'Pass exactly one of `address` or `addressId`.')];
    const { address, userErrors } = await resolveAddress(tx, customerId, input, ['address']);
    if (!address) return userErrors;
    const current = await tx.cart.findUnique({ where: { id: cart.id }, select: { shippingRate: true } });
    const keep = current?.shippingRate && ratesForCountry([current.shippingRate], address.countryCode, cart.currencyCode).length > 0;
    await tx.cart.update({
      where: { id: cart.id },
      data: { deliveryAddress: { ...address }, ...(keep ? {} : { shippingRateId: null }) },
      select: { id: true },
    });
    return [];
  });
}

/** Chooses one of the cart's delivery options by its handle. */
export function selectCartDeliveryOption(prisma: PrismaClient, customerId: string, cartId: string, handle: string, deps: CartDeps) {
  return changeOpenCart(prisma, customerId, cartId, deps, async (tx, cart) => {
    const address = readAddress(cart.deliveryAddress);
    if (!address) return [userError(['cartId'], 'DELIVERY_ADDRESS_REQUIRED', 'Set a delivery address first.')];
    const rates = await listActiveRates(tx);
    const rate = rates.find((r) => r.handle === handle);
    if (!rate) return [userError(['deliveryOptionHandle'], 'NOT_FOUND', 'No delivery option with this handle.')];
    if (!ratesForCountry(rates, address.countryCode, cart.currencyCode).some((r) => r.id === rate.id)) {
      return [
        userError(['deliveryOptionHandle'], 'DELIVERY_OPTION_UNAVAILABLE', 'This delivery option does not ship to the delivery address.'),
      ];
    }
    await tx.cart.update({ where: { id: cart.id }, data: { shippingRateId: rate.id }, select: { id: true } });
    return [];
  });
}
