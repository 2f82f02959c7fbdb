// Keyset pagination for sorted lists. A cursor holds the sort values and the ID of the row
// it points at (never an offset, never "find that row again"), so a row that is
// unpublished, repriced or deleted between two pages cannot end the list or skip others:
// the next page is simply every row ordered after those values. Cursors are opaque to
// clients and carry an HMAC, and every value in them is checked for kind and range.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How a sort column's values are stored in a cursor. */
export type ValueKind = 'int' | 'string' | 'date';
export type SortValue = number | string | Date;

/** One column of an ordering; `path` reaches through relations, e.g. ['product', 'title']. */
export interface SortColumn {
  path: readonly string[];
  kind: ValueKind;
}

/** An ordering whose last column is unique (the ID), so every row has one place. */
export type Keyset = readonly SortColumn[];

/** Which list and sort order a cursor was made for; a cursor only works where it was made. */
export interface CursorScope {
  list: string;
  sortKey: string;
  /** The object whose list it is (a collection's id), when the list belongs to one. Left out when
   * decoding, it is not checked (the owner is not known yet). */
  owner?: number;
}

/** A cursor or page request the client can fix; `field` names the argument. */
export class PaginationInputError extends Error {
  override name = 'PaginationInputError';
  constructor(
    message: string,
    readonly field: string[],
  ) {
    super(message);
  }
}

const VERSION = 1;
/** Longest cursor accepted: a long title plus the MAC fits well within it. */
export const MAX_CURSOR_LENGTH = 1024;
const MAX_STRING_VALUE = 500;
const MAC_LENGTH = 22; // base64url characters: 132 bits of HMAC-SHA256
const CURSOR = /^[A-Za-z0-9_-]{1,1000}\.[A-Za-z0-9_-]{22}$/;
const INT32 = 2_147_483_647;

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url').slice(0, MAC_LENGTH);
}

export function encodeCursor(secret: string, scope: CursorScope, values: readonly SortValue[]): string {
  const plain = values.map((value) => (value instanceof Date ? value.toISOString() : value));
  const payload = Buffer.from(JSON.stringify([VERSION, scope.list, scope.sortKey, scope.owner ?? null, ...plain])).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

function readValue(raw: unknown, kind: ValueKind): SortValue | null {
  switch (kind) {
    case 'int':
      return typeof raw === 'number' && Number.isInteger(raw) && Math.abs(raw) <= INT32 ? raw : null;
    case 'string':
      return typeof raw === 'string' && raw.length <= MAX_STRING_VALUE && !raw.includes('\u0000') ? raw : null;
    case 'date': {
      if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(raw)) return null;
      const date = new Date(raw);
      return Number.isNaN(date.getTime()) || date.toISOString() !== raw ? null : date;
    }
  }
}

/**
 * The sort values of a cursor made by encodeCursor for this scope and keyset. Throws a
 * PaginationInputError for anything else: malformed, tampered with, or made for another
 * list or sort order.
 */
export function decodeCursor(secret: string, scope: CursorScope, keyset: Keyset, cursor: string, field = 'after'): SortValue[] {
  const invalid = () =>
    new PaginationInputError(`Invalid cursor in \`${field}\`: pass a cursor from this list's pageInfo or edges.`, [field]);
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !CURSOR.test(cursor)) throw invalid();
  const [payload, given] = cursor.split('.') as [string, string];
  const expected = mac(secret, payload);
  if (!timingSafeEqual(Buffer.from(given), Buffer.from(expected))) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed[0] !== VERSION) throw invalid();
  if (parsed[1] !== scope.list || parsed[2] !== scope.sortKey || (scope.owner !== undefined && parsed[3] !== scope.owner)) {
    throw new PaginationInputError(
      `The cursor in \`${field}\` belongs to another list or sort order: pass a cursor from this list with the same sortKey.`,
      [field],
    );
  }
  if (parsed.length !== 4 + keyset.length) throw invalid();
  return keyset.map((column, index) => {
    const value = readValue(parsed[4 + index], column.kind);
    if (value === null) throw invalid();
    return value;
  });
}

/** The sort values of a row, read along each column's path. */
export function rowValues(keyset: Keyset, row: unknown): SortValue[] {
  return keyset.map((column) => {
    let value: unknown = row;
    for (const key of column.path) value = (value as Record<string, unknown> | null)?.[key];
    if (value === null || value === undefined) throw new Error(`Row lacks sort column ${column.path.join('.')}`);
    return value as SortValue;
  });
}

function nest(path: readonly string[], condition: unknown): Record<string, unknown> {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), condition) as Record<string, unknown>;
}

/**
 * Rows strictly beyond `values` in the ordering `keyset`/`direction` (`side: 'after'`), or
 * strictly before them (`'before'`): the row-value comparison (a, b, id) > (x, y, z)
 * spelled as Prisma can express it: a > x OR (a = x AND b > y) OR (a = x AND b = y AND id > z).
 */
export function keysetWhere(
  keyset: Keyset,
  values: readonly SortValue[],
  direction: 'asc' | 'desc',
  side: 'after' | 'before',
): Record<string, unknown> {
  const greater = (direction === 'asc') === (side === 'after');
  const alternatives = keyset.map((column, index) => {
    const equal = keyset.slice(0, index).map((previous, i) => nest(previous.path, values[i]));
    const beyond = nest(column.path, { [greater ? 'gt' : 'lt']: values[index] });
    return equal.length === 0 ? beyond : { AND: [...equal, beyond] };
  });
  return alternatives.length === 1 ? alternatives[0]! : { OR: alternatives };
}

/** Prisma orderBy for a keyset in one direction. */
export function keysetOrderBy(keyset: Keyset, direction: 'asc' | 'desc'): Record<string, unknown>[] {
  return keyset.map((column) => nest(column.path, direction));
}

export interface PageRequest {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export interface PageOptions {
  secret: string;
  scope: CursorScope;
  keyset: Keyset;
  reverse: boolean;
  defaultSize: number;
  maxSize: number;
}

/** What to ask the database for one page: extra conditions, order and how many rows. */
export interface PageQuery {
  where: Record<string, unknown>[];
  orderBy: Record<string, unknown>[];
  take: number;
  size: number;
  backward: boolean;
}

/** The size and direction of a page, checked: `first` or `last`, within the bounds. */
function pageShape(request: PageRequest, options: PageOptions): Pick<PageQuery, 'size' | 'backward'> {
  const { first, last } = request;
  if (first != null && last != null) {
    throw new PaginationInputError('Pass either `first` or `last`, not both.', ['last']);
  }
  const size = first ?? last ?? options.defaultSize;
  if (!Number.isInteger(size) || size < 0 || size > options.maxSize) {
    throw new PaginationInputError(`Page sizes must be between 0 and ${options.maxSize}.`, [last != null ? 'last' : 'first']);
  }
  return { size, backward: last != null };
}

/** The positions the request's cursors name, each checked against the list's secret, scope and keyset. */
function cursorBounds(request: PageRequest, options: PageOptions) {
  const decode = (cursor: string | null | undefined, field: 'after' | 'before') =>
    cursor != null ? decodeCursor(options.secret, options.scope, options.keyset, cursor, field) : null;
  return { after: decode(request.after, 'after'), before: decode(request.before, 'before') };
}

export function pageQuery(request: PageRequest, options: PageOptions): PageQuery {
  const { size, backward } = pageShape(request, options);
  const { after, before } = cursorBounds(request, options);
  const direction = options.reverse ? 'desc' : 'asc';
  const where: Record<string, unknown>[] = [];
  if (after !== null) where.push(keysetWhere(options.keyset, after, direction, 'after'));
  if (before !== null) where.push(keysetWhere(options.keyset, before, direction, 'before'));
  const fetchDirection = backward ? (options.reverse ? 'asc' : 'desc') : direction;
  return { where, orderBy: keysetOrderBy(options.keyset, fetchDirection), take: size + 1, size, backward };
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** An edge whose cursor (an HMAC) is made when first read: most pages only ask for their nodes. */
class KeysetEdge<R, T> {
  #cursor: string | undefined;
  constructor(
    private readonly options: PageOptions,
    private readonly row: R,
    readonly node: T,
  ) {}

  get cursor(): string {
    return (this.#cursor ??= encodeCursor(this.options.secret, this.options.scope, rowValues(this.options.keyset, this.row)));
  }
}

/** The page from the rows fetched with pageQuery's take (one more than the page holds). */
export function pageOf<R, T>(
  rows: readonly R[],
  request: PageRequest,
  query: Pick<PageQuery, 'size' | 'backward'>,
  options: PageOptions,
  node: (row: R) => T,
): Page<T> {
  const more = rows.length > query.size;
  const kept = rows.slice(0, query.size);
  if (query.backward) kept.reverse();
  return {
    edges: kept.map((row) => new KeysetEdge(options, row, node(row))),
    // As Relay allows: the far side is only known to exist when the client came from there.
    hasNextPage: query.backward ? request.before != null : more,
    hasPreviousPage: query.backward ? more : request.after != null,
  };
}

/**
 * The size and direction of a page whose query pageQuery planned already (a page nested in its
 * owner's query), with its cursors checked against `options`, which may now name the owner.
 */
export function plannedPage(request: PageRequest, options: PageOptions): Pick<PageQuery, 'size' | 'backward'> {
  cursorBounds(request, options);
  return pageShape(request, options);
}

/** A Prisma `select` loading every column of a keyset (relations nested), for the cursors. */
export function keysetSelect(keyset: Keyset): Record<string, unknown> {
  const select: Record<string, unknown> = {};
  for (const column of keyset) {
    let target = select;
    column.path.slice(0, -1).forEach((key) => {
      const relation = (target[key] ??= { select: {} }) as { select: Record<string, unknown> };
      target = relation.select;
    });
    target[column.path[column.path.length - 1]!] = true;
  }
  return select;
}
