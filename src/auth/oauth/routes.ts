// Vitrine's OAuth 2.0 authorization server as one Hono app, one module per endpoint:
//   GET  /.well-known/oauth-authorization-server   RFC 8414 metadata   (metadata-routes.ts)
//   GET  /.well-known/jwks.json                     public signing keys (metadata-routes.ts)
//   GET|POST /oauth/authorize                       hosted sign-in / sign-up, then code (authorize-routes.ts)
//   POST /oauth/token                               authorization_code, refresh_token (token-routes.ts)
//   POST /oauth/revoke                              RFC 7009 (revoke-routes.ts)
//   GET|POST /oauth/logout                          end the hosted sign-in session (logout-routes.ts)
//   GET|POST /oauth/password/forgot, /reset          forgotten passwords (password-routes.ts)
// Public clients only (PKCE S256 required). Paths it does not own answer 404.
import { Hono } from 'hono';
import type { Config } from '../../config.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { createMailer, type Mailer } from '../mailer.js';
import { limitPasswordHashing } from '../passwords.js';
import { authorizeRoutes } from './authorize-routes.js';
import type { OAuthContext } from './http.js';
import { signingKeyStore, type SigningKeyStore } from './keys.js';
import { logoutRoutes } from './logout-routes.js';
import { metadataRoutes } from './metadata-routes.js';
import { passwordRoutes } from './password-routes.js';
import { revokeRoutes } from './revoke-routes.js';
import { tokenRoutes } from './token-routes.js';

export interface OAuthRoutesDeps {
  config: Config;
  prisma: PrismaClient;
  logger?: Logger;
  /** Share with the access-token verifier of the same process (optional). */
  keys?: SigningKeyStore;
  /** Outgoing mail (password resets); made from config when not given. */
  mailer?: Mailer;
  /** Clock, for tests. */
  now?: () => number;
}

export function createOAuthRoutes(deps: OAuthRoutesDeps): Hono {
  const { config, prisma } = deps;
  const now = deps.now ?? Date.now;
  limitPasswordHashing(config.auth.passwordHashConcurrency);
  const keys = deps.keys ?? signingKeyStore(prisma, config, now);
  const issuer = config.publicUrl;
  const ctx: OAuthContext = {
    config,
    prisma,
    keys,
    logger: deps.logger,
    mailer: deps.mailer ?? createMailer(config, deps.logger),
    now,
    grants: { config, prisma, keys, now },
    issuer,
    publicOrigin: new URL(issuer).origin,
    issuerPath: new URL(issuer).pathname.replace(/\/+$/, ''),
  };
  const app = new Hono();
  app.route('/', metadataRoutes(ctx));
  app.route('/', authorizeRoutes(ctx));
  app.route('/', tokenRoutes(ctx));
  app.route('/', revokeRoutes(ctx));
  app.route('/', logoutRoutes(ctx));
  app.route('/', passwordRoutes(ctx));
  // Unexpected errors go to the caller (the app logs them and answers 500).
  app.onError((error) => {
    throw error;
  });
  return app;
}
