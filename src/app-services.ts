// The parts of an app that outlive one request and are not the router: the cost buckets
// (in Redis when REDIS_URL is set, so every process shares them; in memory otherwise),
// the Prometheus metrics with their GET /metrics answer, and the per-request log wrapper.
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { Logger } from './logger.js';
import { CostBuckets, type BucketName } from './auth/cost-buckets.js';
import { createMetrics, isMetricsAuthorized, type Metrics } from './observability/metrics.js';
import { observeRequests } from './observability/request-log.js';

export interface AppServices {
  /** The shared Redis connection (REDIS_URL), for the cost buckets and the response cache. */
  redis: Redis | undefined;
  buckets: CostBuckets | undefined;
  metrics: Metrics;
  onThrottled: (bucket: BucketName) => void;
  /** GET /metrics: 404 without METRICS_TOKEN, 401 without the right bearer secret. */
  metricsResponse(request: Request): Promise<Response>;
  wrap(handle: (request: Request) => Promise<Response>): (request: Request) => Promise<Response>;
  /** Resolves once Redis has answered or failed (at once without Redis). */
  ready: () => Promise<void>;
  close: () => Promise<void>;
}

const loadModule = createRequire(import.meta.url);

export function createAppServices(deps: { config: Config; db: Database; logger: Logger }): AppServices {
  const { config, logger } = deps;
  const needsRedis = config.rateLimit.enabled || config.graphql.responseCacheTtlMs > 0;
  // ioredis (~20 MB of memory) is loaded only when Redis is configured; createApp stays synchronous.
  const redis =
    needsRedis && config.redisUrl
      ? new (loadModule('ioredis') as typeof import('ioredis')).Redis(config.redisUrl, { maxRetriesPerRequest: 1 })
      : undefined;
  // While Redis is away, the buckets fall back to memory at once (no request waits for a
  // reconnection); one warning when it goes, one line when it is back.
  let redisDown = false;
  redis?.on('error', (error: unknown) => {
    if (!redisDown)
      logger.warn('redis unreachable: rate limits fall back to this process’s memory, the response cache is skipped', { error });
    redisDown = true;
  });
  redis?.on('ready', () => {
    if (redisDown) logger.info('redis reachable again');
    redisDown = false;
  });
  const ready = redis
    ? new Promise<void>((resolve) => {
        redis.once('ready', () => resolve());
        redis.once('error', () => resolve());
      })
    : Promise.resolve();
  const buckets = config.rateLimit.enabled ? new CostBuckets({ ...config.rateLimit, redis }) : undefined;
  const metrics = createMetrics(deps.db.driver, config.metricsToken !== null);
  const text = (body: string, status: number, headers: Record<string, string> = {}) =>
    new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers } });
  return {
    redis,
    buckets,
    metrics,
    onThrottled: (bucket) => metrics.throttled(bucket),
    async metricsResponse(request) {
      if (!config.metricsToken) return text('Not found', 404);
      if (!isMetricsAuthorized(request.headers.get('authorization'), config.metricsToken))
        return text('Unauthorized', 401, { 'www-authenticate': 'Bearer realm="metrics"' });
      const { body, contentType } = await metrics.render();
      return text(body, 200, { 'content-type': contentType });
    },
    wrap: (handle) => observeRequests(handle, { logger, metrics }),
    ready: () => ready,
    async close() {
      if (redis && redis.status !== 'end') await redis.quit().catch(() => redis.disconnect());
    },
  };
}
