// POST /oauth/token: grant_type=authorization_code (with the PKCE verifier) and
// grant_type=refresh_token. The grants themselves live in ./grants.ts.
import { Hono, type Context } from 'hono';
import { authenticateClient } from './client-auth.js';
import { exchangeAuthorizationCode, OAuthError, refreshGrant, type TokenResponse } from './grants.js';
import { duplicated, json, methodNotAllowed, oauthErrorResponse, preflight, readForm, single, type OAuthContext } from './http.js';

const BODY_ONLY = ['code', 'code_verifier', 'refresh_token', 'client_id'];
const TOKEN_PARAMS = ['grant_type', 'code', 'redirect_uri', 'client_id', 'code_verifier', 'refresh_token', 'scope'];

export function tokenRoutes(ctx: OAuthContext): Hono {
  async function grant(c: Context, form: URLSearchParams): Promise<TokenResponse> {
    const request = c.req.raw;
    if ([...new URL(request.url).searchParams.keys()].some((k) => BODY_ONLY.includes(k))) {
      throw new OAuthError('invalid_request', 'Send parameters in the request body, not the URL.');
    }
    const dup = duplicated(form, TOKEN_PARAMS);
    if (dup) throw new OAuthError('invalid_request', `The parameter ${dup} was sent more than once.`);
    const grantType = single(form, 'grant_type');
    if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required.');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      throw new OAuthError('unsupported_grant_type', 'Supported grant types: authorization_code, refresh_token.');
    }
    const client = await authenticateClient(ctx.prisma, request, form);
    if (grantType === 'authorization_code') {
      const code = single(form, 'code');
      if (!code) throw new OAuthError('invalid_request', 'code is required.');
      return exchangeAuthorizationCode(ctx.grants, {
        client,
        code,
        redirectUri: single(form, 'redirect_uri'),
        codeVerifier: single(form, 'code_verifier'),
      });
    }
    const refreshToken = single(form, 'refresh_token');
    if (!refreshToken) throw new OAuthError('invalid_request', 'refresh_token is required.');
    return refreshGrant(ctx.grants, { client, refreshToken, scope: form.has('scope') ? (form.get('scope') ?? '') : null });
  }

  const app = new Hono();
  app.all('/oauth/token', async (c) => {
    if (c.req.method === 'OPTIONS') return preflight(c, 'POST');
    if (c.req.method !== 'POST') return methodNotAllowed(c, 'POST');
    const form = await readForm(c.req.raw);
    if (!form) return oauthErrorResponse(c, new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.'));
    try {
      return json(c, await grant(c, form));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      if (error.error === 'invalid_grant') ctx.logger?.info('oauth: token request refused', { description: error.description });
      const challenge: Record<string, string> =
        error.status === 401 && c.req.raw.headers.has('authorization') ? { 'www-authenticate': 'Basic realm="vitrine"' } : {};
      return oauthErrorResponse(c, error, challenge);
    }
  });
  return app;
}
