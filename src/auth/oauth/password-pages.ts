// The hosted "forgot your password?" pages: ask for the email, say a link is on its way
// (the same words whether or not there is an account), set a new password, done.
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../passwords.js';
import { escapeHtml, layout } from './login-page.js';

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
}

function alert(message: string | undefined): string {
  return message ? `<div class="error" role="alert" id="form-error" tabindex="-1">${escapeHtml(message)}</div>` : '';
}

/** A link back to the sign-in page of the app's request, when we know it. */
function backToSignIn(signInQuery: string | null, label = 'Back to sign in'): string {
  return signInQuery ? `<p class="switch"><a href="../authorize?${escapeHtml(signInQuery)}">${escapeHtml(label)}</a></p>` : '';
}

export function renderForgotPage(input: {
  csrfToken: string;
  request: string;
  signInQuery: string | null;
  email?: string;
  error?: string;
}): string {
  const invalid = input.error ? ' aria-invalid="true" aria-describedby="form-error"' : '';
  return layout(
    'Reset your password',
    `<h1>Reset your password</h1>
<p class="app">Enter the email address of your account and we will send you a link to choose a new password.</p>
${alert(input.error)}
<form method="post" action="forgot">
${hidden('csrf_token', input.csrfToken)}
${hidden('request', input.request)}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" inputmode="email" autocapitalize="off" spellcheck="false" required maxlength="254"${input.email ? ` value="${escapeHtml(input.email)}"` : ''}${invalid} autofocus>
<div class="actions">
<button class="primary" type="submit">Send the link</button>
</div>
</form>
${backToSignIn(input.signInQuery)}`,
  );
}

export function renderResetSentPage(input: { ttlMinutes: number; signInQuery: string | null }): string {
  return layout(
    'Check your email',
    `<h1>Check your email</h1>
<div aria-live="polite" id="form-status"><p>If an account exists for that address, we have sent it a link to choose a new password. The link works once, within ${input.ttlMinutes} minutes.</p></div>
${backToSignIn(input.signInQuery)}`,
  );
}

export function renderResetPage(input: { csrfToken: string; token: string; request: string; error?: string }): string {
  const invalid = input.error ? ' aria-invalid="true" aria-describedby="password-hint form-error"' : ' aria-describedby="password-hint"';
  return layout(
    'Choose a new password',
    `<h1>Choose a new password</h1>
${alert(input.error)}
<form method="post" action="reset">
${hidden('csrf_token', input.csrfToken)}
${hidden('token', input.token)}
${hidden('request', input.request)}
<label for="password">New password <span class="hint" id="password-hint">At least ${MIN_PASSWORD_LENGTH} characters</span></label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}"${invalid} autofocus>
<div class="actions">
<button class="primary" type="submit">Set the new password</button>
</div>
</form>`,
  );
}

export function renderResetDonePage(input: { signInQuery: string | null }): string {
  return layout(
    'Password changed',
    `<h1>Password changed</h1>
<div aria-live="polite" id="form-status"><p>Your password has been changed, and you have been signed out everywhere. Sign in again with the new password.</p></div>
${backToSignIn(input.signInQuery, 'Sign in')}`,
  );
}
