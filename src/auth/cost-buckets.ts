// Rate limits by query cost: every GraphQL request spends points from two buckets, one per
// storefront token and one per buyer (client address), and is refused when either cannot
// pay. Buckets live in rate-limiter-flexible limiters: RateLimiterRedis when a Redis client
// is given (every process shares one bucket per key), RateLimiterMemory otherwise.
//
// rate-limiter-flexible counts in fixed windows, not in a leaky bucket: a bucket of
// `maximumAvailable` points refills completely every ceil(maximumAvailable / restoreRate)
// seconds, which restores `restoreRate` points a second on average. The request is charged
// its requested cost up front and refunded what it did not use afterwards.
import { isIP } from 'node:net';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { StorefrontTokenKind } from '../generated/prisma/client.js';
import { clientAddressKey } from './client-address.js';

/** The header a private (server-side) storefront token uses to name the shopper it serves. */
export const BUYER_IP_HEADER = 'vitrine-buyer-ip';

export interface BucketLimits {
  /** Points a full bucket holds; the most one request may cost. */
  maximumAvailable: number;
  /** Points restored per second, on average. */
  restoreRate: number;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export type BucketName = 'token' | 'buyer';

export interface BucketKeys {
  /** The storefront token's id. */
  token: string;
  /** The buyer's address key (IPv4, or an IPv6 /64). */
  buyer: string;
}

export type ChargeResult =
  | { allowed: true; points: number; status: ThrottleStatus }
  | { allowed: false; points: number; status: ThrottleStatus; bucket: BucketName; retryAfterSeconds: number };

/** How long one window of a bucket lasts: the time a full refill takes, whole seconds. */
export function windowSeconds(limits: BucketLimits): number {
  return Math.max(1, Math.ceil(limits.maximumAvailable / limits.restoreRate));
}

/**
 * The buyer a request is charged to. Public tokens are always charged to the client
 * address; a private token may name its shopper with Vitrine-Buyer-IP (an SSR server
 * serving many shoppers from one address). Returns an error message for a header the
 * request may not send or that is not an IP address.
 */
export function buyerAddress(
  kind: StorefrontTokenKind,
  clientAddress: string,
  buyerIpHeader: string | null,
): { key: string } | { error: string } {
  if (buyerIpHeader === null) return { key: clientAddressKey(clientAddress) };
  if (kind !== 'PRIVATE') return { error: 'The Vitrine-Buyer-IP header is accepted only with a private storefront token.' };
  const ip = buyerIpHeader.trim();
  if (!isIP(ip)) return { error: 'The Vitrine-Buyer-IP header must be one IPv4 or IPv6 address.' };
  return { key: clientAddressKey(ip) };
}

function isRes(value: unknown): value is RateLimiterRes {
  return value instanceof RateLimiterRes;
}

export interface CostBucketsOptions {
  token: BucketLimits;
  buyer: BucketLimits;
  /** Share the buckets through Redis; in memory (this process only) without. */
  redis?: Redis;
  /** Key prefix in Redis. */
  prefix?: string;
}

export class CostBuckets {
  private readonly limiters: Record<BucketName, RateLimiterAbstract>;
  private readonly limits: Record<BucketName, BucketLimits>;

  constructor(options: CostBucketsOptions) {
    this.limits = { token: options.token, buyer: options.buyer };
    const make = (name: BucketName): RateLimiterAbstract => {
      const limits = this.limits[name];
      const base = {
        points: limits.maximumAvailable,
        duration: windowSeconds(limits),
        keyPrefix: `${options.prefix ?? 'vitrine:cost'}:${name}`,
      };
      if (!options.redis) return new RateLimiterMemory(base);
      // When Redis cannot answer, each process keeps limiting on its own until it is back.
      return new RateLimiterRedis({
        ...base,
        storeClient: options.redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(base),
      });
    };
    this.limiters = { token: make('token'), buyer: make('buyer') };
  }

  private status(name: BucketName, res: RateLimiterRes): ThrottleStatus {
    const { maximumAvailable, restoreRate } = this.limits[name];
    const currentlyAvailable = Math.min(maximumAvailable, Math.max(0, res.remainingPoints));
    return { maximumAvailable, currentlyAvailable, restoreRate };
  }

  /** The tighter of the two buckets (the smaller share left). */
  private tighter(token: RateLimiterRes, buyer: RateLimiterRes): ThrottleStatus {
    const a = this.status('token', token);
    const b = this.status('buyer', buyer);
    return a.currentlyAvailable / a.maximumAvailable < b.currentlyAvailable / b.maximumAvailable ? a : b;
  }

  /**
   * Spends `points` from both buckets, or from neither: a refused charge is given back,
   * so a request too expensive for what is left does not block cheaper ones.
   */
  async charge(keys: BucketKeys, points: number): Promise<ChargeResult> {
    const cost = Math.max(1, Math.ceil(points));
    const [token, buyer] = await Promise.allSettled([
      this.limiters.token.consume(keys.token, cost),
      this.limiters.buyer.consume(keys.buyer, cost),
    ]);
    for (const outcome of [token, buyer]) if (outcome.status === 'rejected' && !isRes(outcome.reason)) throw outcome.reason;
    const tokenRes = (token.status === 'fulfilled' ? token.value : token.reason) as RateLimiterRes;
    const buyerRes = (buyer.status === 'fulfilled' ? buyer.value : buyer.reason) as RateLimiterRes;
    if (token.status === 'fulfilled' && buyer.status === 'fulfilled') {
      return { allowed: true, points: cost, status: this.tighter(tokenRes, buyerRes) };
    }
    // Fixed windows count refused points too: give both back.
    const [tokenBack, buyerBack] = await Promise.all([
      this.limiters.token.reward(keys.token, cost),
      this.limiters.buyer.reward(keys.buyer, cost),
    ]);
    const bucket: BucketName = buyer.status === 'rejected' ? 'buyer' : 'token';
    const refused = bucket === 'buyer' ? buyerRes : tokenRes;
    return {
      allowed: false,
      points: cost,
      bucket,
      status: this.status(bucket, bucket === 'buyer' ? buyerBack : tokenBack),
      retryAfterSeconds: Math.max(1, Math.ceil(refused.msBeforeNext / 1000)),
    };
  }

  /** Gives back `points` of an allowed charge (what the request did not use). */
  async refund(keys: BucketKeys, points: number): Promise<ThrottleStatus> {
    const [token, buyer] = await Promise.all([
      this.limiters.token.reward(keys.token, points),
      this.limiters.buyer.reward(keys.buyer, points),
    ]);
    return this.tighter(token, buyer);
  }
}
