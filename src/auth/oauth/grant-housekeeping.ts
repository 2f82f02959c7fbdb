// Grants ended or deleted in bulk: a hosted session's grants at sign-out, a customer's
// every grant at a password reset, and the purge of rows nobody can use any more.
import type { PrismaClient } from '../../generated/prisma/client.js';

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
  graceMs = 24 * 3600 * 1000,
): Promise<Record<string, number>> {
  const now = new Date(nowMs);
  const before = new Date(nowMs - graceMs);
  const [codes, families, sessions, buckets, resets] = await prisma.$transaction([
    prisma.authorizationCode.deleteMany({ where: { expiresAt: { lt: before } } }),
    prisma.tokenFamily.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { revokedAt: { lt: before } }] } }),
    prisma.loginSession.deleteMany({ where: { expiresAt: { lt: now } } }),
    prisma.rateLimitBucket.deleteMany({ where: { windowStart: { lt: before } } }),
    prisma.passwordResetToken.deleteMany({ where: { expiresAt: { lt: before } } }),
  ]);
  return {
    authorizationCodes: codes.count,
    tokenFamilies: families.count,
    loginSessions: sessions.count,
    rateLimitBuckets: buckets.count,
    passwordResets: resets.count,
  };
}
