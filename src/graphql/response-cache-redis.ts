// The response cache's store in Redis, shared by every process (REDIS_URL). An answer is
// one string key with the TTL of the answer; each entity it shows (a Product or
// ProductVariant global ID, and its type) is a set of the answers showing it, so a write in
// any process purges the same answers for all of them. While Redis is unreachable the
// cache answers nothing and stores nothing: requests run as if it were off.
import type { ExecutionResult } from 'graphql';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Database } from '../db/client.js';
import { sha256 } from '../hash.js';
import { entityKey } from './response-cache-memory.js';
import type { CacheEntityRecord, ResponseCacheStore } from './response-cache.js';

/**
 * Answers from different databases never mix, even in one Redis (tests, several shops): the
 * prefix names the PostgreSQL database, or this embedded one (one process only).
 */
const embeddedIds = new WeakMap<Database, string>();
export function responseCachePrefix(db: Database): string {
  let identity: string;
  if (db.driver.kind === 'postgres') identity = db.driver.url;
  else {
    identity = embeddedIds.get(db) ?? randomUUID();
    embeddedIds.set(db, identity);
  }
  return `vitrine:response:${sha256(identity).slice(0, 16)}:`;
}

export interface RedisResponseCacheStoreOptions {
  /** Prefix of every key (one per shop when shops share a Redis). */
  prefix?: string;
  /** Larger answers are not kept. */
  maxEntryBytes: number;
}

export function createRedisResponseCacheStore(redis: Redis, options: RedisResponseCacheStoreOptions): ResponseCacheStore {
  const prefix = options.prefix ?? 'vitrine:response:';
  const answerKey = (key: string) => `${prefix}a:${key}`;
  const entityIndex = (entity: string) => `${prefix}e:${entity}`;
  const usable = () => redis.status === 'ready';

  return {
    async get(key) {
      if (!usable()) return null;
      try {
        const text = await redis.get(answerKey(key));
        return text ? (JSON.parse(text) as ExecutionResult) : null;
      } catch {
        return null;
      }
    },
    async set(key, result, entities, ttl) {
      if (!(ttl > 0) || !usable()) return;
      const text = JSON.stringify(result);
      if (Buffer.byteLength(text) > options.maxEntryBytes) return;
      const ms = Math.max(1, Math.round(Number.isFinite(ttl) ? ttl : 86_400_000));
      const indexes = new Set<string>();
      for (const entity of entities) {
        indexes.add(entityIndex(entityKey(entity)));
        indexes.add(entityIndex(entity.typename));
      }
      const batch = redis.multi().set(answerKey(key), text, 'PX', ms);
      // An index lives as long as the longest answer in it (NX: a new index; GT: a longer one).
      for (const index of indexes) batch.sadd(index, key).pexpire(index, ms, 'NX').pexpire(index, ms, 'GT');
      await batch.exec().catch(() => undefined);
    },
    async invalidate(entities: Iterable<CacheEntityRecord>) {
      if (!usable()) return;
      const indexes = [...new Set([...entities].map((entity) => entityIndex(entityKey(entity))))];
      if (indexes.length === 0) return;
      const keys = await redis.sunion(...indexes);
      const batch = redis.multi();
      if (keys.length) batch.del(...keys.map(answerKey));
      batch.del(...indexes);
      await batch.exec();
    },
    async clear() {
      if (!usable()) return;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    },
  };
}
