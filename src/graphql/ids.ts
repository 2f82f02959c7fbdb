import { GraphQLError } from 'graphql';

// Database ids behind global IDs. A malformed id finds nothing; it never reaches SQL.
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
