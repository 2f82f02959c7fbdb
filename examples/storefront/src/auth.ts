// Sign-in with Vitrine's hosted page: OAuth 2.0 Authorization Code + PKCE (S256).
// The verifier and state wait in sessionStorage during the redirect; the tokens stay in
// sessionStorage too (this tab only), and are refreshed a minute before they expire.
import { API, CLIENT_ID, REDIRECT_URI, SIGNED_OUT_URI } from './config.ts';

interface Tokens {
  access_token: string;
  refresh_token: string;
  expiresAt: number;
}

const TOKENS = 'vitrine.tokens';
const PKCE = 'vitrine.pkce';
const listeners = new Set<() => void>();
let refreshing: Promise<string | null> | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;

const b64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function load(): Tokens | null {
  return JSON.parse(sessionStorage.getItem(TOKENS) ?? 'null') as Tokens | null;
}

function save(tokens: Tokens | null): void {
  clearTimeout(timer);
  if (tokens) {
    sessionStorage.setItem(TOKENS, JSON.stringify(tokens));
    timer = setTimeout(() => void refreshNow().catch(() => signOutHere()), Math.max(0, tokens.expiresAt - Date.now() - 60_000));
  } else sessionStorage.removeItem(TOKENS);
  listeners.forEach((listener) => listener());
}

export const isSignedIn = () => load() !== null;
export const onAuthChange = (listener: () => void) => listeners.add(listener);

async function tokenRequest(body: Record<string, string>): Promise<Tokens> {
  const response = await fetch(`${API}/oauth/token`, { method: 'POST', body: new URLSearchParams(body) });
  const json = (await response.json()) as { access_token: string; refresh_token: string; expires_in: number; error_description?: string };
  if (!response.ok) throw new Error(json.error_description ?? 'Sign-in failed');
  return { access_token: json.access_token, refresh_token: json.refresh_token, expiresAt: Date.now() + json.expires_in * 1000 };
}

export async function signIn(): Promise<void> {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state, back: location.pathname }));
  const url = new URL('/oauth/authorize', API);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: 'customer',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url);
}

/** On /callback: checks state and iss (RFC 9207), trades the code; returns where to go back to. */
export async function completeSignIn(params: URLSearchParams): Promise<string> {
  const saved = JSON.parse(sessionStorage.getItem(PKCE) ?? '{}') as { verifier?: string; state?: string; back?: string };
  sessionStorage.removeItem(PKCE);
  if (!saved.state || params.get('state') !== saved.state) throw new Error('This sign-in link is stale. Please sign in again.');
  if (params.get('iss') !== API) throw new Error('The sign-in answer came from an unexpected issuer.');
  const error = params.get('error');
  if (error) throw new Error(error === 'access_denied' ? 'Sign-in was cancelled.' : (params.get('error_description') ?? error));
  save(
    await tokenRequest({
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
      code_verifier: saved.verifier ?? '',
    }),
  );
  return saved.back ?? '/';
}

/** A new access token from the refresh token (rotated: the new one replaces it). One at a time. */
export function refreshNow(): Promise<string | null> {
  const tokens = load();
  if (!tokens) return Promise.resolve(null);
  refreshing ??= tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: CLIENT_ID })
    .then((fresh) => (save(fresh), fresh.access_token))
    .finally(() => (refreshing = null));
  return refreshing;
}

export async function accessToken(): Promise<string | null> {
  const tokens = load();
  if (!tokens) return null;
  return tokens.expiresAt - Date.now() < 30_000 ? refreshNow() : tokens.access_token;
}

/** Forgets the tokens in this tab (after a refused refresh). */
export function signOutHere(): void {
  save(null);
}

/** Revokes the sign-in, then ends the hosted session, which redirects back to the shop. */
export async function signOut(): Promise<void> {
  const tokens = load();
  if (tokens) {
    const body = new URLSearchParams({ token: tokens.refresh_token, token_type_hint: 'refresh_token', client_id: CLIENT_ID });
    await fetch(`${API}/oauth/revoke`, { method: 'POST', body }).catch(() => undefined);
  }
  save(null);
  const url = new URL('/oauth/logout', API);
  url.search = new URLSearchParams({ client_id: CLIENT_ID, post_logout_redirect_uri: SIGNED_OUT_URI }).toString();
  location.assign(url);
}

/** After a reload: schedule the refresh of tokens kept from before. */
export function resumeSession(): void {
  const tokens = load();
  if (tokens) save(tokens);
}
