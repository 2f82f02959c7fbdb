// Edges of the OAuth server found by attacking it: malformed client authentication,
// sign-up floods, bursts of password hashing, spoofed X-Forwarded-For, and the error page
// for an unregistered redirect address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import type { OAuthClient } from '../src/generated/prisma/client.js';
import { clientAddressKey, resolveClientAddress } from '../src/auth/client-address.js';
import { hashPassword, passwordHashing, Semaphore, verifyPassword } from '../src/auth/passwords.js';
import { createLogger } from '../src/logger.js';
import {
  Browser,
  authorizeUrl,
  form,
  ISSUER,
  oauthRoutes,
  oauthTestConfig,
  oauthTestDatabase,
  pkce,
  post,
  registerClient,
  SPA_REDIRECT,
} from './helpers/oauth.js';

let db: Database;
let client: OAuthClient;
const logLines: string[] = [];
let routes: ReturnType<typeof oauthRoutes>;

beforeAll(async () => {
  db = await oauthTestDatabase();
  const logger = createLogger('warn', (line) => logLines.push(line));
  routes = oauthRoutes({ config: oauthTestConfig({ SIGNUPS_PER_WINDOW: '2' }), prisma: db.prisma, logger });
  client = await registerClient(db.prisma);
}, 120_000);
afterAll(() => db?.close());

describe('client authentication at the token endpoint', () => {
  it('answers a malformed Authorization: Basic with 401 invalid_client, never a 500', async () => {
    const headers = [
      `Basic ${Buffer.from('%zz:').toString('base64')}`, // bad percent-encoding
      `Basic ${Buffer.from('%E0%A4%A:').toString('base64')}`,
      'Basic !!!!',
      'Basic',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      'Bearer abc',
    ];
    for (const authorization of headers) {
      const result = await post(
        routes,
        '/oauth/token',
        { grant_type: 'authorization_code', code: 'vac_x', redirect_uri: SPA_REDIRECT, code_verifier: 'x'.repeat(43) },
        { authorization },
      );
      expect(result.status, authorization).toBe(401);
      expect(result.body.error, authorization).toBe('invalid_client');
    }
    // Also at the revocation endpoint.
    const revoke = await post(
      routes,
      '/oauth/revoke',
      { token: 'vrt_x' },
      { authorization: `Basic ${Buffer.from('%zz:').toString('base64')}` },
    );
    expect(revoke.status).toBe(401);
    expect(revoke.body.error).toBe('invalid_client');
  });
});

describe('sign-up throttling', () => {
  it('limits sign-ups per client address, successful ones included', async () => {
    const signUp = async (i: number) => {
      const browser = new Browser(routes, { 'x-vitrine-client-ip': '198.51.100.77' });
      const page = await browser.fetch(
        authorizeUrl({
          response_type: 'code',
          client_id: client.clientId,
          redirect_uri: SPA_REDIRECT,
          code_challenge: pkce().challenge,
          code_challenge_method: 'S256',
          screen: 'signup',
        }),
      );
      const hidden = Browser.hiddenFields(await page.text());
      const response = await browser.fetch(
        `${ISSUER}/oauth/authorize`,
        form({ ...hidden, email: `flood${i}-${Date.now()}@example.com`, password: 'a long enough passphrase', action: 'signup' }),
      );
      return response.status;
    };
    expect([await signUp(1), await signUp(2), await signUp(3)]).toEqual([303, 303, 429]);
    expect(await db.prisma.customer.count({ where: { email: { startsWith: 'flood' } } })).toBe(2);
  });
});

describe('password hashing is bounded', () => {
  it('runs at most N hashes at once and queues the rest', async () => {
    const gate = new Semaphore(2);
    const releases: (() => void)[] = [];
    const started: number[] = [];
    const tasks = [1, 2, 3, 4, 5].map((n) =>
      gate.run(
        () =>
          new Promise<number>((resolve) => {
            started.push(n);
            releases.push(() => resolve(n));
          }),
      ),
    );
    await Promise.resolve();
    expect(started).toEqual([1, 2]);
    expect(gate.load).toEqual({ active: 2, waiting: 3 });
    releases.shift()!();
    await tasks[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([1, 2, 3]);
    while (releases.length) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(tasks)).toEqual([1, 2, 3, 4, 5]);
    expect(gate.load).toEqual({ active: 0, waiting: 0 });
  });

  it('puts every scrypt run of the process behind the configured limit', async () => {
    const size = 2;
    passwordHashing.resize(size);
    const hashes = Array.from({ length: 6 }, (_, i) => hashPassword(`burst password ${i}`));
    expect(passwordHashing.load).toEqual({ active: size, waiting: 4 });
    const stored = await Promise.all(hashes);
    expect(passwordHashing.load).toEqual({ active: 0, waiting: 0 });
    expect(await verifyPassword('burst password 3', stored[3]!)).toBe(true);
  });
});

describe('the client address behind proxies (TRUST_PROXY)', () => {
  it('uses the socket unless proxies are trusted, and only as many hops as trusted', () => {
    expect(resolveClientAddress('10.0.0.1', '203.0.113.5', 0)).toBe('10.0.0.1');
    expect(resolveClientAddress('10.0.0.1', '203.0.113.5', 1)).toBe('203.0.113.5');
    // A client cannot pick its own address by sending the header itself.
    expect(resolveClientAddress('10.0.0.1', '1.2.3.4, 203.0.113.5', 1)).toBe('203.0.113.5');
    expect(resolveClientAddress('10.0.0.1', '1.2.3.4, 203.0.113.5, 10.0.0.2', 2)).toBe('203.0.113.5');
    expect(resolveClientAddress('10.0.0.1', null, 1)).toBe('10.0.0.1');
    expect(resolveClientAddress('10.0.0.1', '203.0.113.5', 3)).toBe('203.0.113.5');
    expect(resolveClientAddress(undefined, null, 0)).toBe('unknown');
    expect(clientAddressKey(resolveClientAddress('10.0.0.1', '2001:db8:1:2::9', 1))).toBe('2001:db8:1:2::/64');
  });

  it('reads TRUST_PROXY as off, true or a number of hops', () => {
    expect(oauthTestConfig().auth.trustProxyHops).toBe(0);
    expect(oauthTestConfig({ TRUST_PROXY: 'off' }).auth.trustProxyHops).toBe(0);
    expect(oauthTestConfig({ TRUST_PROXY: 'true' }).auth.trustProxyHops).toBe(1);
    expect(oauthTestConfig({ TRUST_PROXY: '2' }).auth.trustProxyHops).toBe(2);
    expect(() => oauthTestConfig({ TRUST_PROXY: 'everything' })).toThrow(/TRUST_PROXY/);
  });
});

describe('an unregistered redirect address', () => {
  it('is shown on the error page, escaped, and logged', async () => {
    const sent = 'http://localhost:5173/callback?<b>x</b>';
    const response = await routes(
      new Request(
        authorizeUrl({
          response_type: 'code',
          client_id: client.clientId,
          redirect_uri: sent,
          code_challenge: pkce().challenge,
          code_challenge_method: 'S256',
        }),
      ),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const html = await response.text();
    expect(html).toContain('http://localhost:5173/callback?&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('<b>x</b>');
    expect(logLines.some((line) => line.includes('redirect_uri not registered') && line.includes(sent))).toBe(true);
  });
});
