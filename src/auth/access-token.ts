// Verifies `Authorization: Bearer <access token>` on API requests (RFC 6750, RFC 9068,
// RFC 8725): a JWT we issued, with our algorithm, issuer, audience and type, signed by a
// key in our database, unexpired, and belonging to a grant that is still alive.
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { Config } from '../config.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { ACCESS_TOKEN_TYPE } from './oauth/grants.js';
import { ACCEPTED_ALGORITHMS, signingKeyStore, type SigningKeyStore } from './oauth/keys.js';
import type { CustomerPrincipal } from './viewer.js';

export type { CustomerPrincipal };

/** A bearer token that must be refused: answer 401 with `wwwAuthenticate` (RFC 6750 §3). */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
  readonly status = 401;
  readonly wwwAuthenticate: string;
  constructor(
    readonly description: string,
    readonly error: 'invalid_token' | 'invalid_request' = 'invalid_token',
  ) {
    super(description);
    this.wwwAuthenticate = `Bearer error="${error}", error_description="${description.replace(/["\\]/g, '')}"`;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JWS_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Seconds of clock difference tolerated between API processes. */
const CLOCK_TOLERANCE = 5;

export interface AccessTokenVerifierDeps {
  config: Config;
  prisma: PrismaClient;
  /** Share one store with the OAuth routes of the same process; one is made otherwise. */
  keys?: SigningKeyStore;
  now?: () => number;
}

export type AccessTokenVerifier = (request: Request) => Promise<CustomerPrincipal | null>;

export interface AccessTokenCheckDeps {
  config: Config;
  keys: SigningKeyStore;
  now: () => number;
}

/** How long past `exp` a token still counts as ours when a client revokes it. */
const REVOCATION_TOLERANCE_SECONDS = 7 * 24 * 3600;

/**
 * Checks that `token` is an access token we signed (shape, header, key, signature, issuer,
 * audience, type, claims) and returns its claims; throws InvalidTokenError otherwise.
 * `allowExpired` accepts a token up to a week past its expiry, for revocation (RFC 7009:
 * a client may revoke a token that has just expired). Whether its grant is still alive
 * is not checked here.
 */
export async function verifyAccessTokenJwt(
  deps: AccessTokenCheckDeps,
  token: string,
  options: { allowExpired?: boolean } = {},
): Promise<CustomerPrincipal> {
  const { config, keys, now } = deps;
  if (!JWS_SHAPE.test(token)) throw new InvalidTokenError('The access token is malformed.');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new InvalidTokenError('The access token is malformed.');
  }
  if (typeof header.alg !== 'string' || !ACCEPTED_ALGORITHMS.includes(header.alg))
    throw new InvalidTokenError('The access token algorithm is not accepted.');
  if (header.typ !== ACCESS_TOKEN_TYPE && header.typ !== `application/${ACCESS_TOKEN_TYPE}`)
    throw new InvalidTokenError('The token is not an access token.');
  if (typeof header.kid !== 'string') throw new InvalidTokenError('The access token has no key id.');
  if (header.crit !== undefined || header.jku !== undefined || header.jwk !== undefined || header.x5u !== undefined) {
    throw new InvalidTokenError('The access token header is not accepted.');
  }
  const key = await keys.verificationKey(header.kid);
  if (!key) throw new InvalidTokenError('The access token was signed by an unknown key.');
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [...ACCEPTED_ALGORITHMS],
      issuer: config.publicUrl,
      audience: config.auth.audience,
      typ: ACCESS_TOKEN_TYPE,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti'],
      clockTolerance: options.allowExpired ? REVOCATION_TOLERANCE_SECONDS : CLOCK_TOLERANCE,
      currentDate: new Date(now()),
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('The access token expired.');
    if (error instanceof joseErrors.JOSEError) throw new InvalidTokenError('The access token is invalid.');
    throw error;
  }
  const { sub, jti, client_id: clientId, scope, sid } = payload as Record<string, unknown>;
  if (
    typeof sub !== 'string' ||
    !UUID.test(sub) ||
    typeof jti !== 'string' ||
    typeof clientId !== 'string' ||
    typeof scope !== 'string' ||
    typeof sid !== 'string' ||
    !UUID.test(sid)
  ) {
    throw new InvalidTokenError('The access token is missing required claims.');
  }
  if (typeof payload.iat === 'number' && payload.iat > now() / 1000 + CLOCK_TOLERANCE)
    throw new InvalidTokenError('The access token was issued in the future.');
  return { customerId: sub, clientId, scope: scope.split(' ').filter(Boolean), sessionId: sid, tokenId: jti };
}

/**
 * Returns the customer behind the request's bearer token, null when the request carries
 * none, and throws InvalidTokenError for anything else (a token in the query string, a
 * malformed header, a token that fails any check).
 */
export function createAccessTokenVerifier(deps: AccessTokenVerifierDeps): AccessTokenVerifier {
  const now = deps.now ?? Date.now;
  const keys = deps.keys ?? signingKeyStore(deps.prisma, deps.config, now);
  const { config, prisma } = deps;

  async function verifyToken(token: string): Promise<CustomerPrincipal> {
    const principal = await verifyAccessTokenJwt({ config, keys, now }, token);
    // The grant must still be alive: revoking a refresh token (sign-out, reuse detection)
    // ends the access tokens issued under it at once.
    const family = await prisma.tokenFamily.findUnique({
      where: { id: principal.sessionId },
      select: { customerId: true, revokedAt: true, expiresAt: true },
    });
    if (!family || family.revokedAt || family.expiresAt.getTime() <= now() || family.customerId !== principal.customerId) {
      throw new InvalidTokenError('The access token has been revoked.');
    }
    return principal;
  }

  return async (request) => {
    const url = new URL(request.url);
    if (url.searchParams.has('access_token')) {
      // RFC 6750 §2.3 allows it; RFC 9700 §2.4 says no: URLs end up in logs and referrers.
      throw new InvalidTokenError('Send the access token in the Authorization header, not the URL.', 'invalid_request');
    }
    const header = request.headers.get('authorization');
    if (header === null) return null;
    const match = /^Bearer +([^\s]+) *$/i.exec(header);
    if (!match) throw new InvalidTokenError('Use the Authorization: Bearer <token> scheme.', 'invalid_request');
    return verifyToken(match[1]!);
  };
}
