/** Sign-in: email and password, then a two-factor code when the account has one. */
import { ApiError, postJson } from '../lib/api.js';
import { h } from '../lib/dom.js';

export function renderSignIn(main: HTMLElement, onSignedIn: () => void): void {
  const email = h('input', { id: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', {
    id: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const totp = h('input', {
    id: 'totp',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9 ]{6,7}',
    maxlength: 7,
  });
  const totpField = h(
    'div',
    { class: 'field', hidden: true },
    h('label', { for: 'totp' }, 'Two-factor code'),
    totp,
    h('p', { class: 'hint' }, 'The six-digit code from your authenticator app.'),
  );
  const error = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-wide' }, 'Sign in');
  const form = h(
    'form',
    {
      class: 'card sign-in',
      novalidate: true,
      onsubmit: (e: SubmitEvent) => {
        e.preventDefault();
        void attempt();
      },
    },
    h('h1', null, 'Sign in to Kestrel'),
    h('p', { class: 'muted' }, 'Safeguarding monitoring — staff access only. Every view is recorded.'),
    h('div', { class: 'field' }, h('label', { for: 'email' }, 'Email'), email),
    h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'), password),
    totpField,
    error,
    submit,
  );

  async function attempt(): Promise<void> {
    error.textContent = '';
    submit.disabled = true;
    try {
      const body: Record<string, string> = { email: email.value.trim(), password: password.value };
      if (!totpField.hidden && totp.value.trim()) body['totp'] = totp.value.replace(/\s/g, '');
      await postJson('/api/v1/session', body);
      onSignedIn();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'TOTP_REQUIRED') {
        totpField.hidden = false;
        totp.focus();
        error.textContent = totp.value ? e.message : 'Enter the code from your authenticator app.';
      } else if (e instanceof ApiError && e.code === 'ACCOUNT_LOCKED') {
        const mins = e.retryAfter ? Math.ceil(e.retryAfter / 60) : 15;
        error.textContent = `Too many failed attempts. Try again in ${mins} minute${mins === 1 ? '' : 's'}.`;
      } else if (e instanceof ApiError && e.code === 'TOTP_INVALID') {
        totpField.hidden = false;
        totp.value = '';
        totp.focus();
        error.textContent = 'That code did not work. Wait for the next one and try again.';
      } else if (e instanceof ApiError) {
        error.textContent = e.code === 'INVALID_CREDENTIALS' ? 'The email or password is wrong.' : e.message;
      } else {
        error.textContent = 'Cannot reach the server.';
      }
    } finally {
      submit.disabled = false;
    }
  }

  main.append(h('div', { class: 'centre' }, form));
  email.focus();
}
