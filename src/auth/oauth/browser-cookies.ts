// The hosted pages' cookies, through Hono's cookie helpers: the sign-in session and the
// CSRF token (double submit), `__Host-` prefixed and Secure when the issuer is https.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256 } from '../../hash.js';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../../config.js';

const SESSION = 'vitrine_session';
const CSRF = 'vitrine_csrf';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const CSRF_TTL_SECONDS = 3600;

export interface BrowserCookies {
  session(c: Context): string | undefined;
  setSession(c: Context, token: string): void;
  clearSession(c: Context): void;
  /** The CSRF token for the page about to be shown; sets the cookie when the browser has none. */
  csrfToken(c: Context): string;
  /** Whether a submitted form carries the token of the browser's cookie. */
  csrfMatches(c: Context, formToken: string): boolean;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(sha256(a), 'hex');
  const y = Buffer.from(sha256(b), 'hex');
  return timingSafeEqual(x, y) && a === b;
}

export function browserCookies(config: Config): BrowserCookies {
  const secure = config.auth.secureCookies;
  const prefix = secure ? ('host' as const) : undefined;
  const options = (maxAge: number) => ({ path: '/', httpOnly: true, sameSite: 'Lax' as const, maxAge, secure, prefix });
  const read = (c: Context, name: string) => {
    const value = getCookie(c, name, prefix);
    return value && TOKEN_SHAPE.test(value) ? value : undefined;
  };
  return {
    session: (c) => read(c, SESSION),
    setSession: (c, token) => setCookie(c, SESSION, token, options(config.auth.loginSessionTtlSeconds)),
    clearSession: (c) => {
      deleteCookie(c, SESSION, options(0));
    },
    csrfToken(c) {
      const existing = read(c, CSRF);
      if (existing) return existing;
      const token = randomBytes(32).toString('base64url');
      setCookie(c, CSRF, token, options(CSRF_TTL_SECONDS));
      return token;
    },
    csrfMatches(c, formToken) {
      const cookie = read(c, CSRF) ?? '';
      return cookie !== '' && safeEqual(cookie, formToken);
    },
  };
}

/**
 * Whether the browser says the form came from our own page. Defence in depth on top of
 * the CSRF token: `Sec-Fetch-Site` when sent, else `Origin`. (`Origin: null` happens for
 * privacy-minded referrer settings; the token still has to match.)
 */
export function sameOrigin(request: Request, publicOrigin: string): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.get('origin');
  return origin === null || origin === publicOrigin || (origin === 'null' && site === 'same-origin');
}
