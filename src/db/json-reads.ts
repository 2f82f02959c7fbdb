// Catalog reads answered by PostgreSQL as one JSON text. Prisma Client turns a relationJoins
// answer into objects value by value (its data mapper, then its JSON protocol), the largest
// single cost of a listing. For the catalog models, the same Prisma arguments (plugin-prisma's
// planned `select`, the commerce rules' `where`, `orderBy` and `take`) are written here as one
// statement whose answer is the rows as JSON, sent past Prisma Client (./reads.ts) and parsed once;
// DateTime fields become Dates again. The rows are what Prisma Client would have answered
// (test/json-reads.test.ts compares the two). Anything outside the subset written here
// compiles to null, and findCatalogRows asks Prisma Client instead.
import type { PrismaClient } from '../generated/prisma/client.js';
import { readText } from './reads.js';
import { RELATIONS, SCALARS, type CatalogModel, type Relation, type Scalar } from './catalog-model.js';

export type { CatalogModel } from './catalog-model.js';

/** Arguments outside the subset: the caller uses Prisma Client. */
class Unsupported extends Error {}

function unsupported(): never {
  throw new Unsupported();
}

type Args = Record<string, unknown>;

const isObject = (value: unknown): value is Args =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** How to turn the parsed JSON back into what Prisma Client answers: Dates, at these keys. */
interface Shape {
  dates: string[];
  relations: [key: string, shape: Shape][];
}

const PARAM_TYPES: Record<string, string> = { Int: 'int4', String: 'text', Boolean: 'bool', DateTime: 'timestamp(3)' };
const COMPARISONS: Record<string, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };
/** Scalar types whose JSON is what Prisma Client answers (DateTime is revived; others are refused). */
const PLAIN_TYPES = new Set(['Int', 'String', 'Boolean', 'Json']);
const ROWS_ARGS = new Set(['select', 'where', 'orderBy', 'take', 'skip']);

/** A parameter's value as the driver sends it; null, objects and Dates of other columns are refused. */
function plainParam(value: unknown, scalar: Scalar): unknown {
  if (value instanceof Date) return scalar.type === 'DateTime' ? value.toISOString() : unsupported();
  const kind = typeof value;
  if (value === null || (kind !== 'string' && kind !== 'number' && kind !== 'boolean')) unsupported();
  return value;
}

class Statement {
  constructor(
    readonly params: unknown[] = [],
    private aliases = 0,
  ) {}

  get aliasCount(): number {
    return this.aliases;
  }

  alias(): string {
    return `j${this.aliases++}`;
  }

  param(value: unknown, scalar: Scalar, list = false): string {
    const type = scalar.enum ? `"${scalar.type}"` : (PARAM_TYPES[scalar.type] ?? unsupported());
    this.params.push(list ? (value as unknown[]).map((v) => plainParam(v, scalar)) : plainParam(value, scalar));
    return `$${this.params.length}::${type}${list ? '[]' : ''}`;
  }

  /** A WHERE condition for `filter` on `model` rows under `alias`. */
  where(model: CatalogModel, alias: string, filter: unknown): string {
    if (!isObject(filter)) unsupported();
    const parts: string[] = [];
    for (const key of Object.keys(filter)) {
      const value = filter[key];
      if (value === undefined) continue;
      if (key === 'AND') {
        const list = Array.isArray(value) ? value : [value];
        parts.push(list.length ? `(${list.map((f) => this.where(model, alias, f)).join(' AND ')})` : 'TRUE');
      } else if (key === 'OR') {
        if (!Array.isArray(value)) unsupported();
        parts.push(value.length ? `(${value.map((f) => this.where(model, alias, f)).join(' OR ')})` : 'FALSE');
      } else if (RELATIONS[model][key]) {
        const relation = RELATIONS[model][key];
        // A to-one filter written as the related row's own conditions ({ collection: { ... } }).
        if (relation.many || !isObject(value) || 'is' in value || 'isNot' in value) unsupported();
        const inner = this.alias();
        parts.push(
          `EXISTS (SELECT 1 FROM "${relation.model}" ${inner} WHERE ${inner}."${relation.to}" = ${alias}."${relation.from}" AND ${this.where(relation.model, inner, value)})`,
        );
      } else {
        parts.push(this.condition(`${alias}."${key}"`, SCALARS[model].get(key) ?? unsupported(), value));
      }
    }
    return parts.length ? parts.join(' AND ') : 'TRUE';
  }

  condition(column: string, scalar: Scalar, value: unknown): string {
    if (scalar.list || scalar.type === 'Json') unsupported();
    if (value === null) return `${column} IS NULL`;
    if (!isObject(value)) return `${column} = ${this.param(value, scalar)}`;
    const parts: string[] = [];
    for (const op of Object.keys(value)) {
      const operand = value[op];
      if (operand === undefined) continue;
      if (op === 'equals') parts.push(operand === null ? `${column} IS NULL` : `${column} = ${this.param(operand, scalar)}`);
      else if (op === 'in') {
        if (!Array.isArray(operand)) unsupported();
        parts.push(`${column} = ANY(${this.param(operand, scalar, true)})`);
      } else if (COMPARISONS[op] && operand !== null) parts.push(`${column} ${COMPARISONS[op]} ${this.param(operand, scalar)}`);
      else unsupported();
    }
    return parts.length ? parts.join(' AND ') : 'TRUE';
  }

  /** ORDER BY terms as [expression, direction]: columns, or a to-one relation's column ({ product: { title: 'asc' } }). */
  orderBy(model: CatalogModel, alias: string, orderBy: unknown): [string, 'ASC' | 'DESC'][] {
    const list = orderBy === undefined ? [] : Array.isArray(orderBy) ? orderBy : [orderBy];
    return list.flatMap((term) => {
      if (!isObject(term)) unsupported();
      return Object.entries(term).flatMap(([key, direction]): [string, 'ASC' | 'DESC'][] => {
        const relation = RELATIONS[model][key];
        if (relation) {
          if (relation.many || !isObject(direction)) unsupported();
          const inner = this.alias();
          return this.orderBy(relation.model, inner, direction).map(([column, dir]) => [
            `(SELECT ${column} FROM "${relation.model}" ${inner} WHERE ${inner}."${relation.to}" = ${alias}."${relation.from}")`,
            dir,
          ]);
        }
        const scalar = SCALARS[model].get(key) ?? unsupported();
        if (scalar.list || scalar.type === 'Json' || (direction !== 'asc' && direction !== 'desc')) unsupported();
        return [[`${alias}."${key}"`, direction === 'asc' ? 'ASC' : 'DESC']];
      });
    });
  }

  /** A json_build_object of the selected fields of one `model` row under `alias`. */
  object(model: CatalogModel, alias: string, select: unknown, shape: Shape): string {
    if (!isObject(select)) unsupported();
    const pairs: string[] = [];
    for (const key of Object.keys(select)) {
      const value = select[key];
      if (value === false || value === undefined) continue;
      const relation = RELATIONS[model][key];
      if (relation) {
        const nested: Shape = { dates: [], relations: [] };
        shape.relations.push([key, nested]);
        pairs.push(
          `'${key}', ${relation.many ? this.manyRelation(relation, alias, value, nested) : this.oneRelation(relation, alias, value, nested)}`,
        );
        continue;
      }
      const scalar = SCALARS[model].get(key);
      if (!scalar || value !== true) unsupported();
      if (scalar.type === 'DateTime') {
        if (scalar.list) unsupported();
        shape.dates.push(key);
      } else if (!scalar.enum && !PLAIN_TYPES.has(scalar.type)) unsupported();
      pairs.push(`'${key}', ${alias}."${key}"`);
    }
    // json_build_object takes at most 100 arguments.
    if (pairs.length === 0 || pairs.length > 50) unsupported();
    return `json_build_object(${pairs.join(', ')})`;
  }

  oneRelation(relation: Relation, parent: string, args: unknown, shape: Shape): string {
    if (!isObject(args) || Object.keys(args).some((k) => k !== 'select')) unsupported();
    const alias = this.alias();
    return `(SELECT ${this.object(relation.model, alias, args.select, shape)} FROM "${relation.model}" ${alias} WHERE ${alias}."${relation.to}" = ${parent}."${relation.from}" LIMIT 1)`;
  }

  manyRelation(relation: Relation, parent: string, args: unknown, shape: Shape): string {
    if (!isObject(args)) unsupported();
    const alias = this.alias();
    const rows = this.rows(relation.model, alias, args, `${alias}."${relation.to}" = ${parent}."${relation.from}"`, shape);
    return `(SELECT coalesce(${rows.aggregate}, '[]'::json) FROM (${rows.sql}) ${rows.alias})`;
  }

  /**
   * `SELECT <object> AS j, <order columns> FROM model ... ORDER BY ... LIMIT ...` and the
   * json_agg that keeps its order. Many-relations must be ordered: an unordered list would be
   * answered in whatever order each side happens to read.
   */
  rows(model: CatalogModel, alias: string, args: Args, join: string | null, shape: Shape, object?: string) {
    for (const key of Object.keys(args)) if (!ROWS_ARGS.has(key) && args[key] !== undefined) unsupported();
    if (args.skip !== undefined && args.skip !== 0) unsupported();
    const take = args.take;
    if (take !== undefined && (typeof take !== 'number' || !Number.isInteger(take) || take < 0)) unsupported();
    object ??= this.object(model, alias, args.select, shape);
    const conditions = [join, args.where === undefined ? null : this.where(model, alias, args.where)].filter(Boolean);
    const order = this.orderBy(model, alias, args.orderBy);
    if (join !== null && order.length === 0) unsupported();
    const outer = this.alias();
    const columns = order.map(([column], i) => `, ${column} AS o${i}`).join('');
    const sql =
      `SELECT ${object} AS j${columns} FROM "${model}" ${alias}` +
      (conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '') +
      (order.length ? ` ORDER BY ${order.map(([column, dir]) => `${column} ${dir}`).join(', ')}` : '') +
      (take !== undefined ? ` LIMIT ${this.param(take, { type: 'Int', enum: false, list: false })}` : '');
    const within = order.length ? ` ORDER BY ${order.map(([, dir], i) => `${outer}.o${i} ${dir}`).join(', ')}` : '';
    return { sql, alias: outer, aggregate: `json_agg(${outer}.j${within})` };
  }
}

export interface JsonRead {
  sql: string;
  params: unknown[];
  shape: Shape;
}

/** A root row's json_build_object for one select, with its parameters, aliases used and shape. */
interface CompiledSelect {
  model: CatalogModel;
  sql: string;
  params: unknown[];
  aliases: number;
  shape: Shape;
}

/**
 * Selects that cannot change (frozen: the shared planned queries of ../graphql/plan-cache.ts)
 * are compiled once; a request compiles only its own where, order and take around them.
 */
const compiledSelects = new WeakMap<object, CompiledSelect>();

function compiledSelect(model: CatalogModel, select: unknown): CompiledSelect | undefined {
  if (!isObject(select) || !Object.isFrozen(select)) return undefined;
  const known = compiledSelects.get(select);
  if (known?.model === model) return known;
  const statement = new Statement();
  const shape: Shape = { dates: [], relations: [] };
  const sql = statement.object(model, statement.alias(), select, shape);
  const compiled = { model, sql, params: statement.params, aliases: statement.aliasCount, shape };
  compiledSelects.set(select, compiled);
  return compiled;
}

/** The statement for `findMany(args)` on `model`, or null when the arguments are outside the subset. */
export function compileFindMany(model: CatalogModel, args: Args): JsonRead | null {
  try {
    const select = compiledSelect(model, args.select);
    // The root row's alias is j0 either way; a compiled select continues the numbering after it.
    const statement = select ? new Statement([...select.params], select.aliases) : new Statement();
    const shape: Shape = select ? select.shape : { dates: [], relations: [] };
    const rows = statement.rows(model, select ? 'j0' : statement.alias(), args, null, shape, select?.sql);
    return {
      sql: `SELECT coalesce(${rows.aggregate}, '[]'::json)::text AS rows FROM (${rows.sql}) ${rows.alias}`,
      params: statement.params,
      shape,
    };
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

function revive(row: Args, shape: Shape): void {
  // PostgreSQL writes a timestamp without its zone; the columns hold UTC (as Prisma reads them).
  for (const key of shape.dates) if (typeof row[key] === 'string') row[key] = new Date(`${row[key]}Z`);
  for (const [key, nested] of shape.relations) {
    const value = row[key];
    if (Array.isArray(value)) for (const item of value) revive(item as Args, nested);
    else if (isObject(value)) revive(value, nested);
  }
}

/** Runs a compiled read and returns the rows as Prisma Client would. */
export async function runJsonRead<Row>(prisma: PrismaClient, read: JsonRead): Promise<Row[]> {
  const rows = JSON.parse(await readText(prisma, read.sql, read.params)) as Args[];
  if (read.shape.dates.length || read.shape.relations.length) for (const row of rows) revive(row, read.shape);
  return rows as Row[];
}

/**
 * `findMany(args)` on a catalog model: answered as one JSON text when the arguments compile,
 * else by Prisma Client's own `findMany`, so every caller has one read with one fallback.
 */
export async function findCatalogRows<Row>(prisma: PrismaClient, model: CatalogModel, args: Args): Promise<Row[]> {
  const read = compileFindMany(model, args);
  if (read) return runJsonRead<Row>(prisma, read);
  const delegate = (prisma as unknown as Record<string, { findMany(args: Args): Promise<Row[]> }>)[
    model[0]!.toLowerCase() + model.slice(1)
  ]!;
  return delegate.findMany(args);
}
