// GET /.well-known/oauth-authorization-server (RFC 8414 metadata, also under the issuer's
// path as §3.1 asks) and GET /.well-known/jwks.json (the public signing keys).
import { Hono, type Context } from 'hono';
import { SUPPORTED_SCOPES } from './grants.js';
import { CORS_HEADERS, json, preflight, type OAuthContext } from './http.js';

export function metadataDocument(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    end_session_endpoint: `${issuer}/oauth/logout`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    scopes_supported: [...SUPPORTED_SCOPES],
    authorization_response_iss_parameter_supported: true,
    prompt_values_supported: ['none', 'login'],
    service_documentation: `${issuer}/graphql`,
  };
}

/** Public documents: GET (and HEAD) only, readable cross-origin. */
function readOnly(c: Context): Response | null {
  if (c.req.method === 'OPTIONS') return preflight(c, 'GET');
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return json(c, { error: 'invalid_request' }, 405, { allow: 'GET' });
  return null;
}

export function metadataRoutes(ctx: OAuthContext): Hono {
  const app = new Hono();
  const metadata = metadataDocument(ctx.issuer);
  const paths = new Set(['/.well-known/oauth-authorization-server', `/.well-known/oauth-authorization-server${ctx.issuerPath}`]);
  for (const path of paths) {
    app.all(path, (c) => readOnly(c) ?? json(c, metadata, 200, { 'cache-control': 'public, max-age=300' }));
  }
  app.all('/.well-known/jwks.json', async (c) => {
    const refused = readOnly(c);
    if (refused) return refused;
    // Short caching: a rotation must be visible well within an access token's lifetime.
    return c.body(JSON.stringify(await ctx.keys.jwks()), 200, {
      'content-type': 'application/jwk-set+json; charset=utf-8',
      'cache-control': 'public, max-age=60',
      ...CORS_HEADERS,
    });
  });
  return app;
}
