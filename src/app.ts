// createApp(deps) -> { fetch }: every HTTP route of Vitrine as one Fetch-API handler,
// routed by Hono. GraphQL is one Yoga pipeline (src/graphql/handler.ts); CORS, body-size
// limits and security headers are written once, here, for every route.
// Tests call app.fetch in-process; src/server.ts puts it behind node:http.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { StorefrontTokenVerifier } from './auth/storefront-tokens.js';
import { createAccessTokenVerifier } from './auth/access-token.js';
import { signingKeyStore } from './auth/oauth/keys.js';
import { CLIENT_IP_HEADER } from './auth/client-address.js';
import { createOAuthRoutes } from './auth/oauth/routes.js';
import { createGraphQLHandler } from './graphql/handler.js';
import { graphqlErrorResponse } from './graphql/request-plugins.js';
import type { ResponseCacheStore } from './graphql/response-cache.js';
import { createRedisResponseCacheStore, responseCachePrefix } from './graphql/response-cache-redis.js';
import { DEFAULT_QUERY, handleGraphiQLAsset, isGraphiQLNavigation, renderGraphiQLPage } from './graphiql.js';
import { handleImageRequest } from './images.js';
import { createLogger, type Logger } from './logger.js';
import { createAppServices } from './app-services.js';

export { CLIENT_IP_HEADER };

export interface AppDeps {
  config: Config;
  db: Database;
  logger?: Logger;
  /** Filled into GraphiQL's headers in development, so a newcomer can query at once. */
  devStorefrontToken?: string;
  /** The anonymous response cache (tests inspect it); one is made from the config otherwise. */
  responseCache?: ResponseCacheStore;
  /** Clock for the signing-key caches (tests). */
  now?: () => number;
  /** True while the process shuts down: /ready answers 503 so load balancers stop sending. */
  draining?: () => boolean;
}

export interface App {
  fetch(request: Request): Promise<Response>;
  /** Resolves when the app's connections are up (Redis answered, or failed and is retried). */
  ready(): Promise<void>;
  /** Closes what the app opened itself (the Redis connection). */
  close(): Promise<void>;
}

/** Storefronts call from other origins with token headers, never cookies. */
function corsPolicy(config: Config): MiddlewareHandler {
  const origins = config.http.corsOrigins;
  const anyOrigin = origins.includes('*');
  const exposeHeaders = ['www-authenticate', 'x-cache', 'retry-after', 'x-request-id'];
  // Preflights are Hono's CORS middleware's.
  const preflight = cors({
    origin: anyOrigin ? '*' : origins,
    credentials: false,
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['content-type', 'accept', 'authorization', 'x-storefront-access-token'],
    exposeHeaders,
    maxAge: 86400,
  });
  const exposed = exposeHeaders.join(',');
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    // The actual request: the headers go onto the route's own response after it answered.
    // (Hono's middleware writes them before, into a placeholder response, and then rebuilds
    // the route's response around its body as a stream to merge the two: a third of a
    // GraphQL answer's HTTP cost.) The OAuth routes answer `*` on their own (they also run
    // standalone): the list decides here.
    await next();
    const headers = c.res.headers;
    const origin = c.req.header('origin') ?? '';
    if (anyOrigin) headers.set('access-control-allow-origin', '*');
    else {
      headers.append('vary', 'Origin');
      if (origins.includes(origin)) headers.set('access-control-allow-origin', origin);
      else headers.delete('access-control-allow-origin');
    }
    headers.set('access-control-expose-headers', exposed);
  };
}

/**
 * Bounds the request body. A declared Content-Length above the limit is answered
 * `tooLarge` at once; one within it is trusted, because Node's HTTP parser delivers exactly
 * that many bytes (and refuses a request that also says chunked), so the body is left for
 * Yoga or the route to read once. A body without a length (chunked) is read here, counting
 * while the stream is read, and handed on as a buffer. (Hono's bodyLimit does the same
 * but rebuilds the request with `new Request(request)`, which fails for the Request
 * objects of @whatwg-node/server.)
 */
function limitBody(maxBytes: number, tooLarge: (c: Context) => Response): MiddlewareHandler {
  return async (c, next) => {
    const request = c.req.raw;
    const length = request.headers.get('content-length');
    if (length !== null && /^\d+$/.test(length)) {
      if (Number(length) <= maxBytes) return next();
      const response = tooLarge(c);
      response.headers.set('connection', 'close');
      return response;
    }
    if (!request.body) return next();
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        // The rest is never read: close the connection after answering, or the next
        // request on it would wait behind the unread body.
        const response = tooLarge(c);
        response.headers.set('connection', 'close');
        return response;
      }
      chunks.push(value);
    }
    const headers = new Headers();
    request.headers.forEach((value, name) => headers.append(name, value));
    // The client's signal goes along: a connection closed later still aborts this request.
    c.req.raw = new Request(request.url, { method: request.method, headers, body: Buffer.concat(chunks), signal: request.signal });
    return next();
  };
}

/** Every endpoint has a body limit: POST /graphql its own, every other one the form limit. */
function bodyLimits(config: Config): MiddlewareHandler {
  const graphql = limitBody(config.http.maxGraphQLBodyBytes, (c) =>
    graphqlErrorResponse(c.req.raw, 413, `The request body is larger than ${config.http.maxGraphQLBodyBytes} bytes.`, 'PAYLOAD_TOO_LARGE'),
  );
  const other = limitBody(config.http.maxFormBodyBytes, (c) =>
    c.json({ error: 'invalid_request', error_description: `The request body is larger than ${config.http.maxFormBodyBytes} bytes.` }, 413, {
      'cache-control': 'no-store',
    }),
  );
  return (c, next) => (c.req.path === '/graphql' ? graphql(c, next) : other(c, next));
}

function noStoreJson(c: Context, body: unknown, status: 200 | 503 = 200): Response {
  return c.json(body, status, { 'cache-control': 'no-store' });
}

export function createApp(deps: AppDeps): App {
  const { config, db } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const keys = signingKeyStore(db.prisma, config, deps.now);
  const observability = createAppServices({ config, db, logger });
  const graphql = createGraphQLHandler({
    config,
    prisma: db.prisma,
    reader: db.reader,
    logger,
    storefronts: new StorefrontTokenVerifier(db.prisma, config.http.storefrontTokenCacheTtlMs),
    bearer: createAccessTokenVerifier({ config, prisma: db.prisma, keys, now: deps.now }),
    responseCache:
      deps.responseCache ??
      (observability.redis
        ? createRedisResponseCacheStore(observability.redis, {
            prefix: responseCachePrefix(db),
            maxEntryBytes: config.graphql.responseCacheMaxEntryBytes,
          })
        : undefined),
    buckets: observability.buckets,
    onThrottled: observability.onThrottled,
  });

  const app = new Hono();
  app.use(
    '*',
    secureHeaders({
      overwrite: false, // a route's own stricter value (e.g. the sign-in page's) stands
      strictTransportSecurity: config.http.hsts ? 'max-age=31536000' : false,
      xFrameOptions: 'DENY',
      crossOriginResourcePolicy: 'cross-origin', // storefronts on other origins show our images
      crossOriginOpenerPolicy: false, // sign-in may run in a popup of the storefront
      originAgentCluster: false,
      xDnsPrefetchControl: false,
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: false,
      xXssProtection: false,
    }),
  );
  const allowCrossOrigin = corsPolicy(config);
  for (const path of ['/graphql', '/oauth/token', '/oauth/revoke', '/.well-known/*']) app.use(path, allowCrossOrigin);
  app.use('*', bodyLimits(config));

  // A browser opening /graphql gets GraphiQL; everything else there is GraphQL over HTTP.
  app.use('/graphql', async (c, next) => {
    const request = c.req.raw;
    if (
      request.method !== 'GET' ||
      !(request.headers.get('accept') ?? '').includes('text/html') ||
      !isGraphiQLNavigation(request, config.graphql.graphiql)
    )
      return next();
    if (!config.graphql.graphiql) return c.text('Not found', 404);
    return renderGraphiQLPage({
      endpoint: '/graphql',
      headers: deps.devStorefrontToken ? { 'X-Storefront-Access-Token': deps.devStorefrontToken } : undefined,
      defaultQuery: DEFAULT_QUERY,
    });
  });
  app.all('/graphql', (c) => graphql.fetch(c.req.raw));

  app.get('/health', (c) => noStoreJson(c, { status: 'ok' }));
  app.get('/ready', async (c) => {
    if (deps.draining?.()) return noStoreJson(c, { status: 'draining' }, 503);
    try {
      await db.ping();
      return noStoreJson(c, { status: 'ready' });
    } catch (error) {
      logger.warn('readiness check failed', { error });
      return noStoreJson(c, { status: 'unavailable' }, 503);
    }
  });
  app.get('/metrics', (c) => observability.metricsResponse(c.req.raw));
  app.all('/images/*', async (c) => (await handleImageRequest(c.req.raw)) ?? c.notFound());
  app.get('/graphiql/*', async (c) => (await handleGraphiQLAsset(c.req.path)) ?? c.notFound());
  app.get('/', (c) => c.redirect(new URL('/graphql', c.req.url).toString(), 302));
  app.route('/', createOAuthRoutes({ config, prisma: db.prisma, logger, keys, now: deps.now }));

  app.notFound((c) => c.text('Not found', 404));
  app.onError((error, c) => {
    // The client closed the connection before the answer (the adapter aborts the request's
    // signal): nothing failed on this side, and nobody reads the answer. Not an error to page on.
    if (c.req.raw.signal.aborted) {
      logger.debug('request aborted by the client', { path: c.req.path });
      return new Response(null, { status: 499 });
    }
    logger.error('request failed', { error, path: c.req.path });
    return c.json({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }, 500);
  });

  return { fetch: observability.wrap(async (request) => app.fetch(request)), ready: observability.ready, close: observability.close };
}
