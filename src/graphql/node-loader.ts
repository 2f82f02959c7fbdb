// One registration per node type: the rule deciding which of its rows a viewer may see,
// used both by batched `node`/`nodes` (global IDs grouped by type, each type loaded with
// ONE query: its planned selection plus the rule) and by plugin-prisma's single-row
// lookups (`findUnique` of prismaNode). An ID of an unknown type, a malformed ID or an
// invisible row answers null.
import { brandWithType } from '@pothos/core';
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from './context.js';
import { parseGlobalId } from './ids.js';

type Where = object;

export interface NodeRule<Id extends string | number> {
  /** The Prisma model delegate, e.g. 'product'. */
  model: string;
  /** The database id in a global ID's id part, or null when malformed. */
  parseId: (raw: string) => Id | null;
  /** An id no row has, for single-row lookups of a malformed id. */
  noRow: Id;
  /** What else a row must satisfy for this viewer to see it; null when they may see none. */
  visible: (ctx: Context) => Where | null;
  /**
   * For IDs whose object is not a row of `model` (a collection's image): the GraphQL type
   * it is answered as, the columns to load and how to build the object from them.
   */
  as?: { typename: string; select: Where; toNode: (row: never) => object };
}

const rules = new Map<string, NodeRule<string | number>>();

/** Nothing matches this: for viewers who may see no row of a type. */
const NOTHING: Where = { id: { in: [] } };

/**
 * Registers the node type `typename` with its visibility rule. Returns the rule as a
 * `findUnique` for builder.prismaNode, so both paths read the same rule.
 */
export function registerNodeType<WhereUnique, Id extends string | number = number>(
  typename: string,
  rule: NodeRule<Id>,
): (id: string, ctx: Context) => WhereUnique {
  rules.set(typename, rule);
  return (id, ctx) => ({ id: rule.parseId(id) ?? rule.noRow, AND: [rule.visible(ctx) ?? NOTHING] }) as WhereUnique;
}

type Delegate = { findMany(args: Record<string, unknown>): Promise<{ id: string | number }[]> };

export async function loadNodes(globalIds: readonly string[], ctx: Context, info: GraphQLResolveInfo): Promise<unknown[]> {
  const groups = new Map<string, Map<string | number, number[]>>();
  globalIds.forEach((globalId, index) => {
    const decoded = parseGlobalId(globalId);
    const rule = decoded && rules.get(decoded.typename);
    const id = rule ? rule.parseId(decoded.id) : null;
    if (!decoded || id === null) return;
    const byId = groups.get(decoded.typename) ?? new Map<string | number, number[]>();
    byId.set(id, [...(byId.get(id) ?? []), index]);
    groups.set(decoded.typename, byId);
  });
  const results: unknown[] = globalIds.map(() => null);
  await Promise.all(
    [...groups].map(async ([typename, byId]) => {
      const rule = rules.get(typename)!;
      const visible = rule.visible(ctx);
      if (!visible) return;
      const where = { id: { in: [...byId.keys()] }, AND: [visible] };
      const query = rule.as
        ? { select: { ...rule.as.select, id: true } }
        : await queryFromInfo({ context: ctx, info, typeName: typename, awaitSelections: true });
      const delegate = (ctx.prisma as unknown as Record<string, Delegate>)[rule.model]!;
      const rows = await delegate.findMany({ ...query, where });
      for (const row of rows) {
        const node = rule.as ? rule.as.toNode(row as never) : row;
        brandWithType(node, (rule.as?.typename ?? typename) as never);
        for (const index of byId.get(row.id) ?? []) results[index] = node;
      }
    }),
  );
  return results;
}
