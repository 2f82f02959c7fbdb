// POST /oauth/revoke (RFC 7009): a refresh token or an access token ends the whole grant
// it belongs to. Unknown tokens still get 200; another client's token is refused.
import { Hono } from 'hono';
import { InvalidTokenError, verifyAccessTokenJwt } from '../access-token.js';
import { authenticateClient } from './client-auth.js';
import { OAuthError } from './grants.js';
import { looksLikeRefreshToken, revokeFamilyOfClient, revokeRefreshToken } from './grant-revocation.js';
import { CORS_HEADERS, duplicated, methodNotAllowed, oauthErrorResponse, preflight, readForm, single, type OAuthContext } from './http.js';

/** The grant behind one of our access tokens, expired or not; null for anything else. */
async function accessTokenGrant(ctx: OAuthContext, value: string): Promise<string | null> {
  try {
    return (await verifyAccessTokenJwt(ctx, value, { allowExpired: true })).sessionId;
  } catch (error) {
    if (error instanceof InvalidTokenError) return null;
    throw error;
  }
}

export function revokeRoutes(ctx: OAuthContext): Hono {
  const app = new Hono();
  app.all('/oauth/revoke', async (c) => {
    if (c.req.method === 'OPTIONS') return preflight(c, 'POST');
    if (c.req.method !== 'POST') return methodNotAllowed(c, 'POST');
    const form = await readForm(c.req.raw);
    if (!form) return oauthErrorResponse(c, new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.'));
    try {
      const dup = duplicated(form, ['token', 'token_type_hint', 'client_id']);
      if (dup) throw new OAuthError('invalid_request', `The parameter ${dup} was sent more than once.`);
      const value = single(form, 'token');
      if (!value) throw new OAuthError('invalid_request', 'token is required.');
      const client = await authenticateClient(ctx.prisma, c.req.raw, form);
      if (looksLikeRefreshToken(value)) {
        await revokeRefreshToken(ctx.grants, { client, token: value });
      } else {
        const familyId = await accessTokenGrant(ctx, value);
        if (familyId) await revokeFamilyOfClient(ctx.grants, { client, familyId });
      }
      return c.body(null, 200, { 'cache-control': 'no-store', pragma: 'no-cache', ...CORS_HEADERS });
    } catch (error) {
      if (error instanceof OAuthError) return oauthErrorResponse(c, error);
      throw error;
    }
  });
  return app;
}
