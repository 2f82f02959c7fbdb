// GET|POST /oauth/password/forgot and /oauth/password/reset: the hosted "forgot your
// password?" flow. The rules (single-use hashed links, password rules, what a reset
// revokes) live in ../password-reset.ts; this module is the pages, CSRF and throttling.
import { Hono, type Context } from 'hono';
import { normalizeEmail } from '../../commerce/customers.js';
import { requestAddressKey } from '../client-address.js';
import { createPasswordReset, resetPassword, resetTokenUsable } from '../password-reset.js';
import { paramsFromCarried } from './authorize-request.js';
import { browserCookies, sameOrigin } from './browser-cookies.js';
import { sha256 } from '../../hash.js';
import { errorPage, readForm, type OAuthContext } from './http.js';
import { pageHeaders } from './login-page.js';
import { renderForgotPage, renderResetDonePage, renderResetPage, renderResetSentPage } from './password-pages.js';
import { throttle, waitMessage } from './throttle.js';

const CARRIED_SHAPE = /^[A-Za-z0-9_-]{0,4000}$/;

/** The sign-in page's query for the app's authorization request we carry along, or null. */
function signInQuery(carried: string): string | null {
  const params = carried ? paramsFromCarried(carried) : null;
  if (!params || !params.client_id) return null;
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, value);
  return query.toString();
}

export function passwordRoutes(ctx: OAuthContext): Hono {
  const { config, prisma, logger, now } = ctx;
  const cookies = browserCookies(config);
  const html = (c: Context, body: string, status = 200, headers: Record<string, string> = {}) =>
    c.body(body, status as 200, { ...pageHeaders(), ...headers });
  const carriedFrom = (value: string | null | undefined) => (value && CARRIED_SHAPE.test(value) ? value : '');
  const formIsOurs = (c: Context, form: URLSearchParams) =>
    sameOrigin(c.req.raw, ctx.publicOrigin) && cookies.csrfMatches(c, form.get('csrf_token') ?? '');
  const expired = (c: Context) =>
    errorPage(c, 400, 'Link not valid', 'This link has expired or was already used. Ask for a new one from the sign-in page.');

  async function forgot(c: Context, form: URLSearchParams): Promise<Response> {
    const request = carriedFrom(form.get('request'));
    const email = (form.get('email') ?? '').slice(0, 300);
    const page = (status: number, error?: string, headers: Record<string, string> = {}) =>
      html(
        c,
        renderForgotPage({ csrfToken: cookies.csrfToken(c), request, signInQuery: signInQuery(request), email, error }),
        status,
        headers,
      );
    if (!formIsOurs(c, form)) return page(403, 'This form expired or was sent from another site. Please try again.');
    if (!normalizeEmail(email)) return page(400, 'Enter a valid email address.');
    const { passwordResetsPerWindow: limit, passwordResetWindowSeconds: windowSeconds } = config.auth;
    const ip = requestAddressKey(c.req.raw);
    const throttled = await throttle(
      prisma,
      [
        { key: `reset:email:${sha256(normalizeEmail(email)!)}`, limit, windowSeconds },
        { key: `reset:ip:${ip}`, limit, windowSeconds },
      ],
      now(),
    );
    if (throttled.limited) {
      logger?.warn('oauth: password reset throttled', { ip });
      return page(429, waitMessage(throttled.retryAfterSeconds), { 'retry-after': String(throttled.retryAfterSeconds) });
    }
    const reset = await createPasswordReset(prisma, { email, ttlSeconds: config.auth.passwordResetTtlSeconds, nowMs: now() });
    if (reset) {
      const link = new URL(`${ctx.issuer}/oauth/password/reset`);
      link.searchParams.set('token', reset.token);
      if (request) link.searchParams.set('request', request);
      const minutes = Math.round(config.auth.passwordResetTtlSeconds / 60);
      ctx.mailer.send({
        to: reset.email,
        subject: 'Reset your password',
        text: `Someone (hopefully you) asked to reset the password of your account.\n\nChoose a new password here within ${minutes} minutes:\n${link}\n\nThe link works once. If you did not ask for it, ignore this message: your password stays as it is.\n`,
      });
    }
    // The same answer whether or not the address has an account; the mail goes out in the background.
    return html(
      c,
      renderResetSentPage({ ttlMinutes: Math.round(config.auth.passwordResetTtlSeconds / 60), signInQuery: signInQuery(request) }),
    );
  }

  async function reset(c: Context, form: URLSearchParams): Promise<Response> {
    const token = form.get('token') ?? '';
    const request = carriedFrom(form.get('request'));
    if (!formIsOurs(c, form))
      return html(
        c,
        renderResetPage({
          csrfToken: cookies.csrfToken(c),
          token,
          request,
          error: 'This form expired or was sent from another site. Please try again.',
        }),
        403,
      );
    const result = await resetPassword(prisma, { token, password: form.get('password') ?? '', nowMs: now() });
    if (!result.ok && result.reason === 'password')
      return html(c, renderResetPage({ csrfToken: cookies.csrfToken(c), token, request, error: result.message }), 400);
    if (!result.ok) return expired(c);
    logger?.info('oauth: password reset; grants and sessions ended', { customerId: result.customerId });
    cookies.clearSession(c);
    return html(c, renderResetDonePage({ signInQuery: signInQuery(request) }));
  }

  const app = new Hono();
  app.all('/oauth/password/:step{forgot|reset}', async (c) => {
    const step = c.req.param('step');
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') {
      const search = new URL(c.req.url).searchParams;
      const request = carriedFrom(search.get('request'));
      if (step === 'forgot')
        return html(c, renderForgotPage({ csrfToken: cookies.csrfToken(c), request, signInQuery: signInQuery(request) }));
      const token = search.get('token') ?? '';
      if (!(await resetTokenUsable(prisma, token, now()))) return expired(c);
      // The token is in this page's URL: never let it leak through a Referer.
      return html(c, renderResetPage({ csrfToken: cookies.csrfToken(c), token, request }), 200, { 'referrer-policy': 'no-referrer' });
    }
    if (method !== 'POST') return errorPage(c, 405, 'Method not allowed', 'Use GET or POST.');
    const form = await readForm(c.req.raw);
    if (!form) return errorPage(c, 415, 'Request not valid', 'Send the form as application/x-www-form-urlencoded.');
    return step === 'forgot' ? forgot(c, form) : reset(c, form);
  });
  return app;
}
