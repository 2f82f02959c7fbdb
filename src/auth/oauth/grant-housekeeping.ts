// Grants ended or deleted in bulk: a hosted session's grants at sign-out, a customer's
// every grant at a password reset, and the purge of rows nobody can use any more.
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';

/** Sign-out of a hosted session: the grants it produced end with it (reason `logout`). */
export async function revokeGrantsOfSession(prisma: PrismaClient, loginSessionId: string, now: Date): Promise<number> {
  const { count } = await prisma.tokenFamily.updateMany({
    where: { loginSessionId, revokedAt: null },
    data: { revokedAt: now, revokedReason: 'logout' },
  });
  return count;
}

/** A customer's every grant (a password reset: whoever knew the old password is out). */
export async function revokeGrantsOfCustomer(
  prisma: Pick<PrismaClient, 'tokenFamily'>,
  customerId: string,
  now: Date,
  reason: string,
): Promise<number> {
  const { count } = await prisma.tokenFamily.updateMany({
    where: { customerId, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  return count;
}

/**
 * Deletes OAuth rows nobody can use any more: authorization codes and login sessions past
 * their expiry, password-reset links, grants (with their refresh tokens) that expired or were revoked more than
 * `graceMs` ago, and stale throttling windows. Safe to run from any process at any time.
 */
export async function purgeExpiredOAuthRows(
  prisma: PrismaClient,
  nowMs: number = Date.now(),
  graceMs = PURGE_GRACE_MS,
): Promise<Record<string, number>> {
  return prisma.$transaction((tx) => deleteExpiredOAuthRows(tx, nowMs, graceMs));
}

/** Grants revoked or codes expired longer ago than this are purged (kept a day for support). */
export const PURGE_GRACE_MS = 24 * 3600 * 1000;

/** The deletes of purgeExpiredOAuthRows, inside a transaction the caller holds. */
export async function deleteExpiredOAuthRows(
  tx: Prisma.TransactionClient,
  nowMs: number,
  graceMs = PURGE_GRACE_MS,
): Promise<Record<string, number>> {
  const now = new Date(nowMs);
  const before = new Date(nowMs - graceMs);
  const codes = await tx.authorizationCode.deleteMany({ where: { expiresAt: { lt: before } } });
  const families = await tx.tokenFamily.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { revokedAt: { lt: before } }] } });
  const sessions = await tx.loginSession.deleteMany({ where: { expiresAt: { lt: now } } });
  const buckets = await tx.rateLimitBucket.deleteMany({ where: { windowStart: { lt: before } } });
  const resets = await tx.passwordResetToken.deleteMany({ where: { expiresAt: { lt: before } } });
  return {
    authorizationCodes: codes.count,
    tokenFamilies: families.count,
    loginSessions: sessions.count,
    rateLimitBuckets: buckets.count,
    passwordResets: resets.count,
  };
}
