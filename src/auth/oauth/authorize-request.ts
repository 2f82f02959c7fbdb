// The authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3): which parameters we keep,
// and the checks that decide between an error page (unknown client, unregistered
// redirect URI: never redirect), an error sent back to the client, or a valid request.
import type { OAuthClient, PrismaClient } from '../../generated/prisma/client.js';
import { findActiveClient, matchRedirectUri } from './clients.js';
import { parseScope, SUPPORTED_SCOPES } from './grants.js';
import { CODE_CHALLENGE_SHAPE } from './pkce.js';

export const REQUEST_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'login_hint',
  'response_mode',
] as const;
export type RequestParams = Partial<Record<(typeof REQUEST_PARAMS)[number], string>>;

export interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  state: string | undefined;
  codeChallenge: string;
  scope: string[];
  prompt: string[];
  loginHint: string | undefined;
  params: RequestParams;
}

export type Validation =
  | {
      kind: 'page';
      status: number;
      title: string;
      message: string;
      /** An unregistered address the request asked for. */ refusedRedirectUri?: string;
    }
  | { kind: 'redirect'; redirectUri: string; state: string | undefined; error: string; description: string }
  | { kind: 'ok'; request: AuthorizationRequest };

/** The request parameters in a query string or form, and the first one repeated (or null). */
export function paramsFrom(search: URLSearchParams): { params: RequestParams; duplicate: string | null } {
  const params: RequestParams = {};
  for (const name of REQUEST_PARAMS) {
    const value = search.get(name);
    if (value !== null && value !== '') params[name] = value;
  }
  return { params, duplicate: REQUEST_PARAMS.find((name) => search.getAll(name).length > 1) ?? null };
}

/** The request parameters carried through our own form as one base64url JSON field, or null when damaged. */
export function paramsFromCarried(carried: string): RequestParams | null {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(carried, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!decoded || typeof decoded !== 'object') return null;
  const params: RequestParams = {};
  for (const name of REQUEST_PARAMS) {
    const value = (decoded as Record<string, unknown>)[name];
    if (typeof value === 'string' && value !== '') params[name] = value;
  }
  return params;
}

export function carryParams(params: RequestParams): string {
  return Buffer.from(JSON.stringify(params)).toString('base64url');
}

const NOT_VALID = 'Sign-in request not valid';

export async function validateAuthorizationRequest(
  prisma: PrismaClient,
  params: RequestParams,
  duplicate: string | null,
): Promise<Validation> {
  const clientId = params.client_id;
  if (!clientId) return { kind: 'page', status: 400, title: NOT_VALID, message: 'The app did not say who it is (client_id is missing).' };
  if (duplicate === 'client_id' || duplicate === 'redirect_uri') {
    return { kind: 'page', status: 400, title: NOT_VALID, message: `The parameter ${duplicate} was sent more than once.` };
  }
  const client = await findActiveClient(prisma, clientId);
  if (!client)
    return {
      kind: 'page',
      status: 400,
      title: 'Unknown app',
      message: 'This app is not registered with the shop, or it has been disabled.',
    };
  const redirectUri = params.redirect_uri;
  if (!redirectUri)
    return { kind: 'page', status: 400, title: NOT_VALID, message: 'The app did not say where to return (redirect_uri is missing).' };
  if (!matchRedirectUri(client.redirectUris, redirectUri)) {
    return {
      kind: 'page',
      status: 400,
      title: NOT_VALID,
      message: `The address the app asked to return to is not registered for it: ${redirectUri.slice(0, 500)}`,
      refusedRedirectUri: redirectUri,
    };
  }
  // From here on, errors go back to the (verified) redirect URI.
  const state = params.state;
  const fail = (error: string, description: string): Validation => ({ kind: 'redirect', redirectUri, state, error, description });
  if (duplicate) return fail('invalid_request', `The parameter ${duplicate} was sent more than once.`);
  if (!params.response_type) return fail('invalid_request', 'response_type is required.');
  if (params.response_type !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported.');
  if (params.response_mode !== undefined && params.response_mode !== 'query')
    return fail('invalid_request', 'Only response_mode=query is supported.');
  if (!params.code_challenge) return fail('invalid_request', 'code_challenge is required (PKCE).');
  if (!params.code_challenge_method) return fail('invalid_request', 'code_challenge_method is required and must be S256.');
  if (params.code_challenge_method !== 'S256') return fail('invalid_request', 'Only the S256 code_challenge_method is supported.');
  if (!CODE_CHALLENGE_SHAPE.test(params.code_challenge))
    return fail('invalid_request', 'code_challenge must be a base64url SHA-256 digest (43 characters).');
  const scope = parseScope(params.scope);
  if (!scope) return fail('invalid_scope', `Supported scopes: ${SUPPORTED_SCOPES.join(' ')}.`);
  const prompt = (params.prompt ?? '').split(' ').filter(Boolean);
  if (prompt.includes('none') && prompt.length > 1) return fail('invalid_request', 'prompt=none cannot be combined with other values.');
  return {
    kind: 'ok',
    request: { client, redirectUri, state, codeChallenge: params.code_challenge, scope, prompt, loginHint: params.login_hint, params },
  };
}

/** Where a form on our page may be sent after a redirect: the redirect URI's origin or scheme. */
export function formActionSource(redirectUri: string): string[] {
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
