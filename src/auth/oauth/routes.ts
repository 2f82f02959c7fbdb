// Vitrine's OAuth 2.0 authorization server over the Fetch API:
//   GET  /.well-known/oauth-authorization-server   RFC 8414 metadata
//   GET  /.well-known/jwks.json                     public signing keys
//   GET|POST /oauth/authorize                       hosted sign-in / sign-up, then code
//   POST /oauth/token                               authorization_code, refresh_token
//   POST /oauth/revoke                              RFC 7009
// Public clients only (PKCE S256 required); see docs/signing-in.md.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Config } from '../../config.js';
import { sha256 } from '../../hash.js';
import type { OAuthClient, PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { authenticateCustomer, normalizeEmail, signUpCustomer } from '../../commerce/customers.js';
import { findActiveClient, matchRedirectUri } from './clients.js';
import {
  ACCESS_TOKEN_TYPE,
  createAuthorizationCode,
  exchangeAuthorizationCode,
  looksLikeRefreshToken,
  OAuthError,
  parseScope,
  refreshGrant,
  revokeFamilyOfClient,
  revokeRefreshToken,
  SUPPORTED_SCOPES,
  type GrantDeps,
} from './grants.js';
import { ACCEPTED_ALGORITHMS, SigningKeyStore } from './keys.js';
import { pageHeaders, renderErrorPage, renderLoginPage, type FieldError, type Screen } from './login-page.js';
import { CODE_CHALLENGE_SHAPE } from './pkce.js';
import { hitBucket, refundBucket } from './rate-limit.js';

export const CLIENT_IP_HEADER = 'x-vitrine-client-ip';

export interface OAuthRoutesDeps {
  config: Config;
  prisma: PrismaClient;
  logger?: Logger;
  /** Share with the access-token verifier of the same process (optional). */
  keys?: SigningKeyStore;
  /** Clock, for tests. */
  now?: () => number;
}

export type OAuthRoutes = (request: Request) => Promise<Response | null>;

/** The authorization request parameters we keep (RFC 6749 §4.1.1, RFC 7636 §4.3). */
const REQUEST_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'prompt', 'login_hint', 'response_mode'] as const;
type RequestParams = Partial<Record<(typeof REQUEST_PARAMS)[number], string>>;

interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  state: string | undefined;
  codeChallenge: string;
  scope: string[];
  prompt: string[];
  loginHint: string | undefined;
  params: RequestParams;
}

type Validation =
  | { kind: 'page'; status: number; title: string; message: string }
  | { kind: 'redirect'; redirectUri: string; state: string | undefined; error: string; description: string }
  | { kind: 'ok'; request: AuthorizationRequest };

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache' };
const CORS_HEADERS = { 'access-control-allow-origin': '*' };
const FORM_TYPE = 'application/x-www-form-urlencoded';

function json(body: unknown, status = 200, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...CORS_HEADERS, ...extra } });
}

function oauthErrorResponse(error: OAuthError, extra: Record<string, string> = {}): Response {
  return json({ error: error.error, error_description: error.description }, error.status, extra);
}

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function parseBase64urlJson(value: string): unknown {
  try {
    return JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(sha256(a), 'hex');
  const y = Buffer.from(sha256(b), 'hex');
  return timingSafeEqual(x, y) && a === b;
}

/** Where a form on our page may be sent after a redirect: the redirect URI's origin or scheme. */
function formActionSource(redirectUri: string): string[] {
  try {
    const url = new URL(redirectUri);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      // Loopback clients may come back on any port. CSP host sources cannot name an IPv6
      // literal, so [::1] gets the scheme alone.
      if (url.hostname === '127.0.0.1') return [`${url.protocol}//${url.hostname}:*`];
      if (url.hostname === '[::1]') return [url.protocol];
      return [url.origin];
    }
    return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) ? [url.protocol] : [];
  } catch {
    return [];
  }
}

/**
 * Reads form parameters, refusing repeated ones (RFC 6749 §3.1, §3.2) and bodies that
 * are not urlencoded. Returns null for a missing or wrong content type.
 */
async function readForm(request: Request): Promise<URLSearchParams | null> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== FORM_TYPE) return null;
  const text = await request.text();
  if (text.length > 64 * 1024) return null;
  return new URLSearchParams(text);
}

function duplicated(params: URLSearchParams, names: readonly string[]): string | null {
  return names.find((name) => params.getAll(name).length > 1) ?? null;
}

function single(params: URLSearchParams, name: string): string | null {
  const value = params.get(name);
  return value === null || value === '' ? null : value;
}

/**
 * The throttling key for a client address: IPv4 as is (also when IPv4-mapped), IPv6 by
 * its /64 prefix, since one subscriber usually holds a whole /64.
 */
export function clientAddressKey(raw: string): string {
  const ip = raw.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip || 'unknown';
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

export function createOAuthRoutes(deps: OAuthRoutesDeps): OAuthRoutes {
  const { config, prisma } = deps;
  const now = deps.now ?? Date.now;
  const keys = deps.keys ?? new SigningKeyStore(prisma, { now });
  const logger = deps.logger;
  const grants: GrantDeps = { config, prisma, keys, now };
  const issuer = config.publicUrl;
  const publicOrigin = new URL(issuer).origin;
  const issuerPath = new URL(issuer).pathname.replace(/\/+$/, '');
  const secure = config.auth.secureCookies;
  const SESSION_COOKIE = secure ? '__Host-vitrine_session' : 'vitrine_session';
  const CSRF_COOKIE = secure ? '__Host-vitrine_csrf' : 'vitrine_csrf';

  function cookie(name: string, value: string, maxAgeSeconds: number): string {
    return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
  }

  const metadata = {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    scopes_supported: [...SUPPORTED_SCOPES],
    authorization_response_iss_parameter_supported: true,
    prompt_values_supported: ['none', 'login'],
    service_documentation: `${issuer}/graphql`,
  };

  // ---------------------------------------------------------------------------
  // Authorization request validation (shared by GET and the form POST)
  // ---------------------------------------------------------------------------

  async function validate(params: RequestParams, duplicate: string | null): Promise<Validation> {
    const clientId = params.client_id;
    if (!clientId) return { kind: 'page', status: 400, title: 'Sign-in request not valid', message: 'The app did not say who it is (client_id is missing).' };
    if (duplicate === 'client_id' || duplicate === 'redirect_uri') {
      return { kind: 'page', status: 400, title: 'Sign-in request not valid', message: `The parameter ${duplicate} was sent more than once.` };
    }
    const client = await findActiveClient(prisma, clientId);
    if (!client) return { kind: 'page', status: 400, title: 'Unknown app', message: 'This app is not registered with the shop, or it has been disabled.' };
    const redirectUri = params.redirect_uri;
    if (!redirectUri) return { kind: 'page', status: 400, title: 'Sign-in request not valid', message: 'The app did not say where to return (redirect_uri is missing).' };
    if (!matchRedirectUri(client.redirectUris, redirectUri)) {
      return { kind: 'page', status: 400, title: 'Sign-in request not valid', message: 'The address the app asked to return to is not registered for it.' };
    }
    // From here on, errors go back to the (verified) redirect URI.
    const state = params.state;
    const fail = (error: string, description: string): Validation => ({ kind: 'redirect', redirectUri, state, error, description });
    if (duplicate) return fail('invalid_request', `The parameter ${duplicate} was sent more than once.`);
    if (!params.response_type) return fail('invalid_request', 'response_type is required.');
    if (params.response_type !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported.');
    if (params.response_mode !== undefined && params.response_mode !== 'query') return fail('invalid_request', 'Only response_mode=query is supported.');
    if (!params.code_challenge) return fail('invalid_request', 'code_challenge is required (PKCE).');
    if (!params.code_challenge_method) return fail('invalid_request', 'code_challenge_method is required and must be S256.');
    if (params.code_challenge_method !== 'S256') return fail('invalid_request', 'Only the S256 code_challenge_method is supported.');
    if (!CODE_CHALLENGE_SHAPE.test(params.code_challenge)) return fail('invalid_request', 'code_challenge must be a base64url SHA-256 digest (43 characters).');
    const scope = parseScope(params.scope);
    if (!scope) return fail('invalid_scope', `Supported scopes: ${SUPPORTED_SCOPES.join(' ')}.`);
    const prompt = (params.prompt ?? '').split(' ').filter(Boolean);
    if (prompt.includes('none') && prompt.length > 1) return fail('invalid_request', 'prompt=none cannot be combined with other values.');
    return {
      kind: 'ok',
      request: { client, redirectUri, state, codeChallenge: params.code_challenge, scope, prompt, loginHint: params.login_hint, params },
    };
  }

  function paramsFrom(search: URLSearchParams): { params: RequestParams; duplicate: string | null } {
    const params: RequestParams = {};
    for (const name of REQUEST_PARAMS) {
      const value = search.get(name);
      if (value !== null && value !== '') params[name] = value;
    }
    return { params, duplicate: duplicated(search, REQUEST_PARAMS) };
  }

  function redirectTo(redirectUri: string, values: Record<string, string | undefined>, status = 302, extraHeaders: HeadersInit = []): Response {
    const target = new URL(redirectUri);
    for (const [name, value] of Object.entries(values)) if (value !== undefined) target.searchParams.append(name, value);
    target.searchParams.append('iss', issuer);
    const headers = new Headers(extraHeaders);
    headers.set('location', target.toString());
    headers.set('cache-control', 'no-store');
    headers.set('referrer-policy', 'no-referrer');
    return new Response(null, { status, headers });
  }

  function errorPage(status: number, title: string, message: string): Response {
    return new Response(renderErrorPage(title, message), { status, headers: pageHeaders() });
  }

  function outcome(validation: Exclude<Validation, { kind: 'ok' }>, status = 302): Response {
    if (validation.kind === 'page') return errorPage(validation.status, validation.title, validation.message);
    return redirectTo(validation.redirectUri, { error: validation.error, error_description: validation.description, state: validation.state }, status);
  }

  // ---------------------------------------------------------------------------
  // Sessions and CSRF
  // ---------------------------------------------------------------------------

  async function sessionCustomer(request: Request): Promise<string | null> {
    const value = parseCookies(request.headers.get('cookie')).get(SESSION_COOKIE);
    if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) return null;
    const session = await prisma.loginSession.findUnique({ where: { tokenHash: sha256(value) }, select: { customerId: true, expiresAt: true } });
    return session && session.expiresAt.getTime() > now() ? session.customerId : null;
  }

  async function startSession(customerId: string): Promise<string> {
    const value = randomBytes(32).toString('base64url');
    await prisma.loginSession.create({
      data: { tokenHash: sha256(value), customerId, expiresAt: new Date(now() + config.auth.loginSessionTtlSeconds * 1000) },
    });
    return cookie(SESSION_COOKIE, value, config.auth.loginSessionTtlSeconds);
  }

  function csrfFor(request: Request): { token: string; setCookie: string | null } {
    const existing = parseCookies(request.headers.get('cookie')).get(CSRF_COOKIE);
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return { token: existing, setCookie: null };
    const token = randomBytes(32).toString('base64url');
    return { token, setCookie: cookie(CSRF_COOKIE, token, 3600) };
  }

  /**
   * Whether the browser says the form came from our own page. Defence in depth on top of
   * the CSRF token: `Sec-Fetch-Site` when sent, else `Origin`. (`Origin: null` happens for
   * privacy-minded referrer settings; the token still has to match.)
   */
  function sameOrigin(request: Request): boolean {
    const site = request.headers.get('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none') return false;
    const origin = request.headers.get('origin');
    return origin === null || origin === publicOrigin || (origin === 'null' && site === 'same-origin');
  }

  // ---------------------------------------------------------------------------
  // Completing an authorization
  // ---------------------------------------------------------------------------

  async function issueCode(authz: AuthorizationRequest, customerId: string, status: number, headers: HeadersInit = []): Promise<Response> {
    const code = await createAuthorizationCode(grants, {
      client: authz.client,
      customerId,
      redirectUri: authz.redirectUri,
      codeChallenge: authz.codeChallenge,
      scope: authz.scope,
    });
    return redirectTo(authz.redirectUri, { code, state: authz.state }, status, headers);
  }

  function page(
    authz: AuthorizationRequest,
    screen: Screen,
    csrf: { token: string; setCookie: string | null },
    status: number,
    extras: { error?: string; fieldErrors?: FieldError[]; email?: string; name?: string; headers?: Record<string, string> } = {},
  ): Response {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(authz.params)) if (value !== undefined) query.set(name, value);
    const html = renderLoginPage({
      screen,
      clientName: authz.client.name,
      request: base64urlJson(authz.params),
      query: query.toString(),
      csrfToken: csrf.token,
      error: extras.error,
      fieldErrors: extras.fieldErrors,
      email: extras.email ?? authz.loginHint,
      name: extras.name,
    });
    const headers = new Headers({ ...pageHeaders(formActionSource(authz.redirectUri)), ...extras.headers });
    if (csrf.setCookie) headers.append('set-cookie', csrf.setCookie);
    return new Response(html, { status, headers });
  }

  async function authorizeGet(request: Request, search: URLSearchParams): Promise<Response> {
    const { params, duplicate } = paramsFrom(search);
    const validation = await validate(params, duplicate);
    if (validation.kind !== 'ok') return outcome(validation);
    const authz = validation.request;
    if (!authz.prompt.includes('login')) {
      const customerId = await sessionCustomer(request);
      if (customerId) return issueCode(authz, customerId, 302);
    }
    if (authz.prompt.includes('none')) {
      return redirectTo(authz.redirectUri, { error: 'login_required', error_description: 'The customer is not signed in.', state: authz.state });
    }
    const screen: Screen = search.get('screen') === 'signup' ? 'signup' : 'signin';
    return page(authz, screen, csrfFor(request), 200);
  }

  async function authorizeSubmit(request: Request, form: URLSearchParams): Promise<Response> {
    const decoded = parseBase64urlJson(form.get('request') ?? '');
    if (!decoded || typeof decoded !== 'object') return errorPage(400, 'Sign-in request not valid', 'The form was damaged. Go back to the app and start again.');
    const params: RequestParams = {};
    for (const name of REQUEST_PARAMS) {
      const value = (decoded as Record<string, unknown>)[name];
      if (typeof value === 'string' && value !== '') params[name] = value;
    }
    const validation = await validate(params, null);
    if (validation.kind !== 'ok') return outcome(validation, 303);
    const authz = validation.request;
    const screen: Screen = form.get('screen') === 'signup' ? 'signup' : 'signin';
    const csrf = csrfFor(request);
    const cookieToken = parseCookies(request.headers.get('cookie')).get(CSRF_COOKIE) ?? '';
    const formToken = form.get('csrf_token') ?? '';
    if (!sameOrigin(request) || !cookieToken || !safeEqual(cookieToken, formToken)) {
      logger?.warn('oauth: sign-in form failed the CSRF check', { client: authz.client.clientId });
      return page(authz, screen, csrf, 403, { error: 'This form expired or was sent from another site. Please try again.' });
    }
    const action = form.get('action');
    if (action === 'cancel') {
      return redirectTo(authz.redirectUri, { error: 'access_denied', error_description: 'The customer cancelled the sign-in.', state: authz.state }, 303);
    }

    const email = (form.get('email') ?? '').slice(0, 300);
    const password = form.get('password') ?? '';
    const name = (form.get('name') ?? '').slice(0, 300);
    const ip = clientAddressKey(request.headers.get(CLIENT_IP_HEADER) ?? '');
    const emailKey = `login:email:${sha256(normalizeEmail(email) ?? email.trim().toLowerCase())}`;
    const ipKey = `login:ip:${ip}`;
    const windowSeconds = config.auth.loginWindowSeconds;
    const [byEmail, byIp] = await Promise.all([hitBucket(prisma, emailKey, windowSeconds, now()), hitBucket(prisma, ipKey, windowSeconds, now())]);
    const limit = config.auth.loginAttemptsPerWindow;
    if (byEmail.count > limit || byIp.count > limit) {
      const resetAt = Math.max(byEmail.count > limit ? byEmail.resetAt.getTime() : 0, byIp.count > limit ? byIp.resetAt.getTime() : 0);
      const retryAfter = Math.max(1, Math.ceil((resetAt - now()) / 1000));
      logger?.warn('oauth: sign-in throttled', { ip, byEmail: byEmail.count, byIp: byIp.count });
      return page(authz, screen, csrf, 429, {
        error: `Too many attempts. Please wait ${Math.ceil(retryAfter / 60)} minute${retryAfter > 60 ? 's' : ''} and try again.`,
        email,
        name,
        headers: { 'retry-after': String(retryAfter) },
      });
    }

    let customerId: string;
    if (screen === 'signup') {
      const result = await signUpCustomer(prisma, { email, password, name });
      if (!result.ok) {
        const fieldErrors = result.errors.map((e) => ({ field: (e.field[0] ?? 'email') as FieldError['field'], message: e.message }));
        return page(authz, 'signup', csrf, 400, { fieldErrors, email, name });
      }
      customerId = result.customer.id;
    } else {
      const customer = await authenticateCustomer(prisma, { email, password });
      if (!customer) {
        // One answer for "no such account" and "wrong password".
        return page(authz, 'signin', csrf, 401, { error: 'Incorrect email or password.', email });
      }
      customerId = customer.id;
    }
    // A successful attempt does not count against the budget.
    await Promise.all([refundBucket(prisma, emailKey), refundBucket(prisma, ipKey)]);
    const sessionCookie = await startSession(customerId);
    return issueCode(authz, customerId, 303, [['set-cookie', sessionCookie]]);
  }

  async function authorize(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === 'GET' || request.method === 'HEAD') return authorizeGet(request, url.searchParams);
    if (request.method !== 'POST') return errorPage(405, 'Method not allowed', 'Use GET or POST.');
    const form = await readForm(request);
    if (!form) return errorPage(415, 'Sign-in request not valid', 'Send the form as application/x-www-form-urlencoded.');
    // A form from our page carries csrf_token; anything else is an authorization request sent by POST.
    if (form.has('csrf_token') || form.has('request')) return authorizeSubmit(request, form);
    return authorizeGet(request, form);
  }

  // ---------------------------------------------------------------------------
  // Token and revocation endpoints
  // ---------------------------------------------------------------------------

  /** Public clients identify themselves with client_id (in the body, or HTTP Basic with an empty secret). */
  async function authenticateClient(request: Request, form: URLSearchParams): Promise<OAuthClient> {
    let clientId = single(form, 'client_id');
    const authorization = request.headers.get('authorization');
    if (authorization) {
      const match = /^Basic +([A-Za-z0-9+/=]+)$/i.exec(authorization);
      const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new OAuthError('invalid_client', 'Unsupported client authentication.', 401);
      const basicId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      if (decoded.slice(colon + 1) !== '') throw new OAuthError('invalid_client', 'Clients here are public: no client secret.', 401);
      if (clientId !== null && clientId !== basicId) throw new OAuthError('invalid_request', 'client_id differs from the Authorization header.');
      clientId = basicId;
    }
    if (!clientId) throw new OAuthError('invalid_client', 'client_id is required.', 401);
    const client = await findActiveClient(prisma, clientId);
    if (!client) throw new OAuthError('invalid_client', 'Unknown or disabled client.', 401);
    return client;
  }

  async function token(request: Request): Promise<Response> {
    if (request.method !== 'POST') return json({ error: 'invalid_request', error_description: 'Use POST.' }, 405, { allow: 'POST' });
    const form = await readForm(request);
    if (!form) return oauthErrorResponse(new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.'));
    const url = new URL(request.url);
    try {
      if ([...url.searchParams.keys()].some((k) => ['code', 'code_verifier', 'refresh_token', 'client_id'].includes(k))) {
        throw new OAuthError('invalid_request', 'Send parameters in the request body, not the URL.');
      }
      const dup = duplicated(form, ['grant_type', 'code', 'redirect_uri', 'client_id', 'code_verifier', 'refresh_token', 'scope']);
      if (dup) throw new OAuthError('invalid_request', `The parameter ${dup} was sent more than once.`);
      const grantType = single(form, 'grant_type');
      if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required.');
      if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
        throw new OAuthError('unsupported_grant_type', 'Supported grant types: authorization_code, refresh_token.');
      }
      const client = await authenticateClient(request, form);
      let body: Awaited<ReturnType<typeof refreshGrant>>;
      if (grantType === 'authorization_code') {
        const code = single(form, 'code');
        if (!code) throw new OAuthError('invalid_request', 'code is required.');
        body = await exchangeAuthorizationCode(grants, { client, code, redirectUri: single(form, 'redirect_uri'), codeVerifier: single(form, 'code_verifier') });
      } else {
        const refreshToken = single(form, 'refresh_token');
        if (!refreshToken) throw new OAuthError('invalid_request', 'refresh_token is required.');
        body = await refreshGrant(grants, { client, refreshToken, scope: form.has('scope') ? (form.get('scope') ?? '') : null });
      }
      return json(body);
    } catch (error) {
      if (error instanceof OAuthError) {
        if (error.error === 'invalid_grant') logger?.info('oauth: token request refused', { description: error.description });
        return oauthErrorResponse(error, error.status === 401 && request.headers.has('authorization') ? { 'www-authenticate': 'Basic realm="vitrine"' } : {});
      }
      throw error;
    }
  }

  /** Verifies one of our access tokens ignoring expiry (a client may revoke an expired token). */
  async function accessTokenFamily(value: string): Promise<{ familyId: string } | null> {
    try {
      const header = decodeProtectedHeader(value);
      if (typeof header.kid !== 'string' || header.typ !== ACCESS_TOKEN_TYPE) return null;
      const key = await keys.verificationKey(header.kid);
      if (!key) return null;
      const { payload } = await jwtVerify(value, key, {
        algorithms: [...ACCEPTED_ALGORITHMS],
        issuer,
        audience: config.auth.audience,
        typ: ACCESS_TOKEN_TYPE,
        currentDate: new Date(now()),
        clockTolerance: 7 * 24 * 3600,
      });
      const sid = payload.sid;
      return typeof sid === 'string' && /^[0-9a-f-]{36}$/i.test(sid) ? { familyId: sid } : null;
    } catch {
      return null;
    }
  }

  async function revoke(request: Request): Promise<Response> {
    if (request.method !== 'POST') return json({ error: 'invalid_request', error_description: 'Use POST.' }, 405, { allow: 'POST' });
    const form = await readForm(request);
    if (!form) return oauthErrorResponse(new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.'));
    try {
      const dup = duplicated(form, ['token', 'token_type_hint', 'client_id']);
      if (dup) throw new OAuthError('invalid_request', `The parameter ${dup} was sent more than once.`);
      const value = single(form, 'token');
      if (!value) throw new OAuthError('invalid_request', 'token is required.');
      const client = await authenticateClient(request, form);
      if (looksLikeRefreshToken(value)) {
        await revokeRefreshToken(grants, { client, token: value });
      } else if (value.split('.').length === 3) {
        const claims = safeDecode(value);
        const found = claims ? await accessTokenFamily(value) : null;
        if (found) await revokeFamilyOfClient(grants, { client, familyId: found.familyId });
      }
      return new Response(null, { status: 200, headers: { 'cache-control': 'no-store', pragma: 'no-cache', ...CORS_HEADERS } });
    } catch (error) {
      if (error instanceof OAuthError) return oauthErrorResponse(error);
      throw error;
    }
  }

  function safeDecode(value: string): Record<string, unknown> | null {
    try {
      return decodeJwt(value);
    } catch {
      return null;
    }
  }

  function preflight(methods: string): Response {
    return new Response(null, {
      status: 204,
      headers: {
        ...CORS_HEADERS,
        'access-control-allow-methods': methods,
        'access-control-allow-headers': 'content-type, accept, authorization',
        'access-control-max-age': '86400',
      },
    });
  }

  const METADATA_PATHS = new Set(['/.well-known/oauth-authorization-server', `/.well-known/oauth-authorization-server${issuerPath}`]);

  return async (request) => {
    const { pathname } = new URL(request.url);
    if (METADATA_PATHS.has(pathname)) {
      if (request.method === 'OPTIONS') return preflight('GET');
      if (request.method !== 'GET' && request.method !== 'HEAD') return json({ error: 'invalid_request' }, 405, { allow: 'GET' });
      return json(metadata, 200, { 'cache-control': 'public, max-age=300' });
    }
    if (pathname === '/.well-known/jwks.json') {
      if (request.method === 'OPTIONS') return preflight('GET');
      if (request.method !== 'GET' && request.method !== 'HEAD') return json({ error: 'invalid_request' }, 405, { allow: 'GET' });
      // Short caching: a rotation must be visible well within an access token's lifetime.
      return new Response(JSON.stringify(await keys.jwks()), {
        headers: { 'content-type': 'application/jwk-set+json; charset=utf-8', 'cache-control': 'public, max-age=60', ...CORS_HEADERS },
      });
    }
    if (pathname === '/oauth/authorize') return authorize(request);
    if (pathname === '/oauth/token') return request.method === 'OPTIONS' ? preflight('POST') : token(request);
    if (pathname === '/oauth/revoke') return request.method === 'OPTIONS' ? preflight('POST') : revoke(request);
    return null;
  };
}
