// The one place that reads the environment. Everything else receives a Config.
import path from 'node:path';

export type DatabaseConfig =
  | { kind: 'pglite'; /** Folder of the embedded database; null = in memory. */ dataDir: string | null }
  | { kind: 'postgres'; url: string; poolMax: number };

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
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxCost: number;
    /** Anonymous catalog responses are reused for this long; 0 turns the cache off. */
    responseCacheTtlMs: number;
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
  };
  /** Seed the demo catalog into an empty embedded database on start. */
  seedDemoOnEmpty: boolean;
  search: SearchLimits;
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

/** Where the embedded database lives unless PGLITE_DIR says otherwise. */
export const DEFAULT_PGLITE_DIR = '.data/pglite';

export function databaseFromEnv(env: Env = process.env, cwd = process.cwd()): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
    }
    return { kind: 'postgres', url, poolMax: int(env, 'DATABASE_POOL_MAX', 10, 1) };
  }
  const dir = env.PGLITE_DIR?.trim() || DEFAULT_PGLITE_DIR;
  return { kind: 'pglite', dataDir: dir === 'memory://' ? null : path.resolve(cwd, dir) };
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
  const database = databaseFromEnv(env);
  const logLevel = (env.LOG_LEVEL?.trim() || (nodeEnv === 'test' ? 'silent' : 'info')) as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of debug, info, warn, error, silent`);
  }
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
      maxPageSize: 250,
      defaultPageSize: 20,
      maxDepth: int(env, 'GRAPHQL_MAX_DEPTH', 10, 1),
      maxAliases: int(env, 'GRAPHQL_MAX_ALIASES', 30, 1),
      maxTokens: int(env, 'GRAPHQL_MAX_TOKENS', 2000, 1),
      maxCost: int(env, 'GRAPHQL_MAX_COST', 10000, 1),
      // Off in tests unless a test asks for it: they read their own writes at once.
      responseCacheTtlMs: int(env, 'RESPONSE_CACHE_TTL_MS', nodeEnv === 'test' ? 0 : 3000, 0),
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
    },
    seedDemoOnEmpty: database.kind === 'pglite' && bool(env, 'SEED_DEMO', true),
    search: { maxQueryLength: 256, maxQueryWords: 10, maxPredictiveResults: 10, maxFacetValues: 50 },
  };
}
