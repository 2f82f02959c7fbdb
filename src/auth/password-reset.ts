// "Forgot your password?": reset links that are single use, short-lived and stored only
// as a hash, and the reset itself: a new password under the sign-up rules, after which
// every grant (refresh and access tokens) and every hosted sign-in session of the
// customer ends, so whoever knew the old password is out.
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.js';
import { normalizeEmail } from '../commerce/customers.js';
import { revokeGrantsOfCustomer } from './oauth/grant-housekeeping.js';
import { sha256 } from '../hash.js';
import { hashPassword, passwordProblem } from './passwords.js';

const TOKEN_PREFIX = 'vpr_';
const TOKEN_SHAPE = /^vpr_[A-Za-z0-9_-]{43}$/;

export function isResetTokenShape(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

/**
 * A new reset link's token for the account with this email, or null when there is no
 * such account (the caller answers the same either way). Earlier unused links of the
 * customer stop working: only the newest one counts.
 */
export async function createPasswordReset(
  prisma: PrismaClient,
  input: { email: string; ttlSeconds: number; nowMs: number },
): Promise<{ token: string; email: string } | null> {
  const email = normalizeEmail(input.email);
  if (!email) return null;
  const customer = await prisma.customer.findUnique({ where: { email }, select: { id: true, email: true } });
  if (!customer) return null;
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const now = new Date(input.nowMs);
  await prisma.$transaction([
    prisma.passwordResetToken.updateMany({ where: { customerId: customer.id, usedAt: null }, data: { usedAt: now } }),
    prisma.passwordResetToken.create({
      data: { tokenHash: sha256(token), customerId: customer.id, expiresAt: new Date(input.nowMs + input.ttlSeconds * 1000) },
    }),
  ]);
  return { token, email: customer.email };
}

/** Whether a reset link still works (for showing the form; using it is resetPassword). */
export async function resetTokenUsable(prisma: PrismaClient, token: string, nowMs: number): Promise<boolean> {
  if (!TOKEN_SHAPE.test(token)) return false;
  const row = await prisma.passwordResetToken.findUnique({
    where: { tokenHash: sha256(token) },
    select: { usedAt: true, expiresAt: true },
  });
  return row !== null && row.usedAt === null && row.expiresAt.getTime() > nowMs;
}

export type ResetResult =
  { ok: true; customerId: string } | { ok: false; reason: 'invalid_token' } | { ok: false; reason: 'password'; message: string };

/**
 * Sets a new password with a reset link's token. The token is spent atomically (two
 * concurrent uses: one wins), then the password changes and the customer's grants and
 * sign-in sessions end, all in one transaction.
 */
export async function resetPassword(prisma: PrismaClient, input: { token: string; password: string; nowMs: number }): Promise<ResetResult> {
  const problem = input.password ? passwordProblem(input.password) : 'Choose a password.';
  if (!TOKEN_SHAPE.test(input.token)) return { ok: false, reason: 'invalid_token' };
  if (problem) return { ok: false, reason: 'password', message: problem };
  const row = await prisma.passwordResetToken.findUnique({
    where: { tokenHash: sha256(input.token) },
    select: { id: true, customerId: true },
  });
  if (!row) return { ok: false, reason: 'invalid_token' };
  const passwordHash = await hashPassword(input.password);
  const now = new Date(input.nowMs);
  const done = await prisma.$transaction(async (tx) => {
    const spent = await tx.passwordResetToken.updateMany({
      where: { id: row.id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (spent.count === 0) return false;
    await tx.customer.update({ where: { id: row.customerId }, data: { passwordHash } });
    await revokeGrantsOfCustomer(tx, row.customerId, now, 'password_reset');
    await tx.loginSession.deleteMany({ where: { customerId: row.customerId } });
    return true;
  });
  return done ? { ok: true, customerId: row.customerId } : { ok: false, reason: 'invalid_token' };
}
