// Storefront access tokens: one per app (web storefront, mobile app, SSR server).
// The token is shown once at creation; only its SHA-256 is stored.
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { sha256 } from '../hash.js';
import type { PrismaClient, StorefrontToken, StorefrontTokenKind } from '../generated/prisma/client.js';

/** Public tokens start with `vst_`, private (server-side) ones with `vsp_`. */
const PREFIX: Record<StorefrontTokenKind, string> = { PUBLIC: 'vst_', PRIVATE: 'vsp_' };
const TOKEN_SHAPE = /^vs[tp]_[A-Za-z0-9_-]{43}$/;

export interface StorefrontPrincipal {
  id: string;
  name: string;
  kind: StorefrontTokenKind;
}

export function hashToken(token: string): string {
  return sha256(token);
}

export async function createStorefrontToken(
  prisma: PrismaClient,
  input: { name: string; kind?: StorefrontTokenKind },
): Promise<{ token: string; record: StorefrontToken }> {
  const name = input.name.trim();
  if (!name || name.length > 100) throw new Error('A token name of 1 to 100 characters is required');
  const kind = input.kind ?? 'PUBLIC';
  const token = PREFIX[kind] + randomBytes(32).toString('base64url');
  const record = await prisma.storefrontToken.create({
    data: { name, kind, tokenHash: hashToken(token), prefix: token.slice(0, 10) },
  });
  return { token, record };
}

export function listStorefrontTokens(prisma: PrismaClient): Promise<StorefrontToken[]> {
  return prisma.storefrontToken.findMany({ orderBy: { createdAt: 'asc' } });
}

/** Revokes by id or by the displayed prefix; returns false when nothing matched. */
export async function revokeStorefrontToken(prisma: PrismaClient, idOrPrefix: string): Promise<boolean> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrPrefix);
  const { count } = await prisma.storefrontToken.updateMany({
    where: { ...(isUuid ? { id: idOrPrefix } : { prefix: idOrPrefix }), revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count > 0;
}

/**
 * Resolves request tokens to storefronts. A small LRU cache keeps hot tokens from costing
 * a query per request; entries live a few seconds so a revocation takes effect
 * everywhere quickly, also in other API processes. Unknown tokens are cached too (as
 * null), and the cache is bounded, so a flood of made-up tokens cannot grow it.
 */
export class StorefrontTokenVerifier {
  private readonly cache: LRUCache<string, { principal: StorefrontPrincipal | null }>;

  constructor(
    private readonly prisma: PrismaClient,
    ttlMs = 5_000,
    now?: () => number,
    maxEntries = 10_000,
  ) {
    this.cache = new LRUCache({ max: maxEntries, ttl: ttlMs, ...(now ? { perf: { now }, ttlResolution: 0 } : {}) });
  }

  async verify(token: string | null | undefined): Promise<StorefrontPrincipal | null> {
    if (!token || !TOKEN_SHAPE.test(token)) return null;
    const hash = hashToken(token);
    const hit = this.cache.get(hash);
    if (hit) return hit.principal;
    const row = await this.prisma.storefrontToken.findUnique({
      where: { tokenHash: hash },
      select: { id: true, name: true, kind: true, revokedAt: true },
    });
    const principal = row && !row.revokedAt ? { id: row.id, name: row.name, kind: row.kind } : null;
    this.cache.set(hash, { principal });
    return principal;
  }

  /** Forget cached answers (after a revocation in this process). */
  clear(): void {
    this.cache.clear();
  }
}
