// Fixed-window counters in the database (RateLimitBucket), so every API process counts
// against the same budget. Used to throttle sign-in guessing per email and per client.
import type { PrismaClient } from '../../generated/prisma/client.js';

export interface BucketState {
  count: number;
  resetAt: Date;
}

/** Adds one to `key`'s counter in the current window and returns the new state. */
export async function hitBucket(prisma: PrismaClient, key: string, windowSeconds: number, nowMs: number): Promise<BucketState> {
  const now = new Date(nowMs);
  const windowStartAfter = new Date(nowMs - windowSeconds * 1000);
  for (let attempt = 0; attempt < 3; attempt++) {
    const bumped = await prisma.rateLimitBucket.updateMany({
      where: { key, windowStart: { gt: windowStartAfter } },
      data: { count: { increment: 1 } },
    });
    if (bumped.count === 0) {
      try {
        // No live window: start one (resetting an expired row).
        await prisma.rateLimitBucket.upsert({
          where: { key },
          create: { key, windowStart: now, count: 1 },
          update: { windowStart: now, count: 1 },
        });
      } catch (error) {
        if ((error as { code?: string }).code === 'P2002') continue; // another process created it first
        throw error;
      }
    }
    const row = await prisma.rateLimitBucket.findUnique({ where: { key } });
    if (row) return { count: row.count, resetAt: new Date(row.windowStart.getTime() + windowSeconds * 1000) };
  }
  throw new Error(`rate limit bucket ${key} could not be updated`);
}

/** Takes one back (an attempt that turned out legitimate). */
export async function refundBucket(prisma: PrismaClient, key: string): Promise<void> {
  await prisma.rateLimitBucket.updateMany({ where: { key, count: { gt: 0 } }, data: { count: { decrement: 1 } } });
}
