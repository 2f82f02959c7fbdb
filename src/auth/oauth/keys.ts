// JWT signing keys (ES256), kept in the database so every API process signs and verifies
// with the same set. The newest key that is not retired signs; retired keys stay published
// in the JWKS (and accepted) until `expiresAt`, which rotation sets past the lifetime of
// the last token they could have signed. Private halves are encrypted at rest
// (./key-encryption.ts); `vitrine keys revoke` ends a key's tokens in every process within
// the verifying-key cache's short TTL.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Config } from '../../config.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { isEncryptedJwk, keyEncryption, type KeyEncryption } from './key-encryption.js';

export const SIGNING_ALG = 'ES256';
/** The only algorithms a Vitrine access token may carry (RFC 8725 §3.1). */
export const ACCEPTED_ALGORITHMS: readonly string[] = [SIGNING_ALG];

/** Any id Postgres' advisory locks accept; names "signing key creation/rotation". */
const KEY_LOCK = 736_201_017;
const KID_SHAPE = /^[A-Za-z0-9_-]{1,128}$/;
/** Extra time a retired key stays published beyond the access-token lifetime (clock skew, caches). */
const RETIREMENT_MARGIN_MS = 90_000;
/** An unknown kid is not looked up again for this long. */
const MISS_CACHE_MS = 10_000;
const MAX_CACHED_KIDS = 1000;

interface KeyOptions {
  accessTokenTtlSeconds: number;
  encryption: KeyEncryption;
  now?: () => number;
}

async function newKeyRow(encryption: KeyEncryption) {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const meta = { kid, alg: SIGNING_ALG, use: 'sig' };
  const privateJwk = await encryption.encrypt({ ...(await exportJWK(privateKey)), ...meta }, kid);
  return { id: kid, alg: SIGNING_ALG, publicJwk: { ...publicJwk, ...meta }, privateJwk: { ...privateJwk } };
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

async function lock(tx: Tx): Promise<void> {
  // Serializes key creation between processes sharing the database; released at commit.
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${KEY_LOCK})`);
}

const CURRENT = { where: { retiredAt: null }, orderBy: [{ createdAt: 'desc' as const }, { id: 'desc' as const }], select: { id: true } };

/**
 * The current signing key's id, creating the first key if there is none. Safe when many
 * processes start at once: creation happens under a transaction-scoped advisory lock, and
 * whoever gets the lock second finds the first one's key.
 */
export async function ensureSigningKey(prisma: PrismaClient, encryption: KeyEncryption): Promise<string> {
  const existing = await prisma.signingKey.findFirst(CURRENT);
  if (existing) return existing.id;
  const row = await newKeyRow(encryption);
  return prisma.$transaction(async (tx) => {
    await lock(tx);
    const again = await tx.signingKey.findFirst(CURRENT);
    if (again) return again.id;
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
  const row = await newKeyRow(options.encryption);
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

/**
 * `vitrine keys revoke <kid>`: the key stops signing and verifying now (a compromised key).
 * Its tokens are refused by every process once its cached copy of the key expires (a few
 * seconds). When it was the signing key, a new one takes over in the same transaction.
 * Returns null when there is no such key.
 */
export async function revokeSigningKey(
  prisma: PrismaClient,
  kid: string,
  options: Omit<KeyOptions, 'accessTokenTtlSeconds'>,
): Promise<{ kid: string; replacedBy: string | null } | null> {
  const now = new Date((options.now ?? Date.now)());
  const replacement = await newKeyRow(options.encryption);
  return prisma.$transaction(async (tx) => {
    await lock(tx);
    const key = await tx.signingKey.findUnique({ where: { id: kid }, select: { id: true, retiredAt: true } });
    if (!key) return null;
    await tx.signingKey.update({ where: { id: kid }, data: { retiredAt: key.retiredAt ?? now, expiresAt: now } });
    if (key.retiredAt !== null || (await tx.signingKey.count({ where: { retiredAt: null } })) > 0) return { kid, replacedBy: null };
    await tx.signingKey.create({ data: replacement });
    return { kid, replacedBy: replacement.id };
  });
}

/** Encrypts private keys still stored in the clear (rows from before encryption at rest). */
export async function encryptPlaintextKeys(prisma: PrismaClient, encryption: KeyEncryption): Promise<number> {
  const rows = await prisma.signingKey.findMany({ select: { id: true, privateJwk: true } });
  let count = 0;
  for (const row of rows) {
    if (isEncryptedJwk(row.privateJwk)) continue;
    const encrypted = await encryption.encrypt(row.privateJwk as JWK, row.id);
    await prisma.signingKey.update({ where: { id: row.id }, data: { privateJwk: { ...encrypted } } });
    count++;
  }
  return count;
}

export interface SigningKeySummary {
  kid: string;
  alg: string;
  createdAt: Date;
  retiredAt: Date | null;
  expiresAt: Date | null;
}

export async function listSigningKeys(prisma: PrismaClient): Promise<SigningKeySummary[]> {
  const rows = await prisma.signingKey.findMany({
    orderBy: { createdAt: 'asc' },
    select: { id: true, alg: true, createdAt: true, retiredAt: true, expiresAt: true },
  });
  return rows.map(({ id, ...rest }) => ({ kid: id, ...rest }));
}

function publicOnly(jwk: JWK, kid: string, alg: string): JWK {
  // Copy only public members, whatever the stored JSON holds.
  const { kty, crv, x, y } = jwk;
  return { kty, crv, x, y, kid, alg, use: 'sig' };
}

export interface SigningKeyStoreOptions {
  encryption: KeyEncryption;
  now?: () => number;
  /** How long a verification key is trusted before its row is read again (revocation). */
  verifyCacheTtlMs?: number;
  /** How long the signing key is used before the current one is read again (rotation). */
  signingCacheTtlMs?: number;
}

type Verifying = { key: CryptoKey; expiresAt: number | null };

/**
 * Per-process view of the keys: the signing key (re-read after a short while, so a
 * rotation or revocation made by another process is picked up) and verification keys by
 * kid in an LRU cache with a short TTL (re-read, so a revocation takes effect within
 * seconds); an unknown kid is looked up in the database, and a miss is remembered briefly.
 */
export class SigningKeyStore {
  private signing: { kid: string; key: CryptoKey; loadedAt: number } | null = null;
  private signingLoad: Promise<{ kid: string; key: CryptoKey }> | null = null;
  private plaintextChecked = false;
  private readonly verifying: LRUCache<string, Verifying>;
  private readonly misses: LRUCache<string, true>;
  private readonly now: () => number;
  private readonly encryption: KeyEncryption;
  private readonly signingCacheTtlMs: number;

  constructor(
    private readonly prisma: PrismaClient,
    options: SigningKeyStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.encryption = options.encryption;
    this.signingCacheTtlMs = options.signingCacheTtlMs ?? 5000;
    const perf = { now: () => this.now() };
    // ttlResolution 0: read the clock on every check (tests move it).
    this.verifying = new LRUCache({ max: MAX_CACHED_KIDS, ttl: options.verifyCacheTtlMs ?? 5000, ttlResolution: 0, perf });
    this.misses = new LRUCache({ max: MAX_CACHED_KIDS, ttl: MISS_CACHE_MS, ttlResolution: 0, perf });
  }

  async signingKey(): Promise<{ kid: string; key: CryptoKey }> {
    const cached = this.signing;
    if (cached && this.now() - cached.loadedAt < this.signingCacheTtlMs) return cached;
    this.signingLoad ??= this.loadSigningKey().finally(() => {
      this.signingLoad = null;
    });
    return this.signingLoad;
  }

  private async loadSigningKey(): Promise<{ kid: string; key: CryptoKey }> {
    if (!this.plaintextChecked) {
      await encryptPlaintextKeys(this.prisma, this.encryption);
      this.plaintextChecked = true;
    }
    const kid = await ensureSigningKey(this.prisma, this.encryption);
    const row = await this.prisma.signingKey.findUniqueOrThrow({ where: { id: kid } });
    const jwk = isEncryptedJwk(row.privateJwk) ? await this.encryption.decrypt(row.privateJwk, row.id) : (row.privateJwk as JWK);
    const key = (await importJWK(jwk, row.alg)) as CryptoKey;
    this.signing = { kid, key, loadedAt: this.now() };
    return this.signing;
  }

  /** The public key for a kid, or null when it is unknown, not ours, revoked or no longer valid. */
  async verificationKey(kid: string): Promise<CryptoKey | null> {
    if (!KID_SHAPE.test(kid)) return null;
    let entry = this.verifying.get(kid);
    if (!entry) {
      if (this.misses.has(kid)) return null;
      const row = await this.prisma.signingKey.findUnique({
        where: { id: kid },
        select: { id: true, alg: true, publicJwk: true, expiresAt: true },
      });
      if (!row || !ACCEPTED_ALGORITHMS.includes(row.alg)) {
        this.misses.set(kid, true);
        return null;
      }
      const key = (await importJWK(publicOnly(row.publicJwk as JWK, row.id, row.alg), row.alg)) as CryptoKey;
      entry = { key, expiresAt: row.expiresAt?.getTime() ?? null };
      this.verifying.set(kid, entry);
    }
    if (entry.expiresAt !== null && entry.expiresAt <= this.now()) return null;
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

/** The store for a configuration: its key encryption and cache lifetimes. */
export function signingKeyStore(prisma: PrismaClient, config: Pick<Config, 'signingKeys'>, now?: () => number): SigningKeyStore {
  const { verifyCacheTtlMs, signingCacheTtlMs } = config.signingKeys;
  return new SigningKeyStore(prisma, { encryption: keyEncryption(config), now, verifyCacheTtlMs, signingCacheTtlMs });
}
