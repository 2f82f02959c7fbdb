// Cost-based rate limits as a Yoga plugin (the bucket rules are in src/auth/cost-buckets.ts).
// Before anything runs (and before a cached answer is served), the request's cost is
// measured from its document and variables and charged to the storefront token's and the
// buyer's buckets; an empty bucket answers 429 THROTTLED with Retry-After. After the
// result is known, what it did not use is refunded, and the answer gets its own
// `extensions.cost`: it is added to the result on its way out, after the response cache
// stored or served it, so a cached answer never carries another caller's bucket. Public
// answers (clean anonymous GETs, which a CDN may share) are charged but carry no cost.
import { GraphQLError, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { CLIENT_IP_HEADER } from '../auth/client-address.js';
import {
  BUYER_IP_HEADER,
  buyerAddress,
  type BucketKeys,
  type BucketName,
  type CostBuckets,
  type ThrottleStatus,
} from '../auth/cost-buckets.js';
import { measureComplexity } from './complexity.js';
import { viewerOf } from './request-plugins.js';

export interface CostExtension {
  /** The operation's cost as measured before execution (src/graphql/complexity.ts). */
  requestedQueryCost: number;
  /** What the request kept from the buckets: the objects its answer holds, at most the requested cost, at least 1. */
  actualQueryCost: number;
  throttleStatus: ThrottleStatus;
}

export interface RateLimitOptions {
  buckets: CostBuckets;
  schema: GraphQLSchema;
  /** Operations costing more are refused by the query limits; they are charged the minimum. */
  maxCost: number;
  maxTokens: number;
  onThrottled?: (bucket: BucketName) => void;
}

interface Charged {
  keys: BucketKeys;
  requested: number;
  points: number;
  status: ThrottleStatus;
  throttled: ExecutionResult | null;
}

/**
 * Objects in an answer, the root left out: what the requested cost estimates, counted in
 * what really came back (a page of 3 products where 250 were allowed counts 3).
 */
export function countObjects(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countObjects(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  let count = 1;
  for (const inner of Object.values(value)) count += countObjects(inner);
  return count;
}

/** Requested cost of a request's operation, memoised by document, operation and variables. */
function costMeter(schema: GraphQLSchema, maxTokens: number) {
  const memo = new LRUCache<string, number>({ maxSize: 8 * 1024 * 1024, sizeCalculation: (_v, key) => key.length + 16 });
  const measure = (query: string, operationName: string | undefined, variables: Record<string, unknown>): number => {
    try {
      const document = parse(query, { maxTokens });
      return measureComplexity(schema, document, operationName, variables)?.complexity ?? 0;
    } catch {
      return 0; // unparsable or unmeasurable: GraphQL refuses it further on; it costs the minimum
    }
  };
  return (query: string | undefined, operationName: string | undefined, variables: unknown): number => {
    if (!query) return 0;
    const vars = variables && typeof variables === 'object' && !Array.isArray(variables) ? (variables as Record<string, unknown>) : {};
    const key = `${operationName ?? ''}\u0000${query}\u0000${JSON.stringify(vars)}`;
    if (key.length > 16 * 1024) return measure(query, operationName, vars);
    let cost = memo.get(key);
    if (cost === undefined) memo.set(key, (cost = measure(query, operationName, vars)));
    return cost;
  };
}

function throttledResult(charged: Omit<Charged, 'throttled'>, bucket: BucketName, retryAfterSeconds: number): ExecutionResult {
  const who = bucket === 'buyer' ? 'this shopper' : 'this storefront token';
  const error = new GraphQLError(`Throttled: the cost budget of ${who} is spent. Retry after ${retryAfterSeconds} s.`, {
    extensions: { code: 'THROTTLED', http: { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } } },
  });
  const cost: CostExtension = { requestedQueryCost: charged.requested, actualQueryCost: 0, throttleStatus: charged.status };
  return { errors: [error], extensions: { cost } };
}

/** Must come after the response cache in the plugin list: its refusal then wins over a cached answer. */
export function useCostRateLimit(options: RateLimitOptions): Plugin {
  const { buckets } = options;
  const meter = costMeter(options.schema, options.maxTokens);
  const charges = new WeakMap<Request, Charged>();
  return {
    async onParams({ params, request, setResult }) {
      const viewer = viewerOf(request);
      if (!viewer) return;
      const buyer = buyerAddress(viewer.storefront.kind, request.headers.get(CLIENT_IP_HEADER) ?? '', request.headers.get(BUYER_IP_HEADER));
      if ('error' in buyer) {
        setResult({ errors: [new GraphQLError(buyer.error, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } })] });
        return;
      }
      const requested = meter(params.query, params.operationName, params.variables);
      const keys = { token: viewer.storefront.id, buyer: buyer.key };
      const charge = await buckets.charge(keys, requested > options.maxCost ? 1 : requested);
      const charged = { keys, requested, points: charge.points, status: charge.status };
      let throttled: ExecutionResult | null = null;
      if (!charge.allowed) {
        throttled = throttledResult(charged, charge.bucket, charge.retryAfterSeconds);
        options.onThrottled?.(charge.bucket);
        setResult(throttled);
      }
      charges.set(request, { ...charged, throttled });
    },
    async onResultProcess(event) {
      const charged = charges.get(event.request);
      const { result } = event;
      if (!charged || Array.isArray(result) || !result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
      if (charged.throttled) {
        event.setResult(charged.throttled);
        return;
      }
      const { data, errors } = result as ExecutionResult;
      const actual = Math.min(charged.points, Math.max(1, countObjects(data) - (data ? 1 : 0)));
      const status = actual < charged.points ? await buckets.refund(charged.keys, charged.points - actual) : charged.status;
      // A clean anonymous GET answer is public (src/graphql/http-caching.ts): a CDN stores it
      // and hands it to everyone, and its ETag is a hash of the body. It is charged like any
      // other, but carries no cost: one caller's bucket must not be served to the next.
      if (event.request.method === 'GET' && viewerOf(event.request)?.customer === null && data != null && !errors?.length) return;
      const cost: CostExtension = { requestedQueryCost: charged.requested, actualQueryCost: actual, throttleStatus: status };
      // A new object: the response cache may hold this very result and its extensions.
      event.setResult({ ...(result as ExecutionResult), extensions: { ...(result as ExecutionResult).extensions, cost } });
    },
  };
}
