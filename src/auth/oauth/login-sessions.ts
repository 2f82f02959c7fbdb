// Hosted sign-in sessions: a returning browser is not asked for its password again. The
// cookie holds a random token; the database keeps only its hash, the customer and the
// expiry. Sign-out, a password reset and revoking the grant a session produced end it.
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { sha256 } from '../../hash.js';

export const SESSION_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface LoginSessionRef {
  id: string;
  customerId: string;
}

export async function createLoginSession(
  prisma: PrismaClient,
  input: { customerId: string; ttlSeconds: number; nowMs: number },
): Promise<LoginSessionRef & { token: string }> {
  const token = randomBytes(32).toString('base64url');
  const row = await prisma.loginSession.create({
    data: { tokenHash: sha256(token), customerId: input.customerId, expiresAt: new Date(input.nowMs + input.ttlSeconds * 1000) },
    select: { id: true, customerId: true },
  });
  return { ...row, token };
}

/** The live session behind a cookie value, or null (malformed, unknown, expired). */
export async function findLoginSession(prisma: PrismaClient, token: string | undefined, nowMs: number): Promise<LoginSessionRef | null> {
  if (!token || !SESSION_TOKEN_SHAPE.test(token)) return null;
  const row = await prisma.loginSession.findUnique({
    where: { tokenHash: sha256(token) },
    select: { id: true, customerId: true, expiresAt: true },
  });
  return row && row.expiresAt.getTime() > nowMs ? { id: row.id, customerId: row.customerId } : null;
}

/** Ends one session by id, or every session of a customer. */
export async function endLoginSessions(
  prisma: Pick<PrismaClient, 'loginSession'>,
  where: { id: string } | { customerId: string },
): Promise<number> {
  const { count } = await prisma.loginSession.deleteMany({ where });
  return count;
}
