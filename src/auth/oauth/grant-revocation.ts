// RFC 7009 revocation at a client's request: a refresh token or an access token ends its
// whole grant (token family) and the hosted sign-in session it came from.
import { sha256 } from '../../hash.js';
import type { OAuthClient, PrismaClient } from '../../generated/prisma/client.js';
import { OAuthError, REFRESH_PREFIX, REFRESH_SHAPE, revokeFamily, type GrantDeps } from './grants.js';

/**
 * Revokes a grant at the customer's or client's request, and ends the hosted sign-in
 * session it came from, so the next authorization request asks for the password again.
 */
async function revokeGrantAndSession(prisma: PrismaClient, familyId: string, now: Date): Promise<void> {
  const family = await prisma.tokenFamily.findUnique({ where: { id: familyId }, select: { loginSessionId: true } });
  await revokeFamily(prisma, { id: familyId }, 'revoked', now);
  if (family?.loginSessionId) await prisma.loginSession.deleteMany({ where: { id: family.loginSessionId } });
}

/**
 * RFC 7009 revocation of a refresh token: ends its whole family, so the access tokens
 * carrying that `sid` stop working too, and the sign-in session it came from. Unknown tokens are not an error (§2.2);
 * another client's token is refused and left alone.
 */
export async function revokeRefreshToken(deps: GrantDeps, input: { client: OAuthClient; token: string }): Promise<void> {
  if (!REFRESH_SHAPE.test(input.token)) return;
  const row = await deps.prisma.refreshToken.findUnique({
    where: { tokenHash: sha256(input.token) },
    include: { family: { select: { id: true, clientId: true } } },
  });
  if (!row) return;
  if (row.family.clientId !== input.client.id) throw new OAuthError('unauthorized_client', 'The token was not issued to this client.');
  await revokeGrantAndSession(deps.prisma, row.family.id, new Date(deps.now()));
}

/** Revocation by access token: ends the grant (family) the token belongs to. */
export async function revokeFamilyOfClient(deps: GrantDeps, input: { client: OAuthClient; familyId: string }): Promise<void> {
  const family = await deps.prisma.tokenFamily.findUnique({ where: { id: input.familyId }, select: { id: true, clientId: true } });
  if (!family) return;
  if (family.clientId !== input.client.id) throw new OAuthError('unauthorized_client', 'The token was not issued to this client.');
  await revokeGrantAndSession(deps.prisma, family.id, new Date(deps.now()));
}

export function looksLikeRefreshToken(token: string): boolean {
  return token.startsWith(REFRESH_PREFIX);
}
