// What Vitrine's configuration holds, section by section, with what each setting means.
// src/config.ts reads it from the environment (the only place that does).
import type { CurrencyCode } from './commerce/money.js';

export type DatabaseConfig =
  | { kind: 'pglite'; /** Folder of the embedded database; null = in memory. */ dataDir: string | null }
  | {
      kind: 'postgres';
      url: string;
      poolMax: number;
      /** DATABASE_PREPARED_STATEMENTS (default true): name Prisma's statements so PostgreSQL parses and plans them once per connection (off behind a transaction-mode pooler). */
      preparedStatements?: boolean;
      /** DATABASE_REPLICA_URL: a read replica for anonymous reads. */ replicaUrl?: string;
    };

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Public base URL of this server; the OAuth issuer. No trailing slash. */
  publicUrl: string;
  database: DatabaseConfig;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  graphql: {
    graphiql: boolean;
    introspection: boolean;
    /** Largest `first`/`last` a connection accepts. */
    maxPageSize: number;
    defaultPageSize: number;
    /** Deepest selection, scalar leaves included. */
    maxDepth: number;
    /** Most field selections in a document, each fragment spread counted again. */
    maxBreadth: number;
    maxAliases: number;
    maxTokens: number;
    /** Highest query cost (see src/graphql/complexity.ts). */
    maxCost: number;
    /** Anonymous catalog responses are reused for this long; 0 turns the cache off. */
    responseCacheTtlMs: number;
    /** Memory the response cache may hold, in bytes (all entries together). */
    responseCacheMaxBytes: number;
    /** Largest single answer the response cache keeps, in bytes. */
    responseCacheMaxEntryBytes: number;
    /** Requests whose document and variables are larger than this are not cached. */
    responseCacheMaxInputBytes: number;
    /** Longest string a document literal or a variable may hold (characters). */
    maxStringLength: number;
    /** Key of the HMAC on list cursors (CURSOR_SECRET); processes behind one load balancer share it. */
    cursorSecret: string;
    /** Persisted documents (src/graphql/persisted-documents.ts). */
    persistedDocuments: PersistedDocumentsConfig;
  };
  http: {
    /** Origins allowed to call the API from a browser; ['*'] for any. */
    corsOrigins: string[];
    /** Largest request body accepted by POST /graphql, in bytes. */
    maxGraphQLBodyBytes: number;
    /** Largest body accepted by every other endpoint (the OAuth forms), in bytes. */
    maxFormBodyBytes: number;
    /** Send Strict-Transport-Security (when the public URL is https). */
    hsts: boolean;
    /** How long a storefront token's verification is reused, in milliseconds. */
    storefrontTokenCacheTtlMs: number;
    /** Anonymous `GET /graphql` answers: `Cache-Control: public, max-age, stale-while-revalidate` (seconds). */
    publicCache: { maxAgeSeconds: number; staleWhileRevalidateSeconds: number };
  };
  auth: {
    /** Audience of the access tokens this server issues and accepts. */
    audience: string;
    accessTokenTtlSeconds: number;
    authorizationCodeTtlSeconds: number;
    refreshIdleTtlSeconds: number;
    refreshAbsoluteTtlSeconds: number;
    loginSessionTtlSeconds: number;
    /** Failed sign-ins allowed per email and per client address in one window. */
    loginAttemptsPerWindow: number;
    loginWindowSeconds: number;
    /** Browser cookies get `Secure` when the public URL is https. */
    secureCookies: boolean;
    /** Sign-ups allowed per client address in one window; successes count too. */
    signupsPerWindow: number;
    signupWindowSeconds: number;
    /** Password hashes (scrypt) computed at once; more wait their turn. */
    passwordHashConcurrency: number;
    /** Proxies in front of us whose X-Forwarded-For entries are believed; 0 = none (TRUST_PROXY). */
    trustProxyHops: number;
    /** Lifetime of a "forgot your password" link. */
    passwordResetTtlSeconds: number;
    /** Reset links asked for per email and per client address in one window. */
    passwordResetsPerWindow: number;
    passwordResetWindowSeconds: number;
  };
  signingKeys: {
    /** KEY_ENCRYPTION_SECRET: encrypts the private signing keys at rest; null = use (or create) `secretFile`. */
    encryptionSecret: string | null;
    /** Where a generated secret is kept when none is configured (beside the embedded database). */
    secretFile: string;
    /** How long a process trusts a verification key it read (a revocation takes effect within this). */
    verifyCacheTtlMs: number;
    /** How long a process signs with the key it last read (a rotation or revocation elsewhere waits this out). */
    signingCacheTtlMs: number;
  };
  mail: {
    /** SMTP server (smtp://user:pass@host:port, smtps://…); required in production. */
    smtpUrl: string | null;
    from: string;
    /** Without SMTP (development, tests), messages are logged and written here as .eml files. */
    outboxDir: string;
  };
  commerce: {
    /** Largest quantity of one cart line. */
    maxLineQuantity: number;
    /** Most lines a cart may have. */
    maxCartLines: number;
    /** How long a checkout or cart change waits for its transaction to start, and may run. */
    checkoutMaxWaitMs: number;
    checkoutTimeoutMs: number;
  };
  /** Seed the demo catalog into an empty embedded database on start. */
  seedDemoOnEmpty: boolean;
  lifecycle: {
    /** WEB_CONCURRENCY: worker processes `npm start` runs (node:cluster); 1 = no cluster. */
    workers: number;
    /** After SIGTERM, /ready answers 503 for this long while requests are still accepted (load balancers notice). */
    shutdownDelayMs: number;
    /** Longest wait for in-flight requests once no new ones are accepted; then connections are cut. */
    shutdownTimeoutMs: number;
    /** How often the service purges expired OAuth rows itself; 0 = never (cron `vitrine oauth purge`). */
    housekeepingIntervalMs: number;
  };
  /** What `shop` answers: the shop's name and the currency it prices in. */
  shop: { name: string; currencyCode: CurrencyCode };
  search: SearchLimits;
  /** Cost-based rate limits (src/auth/cost-buckets.ts); off in tests unless asked for. */
  rateLimit: RateLimitConfig;
  /** REDIS_URL: shared state for many processes (rate-limit buckets); null = in memory. */
  redisUrl: string | null;
  /** METRICS_TOKEN: bearer secret of GET /metrics; null = no /metrics. */
  metricsToken: string | null;
}

export interface RateLimitConfig {
  enabled: boolean;
  /** One bucket per storefront token (all its shoppers together). */
  token: { maximumAvailable: number; restoreRate: number };
  /** One bucket per buyer: the client address, or Vitrine-Buyer-IP from a private token. */
  buyer: { maximumAvailable: number; restoreRate: number };
}

export interface PersistedDocumentsConfig {
  /**
   * `automatic`: any document, plus automatic persisted queries (APQ); `required`: only the
   * documents of the manifest; `off`: neither hashes nor registrations.
   */
  mode: 'automatic' | 'required' | 'off';
  /** JSON file of sha256 hash -> document; required in `required` mode. */
  manifestPath: string | null;
  /** Bounds of the APQ store (registered documents), in entries and in bytes. */
  maxEntries: number;
  maxBytes: number;
}

export interface SearchLimits {
  /** Longest `query` accepted (characters); longer ones are a user error. */
  maxQueryLength: number;
  /** Most words a query may have; longer ones are a user error. */
  maxQueryWords: number;
  /** Most products, collections and suggestions predictiveSearch returns per type. */
  maxPredictiveResults: number;
  /** Most values a LIST facet (vendors, tags, option values...) shows. */
  maxFacetValues: number;
}
