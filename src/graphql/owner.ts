// What carts, orders and addresses need from a request: the signed-in customer (or a
// coded error for anonymous requests), ID helpers that never let a malformed ID reach SQL,
// commerce user errors as GraphQL UserErrors, and per-request memoized lookups.
import { GraphQLError } from 'graphql';
import { UUID } from '../commerce/cart-store.js';
import type { CommerceUserError } from '../commerce/user-errors.js';
import type { Context } from './context.js';
import { viewerCustomerId as signedInCustomerId } from '../auth/viewer.js';
import type { UserErrorShape } from './types/common.js';

/** The signed-in customer's id (customer scope), or null; the rule itself is in auth/viewer.ts. */
export const viewerCustomerId = (ctx: Context): string | null => signedInCustomerId(ctx.viewer);

/** Matches no row of a uuid column. */
export const NO_UUID = '00000000-0000-0000-0000-000000000000';

/** A uuid from a global ID's id part, or null when malformed. */
export function parseUuid(raw: string): string | null {
  return UUID.test(raw) ? raw.toLowerCase() : null;
}

/** Rows owned by the signed-in customer (through `path`, e.g. a line's cart); null for anonymous viewers. */
export function ownedBy(ctx: Context, path: 'customerId' | 'cart'): object | null {
  const own = viewerCustomerId(ctx);
  if (own === null) return null;
  return path === 'cart' ? { cart: { customerId: own } } : { customerId: own };
}

/** A uuid from a decoded global ID, or an id no row has. */
export function uuidOrNone(id: string | number): string {
  const text = String(id);
  return UUID.test(text) ? text.toLowerCase() : NO_UUID;
}

/** The signed-in customer's id; anonymous requests get an UNAUTHENTICATED error and no data. */
export function requireCustomer(ctx: Context): string {
  const id = viewerCustomerId(ctx);
  if (id === null) {
    throw new GraphQLError('Sign in as a customer (Authorization: Bearer <access token>) to use carts, orders and addresses.', {
      // 401 as for any missing credentials (RFC 6750 §3), also when other fields had data.
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
    });
  }
  return id;
}

export function toUserErrors(errors: readonly CommerceUserError[]): UserErrorShape[] {
  return errors.map((e) => ({ field: e.field, code: e.code, message: e.message }));
}

const memo = new WeakMap<Context, Map<string, Promise<unknown>>>();

/** Runs `load` once per request and key; never shared between requests (or customers). */
export function perRequest<T>(ctx: Context, key: string, load: () => Promise<T>): Promise<T> {
  let entries = memo.get(ctx);
  if (!entries) memo.set(ctx, (entries = new Map<string, Promise<unknown>>()));
  let value = entries.get(key) as Promise<T> | undefined;
  if (!value) entries.set(key, (value = load()));
  return value;
}
