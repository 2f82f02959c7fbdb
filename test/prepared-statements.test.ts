// Prisma's statements through pg are named (prepared once per connection) unless
// DATABASE_PREPARED_STATEMENTS turns it off, and the number of names a process hands out is bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlQuery } from '@prisma/driver-adapter-utils';
import { databaseFromEnv } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { withDatabase } from '../src/db/engine-adapters.ts';
import { statementNames } from '../src/db/prepared-statements.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';

const query = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

describe('statement names', () => {
  it('names each SQL text after its hash, the same name every time', () => {
    const names = statementNames(10);
    const a = names(query('SELECT 1'));
    expect(a).toMatch(/^v_[\w-]{24}$/);
    expect(names(query('SELECT 1'))).toBe(a);
    expect(names(query('SELECT 2'))).not.toBe(a);
    expect(statementNames(10)(query('SELECT 1'))).toBe(a); // another process, the same name
  });

  it('is on by default and DATABASE_PREPARED_STATEMENTS=off turns it off', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/x';
    const read = (setting?: string) => {
      const db = databaseFromEnv({ DATABASE_URL: url, ...(setting === undefined ? {} : { DATABASE_PREPARED_STATEMENTS: setting }) });
      return db.kind === 'postgres' ? db.preparedStatements : null;
    };
    expect(read()).toBe(true);
    expect(read('off')).toBe(false);
    expect(read('on')).toBe(true);
    expect(() => read('sometimes')).toThrow(/DATABASE_PREPARED_STATEMENTS/);
  });

  it('runs texts beyond its bound unnamed, and keeps naming the ones it knows', () => {
    const names = statementNames(2);
    const first = names(query('SELECT 1'));
    names(query('SELECT 2'));
    expect(names(query('SELECT 3'))).toBeUndefined();
    expect(names(query('SELECT 1'))).toBe(first);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('prepared statements on PostgreSQL', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function preparedAfterTwoReads(preparedStatements: boolean): Promise<string[]> {
    const server = databaseFromEnv();
    if (server.kind !== 'postgres') throw new Error('PostgreSQL expected');
    // One connection, so the session that prepared is the one asked.
    const db = await openDatabase({ kind: 'postgres', url: withDatabase(server.url, t.name), poolMax: 1, preparedStatements });
    try {
      await db.prisma.product.findMany({ where: { handle: 'a' }, select: { id: true } });
      await db.prisma.product.findMany({ where: { handle: 'b' }, select: { id: true } });
      const rows = await db.prisma.$queryRaw<{ name: string; statement: string }[]>`SELECT name, statement FROM pg_prepared_statements`;
      return rows.filter((r) => r.statement.includes('"Product"')).map((r) => r.name);
    } finally {
      await db.close();
    }
  }

  it('prepares a read once per connection and reuses it', async () => {
    const names = await preparedAfterTwoReads(true);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^v_/);
  });

  it('prepares nothing with DATABASE_PREPARED_STATEMENTS off', async () => {
    expect(await preparedAfterTwoReads(false)).toEqual([]);
  });
});
