// The response cache's store in this process: an LRU of answers bounded in bytes, with an
// index from each entity an answer shows (a Product or ProductVariant global ID) to the
// answers showing it, so a write purges exactly those.
import type { ExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { CacheEntityRecord, ResponseCacheStore } from './response-cache.js';

export interface MemoryResponseCacheStore extends ResponseCacheStore {
  get(key: string): ExecutionResult | null;
  set(key: string, result: ExecutionResult, entities: Iterable<CacheEntityRecord>, ttl: number): void;
  invalidate(entities: Iterable<CacheEntityRecord>): void;
  clear(): void;
  /** Entries held now. */
  readonly size: number;
  /** Bytes held now (serialized answers plus keys). */
  readonly bytes: number;
}

export interface MemoryResponseCacheStoreOptions {
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
export function withStoredText(result: ExecutionResult): { stored: ExecutionResult; bytes: number } {
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

/** `Product:gid://vitrine/Product/7`, or `Product` for every answer showing a Product. */
export function entityKey(entity: CacheEntityRecord): string {
  return entity.id === undefined ? entity.typename : `${entity.typename}:${String(entity.id)}`;
}

interface Entry {
  result: ExecutionResult;
  bytes: number;
  entities: string[];
}

export function createResponseCacheStore(options: MemoryResponseCacheStoreOptions): MemoryResponseCacheStore {
  const index = new Map<string, Set<string>>();
  const unindex = (key: string, entities: readonly string[]) => {
    for (const entity of entities) {
      const keys = index.get(entity);
      keys?.delete(key);
      if (keys?.size === 0) index.delete(entity);
    }
  };
  const entries = new LRUCache<string, Entry>({
    maxSize: Math.max(1, options.maxBytes),
    maxEntrySize: Math.max(1, Math.min(options.maxEntryBytes, options.maxBytes)),
    sizeCalculation: (entry, key) => entry.bytes + key.length,
    allowStale: false,
    // Evicted, expired, replaced or purged: its entities no longer point at it.
    dispose: (entry, key) => unindex(key, entry.entities),
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
  });
  return {
    get: (key) => entries.get(key)?.result ?? null,
    set(key, result, entities, ttl) {
      if (!(ttl > 0) || options.maxBytes <= 0) return;
      const { stored, bytes } = withStoredText(result);
      const keys = new Set<string>();
      for (const entity of entities) {
        keys.add(entityKey(entity));
        keys.add(entity.typename);
      }
      const entry: Entry = { result: stored, bytes, entities: [...keys] };
      entries.set(key, entry, { ttl: Number.isFinite(ttl) ? ttl : undefined });
      if (entries.peek(key) !== entry) return; // too large to keep
      for (const entity of entry.entities) {
        let set = index.get(entity);
        if (!set) index.set(entity, (set = new Set()));
        set.add(key);
      }
    },
    invalidate(entities) {
      for (const entity of entities) for (const key of [...(index.get(entityKey(entity)) ?? [])]) entries.delete(key);
    },
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
    get bytes() {
      return entries.calculatedSize;
    },
  };
}
