// The GraphQL endpoint as one Yoga pipeline: HTTP rules, the viewer (storefront token and
// bearer token), input bounds, query limits and the anonymous response cache are plugins
// of the same server, so every answer, refusals included, takes the same path.
import { createYoga } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import type { StorefrontTokenVerifier } from '../auth/storefront-tokens.js';
import type { AccessTokenVerifier } from '../auth/access-token.js';
import { createContext } from './context.js';
import { clientError } from './errors.js';
import { useHttpCaching } from './http-caching.js';
import { createPersistedQueryStore, usePersistedDocuments, type PersistedQueryStore } from './persisted-documents.js';
import { loadManifest } from './persisted-manifest.js';
import { useInputLimits } from './input-limits.js';
import { protectionsPlugin } from './protections.js';
import { useHttpRules, useViewer, viewerOf } from './request-plugins.js';
import type { CostBuckets, BucketName } from '../auth/cost-buckets.js';
import { useRequestFacts } from '../observability/request-log.js';
import { useCostRateLimit } from './rate-limit.js';
import {
  catalogEntities,
  createResponseCacheStore,
  useAnonymousResponseCache,
  type CatalogChange,
  type ResponseCacheStore,
} from './response-cache.js';
import { schema } from './schema.js';

export interface GraphQLHandlerDeps {
  config: Config;
  prisma: PrismaClient;
  /** Where anonymous requests read (a read replica when configured); `prisma` otherwise. */
  reader?: PrismaClient;
  logger: Logger;
  storefronts: StorefrontTokenVerifier;
  bearer: AccessTokenVerifier;
  /** The anonymous response cache; one is made from the config otherwise. */
  responseCache?: ResponseCacheStore;
  /** The store of automatic persisted queries; one is made from the config otherwise. */
  persistedQueries?: PersistedQueryStore;
  /** Cost-based rate limits; none when absent. */
  buckets?: CostBuckets;
  onThrottled?: (bucket: BucketName) => void;
}

export interface GraphQLHandler {
  fetch(request: Request): Promise<Response>;
}

export function createGraphQLHandler(deps: GraphQLHandlerDeps): GraphQLHandler {
  const { config, prisma, logger } = deps;
  const cacheTtlMs = config.graphql.responseCacheTtlMs;
  const store =
    deps.responseCache ??
    createResponseCacheStore({ maxBytes: config.graphql.responseCacheMaxBytes, maxEntryBytes: config.graphql.responseCacheMaxEntryBytes });
  const persisted = config.graphql.persistedDocuments;
  const isAnonymous = (request: Request) => viewerOf(request)?.customer === null;
  const catalogChanged = async (change: CatalogChange) => {
    if (cacheTtlMs > 0) await store.invalidate(catalogEntities(change));
  };

  const yoga = createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: false, // served by the router, without a CDN
    landingPage: false,
    multipart: false,
    batching: false,
    cors: false, // one CORS policy for every route, in the router
    // The router bounds every body before Yoga sees it (src/app.ts, limitBody: a declared
    // Content-Length over the limit is refused, a chunked body is counted while read). Yoga's own
    // limiter would pipe every body through a stream and rebuild the request to count it again.
    maxRequestBodySize: false,
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
    context: ({ request }) => {
      const viewer = viewerOf(request);
      if (!viewer) throw new Error('The viewer plugin did not run for this request.');
      // A signed-in customer reads the primary, so what they just wrote (a cart, an address)
      // is there on the next request; anonymous catalog reads may use the replica.
      return createContext({ viewer, prisma: viewer.customer ? prisma : (deps.reader ?? prisma), config, catalogChanged });
    },
    plugins: [
      useHttpRules(),
      useViewer({ storefronts: deps.storefronts, bearer: deps.bearer, logger }),
      useHttpCaching({ ...config.http.publicCache, isAnonymous }),
      // Before the response cache and the limits: they must see the document a hash stands for.
      usePersistedDocuments({
        mode: persisted.mode,
        store: deps.persistedQueries ?? createPersistedQueryStore(persisted),
        manifest: persisted.manifestPath ? loadManifest(persisted.manifestPath, schema) : null,
      }),
      useRequestFacts(),
      protectionsPlugin(config),
      cacheTtlMs > 0 &&
        useAnonymousResponseCache({
          store,
          ttlMs: cacheTtlMs,
          maxInputBytes: config.graphql.responseCacheMaxInputBytes,
          isAnonymous,
        }),
      // After the cache, so a refusal wins over a cached answer (which is still charged).
      deps.buckets !== undefined &&
        useCostRateLimit({
          buckets: deps.buckets,
          schema,
          maxCost: config.graphql.maxCost,
          maxTokens: config.graphql.maxTokens,
          onThrottled: deps.onThrottled,
        }),
      // After the cache, so its refusal is the result even when a key was computed.
      useInputLimits({ maxStringLength: config.graphql.maxStringLength }),
    ],
  });

  return { fetch: (request) => Promise.resolve(yoga.fetch(request)) };
}
