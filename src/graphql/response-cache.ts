// A short-lived cache of anonymous catalog responses, on Yoga's response-cache plugin.
// The catalog is the same for every storefront token, so a query without a signed-in
// customer can be answered from memory for a few seconds: the price of that is that a
// product's stock, price or publication shows up to `ttlMs` late, as on any CDN-cached
// storefront, and a write that changes them (a checkout's stock) purges the answers that
// show the products and variants it touched, in every process when the store is Redis.
// Keys are hashes of the document and variables; entries are bounded in bytes, so neither
// many nor large answers can grow the store for good. Requests of a signed-in customer,
// mutations, introspection and responses with errors are never cached.
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { encodeGlobalId } from './ids.js';
import { sha256 } from '../hash.js';

/**
 * Where answers are kept: this process's memory (response-cache-memory.ts) or Redis, shared
 * by every process (response-cache-redis.ts). Entities are the global IDs an answer shows;
 * `invalidate` purges every answer showing one of them.
 */
/** An entity an answer shows, as the plugin records it (`typename` and the `id` field's value). */
export type CacheEntityRecord = Parameters<Cache['invalidate']>[0] extends Iterable<infer E> ? E : never;

export interface ResponseCacheStore extends Cache {
  clear(): void | Promise<void>;
}

/** What a write changed in the catalog, by database id. */
export interface CatalogChange {
  productIds: readonly number[];
  variantIds: readonly number[];
}

/** The cache entities a catalog change touches: the global IDs answers record (`id` fields). */
export function catalogEntities(change: CatalogChange): CacheEntityRecord[] {
  return [
    ...change.productIds.map((id) => ({ typename: 'Product', id: encodeGlobalId('Product', id) })),
    ...change.variantIds.map((id) => ({ typename: 'ProductVariant', id: encodeGlobalId('ProductVariant', id) })),
  ];
}

export { createResponseCacheStore } from './response-cache-memory.js';

export interface AnonymousResponseCacheOptions {
  store: ResponseCacheStore;
  ttlMs: number;
  /** Requests whose document and variables are larger than this are never cached. */
  maxInputBytes: number;
  /** Whether the request has no signed-in customer (decided before GraphQL runs). */
  isAnonymous: (request: Request) => boolean;
}

type CacheState = 'HIT' | 'MISS';

/**
 * The response cache for anonymous requests, answering with `x-cache: HIT` when served
 * from memory and `x-cache: MISS` when the answer was just stored.
 */
export function useAnonymousResponseCache(options: AnonymousResponseCacheOptions): Plugin {
  const { store } = options;
  const uncacheable = new WeakSet<Request>();
  const states = new WeakMap<Request, CacheState>();
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(
        useResponseCache({
          cache: store,
          ttl: options.ttlMs,
          session: () => null, // only anonymous answers are cached: no session in the key
          enabled: (request) => options.isAnonymous(request) && !uncacheable.has(request),
          // Mutations are never cached; the entities their answers show are purged. A write that
          // changes the catalog without showing it (checkout's stock) purges through catalogChanged.
          invalidateViaMutation: true,
          includeExtensionMetadata: true,
          buildResponseCacheKey(params) {
            const variables = JSON.stringify(params.variableValues ?? {});
            if (params.documentString.length + variables.length > options.maxInputBytes) {
              uncacheable.add(params.request);
              return ''; // never looked up nor stored: not worth hashing
            }
            // node:crypto, synchronously: the plugin's own helper goes through WebCrypto's async digest on every request.
            return sha256([params.documentString, params.operationName ?? '', variables].join('|'));
          },
          shouldCacheResult: ({ result }) => !result.errors?.length && result.data != null,
        }),
      );
    },
    onResultProcess(event) {
      const { request, result } = event;
      if (Array.isArray(result) || !result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
      const extensions = (result as ExecutionResult).extensions;
      const metadata = extensions?.['responseCache'] as { hit?: boolean; didCache?: boolean } | undefined;
      if (!extensions || !metadata) return;
      if (metadata.hit) states.set(request, 'HIT');
      else if (metadata.didCache) states.set(request, 'MISS');
      const { responseCache: _metadata, ...rest } = extensions;
      event.setResult({ ...(result as ExecutionResult), extensions: Object.keys(rest).length ? rest : undefined });
    },
    onResponse({ request, response }) {
      const state = states.get(request);
      if (state) response.headers.set('x-cache', state);
    },
  };
}
