// createApp(deps) -> { fetch }: every HTTP route of Vitrine as one Fetch-API handler.
// Tests call app.fetch in-process; src/server.ts puts it behind node:http.
import { createYoga } from 'graphql-yoga';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { StorefrontTokenVerifier } from './auth/storefront-tokens.js';
import { createAccessTokenVerifier, InvalidTokenError } from './auth/access-token.js';
import { SigningKeyStore } from './auth/oauth/keys.js';
import { CLIENT_IP_HEADER, createOAuthRoutes } from './auth/oauth/routes.js';
import type { Viewer } from './auth/viewer.js';
import { createContext } from './graphql/context.js';
import { clientError } from './graphql/errors.js';
import { protectionsPlugin } from './graphql/protections.js';
import { ResponseCache, responseCachePlugin } from './graphql/response-cache.js';
import { schema } from './graphql/schema.js';
import { DEFAULT_QUERY, handleGraphiQLAsset, renderGraphiQLPage } from './graphiql.js';
import { handleImageRequest } from './images.js';
import { createLogger, type Logger } from './logger.js';

export { CLIENT_IP_HEADER };

export interface AppDeps {
  config: Config;
  db: Database;
  logger?: Logger;
  /** Filled into GraphiQL's headers in development, so a newcomer can query at once. */
  devStorefrontToken?: string;
}

export interface App {
  fetch(request: Request): Promise<Response>;
}

interface ServerContext {
  viewer: Viewer;
  /** Set by the execution: may this response be reused for other anonymous requests? */
  cache?: { cacheable: boolean };
}

const JSON_TYPES = ['application/json', 'application/graphql-response+json'];

/** Storefronts call from any origin with a token header (no cookies): answers we make ourselves carry CORS too. */
const CORS_HEADERS = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'www-authenticate, x-cache' };

function wantsGraphQLResponseJson(request: Request): boolean {
  return (request.headers.get('accept') ?? '').includes('application/graphql-response+json');
}

/** A GraphQL-shaped error response produced before GraphQL runs. */
function graphqlErrorResponse(request: Request, status: number, message: string, code: string, headers: Record<string, string> = {}): Response {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  return new Response(body, {
    status,
    headers: {
      'content-type': wantsGraphQLResponseJson(request) ? 'application/graphql-response+json; charset=utf-8' : 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...CORS_HEADERS,
      ...headers,
    },
  });
}

function prefersHtml(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  return accept.includes('text/html');
}

export function createApp(deps: AppDeps): App {
  const { config, db } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const storefronts = new StorefrontTokenVerifier(db.prisma);
  const keys = new SigningKeyStore(db.prisma);
  const oauth = createOAuthRoutes({ config, prisma: db.prisma, logger, keys });
  const bearer = createAccessTokenVerifier({ config, prisma: db.prisma, keys });
  const responses = new ResponseCache({ ttlMs: config.graphql.responseCacheTtlMs, maxEntries: 1000, maxBodyBytes: 1 << 20 });

  const yoga = createYoga<ServerContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: false, // served by us, without a CDN
    landingPage: false,
    multipart: false,
    batching: false,
    logging: {
      debug: (...args) => logger.debug('yoga', { args }),
      info: (...args) => logger.info('yoga', { args }),
      warn: (...args) => logger.warn('yoga', { args }),
      error: (...args) => logger.error('yoga', { args }),
    },
    maskedErrors: {
      isDev: false,
      maskError: (error, message) => clientError(error, message, logger),
    },
    cors: {
      origin: '*',
      credentials: false,
      methods: ['GET', 'POST'],
      allowedHeaders: ['content-type', 'accept', 'authorization', 'x-storefront-access-token'],
      exposedHeaders: ['www-authenticate', 'x-cache'],
      maxAge: 86400,
    },
    context: ({ viewer }) => createContext({ viewer, prisma: db.prisma, config }),
    plugins: [protectionsPlugin(config), responseCachePlugin(responses)],
  });

  async function graphql(request: Request): Promise<Response> {
    if (request.method === 'OPTIONS') return yoga.fetch(request, {} as ServerContext);
    if (request.method !== 'GET' && request.method !== 'POST') {
      return graphqlErrorResponse(request, 405, 'Use GET for queries or POST for queries and mutations.', 'METHOD_NOT_ALLOWED', {
        allow: 'GET, POST',
      });
    }
    const url = new URL(request.url);
    if (request.method === 'GET' && !url.searchParams.has('query') && prefersHtml(request)) {
      if (!config.graphql.graphiql) return new Response('Not found', { status: 404 });
      return renderGraphiQLPage({
        endpoint: '/graphql',
        headers: deps.devStorefrontToken ? { 'X-Storefront-Access-Token': deps.devStorefrontToken } : undefined,
        defaultQuery: DEFAULT_QUERY,
      });
    }
    if (request.method === 'POST') {
      // Only JSON bodies: a cross-site HTML form (urlencoded, multipart, text/plain) can
      // never be a GraphQL request here, which closes the CSRF door.
      const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!JSON_TYPES.includes(type)) {
        return graphqlErrorResponse(request, 415, 'POST bodies must be application/json.', 'UNSUPPORTED_MEDIA_TYPE');
      }
    }
    const storefront = await storefronts.verify(request.headers.get('x-storefront-access-token'));
    if (!storefront) {
      return graphqlErrorResponse(request, 401, 'A valid X-Storefront-Access-Token header is required.', 'UNAUTHENTICATED');
    }
    let customer: Viewer['customer'];
    try {
      customer = await bearer(request);
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      return graphqlErrorResponse(request, 401, error.description, 'UNAUTHENTICATED', { 'www-authenticate': error.wwwAuthenticate });
    }
    const viewer: Viewer = { storefront, customer };
    if (customer || !responses.enabled) return yoga.fetch(request, { viewer });

    // Anonymous: the answer is the same for every storefront, so a recent one may be reused.
    const body = request.method === 'POST' ? await request.text() : '';
    const key = ResponseCache.key(request.method, url.search, body, request.headers.get('accept') ?? '');
    const hit = responses.get(key);
    if (hit) return new Response(hit.body, { status: 200, headers: { 'content-type': hit.contentType, 'x-cache': 'HIT', ...CORS_HEADERS } });
    const replay = new Request(request.url, { method: request.method, headers: request.headers, body: body || undefined });
    const cache = { cacheable: false };
    const response = await yoga.fetch(replay, { viewer, cache });
    if (!cache.cacheable || response.status !== 200) return response;
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? 'application/json; charset=utf-8';
    const headers = new Headers(response.headers);
    if (responses.set(key, { body: text, contentType })) headers.set('x-cache', 'MISS');
    return new Response(text, { status: 200, headers });
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const { pathname } = url;
    if (pathname === '/graphql') return graphql(request);
    const oauthResponse = await oauth(request);
    if (oauthResponse) return oauthResponse;
    if (pathname === '/health' && request.method === 'GET') {
      return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
    }
    if (pathname === '/ready' && request.method === 'GET') {
      try {
        await db.ping();
        return Response.json({ status: 'ready' }, { headers: { 'cache-control': 'no-store' } });
      } catch (error) {
        logger.warn('readiness check failed', { error });
        return Response.json({ status: 'unavailable' }, { status: 503, headers: { 'cache-control': 'no-store' } });
      }
    }
    if (request.method === 'GET' || request.method === 'HEAD') {
      const image = await handleImageRequest(request);
      if (image) return image;
      const asset = await handleGraphiQLAsset(pathname);
      if (asset) return asset;
    }
    if (pathname === '/' && request.method === 'GET') return Response.redirect(new URL('/graphql', url), 302);
    return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }

  return {
    async fetch(request) {
      try {
        const response = await handle(request);
        if (response.headers.has('x-content-type-options')) return response;
        const headers = new Headers(response.headers);
        headers.set('x-content-type-options', 'nosniff');
        return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
      } catch (error) {
        logger.error('request failed', { error, path: new URL(request.url).pathname });
        return Response.json({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }, { status: 500 });
      }
    },
  };
}
