// The grants behind the endpoints: authorization codes, access tokens (JWT, RFC 9068),
// refresh tokens (opaque, hashed at rest, rotated, reuse-detected). Revocation at a
// client's request is in ./grant-revocation.ts; bulk revocation and purging in
// ./grant-housekeeping.ts.
// HTTP lives in ./routes.ts; this file knows nothing about requests.
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Config } from '../../config.js';
import { sha256 } from '../../hash.js';
import type { OAuthClient, PrismaClient } from '../../generated/prisma/client.js';
import { SIGNING_ALG, type SigningKeyStore } from './keys.js';
import { CODE_VERIFIER_SHAPE, verifyS256 } from './pkce.js';

/** Scopes this server grants. `customer`: act as the signed-in customer (carts, orders, profile). */
export const SUPPORTED_SCOPES = ['customer'] as const;
export const DEFAULT_SCOPE = 'customer';
export const ACCESS_TOKEN_TYPE = 'at+jwt';

export const REFRESH_PREFIX = 'vrt_';
const CODE_PREFIX = 'vac_';
export const REFRESH_SHAPE = /^vrt_[A-Za-z0-9_-]{43}$/;
const CODE_SHAPE = /^vac_[A-Za-z0-9_-]{43}$/;

/** An RFC 6749 §5.2 error: `error` code, human description, HTTP status. */
export class OAuthError extends Error {
  override name = 'OAuthError';
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(`${error}: ${description}`);
  }
}

export interface GrantDeps {
  config: Config;
  prisma: PrismaClient;
  keys: SigningKeyStore;
  now: () => number;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

function opaque(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/**
 * Parses a space-separated scope parameter (RFC 6749 §3.3) into a canonical list, or null
 * when it names a scope we do not grant. Absent or empty → the default scope.
 */
export function parseScope(raw: string | null | undefined): string[] | null {
  const asked = (raw ?? '').split(' ').filter(Boolean);
  if (asked.length === 0) return [DEFAULT_SCOPE];
  if (!asked.every((s) => (SUPPORTED_SCOPES as readonly string[]).includes(s))) return null;
  return SUPPORTED_SCOPES.filter((s) => asked.includes(s));
}

export async function createAuthorizationCode(
  deps: GrantDeps,
  input: {
    client: OAuthClient;
    customerId: string;
    redirectUri: string;
    codeChallenge: string;
    scope: string[];
    loginSessionId?: string | null;
  },
): Promise<string> {
  const code = opaque(CODE_PREFIX);
  await deps.prisma.authorizationCode.create({
    data: {
      codeHash: sha256(code),
      clientId: input.client.id,
      customerId: input.customerId,
      redirectUri: input.redirectUri,
      codeChallenge: input.codeChallenge,
      codeChallengeMethod: 'S256',
      scope: input.scope.join(' '),
      loginSessionId: input.loginSessionId ?? null,
      expiresAt: new Date(deps.now() + deps.config.auth.authorizationCodeTtlSeconds * 1000),
    },
  });
  return code;
}

/** Signs an RFC 9068 access token. `sid` names the grant (token family) it belongs to. */
export async function signAccessToken(
  deps: GrantDeps,
  input: { customerId: string; clientId: string; scope: string[]; familyId: string },
): Promise<{ token: string; expiresIn: number; jti: string }> {
  const { kid, key } = await deps.keys.signingKey();
  const iat = Math.floor(deps.now() / 1000);
  const expiresIn = deps.config.auth.accessTokenTtlSeconds;
  const jti = randomUUID();
  const token = await new SignJWT({ client_id: input.clientId, scope: input.scope.join(' '), sid: input.familyId })
    .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(deps.config.publicUrl)
    .setSubject(input.customerId)
    .setAudience(deps.config.auth.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + expiresIn)
    .setJti(jti)
    .sign(key);
  return { token, expiresIn, jti };
}

async function issueRefreshToken(
  prisma: Pick<PrismaClient, 'refreshToken'>,
  deps: GrantDeps,
  family: { id: string; expiresAt: Date },
): Promise<string> {
  const token = opaque(REFRESH_PREFIX);
  const idle = deps.now() + deps.config.auth.refreshIdleTtlSeconds * 1000;
  await prisma.refreshToken.create({
    data: { tokenHash: sha256(token), familyId: family.id, expiresAt: new Date(Math.min(idle, family.expiresAt.getTime())) },
  });
  return token;
}

/** Ends a grant (token family) unless it has ended already; returns how many did. */
export async function revokeFamily(
  prisma: PrismaClient,
  where: { id: string } | { authorizationCodeId: string },
  reason: string,
  now: Date,
): Promise<number> {
  const { count } = await prisma.tokenFamily.updateMany({
    where: { ...where, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  return count;
}

const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);

/**
 * grant_type=authorization_code. The code is consumed first, atomically, so two concurrent
 * exchanges cannot both succeed; any later presentation is a replay and revokes whatever
 * the first exchange issued (RFC 6749 §4.1.2).
 */
export async function exchangeAuthorizationCode(
  deps: GrantDeps,
  input: { client: OAuthClient; code: string; redirectUri: string | null; codeVerifier: string | null },
): Promise<TokenResponse> {
  const { prisma } = deps;
  const now = new Date(deps.now());
  if (input.codeVerifier !== null && !CODE_VERIFIER_SHAPE.test(input.codeVerifier)) {
    throw new OAuthError('invalid_request', 'code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]');
  }
  if (!CODE_SHAPE.test(input.code)) throw invalidGrant('The authorization code is invalid, expired or already used.');
  const code = await prisma.authorizationCode.findUnique({ where: { codeHash: sha256(input.code) } });
  if (!code) throw invalidGrant('The authorization code is invalid, expired or already used.');

  const issued = await prisma
    .$transaction(async (tx) => {
      const consumed = await tx.authorizationCode.updateMany({ where: { id: code.id, usedAt: null }, data: { usedAt: now } });
      if (consumed.count === 0) return null;
      // Checks after consumption: a code that failed once is spent, whatever the reason.
      if (code.expiresAt.getTime() <= now.getTime()) throw invalidGrant('The authorization code has expired.');
      if (code.clientId !== input.client.id) throw invalidGrant('The authorization code was issued to another client.');
      if (input.redirectUri === null) throw new OAuthError('invalid_request', 'redirect_uri is required.');
      if (code.redirectUri !== input.redirectUri) throw invalidGrant('redirect_uri does not match the authorization request.');
      if (!code.codeChallenge) {
        // Every code we issue has a challenge; one without would be a PKCE downgrade (RFC 9700 §4.8).
        throw invalidGrant(input.codeVerifier ? 'code_verifier sent for a code issued without a code_challenge.' : 'PKCE is required.');
      }
      if (input.codeVerifier === null) throw new OAuthError('invalid_request', 'code_verifier is required.');
      if (code.codeChallengeMethod !== 'S256' || !verifyS256(input.codeVerifier, code.codeChallenge)) {
        throw invalidGrant('code_verifier does not match the code_challenge.');
      }
      const family = await tx.tokenFamily.create({
        data: {
          clientId: code.clientId,
          customerId: code.customerId,
          authorizationCodeId: code.id,
          loginSessionId: code.loginSessionId,
          scope: code.scope,
          expiresAt: new Date(now.getTime() + deps.config.auth.refreshAbsoluteTtlSeconds * 1000),
        },
      });
      const refreshToken = await issueRefreshToken(tx, deps, family);
      return { family, refreshToken };
    })
    .catch(async (error: unknown) => {
      // A failed check rolled the transaction back: spend the code anyway.
      if (error instanceof OAuthError)
        await prisma.authorizationCode.updateMany({ where: { id: code.id, usedAt: null }, data: { usedAt: now } });
      throw error;
    });

  if (!issued) {
    await revokeFamily(prisma, { authorizationCodeId: code.id }, 'code_replay', now);
    throw invalidGrant('The authorization code is invalid, expired or already used.');
  }
  const scope = issued.family.scope.split(' ').filter(Boolean);
  const access = await signAccessToken(deps, {
    customerId: issued.family.customerId,
    clientId: input.client.clientId,
    scope,
    familyId: issued.family.id,
  });
  return {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    refresh_token: issued.refreshToken,
    scope: scope.join(' '),
  };
}

/**
 * grant_type=refresh_token (RFC 6749 §6, RFC 9700 §4.14.2): the presented token is spent
 * and a new one issued in the same family; presenting a spent token revokes the family.
 * The scope may be narrowed for the new access token, never widened; the family keeps its
 * original scope.
 */
export async function refreshGrant(
  deps: GrantDeps,
  input: { client: OAuthClient; refreshToken: string; scope: string | null },
): Promise<TokenResponse> {
  const { prisma } = deps;
  const now = new Date(deps.now());
  if (!REFRESH_SHAPE.test(input.refreshToken)) throw invalidGrant('The refresh token is invalid or expired.');
  const token = await prisma.refreshToken.findUnique({ where: { tokenHash: sha256(input.refreshToken) }, include: { family: true } });
  if (!token) throw invalidGrant('The refresh token is invalid or expired.');
  const { family } = token;
  if (family.clientId !== input.client.id) throw invalidGrant('The refresh token was issued to another client.');
  if (token.usedAt) {
    await revokeFamily(prisma, { id: family.id }, 'refresh_token_reuse', now);
    throw invalidGrant('The refresh token was already used; the grant has been revoked.');
  }
  if (family.revokedAt || family.expiresAt.getTime() <= now.getTime() || token.expiresAt.getTime() <= now.getTime()) {
    throw invalidGrant('The refresh token is invalid or expired.');
  }
  const granted = family.scope.split(' ').filter(Boolean);
  let scope = granted;
  if (input.scope !== null) {
    const asked = parseScope(input.scope);
    if (!asked || !asked.every((s) => granted.includes(s)))
      throw new OAuthError('invalid_scope', 'The requested scope exceeds the scope originally granted.');
    scope = asked;
  }
  const rotated = await prisma.$transaction(async (tx) => {
    const spent = await tx.refreshToken.updateMany({ where: { id: token.id, usedAt: null }, data: { usedAt: now } });
    if (spent.count === 0) return null;
    return issueRefreshToken(tx, deps, family);
  });
  if (rotated === null) {
    // Lost a race with another use of the same token: that is reuse too.
    await revokeFamily(prisma, { id: family.id }, 'refresh_token_reuse', now);
    throw invalidGrant('The refresh token was already used; the grant has been revoked.');
  }
  const access = await signAccessToken(deps, {
    customerId: family.customerId,
    clientId: input.client.clientId,
    scope,
    familyId: family.id,
  });
  return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, refresh_token: rotated, scope: scope.join(' ') };
}
