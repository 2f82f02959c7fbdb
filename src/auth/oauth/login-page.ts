// The hosted sign-in / sign-up page and the authorization error page: server-rendered,
// self-contained (one inline stylesheet allowed by its hash, no script, no external
// assets), accessible and usable on a phone.
import { sha256 } from '../../hash.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../passwords.js';

const STYLE = `
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#f4f4f5}
body{margin:0;padding:1rem}
main{max-width:26rem;margin:2rem auto;background:#fff;border:1px solid #d4d4d8;border-radius:.75rem;padding:1.5rem}
h1{font-size:1.5rem;margin:0 0 .25rem}
.app{margin:0 0 1.25rem;color:#3f3f46}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
.hint{display:block;font-weight:400;font-size:.875rem;color:#52525b}
input{display:block;width:100%;font:inherit;padding:.625rem .75rem;min-height:2.75rem;border:1px solid #71717a;border-radius:.5rem}
input[aria-invalid=true]{border-color:#b91c1c;border-width:2px}
input:focus,button:focus,a:focus{outline:3px solid #2563eb;outline-offset:2px}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}
button{font:inherit;font-weight:600;min-height:2.75rem;padding:.5rem 1.25rem;border-radius:.5rem;border:1px solid #18181b;cursor:pointer}
.primary{background:#18181b;color:#fff}
.secondary{background:#fff;color:#18181b}
.error{border:2px solid #b91c1c;background:#fef2f2;color:#7f1d1d;border-radius:.5rem;padding:.75rem;margin:1rem 0}
.error ul{margin:.25rem 0 0;padding-left:1.25rem}
.field-error{display:block;color:#b91c1c;font-size:.875rem;margin-top:.25rem}
.switch{margin:1.5rem 0 0}
a{color:#1d4ed8}
`;

export const STYLE_HASH = `'sha256-${sha256(STYLE, 'base64')}'`;

/**
 * Content-Security-Policy for our pages: nothing loads but the inline style; no script;
 * never framed. `formAction` lists where the form may go — itself, and the client's
 * redirect URI origin, because Chrome applies form-action to the redirect after a submit.
 */
export function pageCsp(formAction: string[] = []): string {
  return [
    "default-src 'none'",
    `style-src ${STYLE_HASH}`,
    "img-src 'self'",
    `form-action 'self'${formAction.map((s) => ' ' + s).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function pageHeaders(formAction: string[] = []): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': pageCsp(formAction),
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    // Not `no-referrer`: with it, browsers send `Origin: null` on the form's POST and the
    // same-origin check could not tell our page from a sandboxed attacker frame.
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
  };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c]!);
}

/** A whole page around `body` (trusted HTML) with our stylesheet. */
export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export type Screen = 'signin' | 'signup';

export interface FieldError {
  field: 'email' | 'password' | 'name';
  message: string;
}

export interface LoginPageInput {
  screen: Screen;
  clientName: string;
  /** The authorization request, carried through the form as one opaque field. */
  request: string;
  /** Query string of the same request, for the "switch screen" link. */
  query: string;
  csrfToken: string;
  /** A message about the whole form (wrong credentials, throttled, expired form). */
  error?: string;
  fieldErrors?: FieldError[];
  email?: string;
  name?: string;
}

export function renderLoginPage(input: LoginPageInput): string {
  const signup = input.screen === 'signup';
  const fieldErrors = input.fieldErrors ?? [];
  const errorFor = (field: FieldError['field']) => fieldErrors.filter((e) => e.field === field).map((e) => e.message);
  const hasErrors = Boolean(input.error) || fieldErrors.length > 0;
  const firstInvalid = fieldErrors[0]?.field ?? (input.error ? 'email' : null);
  const title = signup ? 'Create your account' : 'Sign in';

  const field = (name: FieldError['field'], label: string, attrs: string, value?: string, hint?: string) => {
    const messages = errorFor(name);
    const describedBy = [hint ? `${name}-hint` : '', messages.length ? `${name}-error` : '', input.error ? 'form-error' : '']
      .filter(Boolean)
      .join(' ');
    const focus = firstInvalid === name || (!hasErrors && name === (signup ? 'name' : 'email')) ? ' autofocus' : '';
    return `<label for="${name}">${escapeHtml(label)}${hint ? ` <span class="hint" id="${name}-hint">${escapeHtml(hint)}</span>` : ''}</label>
<input id="${name}" name="${name}" ${attrs}${value ? ` value="${escapeHtml(value)}"` : ''}${messages.length || (input.error && name !== 'name') ? ' aria-invalid="true"' : ''}${describedBy ? ` aria-describedby="${describedBy}"` : ''}${focus}>
${messages.map((m) => `<span class="field-error" id="${name}-error">${escapeHtml(m)}</span>`).join('\n')}`;
  };

  const summary = hasErrors
    ? `<div class="error" role="alert" id="form-error" tabindex="-1">${escapeHtml(input.error ?? 'Please correct the following:')}${
        fieldErrors.length
          ? `<ul>${fieldErrors.map((e) => `<li><a href="#${e.field}">${escapeHtml(e.message)}</a></li>`).join('')}</ul>`
          : ''
      }</div>`
    : '<div aria-live="polite" id="form-status"></div>';

  const switchQuery = new URLSearchParams(input.query);
  switchQuery.set('screen', signup ? 'signin' : 'signup');
  switchQuery.delete('prompt');

  return layout(
    `${title} – ${input.clientName}`,
    `<h1>${title}</h1>
<p class="app">to continue to <strong>${escapeHtml(input.clientName)}</strong></p>
${summary}
<form method="post" action="authorize">
<input type="hidden" name="csrf_token" value="${escapeHtml(input.csrfToken)}">
<input type="hidden" name="request" value="${escapeHtml(input.request)}">
<input type="hidden" name="screen" value="${input.screen}">
${signup ? field('name', 'Name', 'type="text" autocomplete="name" maxlength="200"', input.name, 'Optional') : ''}
${field('email', 'Email', 'type="email" autocomplete="email" inputmode="email" autocapitalize="off" spellcheck="false" required maxlength="254"', input.email)}
${field(
  'password',
  'Password',
  signup
    ? `type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}"`
    : `type="password" autocomplete="current-password" required maxlength="${MAX_PASSWORD_LENGTH}"`,
  undefined,
  signup ? `At least ${MIN_PASSWORD_LENGTH} characters` : undefined,
)}
<div class="actions">
<button class="primary" type="submit" name="action" value="${input.screen}">${signup ? 'Create account' : 'Sign in'}</button>
<button class="secondary" type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</div>
</form>
${signup ? '' : `<p class="switch"><a href="password/forgot?request=${escapeHtml(encodeURIComponent(input.request))}">Forgot your password?</a></p>\n`}<p class="switch">${signup ? 'Already have an account?' : 'New here?'} <a href="?${escapeHtml(switchQuery.toString())}">${signup ? 'Sign in' : 'Create an account'}</a></p>`,
  );
}

export function renderErrorPage(title: string, message: string): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>
<div class="error" role="alert">${escapeHtml(message)}</div>
<p>Return to the app you came from and try again. If this keeps happening, contact the shop.</p>`,
  );
}
