// GET|POST /oauth/authorize: validates the authorization request, then either redirects
// with a code (a live sign-in session), or shows the hosted sign-in / sign-up page and
// handles its form (CSRF check, throttling, credentials, new session).
import { Hono, type Context } from 'hono';
import { authenticateCustomer, normalizeEmail, signUpCustomer } from '../../commerce/customers.js';
import { requestAddressKey } from '../client-address.js';
import {
  carryParams,
  formActionSource,
  paramsFrom,
  paramsFromCarried,
  validateAuthorizationRequest,
  type AuthorizationRequest,
  type Validation,
} from './authorize-request.js';
import { browserCookies, sameOrigin } from './browser-cookies.js';
import { createAuthorizationCode } from './grants.js';
import { sha256 } from '../../hash.js';
import { errorPage, readForm, redirectTo, type OAuthContext } from './http.js';
import { pageHeaders, renderLoginPage, type FieldError, type Screen } from './login-page.js';
import { createLoginSession, findLoginSession } from './login-sessions.js';
import { refund, throttle, waitMessage, type ThrottleRule } from './throttle.js';

interface PageExtras {
  error?: string;
  fieldErrors?: FieldError[];
  email?: string;
  name?: string;
  headers?: Record<string, string>;
}

export function authorizeRoutes(ctx: OAuthContext): Hono {
  const { config, prisma, logger, now, issuer } = ctx;
  const cookies = browserCookies(config);

  function outcome(c: Context, validation: Exclude<Validation, { kind: 'ok' }>, status = 302): Response {
    if (validation.kind === 'page') {
      if (validation.refusedRedirectUri !== undefined) {
        logger?.warn('oauth: redirect_uri not registered for the client', { redirectUri: validation.refusedRedirectUri.slice(0, 500) });
      }
      return errorPage(c, validation.status, validation.title, validation.message);
    }
    return redirectTo(
      c,
      issuer,
      validation.redirectUri,
      { error: validation.error, error_description: validation.description, state: validation.state },
      status,
    );
  }

  async function issueCode(
    c: Context,
    authz: AuthorizationRequest,
    session: { id: string; customerId: string },
    status: number,
  ): Promise<Response> {
    const code = await createAuthorizationCode(ctx.grants, {
      client: authz.client,
      customerId: session.customerId,
      loginSessionId: session.id,
      redirectUri: authz.redirectUri,
      codeChallenge: authz.codeChallenge,
      scope: authz.scope,
    });
    return redirectTo(c, issuer, authz.redirectUri, { code, state: authz.state }, status);
  }

  function page(c: Context, authz: AuthorizationRequest, screen: Screen, status: number, extras: PageExtras = {}): Response {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(authz.params)) if (value !== undefined) query.set(name, value);
    const html = renderLoginPage({
      screen,
      clientName: authz.client.name,
      request: carryParams(authz.params),
      query: query.toString(),
      csrfToken: cookies.csrfToken(c),
      error: extras.error,
      fieldErrors: extras.fieldErrors,
      email: extras.email ?? authz.loginHint,
      name: extras.name,
    });
    return c.body(html, status as 200, { ...pageHeaders(formActionSource(authz.redirectUri)), ...extras.headers });
  }

  async function show(c: Context, search: URLSearchParams): Promise<Response> {
    const { params, duplicate } = paramsFrom(search);
    const validation = await validateAuthorizationRequest(prisma, params, duplicate);
    if (validation.kind !== 'ok') return outcome(c, validation);
    const authz = validation.request;
    if (!authz.prompt.includes('login')) {
      const session = await findLoginSession(prisma, cookies.session(c), now());
      if (session) return issueCode(c, authz, session, 302);
    }
    if (authz.prompt.includes('none')) {
      return redirectTo(c, issuer, authz.redirectUri, {
        error: 'login_required',
        error_description: 'The customer is not signed in.',
        state: authz.state,
      });
    }
    const screen: Screen = search.get('screen') === 'signup' ? 'signup' : 'signin';
    return page(c, authz, screen, 200);
  }

  async function submit(c: Context, form: URLSearchParams): Promise<Response> {
    const params = paramsFromCarried(form.get('request') ?? '');
    if (!params) return errorPage(c, 400, 'Sign-in request not valid', 'The form was damaged. Go back to the app and start again.');
    const validation = await validateAuthorizationRequest(prisma, params, null);
    if (validation.kind !== 'ok') return outcome(c, validation, 303);
    const authz = validation.request;
    const screen: Screen = form.get('screen') === 'signup' ? 'signup' : 'signin';
    if (!sameOrigin(c.req.raw, ctx.publicOrigin) || !cookies.csrfMatches(c, form.get('csrf_token') ?? '')) {
      logger?.warn('oauth: sign-in form failed the CSRF check', { client: authz.client.clientId });
      return page(c, authz, screen, 403, { error: 'This form expired or was sent from another site. Please try again.' });
    }
    if (form.get('action') === 'cancel') {
      return redirectTo(
        c,
        issuer,
        authz.redirectUri,
        { error: 'access_denied', error_description: 'The customer cancelled the sign-in.', state: authz.state },
        303,
      );
    }

    const email = (form.get('email') ?? '').slice(0, 300);
    const password = form.get('password') ?? '';
    const name = (form.get('name') ?? '').slice(0, 300);
    const ip = requestAddressKey(c.req.raw);
    const { loginAttemptsPerWindow: limit, loginWindowSeconds: windowSeconds } = config.auth;
    const attempts: ThrottleRule[] = [
      { key: `login:email:${sha256(normalizeEmail(email) ?? email.trim().toLowerCase())}`, limit, windowSeconds },
      { key: `login:ip:${ip}`, limit, windowSeconds },
    ];
    const rules =
      screen === 'signup'
        ? [...attempts, { key: `signup:ip:${ip}`, limit: config.auth.signupsPerWindow, windowSeconds: config.auth.signupWindowSeconds }]
        : attempts;
    const throttled = await throttle(prisma, rules, now());
    if (throttled.limited) {
      logger?.warn('oauth: sign-in throttled', { ip, screen, counts: Object.values(throttled.counts) });
      return page(c, authz, screen, 429, {
        error: waitMessage(throttled.retryAfterSeconds),
        email,
        name,
        headers: { 'retry-after': String(throttled.retryAfterSeconds) },
      });
    }

    let customerId: string;
    if (screen === 'signup') {
      const result = await signUpCustomer(prisma, { email, password, name });
      if (!result.ok) {
        const fieldErrors = result.errors.map((e) => ({ field: (e.field[0] ?? 'email') as FieldError['field'], message: e.message }));
        return page(c, authz, 'signup', 400, { fieldErrors, email, name });
      }
      customerId = result.customer.id;
    } else {
      const customer = await authenticateCustomer(prisma, { email, password });
      // One answer for "no such account" and "wrong password".
      if (!customer) return page(c, authz, 'signin', 401, { error: 'Incorrect email or password.', email });
      customerId = customer.id;
    }
    // A successful attempt does not count against the sign-in budget (sign-ups still do).
    await refund(
      prisma,
      attempts.map((rule) => rule.key),
    );
    const session = await createLoginSession(prisma, { customerId, ttlSeconds: config.auth.loginSessionTtlSeconds, nowMs: now() });
    cookies.setSession(c, session.token);
    return issueCode(c, authz, session, 303);
  }

  const app = new Hono();
  app.all('/oauth/authorize', async (c) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return show(c, new URL(c.req.url).searchParams);
    if (method !== 'POST') return errorPage(c, 405, 'Method not allowed', 'Use GET or POST.');
    const form = await readForm(c.req.raw);
    if (!form) return errorPage(c, 415, 'Sign-in request not valid', 'Send the form as application/x-www-form-urlencoded.');
    // A form from our page carries csrf_token; anything else is an authorization request sent by POST.
    if (form.has('csrf_token') || form.has('request')) return submit(c, form);
    return show(c, form);
  });
  return app;
}
