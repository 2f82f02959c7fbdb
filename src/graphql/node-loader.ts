// Batched `node`/`nodes`: global IDs are grouped by type and each type is loaded with ONE
// query (its planned selection plus its visibility rule), instead of one query per ID.
// Each node type registers the where clause that decides which of its rows a viewer may
// see; an ID of an unknown type, a malformed ID or an invisible row answers null.
import { brandWithType } from '@pothos/core';
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from './context.js';
import { parseGlobalId } from './ids.js';

interface NodeType {
  /** The Prisma model delegate, e.g. 'product'. */
  model: string;
  /** Database ids from the raw global-ID ids; invalid ones are dropped. */
  parseId: (raw: string) => string | number | null;
  /** Rows of these ids the viewer may see; null when the viewer may see none. */
  where: (ids: (string | number)[], ctx: Context) => Record<string, unknown> | null;
}

const types = new Map<string, NodeType>();

export function registerNodeType(typename: string, type: NodeType): void {
  types.set(typename, type);
}

type Delegate = { findMany(args: Record<string, unknown>): Promise<{ id: string | number }[]> };

export async function loadNodes(globalIds: readonly string[], ctx: Context, info: GraphQLResolveInfo): Promise<unknown[]> {
  const groups = new Map<string, Map<string | number, number[]>>();
  globalIds.forEach((globalId, index) => {
    const decoded = parseGlobalId(globalId);
    const type = decoded && types.get(decoded.typename);
    const id = type ? type.parseId(decoded.id) : null;
    if (!decoded || id === null) return;
    const byId = groups.get(decoded.typename) ?? new Map<string | number, number[]>();
    byId.set(id, [...(byId.get(id) ?? []), index]);
    groups.set(decoded.typename, byId);
  });
  const results: unknown[] = globalIds.map(() => null);
  await Promise.all(
    [...groups].map(async ([typename, byId]) => {
      const type = types.get(typename)!;
      const where = type.where([...byId.keys()], ctx);
      if (!where) return;
      const query = await queryFromInfo({ context: ctx, info, typeName: typename, awaitSelections: true });
      const delegate = (ctx.prisma as unknown as Record<string, Delegate>)[type.model]!;
      const rows = await delegate.findMany({ ...query, where });
      for (const row of rows) {
        brandWithType(row, typename as never);
        for (const index of byId.get(row.id) ?? []) results[index] = row;
      }
    }),
  );
  return results;
}
