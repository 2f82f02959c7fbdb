// One JSON log line and one set of metrics per request. The wrapper opens the request's
// scope (request-scope.ts) around the router, takes the request ID from X-Request-Id when
// it is a sane one (or makes one) and returns it on the answer. The GraphQL plugin below
// fills in the operation name and who asked (storefront token ID, customer ID: IDs only,
// never a token). The path is logged without its query string, which may hold OAuth codes.
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import { viewerOf } from '../graphql/request-plugins.js';
import type { Metrics } from './metrics.js';
import { currentScope, runInScope, type RequestScope } from './request-scope.js';

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_REQUEST_ID = /^[A-Za-z0-9._:/+=-]{1,128}$/;

/** The first named operation in a document, when the request does not name one. */
const FIRST_OPERATION = /(?:^|[\s},])(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

function routeOf(path: string): string {
  if (path === '/graphql') return 'graphql';
  if (path.startsWith('/oauth/') || path.startsWith('/.well-known/')) return 'oauth';
  if (path.startsWith('/images/')) return 'images';
  if (path.startsWith('/graphiql/')) return 'graphiql';
  if (['/health', '/ready', '/metrics'].includes(path)) return path.slice(1);
  return 'other';
}

/** Wraps the app's fetch: request ID, scope, log line and metrics. */
export function observeRequests(
  handle: (request: Request) => Promise<Response>,
  deps: { logger: Logger; metrics: Metrics },
): (request: Request) => Promise<Response> {
  return async (request) => {
    const started = performance.now();
    const offered = request.headers.get(REQUEST_ID_HEADER);
    const scope: RequestScope = {
      requestId: offered && SANE_REQUEST_ID.test(offered) ? offered : randomUUID(),
      operation: null,
      storefrontTokenId: null,
      customerId: null,
      statements: 0,
      sqlMs: 0,
    };
    let response = await runInScope(scope, () => handle(request));
    try {
      response.headers.set(REQUEST_ID_HEADER, scope.requestId);
    } catch {
      // immutable headers (Response.redirect): copy the answer
      response = new Response(response.body, response);
      response.headers.set(REQUEST_ID_HEADER, scope.requestId);
    }
    const seconds = (performance.now() - started) / 1000;
    const path = new URL(request.url).pathname;
    const route = routeOf(path);
    const cache = response.headers.get('x-cache');
    deps.metrics.request({ route, status: response.status, seconds, scope, cache });
    deps.logger.info('request', {
      requestId: scope.requestId,
      method: request.method,
      path,
      operation: scope.operation,
      status: response.status,
      durationMs: Math.round(seconds * 1e6) / 1e3,
      statements: scope.statements,
      sqlMs: Math.round(scope.sqlMs * 1e3) / 1e3,
      storefrontTokenId: scope.storefrontTokenId,
      customerId: scope.customerId,
      ...(cache ? { cache } : {}),
    });
    return response;
  };
}

/** Records the GraphQL operation name and the viewer's IDs in the request's scope. */
export function useRequestFacts(): Plugin {
  return {
    onParams({ params, request }) {
      const scope = currentScope();
      if (!scope) return;
      scope.operation = params.operationName ?? (params.query ? (FIRST_OPERATION.exec(params.query)?.[1] ?? null) : null);
      const viewer = viewerOf(request);
      scope.storefrontTokenId = viewer?.storefront.id ?? null;
      scope.customerId = viewer?.customer?.customerId ?? null;
    },
  };
}
