// GET|POST /oauth/logout: the end-session endpoint (after OpenID RP-Initiated Logout).
// Deletes the hosted sign-in session and its cookie and revokes the grants it produced,
// then sends the browser to the client's registered `post_logout_redirect_uri` (with
// `state`), or shows a "signed out" page. An unregistered address gets an error page.
import { Hono, type Context } from 'hono';
import { layout, pageHeaders } from './login-page.js';
import { browserCookies } from './browser-cookies.js';
import { findActiveClient, matchRedirectUri } from './clients.js';
import { revokeGrantsOfSession } from './grant-housekeeping.js';
import { duplicated, errorPage, readForm, redirectTo, type OAuthContext } from './http.js';
import { endLoginSessions, findLoginSession } from './login-sessions.js';

const LOGOUT_PARAMS = ['client_id', 'post_logout_redirect_uri', 'state'];
const NOT_VALID = 'Sign-out request not valid';

export function logoutRoutes(ctx: OAuthContext): Hono {
  const cookies = browserCookies(ctx.config);

  /** Where to send the browser afterwards: null (our page), a URI, or an error page. */
  async function destination(c: Context, params: URLSearchParams): Promise<{ uri: string | null } | Response> {
    const dup = duplicated(params, LOGOUT_PARAMS);
    if (dup) return errorPage(c, 400, NOT_VALID, `The parameter ${dup} was sent more than once.`);
    const uri = params.get('post_logout_redirect_uri') || null;
    const clientId = params.get('client_id') || null;
    if (uri === null) return { uri: null };
    if (clientId === null) return errorPage(c, 400, NOT_VALID, 'A post_logout_redirect_uri needs the client_id it is registered for.');
    const client = await findActiveClient(ctx.prisma, clientId);
    if (!client) return errorPage(c, 400, 'Unknown app', 'This app is not registered with the shop, or it has been disabled.');
    if (!matchRedirectUri(client.postLogoutRedirectUris, uri)) {
      ctx.logger?.warn('oauth: post_logout_redirect_uri not registered for the client', {
        client: client.clientId,
        redirectUri: uri.slice(0, 500),
      });
      return errorPage(
        c,
        400,
        NOT_VALID,
        `The address the app asked to return to after signing out is not registered for it: ${uri.slice(0, 500)}`,
      );
    }
    return { uri };
  }

  async function logout(c: Context, params: URLSearchParams, status: number): Promise<Response> {
    const target = await destination(c, params);
    if (target instanceof Response) return target;
    const session = await findLoginSession(ctx.prisma, cookies.session(c), ctx.now());
    if (session) {
      // Grants first: deleting the session unlinks them.
      const revoked = await revokeGrantsOfSession(ctx.prisma, session.id, new Date(ctx.now()));
      await endLoginSessions(ctx.prisma, { id: session.id });
      ctx.logger?.info('oauth: signed out', { revokedGrants: revoked });
    }
    cookies.clearSession(c);
    if (target.uri !== null) return redirectTo(c, null, target.uri, { state: params.get('state') ?? undefined }, status);
    const html = layout('Signed out', '<h1>You are signed out</h1>\n<p>You can close this page or return to the shop.</p>');
    return c.body(html, 200, pageHeaders());
  }

  const app = new Hono();
  app.all('/oauth/logout', async (c) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return logout(c, new URL(c.req.url).searchParams, 302);
    if (method !== 'POST') return errorPage(c, 405, 'Method not allowed', 'Use GET or POST.');
    const form = await readForm(c.req.raw);
    if (!form) return errorPage(c, 415, NOT_VALID, 'Send the form as application/x-www-form-urlencoded.');
    return logout(c, form, 303);
  });
  return app;
}
