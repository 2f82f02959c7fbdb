// Throttling on top of the shared fixed-window buckets (rate-limit.ts): count one attempt
// against several keys at once (per email, per client address, ...) and say whether any
// of them is over its limit and for how long.
import type { PrismaClient } from '../../generated/prisma/client.js';
import { hitBucket, refundBucket } from './rate-limit.js';

export interface ThrottleRule {
  key: string;
  limit: number;
  windowSeconds: number;
}

export interface ThrottleResult {
  limited: boolean;
  /** Seconds until every exceeded bucket has opened again (when limited). */
  retryAfterSeconds: number;
  counts: Record<string, number>;
}

export async function throttle(prisma: PrismaClient, rules: ThrottleRule[], nowMs: number): Promise<ThrottleResult> {
  const states = await Promise.all(rules.map((rule) => hitBucket(prisma, rule.key, rule.windowSeconds, nowMs)));
  let resetAt = 0;
  const counts: Record<string, number> = {};
  rules.forEach((rule, i) => {
    const state = states[i]!;
    counts[rule.key] = state.count;
    if (state.count > rule.limit) resetAt = Math.max(resetAt, state.resetAt.getTime());
  });
  return { limited: resetAt > 0, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - nowMs) / 1000)), counts };
}

/** Gives one attempt back on each key (it turned out legitimate). */
export async function refund(prisma: PrismaClient, keys: string[]): Promise<void> {
  await Promise.all(keys.map((key) => refundBucket(prisma, key)));
}

export function waitMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many attempts. Please wait ${minutes} minute${retryAfterSeconds > 60 ? 's' : ''} and try again.`;
}
