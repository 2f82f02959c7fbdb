// Global IDs in Shopify's readable form (`gid://vitrine/Product/291`) and the database ids
// behind them. A malformed global ID is a user error; an id no row can have finds nothing
// and never reaches SQL as anything but a bound integer or uuid.
import { GraphQLError } from 'graphql';

const PREFIX = 'gid://vitrine/';
/** Longest global ID accepted: room for a type name and a uuid with a query. */
export const MAX_GLOBAL_ID_LENGTH = 255;
const GID = /^gid:\/\/vitrine\/([A-Z][A-Za-z0-9]{0,63})\/([A-Za-z0-9._~-]+(?:\?[A-Za-z0-9._~=&%-]*)?)$/;

export function encodeGlobalId(typename: string, id: string | number | bigint): string {
  return `${PREFIX}${typename}/${String(id)}`;
}

/** `{ typename, id }` of a well-formed global ID, or null (the old base64 form included). */
export function parseGlobalId(globalId: string): { typename: string; id: string } | null {
  if (globalId.length > MAX_GLOBAL_ID_LENGTH) return null;
  const match = GID.exec(globalId);
  return match ? { typename: match[1]!, id: match[2]! } : null;
}

function shown(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

export function invalidGlobalIdError(globalId: string, expected?: readonly string[]): GraphQLError {
  const form = expected?.length === 1 ? `gid://vitrine/${expected[0]}/<id>` : 'gid://vitrine/<Type>/<id>';
  return new GraphQLError(`Invalid global ID ${shown(globalId)}: expected the form ${form}.`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

export function wrongTypeGlobalIdError(globalId: string, expected: readonly string[]): GraphQLError {
  return new GraphQLError(`Global ID ${shown(globalId)} is not the ID of a ${expected.join(' or ')}.`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

/** The relay plugin's decoder: a malformed global ID is a coded user error. */
export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  const decoded = parseGlobalId(globalId);
  if (!decoded) throw invalidGlobalIdError(globalId);
  return decoded;
}

const INT_ID = /^[1-9]\d{0,9}$/;

export function intId(id: string | number): number | null {
  const text = String(id);
  if (!INT_ID.test(text)) return null;
  const value = Number(text);
  return value <= 2_147_483_647 ? value : null;
}

/** For node lookups by a where clause: an id no row can have. */
export const NO_ROW = -1;

/** `product(id | handle)`-style arguments: exactly one must be given. */
export function idOrHandle(args: { id?: { id: unknown } | null; handle?: string | null }): { id: number } | { handle: string } {
  if ((args.id ? 1 : 0) + (args.handle ? 1 : 0) !== 1) {
    throw new GraphQLError('Pass exactly one of `id` or `handle`.', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return args.id ? { id: intId(String(args.id.id)) ?? NO_ROW } : { handle: args.handle! };
}
