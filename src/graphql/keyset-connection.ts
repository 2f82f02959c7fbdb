// The GraphQL side of keyset pagination (rules in ../commerce/keyset.ts): connection
// arguments to a ListPage, a Page to a Relay connection, the planned node selection of a
// connection field, and a field extension that lets ./input-checks.ts check cursors,
// page sizes and `first`+`last` before anything executes.
import type { GraphQLResolveInfo } from 'graphql';
import type { ListPage } from '../commerce/catalog-reads.js';
import { keysetSelect, type Keyset, type Page, type PageRequest } from '../commerce/keyset.js';
import type { Config } from '../config.js';
import type { Context } from './context.js';
import { plannedQuery } from './plan-cache.js';
import { mergeSelections, withNodesPath } from './selection.js';

export function listPage(args: PageRequest, config: Config): ListPage {
  const { first, last, after, before } = args;
  return {
    request: { first, last, after, before },
    cursorSecret: config.graphql.cursorSecret,
    defaultSize: config.graphql.defaultPageSize,
    maxSize: config.graphql.maxPageSize,
  };
}

/** A connection's pageInfo; its cursors are made only when the client asks for them. */
class KeysetPageInfo {
  constructor(
    private readonly edges: readonly { cursor: string }[],
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
  ) {}

  get startCursor(): string | null {
    return this.edges[0]?.cursor ?? null;
  }

  get endCursor(): string | null {
    return this.edges[this.edges.length - 1]?.cursor ?? null;
  }
}

/** The connection of a page. */
export function toConnection<T>(page: Page<T>) {
  return { edges: page.edges, pageInfo: new KeysetPageInfo(page.edges, page.hasNextPage, page.hasPreviousPage) };
}

const NODE_PATHS = [['nodes'], ['edges', 'node']];

/**
 * The Prisma selection for a connection's nodes (`nodes` and `edges.node`), plus `select`, the
 * columns of the sort key `variant` names.
 */
export async function plannedNodes(
  ctx: Context,
  info: GraphQLResolveInfo,
  typeName: string,
  select?: Record<string, unknown>,
  variant?: string,
) {
  return plannedQuery(ctx, info, { typeName, select, variant, paths: NODE_PATHS });
}

/** plugin-prisma's `nestedSelection` callback of a field's `select`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type NestedSelection = (selection?: any, path?: any) => unknown;

/**
 * The Prisma query of a connection page nested in its owner's query: the page's where, order
 * and take, the keyset columns (for the cursors), and the planned selection of its nodes
 * (`nodes` and `edges.node`), reached through the relation `through` when each row is a
 * membership (a collection's product). For a field's `select` with plugin-prisma's `nestedSelection`.
 */
export function nestedPageSelect(
  nestedSelection: NestedSelection,
  keyset: Keyset,
  page: object,
  through?: string,
): Record<string, unknown> {
  // Seeded with the id: a request selecting only pageInfo would plan an empty `select`.
  const node = withNodesPath(nestedSelection)({ select: { id: true } }, ['edges', 'node']);
  const select = mergeSelections({ select: keysetSelect(keyset) }, through ? { select: { [through]: node } } : node);
  return { ...page, ...(select as object) };
}

/** Name of the field extension holding a KeysetCheck. */
export const KEYSET_CHECK = 'vitrineKeysetCheck';

/** Throws a PaginationInputError when a field's arguments cannot page (bad cursor, first+last). */
export type KeysetCheck = (args: Record<string, unknown>, page: ListPage) => void;

export function keysetCheck(check: KeysetCheck): Record<string, unknown> {
  return { [KEYSET_CHECK]: check };
}
