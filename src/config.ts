// The one place that reads the environment. Everything else receives a Config.
import path from 'node:path';
import { CURRENCY_CODES, isCurrencyCode } from './commerce/money.js';
import type { Config, DatabaseConfig, PersistedDocumentsConfig, RateLimitConfig } from './config-shape.js';

export type { Config, DatabaseConfig, PersistedDocumentsConfig, RateLimitConfig, SearchLimits } from './config-shape.js';

/**
 * Page sizes of every connection (`first`/`last` cap and default). Fixed rather than read
 * from the environment: the schema, built once per process, bakes them in.
 */
export const PAGE_SIZES = { max: 250, default: 20 } as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

/** CORS_ORIGINS: `*` (the default) or a comma-separated list of exact origins. */
function corsOrigins(raw: string | undefined): string[] {
  const list = (raw ?? '*')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  if (list.length === 0 || list.includes('*')) return ['*'];
  for (const origin of list) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      // reported below
    }
    if (!parsed || parsed.origin !== origin)
      throw new ConfigError(`CORS_ORIGINS must list origins such as https://shop.example, got "${origin}"`);
  }
  return list;
}

/** TRUST_PROXY: off (default), or the number of proxy hops in front of us (`true` means 1). */
function trustProxy(env: Env): number {
  const raw = env.TRUST_PROXY?.trim().toLowerCase();
  if (!raw || ['0', 'false', 'off', 'no'].includes(raw)) return 0;
  if (['true', 'on', 'yes'].includes(raw)) return 1;
  const hops = Number(raw);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10)
    throw new ConfigError(`TRUST_PROXY must be off or a number of proxy hops (1-10), got "${env.TRUST_PROXY}"`);
  return hops;
}

/** The key-encryption secret of NODE_ENV=test when none is set: fixed, public, for tests only. */
export const TEST_KEY_ENCRYPTION_SECRET = 'vitrine-test-only-key-encryption-secret-0000';

/** Where mail goes without SMTP_URL (development, tests) unless MAIL_OUTBOX_DIR says otherwise. */
export const DEFAULT_MAIL_OUTBOX_DIR = '.data/mail';

/** Where the embedded database lives unless PGLITE_DIR says otherwise. */
export const DEFAULT_PGLITE_DIR = '.data/pglite';

export function databaseFromEnv(env: Env = process.env, cwd = process.cwd()): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
    }
    const replicaUrl = env.DATABASE_REPLICA_URL?.trim() || undefined;
    if (replicaUrl && !/^postgres(ql)?:\/\//.test(replicaUrl)) {
      throw new ConfigError('DATABASE_REPLICA_URL must be a postgres:// or postgresql:// URL');
    }
    return {
      kind: 'postgres',
      url,
      poolMax: int(env, 'DATABASE_POOL_MAX', 10, 1),
      preparedStatements: bool(env, 'DATABASE_PREPARED_STATEMENTS', true),
      ...(replicaUrl ? { replicaUrl } : {}),
    };
  }
  if (env.DATABASE_REPLICA_URL?.trim()) throw new ConfigError('DATABASE_REPLICA_URL needs DATABASE_URL (a PostgreSQL primary)');
  const dir = env.PGLITE_DIR?.trim() || DEFAULT_PGLITE_DIR;
  return { kind: 'pglite', dataDir: dir === 'memory://' ? null : path.resolve(cwd, dir) };
}

/** Outside production a built-in key will do: cursors are then tamper-evident, not tamper-proof. */
export const DEVELOPMENT_CURSOR_SECRET = 'vitrine-cursors';

function cursorSecret(env: Env, nodeEnv: Config['env']): string {
  const secret = env.CURSOR_SECRET?.trim();
  if (!secret) {
    if (nodeEnv === 'production')
      throw new ConfigError('CURSOR_SECRET is required in production (the HMAC key of list cursors; e.g. `openssl rand -base64 32`)');
    return DEVELOPMENT_CURSOR_SECRET;
  }
  if (nodeEnv === 'production' && secret.length < 32) throw new ConfigError('CURSOR_SECRET must be at least 32 characters in production');
  return secret;
}

function persistedDocuments(env: Env): PersistedDocumentsConfig {
  const mode = env.PERSISTED_DOCUMENTS?.trim().toLowerCase() || 'automatic';
  if (mode !== 'automatic' && mode !== 'required' && mode !== 'off')
    throw new ConfigError(`PERSISTED_DOCUMENTS must be automatic, required or off, got "${env.PERSISTED_DOCUMENTS}"`);
  const manifest = env.PERSISTED_DOCUMENTS_MANIFEST?.trim();
  if (mode === 'required' && !manifest)
    throw new ConfigError('PERSISTED_DOCUMENTS=required needs PERSISTED_DOCUMENTS_MANIFEST (a JSON file of hash -> document)');
  return {
    mode,
    manifestPath: manifest ? path.resolve(manifest) : null,
    maxEntries: int(env, 'PERSISTED_QUERIES_MAX_ENTRIES', 5000, 1),
    maxBytes: int(env, 'PERSISTED_QUERIES_MAX_BYTES', 8 * 1024 * 1024, 1024),
  };
}

/** RATE_LIMIT_*: each bucket must hold at least one query of the highest allowed cost. */
function rateLimit(env: Env, nodeEnv: Config['env'], maxCost: number): RateLimitConfig {
  const bucket = (name: 'TOKEN' | 'BUYER', max: number, restore: number) => {
    const maximumAvailable = int(env, `RATE_LIMIT_${name}_MAX`, max, 1);
    const restoreRate = int(env, `RATE_LIMIT_${name}_RESTORE_RATE`, restore, 1);
    if (maximumAvailable < maxCost)
      throw new ConfigError(`RATE_LIMIT_${name}_MAX (${maximumAvailable}) must be at least GRAPHQL_MAX_COST (${maxCost})`);
    return { maximumAvailable, restoreRate };
  };
  return {
    enabled: bool(env, 'RATE_LIMIT', nodeEnv !== 'test'),
    token: bucket('TOKEN', 200_000, 20_000),
    buyer: bucket('BUYER', 20_000, 1_000),
  };
}

function redisUrl(env: Env): string | null {
  const url = env.REDIS_URL?.trim();
  if (!url) return null;
  if (!/^rediss?:\/\//.test(url)) throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
  return url;
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const host = env.HOST?.trim() || '127.0.0.1';
  const port = int(env, 'PORT', 4000);
  if (port > 65535) throw new ConfigError('PORT must be at most 65535');
  const publicUrl = (env.PUBLIC_URL?.trim() || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  try {
    const u = new URL(publicUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    if (u.search || u.hash) throw new Error();
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an http(s) URL without query or fragment, got "${publicUrl}"`);
  }
  const production = nodeEnv === 'production';
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('SMTP_URL must be an smtp:// or smtps:// URL');
  if (production && !smtpUrl) throw new ConfigError('SMTP_URL is required in production (password-reset emails)');
  // Tests get a fixed secret; development generates one into .data/ (see signingKeys.secretFile).
  const encryptionSecret = env.KEY_ENCRYPTION_SECRET?.trim() || (nodeEnv === 'test' ? TEST_KEY_ENCRYPTION_SECRET : null);
  if (encryptionSecret !== null && encryptionSecret.length < 32)
    throw new ConfigError('KEY_ENCRYPTION_SECRET must be at least 32 characters (e.g. `openssl rand -base64 32`)');
  if (production && !encryptionSecret)
    throw new ConfigError('KEY_ENCRYPTION_SECRET is required in production (encrypts the signing keys at rest)');
  const currencyCode = env.SHOP_CURRENCY?.trim() || 'USD';
  if (!isCurrencyCode(currencyCode)) throw new ConfigError(`SHOP_CURRENCY must be one of ${CURRENCY_CODES.join(', ')}`);
  const database = databaseFromEnv(env);
  const workers = int(env, 'WEB_CONCURRENCY', 1, 1);
  if (workers > 1 && database.kind === 'pglite')
    throw new ConfigError(
      `WEB_CONCURRENCY=${workers} needs DATABASE_URL: the embedded database (PGlite) can be opened by one process only. ` +
        'Use PostgreSQL for several workers, or WEB_CONCURRENCY=1.',
    );
  const logLevel = (env.LOG_LEVEL?.trim() || (nodeEnv === 'test' ? 'silent' : 'info')) as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of debug, info, warn, error, silent`);
  }
  const maxCost = int(env, 'GRAPHQL_MAX_COST', 10000, 1);
  const metricsToken = env.METRICS_TOKEN?.trim() || null;
  if (metricsToken !== null && metricsToken.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters');
  return {
    env: nodeEnv,
    host,
    port,
    publicUrl,
    database,
    logLevel,
    graphql: {
      graphiql: bool(env, 'GRAPHIQL', !production),
      introspection: bool(env, 'INTROSPECTION', !production),
      maxPageSize: PAGE_SIZES.max,
      defaultPageSize: PAGE_SIZES.default,
      maxDepth: int(env, 'GRAPHQL_MAX_DEPTH', 10, 1),
      maxBreadth: int(env, 'GRAPHQL_MAX_BREADTH', 1000, 1),
      maxAliases: int(env, 'GRAPHQL_MAX_ALIASES', 30, 1),
      maxTokens: int(env, 'GRAPHQL_MAX_TOKENS', 2000, 1),
      maxCost,
      // Off in tests unless a test asks for it: they read their own writes at once.
      responseCacheTtlMs: int(env, 'RESPONSE_CACHE_TTL_MS', nodeEnv === 'test' ? 0 : 3000, 0),
      responseCacheMaxBytes: int(env, 'RESPONSE_CACHE_MAX_BYTES', 64 * 1024 * 1024, 0),
      responseCacheMaxEntryBytes: 1024 * 1024,
      responseCacheMaxInputBytes: 16 * 1024,
      maxStringLength: int(env, 'GRAPHQL_MAX_STRING_LENGTH', 10_000, 1),
      // Without it the HMAC is a checksum: cursors hold only sort values and an ID, every
      // value is checked on the way in, so a forged cursor can only page oddly, never leak.
      cursorSecret: cursorSecret(env, nodeEnv),
      persistedDocuments: persistedDocuments(env),
    },
    http: {
      corsOrigins: corsOrigins(env.CORS_ORIGINS),
      maxGraphQLBodyBytes: int(env, 'GRAPHQL_MAX_BODY_BYTES', 1024 * 1024, 1024),
      maxFormBodyBytes: int(env, 'FORM_MAX_BODY_BYTES', 64 * 1024, 1024),
      hsts: publicUrl.startsWith('https:'),
      storefrontTokenCacheTtlMs: int(env, 'STOREFRONT_TOKEN_CACHE_TTL_MS', 5_000, 1),
      publicCache: {
        maxAgeSeconds: int(env, 'PUBLIC_CACHE_MAX_AGE_SECONDS', 5, 0),
        staleWhileRevalidateSeconds: int(env, 'PUBLIC_CACHE_STALE_WHILE_REVALIDATE_SECONDS', 25, 0),
      },
    },
    auth: {
      audience: env.OAUTH_AUDIENCE?.trim() || `${publicUrl}/graphql`,
      accessTokenTtlSeconds: 15 * 60,
      authorizationCodeTtlSeconds: 60,
      refreshIdleTtlSeconds: int(env, 'REFRESH_IDLE_TTL_SECONDS', 14 * 24 * 3600, 60),
      refreshAbsoluteTtlSeconds: int(env, 'REFRESH_ABSOLUTE_TTL_SECONDS', 90 * 24 * 3600, 60),
      loginSessionTtlSeconds: int(env, 'LOGIN_SESSION_TTL_SECONDS', 7 * 24 * 3600, 60),
      loginAttemptsPerWindow: int(env, 'LOGIN_ATTEMPTS_PER_WINDOW', 10, 1),
      loginWindowSeconds: int(env, 'LOGIN_WINDOW_SECONDS', 15 * 60, 1),
      secureCookies: publicUrl.startsWith('https:'),
      signupsPerWindow: int(env, 'SIGNUPS_PER_WINDOW', 10, 1),
      signupWindowSeconds: int(env, 'SIGNUP_WINDOW_SECONDS', 3600, 1),
      passwordHashConcurrency: int(env, 'PASSWORD_HASH_CONCURRENCY', 2, 1),
      trustProxyHops: trustProxy(env),
      passwordResetTtlSeconds: int(env, 'PASSWORD_RESET_TTL_SECONDS', 30 * 60, 60),
      passwordResetsPerWindow: int(env, 'PASSWORD_RESETS_PER_WINDOW', 5, 1),
      passwordResetWindowSeconds: int(env, 'PASSWORD_RESET_WINDOW_SECONDS', 3600, 1),
    },
    signingKeys: {
      encryptionSecret,
      secretFile: path.join(
        database.kind === 'pglite' && database.dataDir ? path.dirname(database.dataDir) : path.resolve('.data'),
        'key-encryption-secret',
      ),
      verifyCacheTtlMs: int(env, 'KEY_CACHE_TTL_MS', 5000, 1),
      signingCacheTtlMs: int(env, 'SIGNING_KEY_CACHE_TTL_MS', 5000, 1),
    },
    mail: {
      smtpUrl,
      from: env.MAIL_FROM?.trim() || `Vitrine <no-reply@${new URL(publicUrl).hostname}>`,
      outboxDir: path.resolve(env.MAIL_OUTBOX_DIR?.trim() || DEFAULT_MAIL_OUTBOX_DIR),
    },
    commerce: {
      maxLineQuantity: int(env, 'CART_MAX_LINE_QUANTITY', 100, 1),
      maxCartLines: Math.min(int(env, 'CART_MAX_LINES', 250, 1), 250),
      checkoutMaxWaitMs: int(env, 'CHECKOUT_MAX_WAIT_MS', 20_000, 100),
      checkoutTimeoutMs: int(env, 'CHECKOUT_TIMEOUT_MS', 30_000, 100),
    },
    lifecycle: {
      workers,
      shutdownDelayMs: int(env, 'SHUTDOWN_DELAY_MS', 0, 0),
      shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0),
      housekeepingIntervalMs: int(env, 'HOUSEKEEPING_INTERVAL_MS', 3_600_000, 0),
    },
    seedDemoOnEmpty: database.kind === 'pglite' && bool(env, 'SEED_DEMO', true),
    shop: { name: env.SHOP_NAME?.trim() || 'Vitrine Demo Shop', currencyCode },
    search: { maxQueryLength: 256, maxQueryWords: 10, maxPredictiveResults: 10, maxFacetValues: 50 },
    rateLimit: rateLimit(env, nodeEnv, maxCost),
    redisUrl: redisUrl(env),
    metricsToken,
  };
}
