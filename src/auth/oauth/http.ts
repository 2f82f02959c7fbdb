// What the OAuth endpoints share over HTTP: the dependencies they run with, JSON and
// RFC 6749 error answers, form parsing that refuses repeated parameters, CORS preflights
// and the redirect back to a client.
import type { Context } from 'hono';
import type { Config } from '../../config.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import type { Mailer } from '../mailer.js';
import { OAuthError, type GrantDeps } from './grants.js';
import type { SigningKeyStore } from './keys.js';
import { pageHeaders, renderErrorPage } from './login-page.js';

/** Everything an endpoint module needs, built once by createOAuthRoutes. */
export interface OAuthContext {
  config: Config;
  prisma: PrismaClient;
  keys: SigningKeyStore;
  logger: Logger | undefined;
  mailer: Mailer;
  now: () => number;
  grants: GrantDeps;
  /** The issuer (PUBLIC_URL), its origin, and its path without trailing slash. */
  issuer: string;
  publicOrigin: string;
  issuerPath: string;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache' };
export const CORS_HEADERS = { 'access-control-allow-origin': '*' };
const FORM_TYPE = 'application/x-www-form-urlencoded';
/** OAuth forms are small; anything larger is refused before it is parsed. */
const MAX_FORM_BYTES = 64 * 1024;

export function json(c: Context, body: unknown, status = 200, extra: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(body), status as 200, { ...JSON_HEADERS, ...CORS_HEADERS, ...extra });
}

export function oauthErrorResponse(c: Context, error: OAuthError, extra: Record<string, string> = {}): Response {
  return json(c, { error: error.error, error_description: error.description }, error.status, extra);
}

export function methodNotAllowed(c: Context, allow: string): Response {
  return json(c, { error: 'invalid_request', error_description: `Use ${allow}.` }, 405, { allow });
}

/**
 * Reads form parameters from a urlencoded body. Returns null for a missing or wrong
 * content type, or a body over the size limit.
 */
export async function readForm(request: Request): Promise<URLSearchParams | null> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== FORM_TYPE) return null;
  const text = await request.text();
  if (text.length > MAX_FORM_BYTES) return null;
  return new URLSearchParams(text);
}

/** The first of `names` that occurs more than once (RFC 6749 §3.1, §3.2), or null. */
export function duplicated(params: URLSearchParams, names: readonly string[]): string | null {
  return names.find((name) => params.getAll(name).length > 1) ?? null;
}

/** A parameter's value; absent and empty are the same (RFC 6749 §3.1). */
export function single(params: URLSearchParams, name: string): string | null {
  const value = params.get(name);
  return value === null || value === '' ? null : value;
}

export function preflight(c: Context, methods: string): Response {
  return c.body(null, 204, {
    ...CORS_HEADERS,
    'access-control-allow-methods': methods,
    'access-control-allow-headers': 'content-type, accept, authorization',
    'access-control-max-age': '86400',
  });
}

export function errorPage(c: Context, status: number, title: string, message: string): Response {
  return c.body(renderErrorPage(title, message), status as 400, pageHeaders());
}

/**
 * A redirect to a client's (verified) redirect URI with `values` added, and `iss` too
 * (RFC 9207) unless `issuer` is null.
 */
export function redirectTo(
  c: Context,
  issuer: string | null,
  redirectUri: string,
  values: Record<string, string | undefined>,
  status = 302,
): Response {
  const target = new URL(redirectUri);
  for (const [name, value] of Object.entries(values)) if (value !== undefined) target.searchParams.append(name, value);
  if (issuer !== null) target.searchParams.append('iss', issuer);
  return c.body(null, status as 302, { location: target.toString(), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
}
