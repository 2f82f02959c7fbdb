// plugin-prisma's connection helpers plan the selection under `edges.node` only; clients
// also select `nodes { ... }` (Shopify-style). This merges the plans of both paths, so a
// helper-built connection loads what either path asks for, in the same single query.
type Selection = Record<string, unknown>;

const isObject = (value: unknown): value is Selection => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Merge two Prisma relation queries ({ select } | { include } | {} = all scalars). */
export function mergeSelections(a: unknown, b: unknown): unknown {
  if (!isObject(a)) return isObject(b) ? b : (a ?? b);
  if (!isObject(b)) return a;
  const selectA = isObject(a.select) ? a.select : null;
  const selectB = isObject(b.select) ? b.select : null;
  const merged: Selection = { ...b, ...a };
  delete merged.select;
  delete merged.include;
  if (selectA && selectB) {
    merged.select = mergeFields(selectA, selectB);
    return merged;
  }
  // At least one side loads every scalar (include mode): keep only relations from selects.
  const relations = (fields: Selection | null) => Object.fromEntries(Object.entries(fields ?? {}).filter(([, value]) => isObject(value)));
  const include = mergeFields(
    { ...relations(selectA), ...(isObject(a.include) ? a.include : {}) },
    { ...relations(selectB), ...(isObject(b.include) ? b.include : {}) },
  );
  if (Object.keys(include).length > 0) merged.include = include;
  return merged;
}

function mergeFields(a: Selection, b: Selection): Selection {
  const out: Selection = { ...b };
  for (const [key, value] of Object.entries(a)) out[key] = key in b ? mergeSelections(value, b[key]) : value;
  return out;
}

/** Wraps a field's `nestedSelection` so `edges.node` plans also include `nodes`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withNodesPath<F extends (selection?: any, path?: any) => unknown>(nestedSelection: F): F {
  const wrapped = (selection?: unknown, path?: unknown) => {
    const planned = nestedSelection(selection, path);
    if (!Array.isArray(path) || path.join('.') !== 'edges.node') return planned;
    return mergeSelections(planned, nestedSelection(selection, ['nodes']));
  };
  return wrapped as F;
}

/**
 * For a resolver that answers null without loading anything (e.g. nobody is signed in):
 * reads the planned query so plugin-prisma's unused-query check (builder.ts) knows that
 * skipping it was deliberate, not a forgotten `...query`.
 */
export function skipQuery(query: object): null {
  void { ...query };
  return null;
}
