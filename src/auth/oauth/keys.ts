// JWT signing keys (ES256), kept in the database so every API process signs and verifies
// with the same set. The newest key that is not retired signs; retired keys stay published
// in the JWKS (and accepted) until `expiresAt`, which rotation sets past the lifetime of
// the last token they could have signed.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { PrismaClient } from '../../generated/prisma/client.js';

export const SIGNING_ALG = 'ES256';
/** The only algorithms a Vitrine access token may carry (RFC 8725 §3.1). */
export const ACCEPTED_ALGORITHMS: readonly string[] = [SIGNING_ALG];

/** Any id Postgres' advisory locks accept; names "signing key creation/rotation". */
const KEY_LOCK = 736_201_017;
const KID_SHAPE = /^[A-Za-z0-9_-]{1,128}$/;
/** How long a process signs with the key it last read; rotation waits this out too. */
export const SIGNING_KEY_CACHE_MS = 30_000;
/** Extra time a retired key stays published beyond the access-token lifetime (clock skew, caches). */
const RETIREMENT_MARGIN_MS = SIGNING_KEY_CACHE_MS + 60_000;

interface KeyOptions {
  accessTokenTtlSeconds: number;
  now?: () => number;
}

async function newKeyRow(): Promise<{ id: string; alg: string; publicJwk: JWK; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const meta = { kid, alg: SIGNING_ALG, use: 'sig' };
  return { id: kid, alg: SIGNING_ALG, publicJwk: { ...publicJwk, ...meta }, privateJwk: { ...(await exportJWK(privateKey)), ...meta } };
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

async function lock(tx: Tx): Promise<void> {
  // Serializes key creation between processes sharing the database; released at commit.
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${KEY_LOCK})`);
}

/**
 * The current signing key's id, creating the first key if there is none. Safe when many
 * processes start at once: creation happens under a transaction-scoped advisory lock, and
 * whoever gets the lock second finds the first one's key.
 */
export async function ensureSigningKey(prisma: PrismaClient): Promise<string> {
  const existing = await prisma.signingKey.findFirst({ where: { retiredAt: null }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } });
  if (existing) return existing.id;
  return prisma.$transaction(async (tx) => {
    await lock(tx);
    const again = await tx.signingKey.findFirst({ where: { retiredAt: null }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } });
    if (again) return again.id;
    const row = await newKeyRow();
    await tx.signingKey.create({ data: row });
    return row.id;
  });
}

/**
 * `vitrine keys rotate`: adds a new signing key and retires the others. Retired keys keep
 * verifying and stay in the JWKS until every token they signed has expired.
 */
export async function rotateSigningKeys(prisma: PrismaClient, options: KeyOptions): Promise<{ kid: string; retired: string[] }> {
  const now = new Date((options.now ?? Date.now)());
  const expiresAt = new Date(now.getTime() + options.accessTokenTtlSeconds * 1000 + RETIREMENT_MARGIN_MS);
  const row = await newKeyRow();
  return prisma.$transaction(async (tx) => {
    await lock(tx);
    const active = await tx.signingKey.findMany({ where: { retiredAt: null }, select: { id: true } });
    await tx.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: now, expiresAt } });
    // Keys that stopped being published long ago are of no use to anyone.
    await tx.signingKey.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 24 * 3600 * 1000) } } });
    await tx.signingKey.create({ data: row });
    return { kid: row.id, retired: active.map((k) => k.id) };
  });
}

export interface SigningKeySummary {
  kid: string;
  alg: string;
  createdAt: Date;
  retiredAt: Date | null;
  expiresAt: Date | null;
}

export async function listSigningKeys(prisma: PrismaClient): Promise<SigningKeySummary[]> {
  const rows = await prisma.signingKey.findMany({ orderBy: { createdAt: 'asc' }, select: { id: true, alg: true, createdAt: true, retiredAt: true, expiresAt: true } });
  return rows.map(({ id, ...rest }) => ({ kid: id, ...rest }));
}

function publicOnly(jwk: JWK, kid: string, alg: string): JWK {
  // Copy only public members, whatever the stored JSON holds.
  const { kty, crv, x, y } = jwk;
  return { kty, crv, x, y, kid, alg, use: 'sig' };
}

/**
 * Per-process view of the keys: the signing key (re-read every 30 s, so a rotation made by
 * another process is picked up) and verification keys by kid (cached once imported; an
 * unknown kid is looked up in the database, and a miss is remembered briefly).
 */
export class SigningKeyStore {
  private signing: { kid: string; key: CryptoKey; loadedAt: number } | null = null;
  private signingLoad: Promise<{ kid: string; key: CryptoKey }> | null = null;
  private readonly verifying = new Map<string, { key: CryptoKey; expiresAt: number | null; loadedAt: number }>();
  private readonly misses = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly prisma: PrismaClient,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  async signingKey(): Promise<{ kid: string; key: CryptoKey }> {
    const cached = this.signing;
    if (cached && this.now() - cached.loadedAt < SIGNING_KEY_CACHE_MS) return cached;
    this.signingLoad ??= this.loadSigningKey().finally(() => {
      this.signingLoad = null;
    });
    return this.signingLoad;
  }

  private async loadSigningKey(): Promise<{ kid: string; key: CryptoKey }> {
    const kid = await ensureSigningKey(this.prisma);
    const row = await this.prisma.signingKey.findUniqueOrThrow({ where: { id: kid } });
    const key = (await importJWK(row.privateJwk as JWK, row.alg)) as CryptoKey;
    this.signing = { kid, key, loadedAt: this.now() };
    return this.signing;
  }

  /** The public key for a kid, or null when it is unknown, not ours or no longer valid. */
  async verificationKey(kid: string): Promise<CryptoKey | null> {
    if (!KID_SHAPE.test(kid)) return null;
    const now = this.now();
    let entry = this.verifying.get(kid);
    // Re-read a cached key now and then: a rotation elsewhere may have set its expiry.
    if (!entry || now - entry.loadedAt > 5 * 60_000) {
      const missedAt = this.misses.get(kid);
      if (!entry && missedAt !== undefined && now - missedAt < 10_000) return null;
      const row = await this.prisma.signingKey.findUnique({ where: { id: kid } });
      if (!row || !ACCEPTED_ALGORITHMS.includes(row.alg)) {
        this.verifying.delete(kid);
        if (this.misses.size > 1000) this.misses.clear();
        this.misses.set(kid, now);
        return null;
      }
      const key = (await importJWK(publicOnly(row.publicJwk as JWK, row.id, row.alg), row.alg)) as CryptoKey;
      entry = { key, expiresAt: row.expiresAt?.getTime() ?? null, loadedAt: now };
      this.verifying.set(kid, entry);
      this.misses.delete(kid);
    }
    if (entry.expiresAt !== null && entry.expiresAt <= now) return null;
    return entry.key;
  }

  /** The JWKS document: public halves of every key not yet past its expiry. */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.signingKey(); // publish a key before the first token needs it
    const rows = await this.prisma.signingKey.findMany({
      where: { OR: [{ expiresAt: null }, { expiresAt: { gt: new Date(this.now()) } }] },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return { keys: rows.map((row) => publicOnly(row.publicJwk as JWK, row.id, row.alg)) };
  }

  /** Forget everything cached (tests; after `keys rotate` in this process). */
  clear(): void {
    this.signing = null;
    this.verifying.clear();
    this.misses.clear();
  }
}
