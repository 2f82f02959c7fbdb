// Prometheus metrics (prom-client), one registry per app: request durations by route,
// GraphQL operation and status, SQL statements and time per request, response-cache hits
// and misses, throttled requests, the database pool, and Node's default process metrics
// (event-loop lag among them). Served by GET /metrics behind a bearer secret.
import { timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DatabaseDriver } from '../db/client.js';
import { sha256 } from '../hash.js';
import type { RequestScope } from './request-scope.js';

/** Operation names are chosen by clients: at most this many distinct ones get a label. */
const MAX_OPERATION_LABELS = 200;
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

export interface Metrics {
  readonly registry: Registry;
  /** Records one finished request. */
  request(input: { route: string; status: number; seconds: number; scope: RequestScope; cache: string | null }): void;
  throttled(bucket: string): void;
  /** The exposition text, and its content type. */
  render(): Promise<{ body: string; contentType: string }>;
}

/** `processMetrics`: Node's default metrics too (event-loop lag, heap, GC); only worth it when /metrics is served. */
export function createMetrics(driver: DatabaseDriver, processMetrics = true): Metrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'vitrine_http_request_duration_seconds',
    help: 'Time from request to response, by route, GraphQL operation name and HTTP status.',
    labelNames: ['route', 'operation', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const statements = new Histogram({
    name: 'vitrine_sql_statements_per_request',
    help: 'SQL statements one request sent, by route.',
    labelNames: ['route'] as const,
    buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34, 55],
    registers: [registry],
  });
  const sqlSeconds = new Histogram({
    name: 'vitrine_sql_seconds_per_request',
    help: 'Time one request spent waiting on SQL statements (overlapping statements summed), by route.',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const cache = new Counter({
    name: 'vitrine_response_cache_requests_total',
    help: 'Anonymous GraphQL answers served from the response cache (hit) or executed and stored (miss).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const throttled = new Counter({
    name: 'vitrine_throttled_requests_total',
    help: 'GraphQL requests refused with 429 THROTTLED, by the bucket that was empty (token or buyer).',
    labelNames: ['bucket'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'vitrine_db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle, waiting clients); absent on the embedded database.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      if (driver.kind !== 'postgres') return;
      this.set({ state: 'total' }, driver.pool.totalCount);
      this.set({ state: 'idle' }, driver.pool.idleCount);
      this.set({ state: 'waiting' }, driver.pool.waitingCount);
    },
  });
  for (const result of ['hit', 'miss']) cache.inc({ result }, 0);

  const operations = new Set<string>();
  const operationLabel = (name: string | null): string => {
    if (!name) return '';
    if (!OPERATION_NAME.test(name)) return '(invalid)';
    if (operations.has(name)) return name;
    if (operations.size >= MAX_OPERATION_LABELS) return '(other)';
    operations.add(name);
    return name;
  };

  return {
    registry,
    request({ route, status, seconds, scope, cache: state }) {
      duration.observe({ route, operation: operationLabel(scope.operation), status: String(status) }, seconds);
      statements.observe({ route }, scope.statements);
      sqlSeconds.observe({ route }, scope.sqlMs / 1000);
      if (state === 'HIT') cache.inc({ result: 'hit' });
      else if (state === 'MISS') cache.inc({ result: 'miss' });
    },
    throttled: (bucket) => throttled.inc({ bucket }),
    async render() {
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}

/** Whether an Authorization header carries the metrics bearer secret (compared in constant time). */
export function isMetricsAuthorized(authorization: string | null, secret: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return false;
  return timingSafeEqual(Buffer.from(sha256(match[1]!), 'hex'), Buffer.from(sha256(secret), 'hex'));
}
