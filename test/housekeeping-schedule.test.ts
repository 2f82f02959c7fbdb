// The service's own purge of expired OAuth rows: a timer tick deletes them, a tick never
// overlaps another in the same process, and on PostgreSQL a tick skips while another
// process holds the purge's advisory lock.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HOUSEKEEPING_LOCK_KEY, housekeepingTick, startHousekeeping } from '../src/auth/oauth/housekeeping-schedule.ts';
import { createLogger } from '../src/logger.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';
import { makeCustomer, registerClient } from './helpers/oauth.ts';

const DAY = 24 * 3600 * 1000;
const logger = createLogger('silent');
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());
beforeEach(() => db.truncate());

/** One expired row of every purged kind (and one live grant that must stay). */
async function expiredRows(): Promise<{ liveFamilyId: string }> {
  const { customer } = await makeCustomer(db.prisma);
  const client = await registerClient(db.prisma);
  const past = new Date(Date.now() - 3 * DAY);
  const future = new Date(Date.now() + 30 * DAY);
  const session = await db.prisma.loginSession.create({ data: { tokenHash: 'session', customerId: customer.id, expiresAt: past } });
  await db.prisma.authorizationCode.create({
    data: {
      codeHash: 'code',
      clientId: client.id,
      customerId: customer.id,
      redirectUri: 'https://shop.example/cb',
      codeChallenge: 'x',
      scope: 'customer',
      expiresAt: past,
    },
  });
  const dead = await db.prisma.tokenFamily.create({
    data: { clientId: client.id, customerId: customer.id, scope: 'customer', expiresAt: past },
  });
  await db.prisma.refreshToken.create({ data: { tokenHash: 'refresh', familyId: dead.id, expiresAt: past } });
  await db.prisma.passwordResetToken.create({ data: { tokenHash: 'reset', customerId: customer.id, expiresAt: past } });
  const live = await db.prisma.tokenFamily.create({
    data: { clientId: client.id, customerId: customer.id, scope: 'customer', expiresAt: future, loginSessionId: session.id },
  });
  return { liveFamilyId: live.id };
}

async function remaining() {
  return {
    codes: await db.prisma.authorizationCode.count(),
    families: await db.prisma.tokenFamily.count(),
    refreshTokens: await db.prisma.refreshToken.count(),
    sessions: await db.prisma.loginSession.count(),
    resets: await db.prisma.passwordResetToken.count(),
  };
}

const PURGED = { codes: 0, families: 1, refreshTokens: 0, sessions: 0, resets: 0 };

describe('scheduled housekeeping', () => {
  it('a timer tick purges expired codes, grants, refresh tokens, sign-in sessions and reset links', async () => {
    const { liveFamilyId } = await expiredRows();
    expect(await remaining()).toEqual({ codes: 1, families: 2, refreshTokens: 1, sessions: 1, resets: 1 });
    const housekeeping = startHousekeeping({ db, intervalMs: 20, logger });
    try {
      const deadline = Date.now() + 10_000;
      while ((await db.prisma.authorizationCode.count()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await housekeeping.stop();
    }
    expect(await remaining()).toEqual(PURGED);
    expect(await db.prisma.tokenFamily.findUnique({ where: { id: liveFamilyId } })).not.toBeNull();
  });

  it('does not start a second tick while one runs in this process', async () => {
    await expiredRows();
    const housekeeping = startHousekeeping({ db, intervalMs: 0, logger });
    const [first, second] = await Promise.all([housekeeping.tick(), housekeeping.tick()]);
    await housekeeping.stop();
    expect(first).toMatchObject({ ran: true, counts: { authorizationCodes: 1, tokenFamilies: 1, loginSessions: 1, passwordResets: 1 } });
    expect(second).toEqual({ ran: false, reason: 'busy' });
    expect(await remaining()).toEqual(PURGED);
  });

  it.skipIf(!process.env.DATABASE_URL)('skips while another process holds the purge lock, and runs once it is released', async () => {
    await expiredRows();
    if (db.driver.kind !== 'postgres') throw new Error('PostgreSQL expected');
    // Another process in the middle of its tick: a transaction holding the same lock.
    const other = await db.driver.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1)', [HOUSEKEEPING_LOCK_KEY.toString()]);
      // Two ticks at once from "this" process's side too: neither runs.
      expect(await Promise.all([housekeepingTick(db), housekeepingTick(db)])).toEqual([
        { ran: false, reason: 'locked' },
        { ran: false, reason: 'locked' },
      ]);
      expect(await db.prisma.authorizationCode.count()).toBe(1);
      await other.query('COMMIT');
    } finally {
      other.release();
    }
    expect(await housekeepingTick(db)).toMatchObject({ ran: true });
    expect(await remaining()).toEqual(PURGED);
  });
});
