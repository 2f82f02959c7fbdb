// Planned Prisma queries of the catalog's root fields, shared by the requests that ask the same
// thing. plugin-prisma plans a root field's query from the document on every request: it walks
// the selection, runs each field's select function and merges what they return, about a sixth
// of a product page's CPU. What comes out depends only on
//   - the field's place in a parsed document (Yoga keeps parsed documents, so a repeated
//     document is the same nodes),
//   - the variables used beneath the field (nested arguments, @include/@skip),
//   - the caller's own first selection (keyset columns, named by `variant`),
//   - the configuration (page sizes) and the catalog clock (visibility rules).
// So it is planned once per that key. Each request still records the plan's loader mappings on
// its own context: they are how the nested fields' resolvers know their rows were loaded.
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode, type ValueNode } from 'graphql';
import { queryFromInfo } from '@pothos/plugin-prisma';
import { getLoaderMapping, setLoaderMappings } from '@pothos/selection-mapper';
import type { Context } from './context.js';

type Query = Record<string, unknown>;
type Mapping = NonNullable<ReturnType<typeof getLoaderMapping>>;

interface Planned {
  query: Query;
  mappings: Record<string, Mapping>;
}

interface FieldPlans {
  /** Variables used beneath the field; its plan differs with their values. */
  variables: string[];
  byKey: Map<string, Planned>;
}

/** One app's plans (keyed by its configuration), for one second of the catalog clock. */
interface PlanCache {
  second: number;
  fields: WeakMap<FieldNode, FieldPlans>;
}

/** Distinct variable values beneath one field whose plans are kept; past it, plans are not kept. */
export const MAX_PLANS_PER_FIELD = 32;

const caches = new WeakMap<object, PlanCache>();

export interface PlanOptions {
  /** The model type the field's nodes are. */
  typeName: string;
  /** The caller's own selection, merged first (a connection's keyset columns). */
  select?: Query;
  /** Distinguishes `select` between calls of the same field, e.g. the sort key its columns come from. */
  variant?: string;
  /** Where the nodes are beneath the field, for a connection: `nodes` and `edges.node`. */
  paths?: string[][];
}

/** Counts for tests: how often a plan was reused and how often one was made. */
export const planCacheStats = { hits: 0, misses: 0 };

/**
 * plugin-prisma's `queryFromInfo` for the field `info` resolves, reused from an earlier request
 * of the same second when the key matches. The answer is frozen: it is shared.
 */
export async function plannedQuery(ctx: Context, info: GraphQLResolveInfo, options: PlanOptions): Promise<Query> {
  const node = info.fieldNodes.length === 1 ? info.fieldNodes[0]! : undefined;
  const cache = node && currentCache(ctx);
  if (!node || !cache) return plan(ctx, info, options);
  let field = cache.fields.get(node);
  if (!field) {
    field = { variables: [...variablesIn(node.selectionSet, info.fragments, new Set())].sort(), byKey: new Map() };
    cache.fields.set(node, field);
  }
  const values = field.variables.map((name) => JSON.stringify(info.variableValues[name]) ?? '');
  const key = [options.typeName, options.variant ?? '', ...values].join('\u0000');
  const hit = field.byKey.get(key);
  if (hit) {
    planCacheStats.hits++;
    setLoaderMappings(ctx, info, hit.mappings);
    return hit.query;
  }
  planCacheStats.misses++;
  const query = await plan(ctx, info, options);
  if (field.byKey.size < MAX_PLANS_PER_FIELD && currentCache(ctx) === cache) {
    field.byKey.set(key, { query, mappings: recordedMappings(ctx, info, node, options) });
  }
  return query;
}

function plan(ctx: Context, info: GraphQLResolveInfo, options: PlanOptions): Promise<Query> {
  return Promise.resolve(
    queryFromInfo({
      context: ctx,
      info,
      typeName: options.typeName,
      select: options.select as Parameters<typeof queryFromInfo>[0]['select'],
      paths: options.paths,
      awaitSelections: true,
    }),
  ).then((query) => deepFreeze(query as Query));
}

/**
 * The cache for this request's app and catalog second; a new second starts an empty one. A
 * request of an earlier second (it started before the turn) plans without the cache.
 */
function currentCache(ctx: Context): PlanCache | undefined {
  const second = ctx.catalogNow.getTime();
  let cache = caches.get(ctx.config);
  if (!cache || second > cache.second) {
    cache = { second, fields: new WeakMap() };
    caches.set(ctx.config, cache);
  }
  return cache.second === second ? cache : undefined;
}

/** Every variable named in a selection set, through fragments, in arguments and directives. */
function variablesIn(
  selectionSet: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  seen: Set<string>,
  names = new Set<string>(),
): Set<string> {
  for (const selection of selectionSet?.selections ?? []) {
    for (const directive of selection.directives ?? []) for (const arg of directive.arguments ?? []) valueVariables(arg.value, names);
    if (selection.kind === Kind.FIELD) {
      for (const arg of selection.arguments ?? []) valueVariables(arg.value, names);
      variablesIn(selection.selectionSet, fragments, seen, names);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      variablesIn(selection.selectionSet, fragments, seen, names);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      variablesIn(fragments[selection.name.value]?.selectionSet, fragments, seen, names);
    }
  }
  return names;
}

function valueVariables(value: ValueNode, names: Set<string>): void {
  if (value.kind === Kind.VARIABLE) names.add(value.name.value);
  else if (value.kind === Kind.LIST) for (const item of value.values) valueVariables(item, names);
  else if (value.kind === Kind.OBJECT) for (const field of value.fields) valueVariables(field.value, names);
}

/** The fields selected directly in a selection set (through fragments), by response key. */
function responseKeys(
  selectionSet: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  out: FieldNode[] = [],
): FieldNode[] {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) responseKeys(selection.selectionSet, fragments, out);
    else responseKeys(fragments[selection.name.value]?.selectionSet, fragments, out);
  }
  return out;
}

/**
 * The loader mappings the plan just recorded on this request's context, to record again on the
 * contexts of the requests that reuse it. A plan keys each of its fields as
 * `Type@<path to the nodes>.<response key>`; each is read back through the path it answers for.
 */
function recordedMappings(ctx: Context, info: GraphQLResolveInfo, node: FieldNode, options: PlanOptions): Record<string, Mapping> {
  const mappings: Record<string, Mapping> = {};
  const visit = (selectionSet: SelectionSetNode | undefined, remaining: string[], at: string[]) => {
    const fields = responseKeys(selectionSet, info.fragments);
    if (remaining.length === 0) {
      for (const field of fields) {
        const key = [...at, field.alias?.value ?? field.name.value];
        let path: GraphQLResolveInfo['path'] = info.path;
        for (const segment of key) path = { prev: path, key: segment, typename: undefined };
        const mapping = getLoaderMapping(ctx, path, options.typeName);
        if (mapping) mappings[`${options.typeName}@${key.join('.')}`] = mapping;
      }
      return;
    }
    for (const field of fields) {
      if (field.name.value === remaining[0]) visit(field.selectionSet, remaining.slice(1), [...at, field.alias?.value ?? field.name.value]);
    }
  };
  for (const path of options.paths ?? [[]]) visit(node.selectionSet, path, []);
  return mappings;
}

/** Freezes a planned query all the way down, so no request can change what others share. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
