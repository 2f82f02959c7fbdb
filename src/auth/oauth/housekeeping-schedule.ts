// The service purges expired OAuth rows itself (./grant-housekeeping.ts), every
// HOUSEKEEPING_INTERVAL_MS. With many processes on one PostgreSQL only one purges at a
// time: a tick runs inside a transaction that must win a transaction-scoped advisory lock
// first, and a process that loses skips that tick. The embedded database has one process:
// it just runs.
import type { Database } from '../../db/client.js';
import type { Logger } from '../../logger.js';
import { deleteExpiredOAuthRows } from './grant-housekeeping.js';

/** The advisory-lock key of the purge (any constant bigint shared by every process). */
export const HOUSEKEEPING_LOCK_KEY = 0x76_69_74_72_69_6e_65n; // "vitrine"

export type TickResult =
  | { ran: true; counts: Record<string, number> }
  /** Another process holds the lock, or this process's previous tick is still running. */
  | { ran: false; reason: 'locked' | 'busy' };

/** One purge, unless another process is purging right now. */
export async function housekeepingTick(db: Pick<Database, 'prisma' | 'kind'>, nowMs: number = Date.now()): Promise<TickResult> {
  return db.prisma.$transaction(async (tx) => {
    if (db.kind === 'postgres') {
      const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${HOUSEKEEPING_LOCK_KEY}) AS locked`;
      if (!row?.locked) return { ran: false, reason: 'locked' } as const;
    }
    return { ran: true, counts: await deleteExpiredOAuthRows(tx, nowMs) } as const;
  });
}

export interface Housekeeping {
  /** Runs a tick now (what the timer calls); a tick while one runs in this process is skipped. */
  tick(): Promise<TickResult>;
  /** Stops the timer and waits for a running tick. */
  stop(): Promise<void>;
}

export function startHousekeeping(options: {
  db: Pick<Database, 'prisma' | 'kind'>;
  intervalMs: number;
  logger: Logger;
  now?: () => number;
}): Housekeeping {
  const { db, logger } = options;
  const now = options.now ?? Date.now;
  let running: Promise<TickResult> | null = null;
  const tick = (): Promise<TickResult> => {
    if (running) return Promise.resolve({ ran: false, reason: 'busy' });
    running = housekeepingTick(db, now())
      .then((result) => {
        if (result.ran) logger.info('purged expired OAuth rows', result.counts);
        return result;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer =
    options.intervalMs > 0
      ? setInterval(() => {
          tick().catch((error: unknown) => logger.warn('housekeeping failed', { error }));
        }, options.intervalMs).unref()
      : null;
  return {
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
