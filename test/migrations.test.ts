import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, migrationStatus, schemaDrift } from '../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';

let db: TestDatabase;
let recorded: string[] | null = null;
beforeAll(async () => {
  db = await createTestDatabase({ onQuery: (sql) => recorded?.push(sql) });
});
afterAll(() => db?.close());

describe('migrations', () => {
  it('produce exactly the Prisma schema (no drift)', async () => {
    expect(await schemaDrift(db)).toBe('');
  });

  it('are recorded in _prisma_migrations, and applying them again does nothing', async () => {
    const status = await migrationStatus(db);
    expect(status.local.length).toBeGreaterThan(0);
    expect(status).toMatchObject({ pending: [], failed: [], edited: [], unknown: [], upToDate: true });
    expect(await applyMigrations(db)).toEqual([]);
    const rows = await db.prisma.$queryRaw<
      { migration_name: string; finished_at: Date | null; rolled_back_at: Date | null; applied_steps_count: number; checksum: string }[]
    >`
      SELECT migration_name, finished_at, rolled_back_at, applied_steps_count, checksum FROM _prisma_migrations ORDER BY migration_name`;
    expect(rows.map((r) => r.migration_name)).toEqual(status.local);
    for (const row of rows) {
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

describe('openDatabase', () => {
  it('reports every statement to onQuery, transactions included, the same on PGlite and PostgreSQL', async () => {
    recorded = [];
    try {
      await db.prisma.product.count();
      await db.prisma.$transaction([db.prisma.product.count(), db.prisma.collection.count()]);
      await db.prisma.$transaction(async (tx) => {
        await tx.storefrontToken.count();
      });
      await db.ping(); // outside Prisma: not reported
    } finally {
      const sql = recorded;
      recorded = null;
      expect(sql.map((s) => s.split(' ')[0])).toEqual(['SELECT', 'BEGIN', 'SELECT', 'SELECT', 'COMMIT', 'BEGIN', 'SELECT', 'COMMIT']);
    }
  });
});
