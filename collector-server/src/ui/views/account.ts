/** Account: two-factor enrolment (QR code and secret) and sign-out everywhere. */
import { ApiError, postJson } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { state } from '../state.js';
import { announce } from './shell.js';

interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrDataUrl: string;
}

export function renderTotpEnrolment(main: HTMLElement, onDone: () => void): void {
  const required = state.ctx?.totp.required ?? false;
  const body = h('div', { class: 'card enrol' });
  main.append(h('div', { class: 'centre' }, body));
  body.append(
    h('h1', null, 'Set up two-factor authentication'),
    h(
      'p',
      null,
      required
        ? 'Your role can see captures, so a second factor is required before you continue.'
        : 'Protect your account with a code from an authenticator app.',
    ),
    h('p', { class: 'muted', 'aria-busy': 'true' }, 'Preparing a new secret…'),
  );
  void (async () => {
    let enrolment: Enrolment;
    try {
      enrolment = await postJson<Enrolment>('/api/v1/me/totp/enrolment');
    } catch (e) {
      body.lastElementChild?.replaceWith(
        h('p', { class: 'form-error', role: 'alert' }, e instanceof ApiError ? e.message : 'Failed.'),
      );
      return;
    }
    const code = h('input', {
      id: 'enrol-code',
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
      maxlength: 7,
      required: true,
    });
    const error = h('p', { class: 'form-error', role: 'alert' });
    body.lastElementChild?.remove();
    body.append(
      h(
        'ol',
        { class: 'steps' },
        h('li', null, 'Open your authenticator app and add an account.'),
        h(
          'li',
          null,
          'Scan this QR code:',
          h('img', {
            class: 'qr',
            src: enrolment.qrDataUrl,
            alt: 'QR code for your authenticator app',
            width: 200,
            height: 200,
          }),
          h('span', { class: 'block' }, 'or type this secret: '),
          h(
            'code',
            { class: 'secret', 'aria-label': 'Secret key' },
            enrolment.secret.replace(/(.{4})/g, '$1 ').trim(),
          ),
        ),
        h('li', null, 'Enter the six-digit code the app shows.'),
      ),
      h(
        'form',
        {
          onsubmit: (e: SubmitEvent) => {
            e.preventDefault();
            void (async () => {
              try {
                await postJson('/api/v1/me/totp/enrolment/confirm', { code: code.value.replace(/\s/g, '') });
                announce('Two-factor authentication is on.');
                onDone();
              } catch (err) {
                error.textContent = err instanceof ApiError ? err.message : 'Failed.';
                code.select();
              }
            })();
          },
        },
        h('div', { class: 'field' }, h('label', { for: 'enrol-code' }, 'Six-digit code'), code),
        error,
        h('button', { type: 'submit', class: 'btn btn-primary' }, 'Turn on two-factor'),
      ),
    );
    code.focus();
  })();
}

export function renderAccount(main: HTMLElement, startEnrolment: () => void): void {
  const ctx = state.ctx;
  if (!ctx) return;
  main.append(
    h(
      'div',
      { class: 'page narrow' },
      h('h1', null, 'Account'),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'tfa' },
        h('h2', { id: 'tfa' }, 'Two-factor authentication'),
        h('p', null, ctx.totp.enrolled ? 'On. A code is asked for at every sign-in.' : 'Off.'),
        ctx.totp.enrolled
          ? null
          : h(
              'button',
              { type: 'button', class: 'btn btn-primary', onclick: startEnrolment },
              'Set up two-factor',
            ),
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'sessions' },
        h('h2', { id: 'sessions' }, 'Sessions'),
        h(
          'p',
          null,
          'Signed in on a shared or lost computer? End every session of this account, including this one.',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn-danger',
            onclick: () => {
              void (async () => {
                try {
                  await postJson('/api/v1/session/revoke-all');
                } finally {
                  location.hash = '#/sign-in';
                  location.reload();
                }
              })();
            },
          },
          'Sign out everywhere',
        ),
      ),
    ),
  );
}
