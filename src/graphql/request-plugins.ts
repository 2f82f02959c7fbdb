// What a GraphQL request must bring before any GraphQL runs, as Yoga plugins: an allowed
// method and a JSON body (HTTP rules), a valid storefront token and, when sent, a valid
// customer access token (the viewer). Refusals are GraphQL-shaped errors with a 4xx
// status and an `extensions.code`; nothing is parsed or executed for them.
import type { Plugin } from 'graphql-yoga';
import type { StorefrontTokenVerifier } from '../auth/storefront-tokens.js';
import { InvalidTokenError, type AccessTokenVerifier } from '../auth/access-token.js';
import type { Viewer } from '../auth/viewer.js';
import type { Logger } from '../logger.js';

const JSON_TYPES = ['application/json', 'application/graphql-response+json'];

/** A GraphQL error response produced before GraphQL runs, in the media type the client accepts. */
export function graphqlErrorResponse(
  request: Request,
  status: number,
  message: string,
  code: string,
  headers: Record<string, string> = {},
): Response {
  const accept = request.headers.get('accept') ?? '';
  const type = accept.includes('application/graphql-response+json') ? 'application/graphql-response+json' : 'application/json';
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store', ...headers },
  });
}

/**
 * GET for queries, POST with a JSON body for anything. A cross-site HTML form
 * (urlencoded, multipart, text/plain) can never be a GraphQL request, which closes the
 * CSRF door.
 */
export function useHttpRules(): Plugin {
  return {
    onRequest(event) {
      const { request } = event;
      if (request.method !== 'GET' && request.method !== 'POST') {
        event.endResponse(
          graphqlErrorResponse(request, 405, 'Use GET for queries or POST for queries and mutations.', 'METHOD_NOT_ALLOWED', {
            allow: 'GET, POST',
          }),
        );
        return;
      }
      if (request.method === 'POST') {
        const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        if (!JSON_TYPES.includes(type))
          event.endResponse(graphqlErrorResponse(request, 415, 'POST bodies must be application/json.', 'UNSUPPORTED_MEDIA_TYPE'));
      }
    },
  };
}

export interface ViewerPluginDeps {
  storefronts: StorefrontTokenVerifier;
  bearer: AccessTokenVerifier;
  logger: Logger;
}

const viewers = new WeakMap<Request, Viewer>();

/** The viewer `useViewer` established for this request (undefined if it refused it). */
export function viewerOf(request: Request): Viewer | undefined {
  return viewers.get(request);
}

/**
 * Resolves `X-Storefront-Access-Token` and `Authorization: Bearer` to the request's
 * viewer, or answers 401 (with `WWW-Authenticate` for a bad bearer token, RFC 6750 §3).
 * Answers for a signed-in customer are marked `Cache-Control: private, no-store`.
 */
export function useViewer(deps: ViewerPluginDeps): Plugin {
  return {
    async onRequest(event) {
      const { request } = event;
      let storefront: Viewer['storefront'] | null;
      try {
        storefront = await deps.storefronts.verify(request.headers.get('x-storefront-access-token'));
      } catch (error) {
        // e.g. the database is unreachable: masked like any unexpected error, never a stack trace.
        deps.logger.error('storefront token check failed', { error });
        event.endResponse(graphqlErrorResponse(request, 500, 'Unexpected error.', 'INTERNAL_SERVER_ERROR'));
        return;
      }
      if (!storefront) {
        event.endResponse(graphqlErrorResponse(request, 401, 'A valid X-Storefront-Access-Token header is required.', 'UNAUTHENTICATED'));
        return;
      }
      let customer: Viewer['customer'];
      try {
        customer = await deps.bearer(request);
      } catch (error) {
        if (!(error instanceof InvalidTokenError)) {
          deps.logger.error('access token check failed', { error });
          event.endResponse(graphqlErrorResponse(request, 500, 'Unexpected error.', 'INTERNAL_SERVER_ERROR'));
          return;
        }
        event.endResponse(
          graphqlErrorResponse(request, 401, error.description, 'UNAUTHENTICATED', { 'www-authenticate': error.wwwAuthenticate }),
        );
        return;
      }
      viewers.set(request, { storefront, customer });
    },
    onResponse({ request, response }) {
      if (viewers.get(request)?.customer) response.headers.set('cache-control', 'private, no-store');
    },
  };
}
