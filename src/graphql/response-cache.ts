// A short-lived cache of anonymous catalog responses, on Yoga's response-cache plugin.
// The catalog is the same for every storefront token, so a query without a signed-in
// customer can be answered from memory for a few seconds: the price of that is that a
// product's stock, price or publication shows up to `ttlMs` late, as on any CDN-cached
// storefront. Keys are hashes of the document and variables; entries are bounded in bytes
// (an LRU), so neither many nor large answers can grow the process for good. Requests of
// a signed-in customer, mutations, introspection and responses with errors are never
// cached; a mutation empties the cache.
import type { DocumentNode, ExecutionResult } from 'graphql';
import { getOperationAST, OperationTypeNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { sha256 } from '../hash.js';

/** A synchronous `Cache`: callers need not await it. */
export interface ResponseCacheStore extends Cache {
  set(...args: Parameters<Cache['set']>): void;
  get(key: string): ExecutionResult | null;
  invalidate(...args: Parameters<Cache['invalidate']>): void;
  clear(): void;
  /** Entries held now. */
  readonly size: number;
  /** Bytes held now (serialized answers plus keys). */
  readonly bytes: number;
}

export interface ResponseCacheStoreOptions {
  /** All entries together. */
  maxBytes: number;
  /** One entry; larger answers are not kept. */
  maxEntryBytes: number;
  /** Clock for the TTLs, for tests. */
  now?: () => number;
}

/**
 * A stored answer serializes itself from the text made when it was stored: Yoga calls a
 * result's own `stringify` instead of JSON.stringify, and spread copies ({ ...result,
 * extensions }) keep it. So a hit costs a string concatenation instead of serializing tens
 * of kilobytes again. Yoga hands `stringify` the result as it goes out (extensions added on
 * the way, such as the request's cost, included; its internal `http` extension removed);
 * anything but data and extensions falls back to JSON.stringify.
 */
function withStoredText(result: ExecutionResult): { stored: ExecutionResult; bytes: number } {
  const { data, extensions, ...other } = result;
  if (Object.keys(other).length > 0 || Object.keys(extensions ?? {}).some((key) => key !== 'http'))
    return { stored: result, bytes: Buffer.byteLength(JSON.stringify(result)) };
  const dataText = JSON.stringify(data);
  const stringify = (outgoing: ExecutionResult & { stringify?: unknown }): string => {
    const { data: _data, stringify: _self, extensions: added, ...rest } = outgoing;
    if (Object.keys(rest).length > 0) return JSON.stringify(outgoing);
    return added === undefined ? `{"data":${dataText}}` : `{"data":${dataText},"extensions":${JSON.stringify(added)}}`;
  };
  return { stored: { ...result, stringify } as ExecutionResult, bytes: Buffer.byteLength(dataText) + 10 };
}

/** An LRU of execution results bounded by their serialized size. */
export function createResponseCacheStore(options: ResponseCacheStoreOptions): ResponseCacheStore {
  const entries = new LRUCache<string, { result: ExecutionResult; bytes: number }>({
    maxSize: Math.max(1, options.maxBytes),
    maxEntrySize: Math.max(1, Math.min(options.maxEntryBytes, options.maxBytes)),
    sizeCalculation: (entry, key) => entry.bytes + key.length,
    allowStale: false,
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
  });
  return {
    get: (key) => entries.get(key)?.result ?? null,
    set(key, result, _entities, ttl) {
      if (!(ttl > 0) || options.maxBytes <= 0) return;
      const { stored, bytes } = withStoredText(result);
      entries.set(key, { result: stored, bytes }, { ttl: Number.isFinite(ttl) ? ttl : undefined });
    },
    // A mutation's entities could be anywhere in a catalog answer: any mutation empties the cache.
    invalidate: () => entries.clear(),
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
    get bytes() {
      return entries.calculatedSize;
    },
  };
}

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
          // Mutations are never cached; their answers invalidate (see `invalidate`: everything).
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
    onExecute({ args }) {
      // envelop types the execution arguments loosely; Yoga passes graphql-js's.
      const { document, operationName } = args as { document: DocumentNode; operationName?: string | null };
      if (getOperationAST(document, operationName)?.operation !== OperationTypeNode.MUTATION) return undefined;
      return { onExecuteDone: () => store.clear() };
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
