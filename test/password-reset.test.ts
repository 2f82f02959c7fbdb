// Forgotten passwords: the rules (src/auth/password-reset.ts) and the hosted pages, with
// mail written by nodemailer into a temporary outbox.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import type { OAuthClient } from '../src/generated/prisma/client.js';
import { createMailer, type Mailer } from '../src/auth/mailer.js';
import { createPasswordReset, resetPassword } from '../src/auth/password-reset.js';
import { verifyPassword } from '../src/auth/passwords.js';
import { loadConfig } from '../src/config.js';
import {
  authorizeUrl,
  Browser,
  form,
  ISSUER,
  makeCustomer,
  obtainCode,
  oauthRoutes,
  oauthTestConfig,
  oauthTestDatabase,
  pkce,
  post,
  registerClient,
  SPA_REDIRECT,
} from './helpers/oauth.js';

let db: Database;
let outbox: string;
let mailer: Mailer;
let routes: ReturnType<typeof oauthRoutes>;
let client: OAuthClient;
let now = Date.now();
const NEW_PASSWORD = 'a brand new passphrase';

beforeAll(async () => {
  db = await oauthTestDatabase();
  outbox = await mkdtemp(path.join(tmpdir(), 'vitrine-mail-'));
  const config = oauthTestConfig({ MAIL_OUTBOX_DIR: outbox, PASSWORD_RESETS_PER_WINDOW: '3' });
  mailer = createMailer(config);
  routes = oauthRoutes({ config, prisma: db.prisma, mailer, now: () => now });
  client = await registerClient(db.prisma);
}, 120_000);
afterAll(async () => {
  await db?.close();
  await rm(outbox, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.prisma.rateLimitBucket.deleteMany();
  now = Date.now();
});

async function mails(): Promise<string[]> {
  await mailer.idle();
  const files = (await readdir(outbox)).sort();
  return Promise.all(files.map((f) => readFile(path.join(outbox, f), 'utf8')));
}

/** The reset link in the newest message to `email`. */
async function linkFor(email: string): Promise<string> {
  const message = (await mails()).filter((m) => m.includes(`To: ${email}`)).at(-1);
  if (!message) throw new Error(`no mail to ${email}`);
  const unfolded = message.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  return /(http:\/\/vitrine\.test\/oauth\/password\/reset\?\S+)/.exec(unfolded)![1]!;
}

const { challenge: CHALLENGE } = pkce();
const signInParams = () => ({
  response_type: 'code',
  client_id: client.clientId,
  redirect_uri: SPA_REDIRECT,
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
});

async function askForLink(email: string, ip = '192.0.2.10') {
  const browser = new Browser(routes, { 'x-vitrine-client-ip': ip });
  const signIn = await (await browser.fetch(authorizeUrl(signInParams()))).text();
  const forgotHref = /href="(password\/forgot\?[^"]+)"/.exec(signIn)![1]!.replace(/&amp;/g, '&');
  const page = await browser.fetch(new URL(forgotHref, `${ISSUER}/oauth/authorize`).toString());
  expect(page.status).toBe(200);
  const hidden = Browser.hiddenFields(await page.text());
  const response = await browser.fetch(`${ISSUER}/oauth/password/forgot`, form({ ...hidden, email }));
  return { response, html: await response.text(), browser };
}

async function useLink(link: string, password: string, browser = new Browser(routes)) {
  const page = await browser.fetch(link);
  if (page.status !== 200) return { status: page.status, html: await page.text() };
  const hidden = Browser.hiddenFields(await page.text());
  const response = await browser.fetch(`${ISSUER}/oauth/password/reset`, form({ ...hidden, password }));
  return { status: response.status, html: await response.text() };
}

describe('asking for a reset link', () => {
  it('mails a link from the hosted page, and answers the same for an unknown address', async () => {
    const { email } = await makeCustomer(db.prisma);
    const known = await askForLink(email);
    const unknown = await askForLink('nobody-here@example.com');
    expect(known.response.status).toBe(200);
    expect(unknown.response.status).toBe(200);
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '');
    expect(strip(known.html)).toBe(strip(unknown.html));
    const sent = await mails();
    expect(sent.filter((m) => m.includes('To: nobody-here@example.com'))).toHaveLength(0);
    const link = await linkFor(email);
    expect(link).toMatch(/token=vpr_/);
    // Stored hashed: the token itself is nowhere in the database.
    const token = new URL(link).searchParams.get('token')!;
    const rows = await db.prisma.passwordResetToken.findMany();
    expect(rows.some((r) => r.tokenHash.includes(token) || token.includes(r.tokenHash))).toBe(false);
  });

  it('is throttled per email and per client address', async () => {
    const { email } = await makeCustomer(db.prisma);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await askForLink(email, `198.51.100.${i}`)).response.status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const byIp = [];
    for (let i = 0; i < 4; i++) byIp.push((await askForLink(`someone${i}@example.com`, '203.0.113.77')).response.status);
    expect(byIp).toEqual([200, 200, 200, 429]);
  });

  it('refuses a form without the CSRF cookie', async () => {
    const response = await routes(
      new Request(`${ISSUER}/oauth/password/forgot`, form({ email: 'x@example.com', csrf_token: 'A'.repeat(43) })),
    );
    expect(response.status).toBe(403);
  });
});

describe('using a reset link', () => {
  it('sets the new password under the sign-up rules, ends every grant and session, and works once', async () => {
    const { email, password, customer } = await makeCustomer(db.prisma);
    // Signed in on the hosted page with a grant.
    const { verifier, challenge } = pkce();
    const { code, browser } = await obtainCode(routes, { clientId: client.clientId, email, password, challenge });
    const tokens = await post(routes, '/oauth/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: SPA_REDIRECT,
      client_id: client.clientId,
      code_verifier: verifier,
    });
    await askForLink(email);
    const link = await linkFor(email);

    const short = await useLink(link, 'short');
    expect(short.status).toBe(400);
    expect(short.html).toContain('at least 12 characters');

    const done = await useLink(link, NEW_PASSWORD);
    expect(done.status).toBe(200);
    expect(done.html).toContain('Password changed');
    const row = await db.prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(await verifyPassword(NEW_PASSWORD, row.passwordHash)).toBe(true);
    expect(await verifyPassword(password, row.passwordHash)).toBe(false);

    // Refresh token dead, hosted session gone.
    const refreshed = await post(routes, '/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.body.refresh_token,
      client_id: client.clientId,
    });
    expect(refreshed.body.error).toBe('invalid_grant');
    expect(await db.prisma.loginSession.count({ where: { customerId: customer.id } })).toBe(0);
    expect((await browser.fetch(authorizeUrl(signInParams()))).status).toBe(200);

    // Single use.
    expect((await useLink(link, 'another long passphrase')).status).toBe(400);
  });

  it('expires, and an older link stops working once a newer one is sent', async () => {
    const { email } = await makeCustomer(db.prisma);
    const first = await createPasswordReset(db.prisma, { email, ttlSeconds: 1800, nowMs: now });
    const second = await createPasswordReset(db.prisma, { email: email.toUpperCase(), ttlSeconds: 1800, nowMs: now });
    expect(await resetPassword(db.prisma, { token: first!.token, password: NEW_PASSWORD, nowMs: now })).toEqual({
      ok: false,
      reason: 'invalid_token',
    });
    expect(await resetPassword(db.prisma, { token: second!.token, password: NEW_PASSWORD, nowMs: now + 1801_000 })).toEqual({
      ok: false,
      reason: 'invalid_token',
    });
    expect(await createPasswordReset(db.prisma, { email: 'not-a-customer@example.com', ttlSeconds: 1800, nowMs: now })).toBeNull();
  });

  it('lets exactly one of two concurrent uses through', async () => {
    const { email } = await makeCustomer(db.prisma);
    const reset = await createPasswordReset(db.prisma, { email, ttlSeconds: 1800, nowMs: now });
    const results = await Promise.all(
      [1, 2].map(() => resetPassword(db.prisma, { token: reset!.token, password: NEW_PASSWORD, nowMs: now })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('shows an error page for an unknown or malformed link', async () => {
    for (const token of ['vpr_' + 'A'.repeat(43), 'nonsense', '']) {
      const response = await routes(new Request(`${ISSUER}/oauth/password/reset?token=${token}`));
      expect(response.status).toBe(400);
    }
  });
});

describe('mail configuration', () => {
  it('requires SMTP_URL in production', () => {
    const secrets = { KEY_ENCRYPTION_SECRET: 'x'.repeat(32), CURSOR_SECRET: 'y'.repeat(32) };
    expect(() => loadConfig({ NODE_ENV: 'production', ...secrets })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ NODE_ENV: 'production', SMTP_URL: 'https://mail.example', ...secrets })).toThrow(/SMTP_URL/);
    expect(loadConfig({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example:587', ...secrets }).mail.smtpUrl).toBe(
      'smtp://mail.example:587',
    );
  });
});
