// Read-only statements sent past Prisma Client (src/db/reads.ts) answer what $queryRaw answers,
// on the client's own connection or, in a transaction, on the transaction's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/prisma/client.js';
import { readRows, readText } from '../src/db/reads.js';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ products: 0 });
});
afterAll(() => t?.close());

describe('reads past Prisma Client', () => {
  const query = Prisma.sql`SELECT ${3}::int AS n, ${true}::bool AS yes, ${'a'}::text AS s,
    json_build_object('k', ${'v'}::text) AS j, NULL::int AS none`;

  it('answer what $queryRaw answers for integers, booleans, text and JSON', async () => {
    const expected = await t.db.prisma.$queryRaw<unknown[]>(query);
    expect(await readRows(t.db.prisma, query)).toEqual(expected);
    expect(await readRows(t.db.prisma, query)).toEqual([{ n: 3, yes: true, s: 'a', j: { k: 'v' }, none: null }]);
    expect(await readText(t.db.prisma, 'SELECT $1::text || $2::text AS t', ['a', 'b'])).toBe('ab');
  });

  it('refuse a column they would answer differently', async () => {
    await expect(readRows(t.db.prisma, Prisma.sql`SELECT now() AS at`)).rejects.toThrow(/cast column "at"/);
  });

  it('stay on a transaction’s connection', async () => {
    await t.db.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`CREATE TEMP TABLE reads_probe (n int) ON COMMIT DROP`;
      await tx.$executeRaw`INSERT INTO reads_probe VALUES (7)`;
      const client = tx as unknown as Parameters<typeof readRows>[0];
      expect(await readRows(client, Prisma.sql`SELECT n FROM reads_probe`)).toEqual([{ n: 7 }]);
    });
  });
});
