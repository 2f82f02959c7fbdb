// Shared pieces of the OAuth tests: a database, a config, a client, a customer, PKCE
// pairs, and a tiny cookie-keeping "browser" for the hosted sign-in page.
import { randomBytes } from 'node:crypto';
import { sha256 } from '../../src/hash.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { createTestDatabase } from './db.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { createOAuthClient } from '../../src/auth/oauth/clients.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { createOAuthRoutes, type OAuthRoutesDeps } from '../../src/auth/oauth/routes.js';
import { keyEncryption } from '../../src/auth/oauth/key-encryption.js';

export const ISSUER = 'http://vitrine.test';
export const SPA_REDIRECT = 'https://shop.example/callback';

/** A migrated database for one test file (PGlite, or PostgreSQL when DATABASE_URL is set). */
export function oauthTestDatabase(): Promise<Database> {
  return createTestDatabase();
}

export function oauthTestConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', PUBLIC_URL: ISSUER, LOG_LEVEL: 'silent', ...env });
}

export async function registerClient(prisma: PrismaClient, redirectUris: string[] = [SPA_REDIRECT], name = 'Test Shop') {
  return createOAuthClient(prisma, { name, redirectUris });
}

/** Signing-key encryption under the test configuration's fixed secret. */
export const testKeyEncryption = keyEncryption(oauthTestConfig());

let counter = 0;
export async function makeCustomer(prisma: PrismaClient, password = 'correct horse battery') {
  counter++;
  const email = `customer${counter}-${randomBytes(3).toString('hex')}@example.com`;
  const customer = await prisma.customer.create({
    data: { email, passwordHash: await hashPassword(password), firstName: 'Ada', lastName: 'Lovelace' },
  });
  return { customer, email, password };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: sha256(verifier, 'base64url') };
}

export function form(values: Record<string, string | undefined>): RequestInit {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined) body.append(k, v);
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() };
}

/** Keeps cookies like a browser would for one origin and submits forms with them. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly handler: (request: Request) => Promise<Response | null>,
    private readonly headers: Record<string, string> = {},
  ) {}

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(this.headers)) headers.set(k, v);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await this.handler(new Request(url, { ...init, headers }));
    if (!response) throw new Error(`no route for ${url}`);
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return response;
  }

  /** Reads hidden inputs of the page's form. */
  static hiddenFields(html: string): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      fields[m[1]!] = m[2]!
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&#96;/g, '`')
        .replace(/&amp;/g, '&');
    }
    return fields;
  }
}

export function authorizeUrl(params: Record<string, string | undefined>): string {
  const url = new URL(`${ISSUER}/oauth/authorize`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.append(k, v);
  return url.toString();
}

export type Routes = (request: Request) => Promise<Response | null>;

/** The OAuth server's Hono app as a plain Fetch handler. */
export function oauthRoutes(deps: OAuthRoutesDeps): (request: Request) => Promise<Response> {
  const app = createOAuthRoutes(deps);
  return async (request) => app.fetch(request);
}

/** Runs the hosted sign-in like a browser and returns the code from the redirect. */
export async function obtainCode(
  routes: Routes,
  opts: {
    clientId: string;
    email: string;
    password: string;
    challenge: string;
    redirectUri?: string;
    state?: string;
    scope?: string;
    browser?: Browser;
  },
): Promise<{ code: string; location: URL; browser: Browser }> {
  const browser = opts.browser ?? new Browser(routes);
  const redirectUri = opts.redirectUri ?? SPA_REDIRECT;
  const params = {
    response_type: 'code',
    client_id: opts.clientId,
    redirect_uri: redirectUri,
    state: opts.state,
    scope: opts.scope,
    code_challenge: opts.challenge,
    code_challenge_method: 'S256',
  };
  let response = await browser.fetch(authorizeUrl(params));
  if (response.status === 200) {
    const hidden = Browser.hiddenFields(await response.text());
    response = await browser.fetch(
      `${ISSUER}/oauth/authorize`,
      form({ ...hidden, email: opts.email, password: opts.password, action: 'signin' }),
    );
  }
  const location = response.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got ${response.status}: ${await response.text()}`);
  const url = new URL(location);
  const code = url.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return { code, location: url, browser };
}

export async function post(routes: Routes, path: string, values: Record<string, string | undefined>, headers: Record<string, string> = {}) {
  const init = form(values);
  const response = (await routes(
    new Request(`${ISSUER}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } }),
  ))!;
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const body: any = text ? JSON.parse(text) : null;
  return { status: response.status, headers: response.headers, body };
}
