// Read-only statements sent past Prisma Client: on the client's own driver connection
// (./client.ts) when it has one, which skips Prisma Client's raw-query pipeline (its request,
// query interpreter and result mapping); a transaction's client has none and uses $queryRaw.
// Reads take a read replica when there is one, as the client's findMany would.
import { ColumnTypeEnum, type ArgType, type ColumnType } from '@prisma/driver-adapter-utils';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { directConnection } from './client.js';

/**
 * Where a read goes: a client extended with read replicas (./client.ts) sends raw queries to
 * the primary, since a raw statement may write; these only read, so they take a replica as
 * the client's findMany would. Inside a transaction they stay on the transaction's connection.
 */
function readerOf(prisma: PrismaClient): PrismaClient {
  const extended = prisma as PrismaClient & { $replica?: () => PrismaClient };
  return typeof extended.$replica === 'function' && '$transaction' in prisma ? extended.$replica() : prisma;
}

/** Every parameter is cast in the statement itself; the driver passes it on as it is. */
const argType = (param: unknown): ArgType => ({ scalarType: 'unknown', arity: Array.isArray(param) ? 'list' : 'scalar' });

/** Column types whose driver values are what $queryRaw answers; JSON is parsed as it does. */
const AS_READ = new Set<ColumnType>([
  ColumnTypeEnum.Int32,
  ColumnTypeEnum.Boolean,
  ColumnTypeEnum.Text,
  ColumnTypeEnum.Double,
  ColumnTypeEnum.Float,
]);

/**
 * The one text value of a statement whose answer is one row of one text column (a catalog
 * read as JSON, ./json-reads.ts). `sql` numbers its parameters `$1`…
 */
export async function readText(prisma: PrismaClient, sql: string, params: unknown[]): Promise<string> {
  const client = readerOf(prisma);
  const connection = directConnection(client);
  if (!connection) return Object.values((await client.$queryRawUnsafe<Record<string, string>[]>(sql, ...params))[0]!)[0]!;
  const result = await (await connection()).queryRaw({ sql, args: params, argTypes: params.map(argType) });
  return result.rows[0]![0] as string;
}

/**
 * The rows of a read-only statement as `$queryRaw` answers them, for statements whose columns
 * are integers (cast to int), booleans, text, floats or JSON; another column type is refused
 * (cast it in the statement).
 */
export async function readRows<T>(prisma: PrismaClient, query: Prisma.Sql): Promise<T[]> {
  const client = readerOf(prisma);
  const connection = directConnection(client);
  if (!connection) return client.$queryRaw<T[]>(query);
  const { columnNames, columnTypes, rows } = await (
    await connection()
  ).queryRaw({
    sql: query.text,
    args: query.values,
    argTypes: query.values.map(argType),
  });
  columnTypes.forEach((type, i) => {
    if (!AS_READ.has(type) && type !== ColumnTypeEnum.Json)
      throw new Error(`readRows: cast column "${columnNames[i]}" to int, bool, text or json`);
  });
  return rows.map((row) => {
    const object: Record<string, unknown> = {};
    for (let i = 0; i < columnNames.length; i++) {
      const value = row[i];
      object[columnNames[i]!] = columnTypes[i] === ColumnTypeEnum.Json && typeof value === 'string' ? JSON.parse(value) : value;
    }
    return object as T;
  });
}
