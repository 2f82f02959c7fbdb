import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import type { OAuthClient } from '../src/generated/prisma/client.js';
import { clientAddressKey } from '../src/auth/client-address.js';
import {
  Browser,
  authorizeUrl,
  form,
  ISSUER,
  makeCustomer,
  oauthTestConfig,
  oauthTestDatabase,
  pkce,
  registerClient,
  SPA_REDIRECT,
  type Routes,
  oauthRoutes,
} from './helpers/oauth.js';

let db: Database;
let routes: Routes;
let client: OAuthClient;
let customer: { email: string; password: string; customer: { id: string } };
const { challenge } = pkce();

beforeAll(async () => {
  db = await oauthTestDatabase();
  routes = oauthRoutes({ config: oauthTestConfig({ LOGIN_ATTEMPTS_PER_WINDOW: '5' }), prisma: db.prisma });
  client = await registerClient(db.prisma, [SPA_REDIRECT, 'http://127.0.0.1/native'], 'Acme <Shop>');
  customer = await makeCustomer(db.prisma);
}, 120_000);
afterAll(() => db?.close());
beforeEach(async () => {
  await db.prisma.rateLimitBucket.deleteMany();
});

const valid = () => ({
  response_type: 'code',
  client_id: client.clientId,
  redirect_uri: SPA_REDIRECT,
  state: 's1',
  code_challenge: challenge,
  code_challenge_method: 'S256',
});
const get = (params: Record<string, string | undefined>, headers: Record<string, string> = {}) =>
  routes(new Request(authorizeUrl(params), { headers })).then((r) => r!);

/** Opens the sign-in page and returns its hidden fields and the browser holding the CSRF cookie. */
async function openPage(params = valid(), headers: Record<string, string> = {}) {
  const browser = new Browser(routes, headers);
  const page = await browser.fetch(authorizeUrl(params));
  expect(page.status).toBe(200);
  const html = await page.text();
  return { browser, html, hidden: Browser.hiddenFields(html), page };
}

describe('authorization request validation', () => {
  it('shows an error page, never a redirect, for an unknown client', async () => {
    const response = await get({ ...valid(), client_id: 'vc_unknownunknownunknown' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toMatch(/not registered/);
  });

  it('shows an error page for a missing client_id or redirect_uri', async () => {
    for (const params of [
      { ...valid(), client_id: undefined },
      { ...valid(), redirect_uri: undefined },
    ]) {
      const response = await get(params);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
  });

  it('shows an error page for any redirect_uri that is not registered exactly', async () => {
    for (const redirect of [
      'https://evil.example/callback',
      `${SPA_REDIRECT}/`,
      `${SPA_REDIRECT}?x=1`,
      SPA_REDIRECT.toUpperCase(),
      'https://shop.example/Callback',
      `${SPA_REDIRECT}#frag`,
      'http://shop.example/callback',
      'http://localhost:3000/native',
    ]) {
      const response = await get({ ...valid(), redirect_uri: redirect });
      expect(response.status, redirect).toBe(400);
      expect(response.headers.get('location'), redirect).toBeNull();
    }
  });

  it('also refuses to redirect for a revoked client', async () => {
    const revoked = await registerClient(db.prisma);
    await db.prisma.oAuthClient.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    const response = await get({ ...valid(), client_id: revoked.clientId });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('refuses a repeated redirect_uri with an error page', async () => {
    const url = authorizeUrl(valid()) + '&redirect_uri=' + encodeURIComponent('https://evil.example/cb');
    const response = (await routes(new Request(url)))!;
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('accepts a loopback redirect URI on any port (RFC 8252)', async () => {
    const response = await get({ ...valid(), redirect_uri: 'http://127.0.0.1:49152/native' });
    expect(response.status).toBe(200);
  });

  function redirected(response: Response) {
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(SPA_REDIRECT);
    return location.searchParams;
  }

  it('answers response_type=token with unsupported_response_type (no implicit flow)', async () => {
    const params = redirected(await get({ ...valid(), response_type: 'token' }));
    expect(params.get('error')).toBe('unsupported_response_type');
    expect(params.get('state')).toBe('s1');
    expect(params.get('iss')).toBe(ISSUER);
    expect(params.get('code')).toBeNull();
  });

  it('requires response_type', async () => {
    expect(redirected(await get({ ...valid(), response_type: undefined })).get('error')).toBe('invalid_request');
  });

  it('requires a PKCE challenge with method S256; plain or a missing method is refused', async () => {
    expect(redirected(await get({ ...valid(), code_challenge: undefined })).get('error')).toBe('invalid_request');
    expect(redirected(await get({ ...valid(), code_challenge_method: undefined })).get('error')).toBe('invalid_request');
    const plain = redirected(await get({ ...valid(), code_challenge_method: 'plain' }));
    expect(plain.get('error')).toBe('invalid_request');
    expect(plain.get('error_description')).toMatch(/S256/);
    expect(redirected(await get({ ...valid(), code_challenge: 'too-short' })).get('error')).toBe('invalid_request');
  });

  it('refuses response modes other than query', async () => {
    expect(redirected(await get({ ...valid(), response_mode: 'fragment' })).get('error')).toBe('invalid_request');
  });

  it('refuses unknown scopes with invalid_scope', async () => {
    expect(redirected(await get({ ...valid(), scope: 'customer admin' })).get('error')).toBe('invalid_scope');
  });

  it('answers prompt=none without a session with login_required', async () => {
    expect(redirected(await get({ ...valid(), prompt: 'none' })).get('error')).toBe('login_required');
  });
});

describe('the hosted sign-in page', () => {
  it('is self-contained, not frameable, with a strict CSP and no script', async () => {
    const { html, page } = await openPage();
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).not.toContain('script-src');
    expect(csp).toContain("form-action 'self' https://shop.example");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    // same-origin, not no-referrer: browsers then send our Origin with the form's POST.
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i); // no external assets
    expect(html).not.toMatch(/<link /i);
  });

  it('is accessible and comfortable on a phone', async () => {
    const { html } = await openPage();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toMatch(/<label for="email">Email<\/label>\s*<input id="email" name="email" type="email" autocomplete="email"/);
    expect(html).toMatch(
      /<label for="password">Password<\/label>\s*<input id="password" name="password" type="password" autocomplete="current-password"/,
    );
    expect(html).toContain('aria-live="polite"');
    // Focus order follows reading order: email, password, submit, cancel, switch link.
    const order = ['id="email"', 'id="password"', 'name="action" value="signin"', 'name="action" value="cancel"', 'Create an account'].map(
      (s) => html.indexOf(s),
    );
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).not.toMatch(/tabindex="[1-9]/);
  });

  it('shows which app is asking, escaped', async () => {
    const { html } = await openPage();
    expect(html).toContain('to continue to <strong>Acme &lt;Shop&gt;</strong>');
    expect(html).not.toContain('Acme <Shop>');
  });

  it('offers a sign-up screen with a name field', async () => {
    const { html } = await openPage({ ...valid(), screen: 'signup' } as ReturnType<typeof valid>);
    expect(html).toMatch(/<label for="name">Name/);
    expect(html).toMatch(/autocomplete="new-password"/);
  });
});

describe('signing in', () => {
  it('redirects with code, the exact state and iss (RFC 9207)', async () => {
    const state = 'a b+c/d=e&f%20g\u00e9\u{1F600}<>"\'';
    const { browser, hidden } = await openPage({ ...valid(), state });
    const response = await browser.fetch(
      `${ISSUER}/oauth/authorize`,
      form({ ...hidden, email: customer.email, password: customer.password, action: 'signin' }),
    );
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe(state);
    expect(location.searchParams.get('iss')).toBe(ISSUER);
    expect(location.searchParams.get('code')).toMatch(/^vac_/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps no state parameter when none was sent', async () => {
    const { browser, hidden } = await openPage({ ...valid(), state: undefined } as unknown as ReturnType<typeof valid>);
    const response = await browser.fetch(
      `${ISSUER}/oauth/authorize`,
      form({ ...hidden, email: customer.email, password: customer.password, action: 'signin' }),
    );
    expect(new URL(response.headers.get('location')!).searchParams.has('state')).toBe(false);
  });

  it('accepts the email in any case and with spaces around it', async () => {
    const { browser, hidden } = await openPage();
    const response = await browser.fetch(
      `${ISSUER}/oauth/authorize`,
      form({ ...hidden, email: `  ${customer.email.toUpperCase()} `, password: customer.password, action: 'signin' }),
    );
    expect(response.status).toBe(303);
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const attempt = async (email: string, password: string) => {
      const { browser, hidden } = await openPage();
      const response = await browser.fetch(`${ISSUER}/oauth/authorize`, form({ ...hidden, email, password, action: 'signin' }));
      const html = (await response.text()).replace(/value="[^"]*"/g, 'value=""');
      return { status: response.status, html };
    };
    const wrong = await attempt(customer.email, 'wrong password here');
    const unknown = await attempt(customer.email.replace('customer', 'nobody'), 'wrong password here');
    expect(wrong.status).toBe(401);
    expect(unknown).toEqual(wrong);
    expect(wrong.html).toContain('role="alert"');
    expect(wrong.html).toContain('Incorrect email or password.');
  });

  it('refuses a form without the CSRF cookie, with a wrong token, or from another origin', async () => {
    const { hidden } = await openPage();
    const submit = (browser: Browser, fields: Record<string, string>) =>
      browser.fetch(`${ISSUER}/oauth/authorize`, form({ ...fields, email: customer.email, password: customer.password, action: 'signin' }));

    // No cookie at all (a cross-site form post cannot read or set ours).
    const noCookie = await submit(new Browser(routes), hidden);
    expect(noCookie.status).toBe(403);
    expect(noCookie.headers.get('location')).toBeNull();

    // The cookie, but a forged field.
    const { browser } = await openPage();
    const forged = await submit(browser, { ...hidden, csrf_token: 'x'.repeat(43) });
    expect(forged.status).toBe(403);

    // Right token, but the browser says the form came from another site.
    const other = await openPage(valid(), { origin: 'https://evil.example' });
    expect((await submit(other.browser, other.hidden)).status).toBe(403);
    const crossSite = await openPage(valid(), { 'sec-fetch-site': 'cross-site' });
    expect((await submit(crossSite.browser, crossSite.hidden)).status).toBe(403);
    const nullOrigin = await openPage(valid(), { origin: 'null' });
    expect((await submit(nullOrigin.browser, nullOrigin.hidden)).status).toBe(403);
  });

  it('accepts the form as a browser sends it from our page', async () => {
    const variants: Record<string, string>[] = [
      { origin: ISSUER, 'sec-fetch-site': 'same-origin' },
      { origin: 'null', 'sec-fetch-site': 'same-origin' },
      {},
    ];
    for (const headers of variants) {
      const { browser, hidden } = await openPage(valid(), headers);
      const response = await browser.fetch(
        `${ISSUER}/oauth/authorize`,
        form({ ...hidden, email: customer.email, password: customer.password, action: 'signin' }),
      );
      expect(response.status, JSON.stringify(headers)).toBe(303);
    }
  });

  it('lets the form redirect to the client: form-action names its origin (loopback: any port)', async () => {
    const loopback = await openPage({ ...valid(), redirect_uri: 'http://127.0.0.1:5000/native' });
    expect(loopback.page.headers.get('content-security-policy')).toContain("form-action 'self' http://127.0.0.1:*;");
  });

  it('re-validates the authorization request carried by the form', async () => {
    const { browser, hidden } = await openPage();
    const tampered = Buffer.from(JSON.stringify({ ...valid(), redirect_uri: 'https://evil.example/cb' })).toString('base64url');
    const response = await browser.fetch(
      `${ISSUER}/oauth/authorize`,
      form({ ...hidden, request: tampered, email: customer.email, password: customer.password, action: 'signin' }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('lets the customer cancel: access_denied back to the app', async () => {
    const { browser, hidden } = await openPage();
    const response = await browser.fetch(`${ISSUER}/oauth/authorize`, form({ ...hidden, action: 'cancel' }));
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('s1');
  });
});

describe('throttling (RateLimitBucket)', () => {
  it('limits failed attempts per email, whatever the client address', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      const { browser, hidden } = await openPage(valid(), { 'x-vitrine-client-ip': `10.0.0.${i}` });
      last = await browser.fetch(
        `${ISSUER}/oauth/authorize`,
        form({ ...hidden, email: customer.email, password: 'wrong password here', action: 'signin' }),
      );
      if (i < 5) expect(last.status).toBe(401);
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last!.text()).toContain('Too many attempts');
    // Even the right password is refused while throttled.
    const { browser, hidden } = await openPage(valid(), { 'x-vitrine-client-ip': '10.0.1.1' });
    const right = await browser.fetch(
      `${ISSUER}/oauth/authorize`,
      form({ ...hidden, email: customer.email, password: customer.password, action: 'signin' }),
    );
    expect(right.status).toBe(429);
  });

  it('limits failed attempts per client address, whatever the email', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      const { browser, hidden } = await openPage(valid(), { 'x-vitrine-client-ip': '192.0.2.7' });
      last = await browser.fetch(
        `${ISSUER}/oauth/authorize`,
        form({ ...hidden, email: `guess${i}@example.com`, password: 'wrong password here', action: 'signin' }),
      );
    }
    expect(last!.status).toBe(429);
    const { browser, hidden } = await openPage(valid(), { 'x-vitrine-client-ip': '192.0.2.8' });
    const elsewhere = await browser.fetch(
      `${ISSUER}/oauth/authorize`,
      form({ ...hidden, email: 'guess9@example.com', password: 'wrong password here', action: 'signin' }),
    );
    expect(elsewhere.status).toBe(401);
  });

  it('groups IPv6 clients by /64 and unwraps IPv4-mapped addresses', () => {
    expect(clientAddressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientAddressKey('192.0.2.1')).toBe('192.0.2.1');
    expect(clientAddressKey('')).toBe('unknown');
  });

  it('counts buckets in the database, so every process shares them', async () => {
    const other = oauthRoutes({ config: oauthTestConfig({ LOGIN_ATTEMPTS_PER_WINDOW: '5' }), prisma: db.prisma });
    for (let i = 0; i < 5; i++) {
      const { browser, hidden } = await openPage(valid(), { 'x-vitrine-client-ip': '198.51.100.1' });
      await browser.fetch(
        `${ISSUER}/oauth/authorize`,
        form({ ...hidden, email: `x${i}@example.com`, password: 'wrong password here', action: 'signin' }),
      );
    }
    const browser = new Browser(other, { 'x-vitrine-client-ip': '198.51.100.1' });
    const hidden = Browser.hiddenFields(await (await browser.fetch(authorizeUrl(valid()))).text());
    const response = await browser.fetch(
      `${ISSUER}/oauth/authorize`,
      form({ ...hidden, email: 'y@example.com', password: 'wrong password here', action: 'signin' }),
    );
    expect(response.status).toBe(429);
  });

  it('opens again after the window', async () => {
    let now = Date.now();
    const clocked = oauthRoutes({
      config: oauthTestConfig({ LOGIN_ATTEMPTS_PER_WINDOW: '2', LOGIN_WINDOW_SECONDS: '60' }),
      prisma: db.prisma,
      now: () => now,
    });
    const attempt = async () => {
      const browser = new Browser(clocked, { 'x-vitrine-client-ip': '203.0.113.9' });
      const hidden = Browser.hiddenFields(await (await browser.fetch(authorizeUrl(valid()))).text());
      return (
        await browser.fetch(
          `${ISSUER}/oauth/authorize`,
          form({ ...hidden, email: customer.email, password: 'nope nope nope', action: 'signin' }),
        )
      ).status;
    };
    expect([await attempt(), await attempt(), await attempt()]).toEqual([401, 401, 429]);
    now += 61_000;
    expect(await attempt()).toBe(401);
  });
});

describe('sessions: a returning customer is not asked again', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and skips the form next time', async () => {
    const { browser, hidden } = await openPage();
    const signedIn = await browser.fetch(
      `${ISSUER}/oauth/authorize`,
      form({ ...hidden, email: customer.email, password: customer.password, action: 'signin' }),
    );
    const setCookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('vitrine_session='))!;
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toMatch(/Secure/); // http issuer in this test
    const again = await browser.fetch(authorizeUrl({ ...valid(), state: 'second' }));
    expect(again.status).toBe(302);
    const location = new URL(again.headers.get('location')!);
    expect(location.searchParams.get('code')).toMatch(/^vac_/);
    expect(location.searchParams.get('state')).toBe('second');
    // prompt=none works with the session; prompt=login shows the form anyway.
    expect((await browser.fetch(authorizeUrl({ ...valid(), prompt: 'none' }))).status).toBe(302);
    expect((await browser.fetch(authorizeUrl({ ...valid(), prompt: 'login' }))).status).toBe(200);
  });

  it('uses __Host- cookies with Secure when the issuer is https', async () => {
    const secure = oauthRoutes({ config: oauthTestConfig({ PUBLIC_URL: 'https://shop-api.example' }), prisma: db.prisma });
    const browser = new Browser(secure);
    const page = await browser.fetch(authorizeUrl(valid()).replace(ISSUER, 'https://shop-api.example'));
    const csrf = page.headers.getSetCookie()[0]!;
    expect(csrf).toMatch(/^__Host-vitrine_csrf=/);
    expect(csrf).toMatch(/; Secure/);
    expect(csrf).toMatch(/; Path=\//);
    expect(csrf).not.toMatch(/Domain=/i);
    const hidden = Browser.hiddenFields(await page.text());
    const signedIn = await browser.fetch(
      'https://shop-api.example/oauth/authorize',
      form({ ...hidden, email: customer.email, password: customer.password, action: 'signin' }),
    );
    expect(signedIn.status).toBe(303);
    const session = signedIn.headers.getSetCookie().find((c) => c.startsWith('__Host-vitrine_session='))!;
    expect(session).toMatch(/; Secure/);
    expect(session).toMatch(/; HttpOnly/);
    expect(new URL(signedIn.headers.get('location')!).searchParams.get('iss')).toBe('https://shop-api.example');
  });

  it('ignores expired and unknown session cookies', async () => {
    let now = Date.now();
    const clocked = oauthRoutes({ config: oauthTestConfig({ LOGIN_SESSION_TTL_SECONDS: '3600' }), prisma: db.prisma, now: () => now });
    const browser = new Browser(clocked);
    const hidden = Browser.hiddenFields(await (await browser.fetch(authorizeUrl(valid()))).text());
    await browser.fetch(
      `${ISSUER}/oauth/authorize`,
      form({ ...hidden, email: customer.email, password: customer.password, action: 'signin' }),
    );
    expect((await browser.fetch(authorizeUrl(valid()))).status).toBe(302);
    now += 3601_000;
    expect((await browser.fetch(authorizeUrl(valid()))).status).toBe(200);
    const stranger = new Browser(clocked);
    stranger.cookies.set('vitrine_session', 'A'.repeat(43));
    expect((await stranger.fetch(authorizeUrl(valid()))).status).toBe(200);
  });
});

describe('signing up', () => {
  it('creates the account, hashes the password and returns a code', async () => {
    const { browser, hidden } = await openPage({ ...valid(), screen: 'signup' } as ReturnType<typeof valid>);
    expect(hidden.screen).toBe('signup');
    const email = `new-${Date.now()}@Example.com`;
    const response = await browser.fetch(
      `${ISSUER}/oauth/authorize`,
      form({ ...hidden, name: 'Grace Hopper', email, password: 'a long enough passphrase', action: 'signup' }),
    );
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get('location')!).searchParams.get('code')).toMatch(/^vac_/);
    const row = await db.prisma.customer.findUniqueOrThrow({ where: { email: email.toLowerCase() } });
    expect(row).toMatchObject({ firstName: 'Grace', lastName: 'Hopper' });
    expect(row.passwordHash).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(row.passwordHash).not.toContain('a long enough passphrase');
  });

  it('announces field errors (too-short password, bad email) accessibly', async () => {
    const { browser, hidden } = await openPage({ ...valid(), screen: 'signup' } as ReturnType<typeof valid>);
    const response = await browser.fetch(
      `${ISSUER}/oauth/authorize`,
      form({ ...hidden, email: 'not-an-email', password: 'short', action: 'signup' }),
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('role="alert"');
    expect(html).toMatch(/id="email"[^>]*aria-invalid="true"[^>]*aria-describedby="email-error/);
    expect(html).toMatch(/id="password"[^>]*aria-invalid="true"/);
    expect(html).toContain('at least 12 characters');
  });
});
