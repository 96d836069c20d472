/** The page frame: banner with navigation and sign-out, the main region, a live region for news. */
import { ApiError, request } from '../lib/api.js';
import { byId, clear, h } from '../lib/dom.js';
import { state } from '../state.js';
import { workflowLinks } from '../workflow/session.js';

export function renderShell(signedIn: boolean): HTMLElement {
  const app = byId('app');
  clear(app);
  const main = h('main', { id: 'main', tabindex: -1 });
  const header = h(
    'header',
    { class: 'topbar' },
    h('a', { class: 'brand', href: '#/queue' }, 'Kestrel'),
    signedIn && state.ctx
      ? [
          h(
            'nav',
            { 'aria-label': 'Main' },
            state.ctx.permissions.viewCaptures ? h('a', { href: '#/queue' }, 'Queue') : null,
            workflowLinks().map((l) => h('a', { href: l.href }, l.label)),
            h('a', { href: '#/account' }, 'Account'),
          ),
          h(
            'div',
            { class: 'whoami' },
            h('span', { class: 'muted' }, `${state.ctx.user.email} · ${state.ctx.user.role}`),
            h(
              'button',
              { type: 'button', class: 'btn btn-quiet', onclick: () => void signOut() },
              'Sign out',
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'btn btn-quiet',
                'aria-label': 'Keyboard shortcuts',
                'aria-keyshortcuts': '?',
              },
              '?',
            ),
          ),
        ]
      : null,
  );
  const helpButton = header.querySelector('button[aria-keyshortcuts="?"]');
  helpButton?.addEventListener('click', () => {
    void import('./dialogs.js').then((m) => m.showHelp());
  });
  app.append(header, main, h('div', { id: 'status', class: 'toast', role: 'status', 'aria-live': 'polite' }));
  return main;
}

let toastTimer: number | undefined;

/** Tells screen readers and sighted users what just happened. */
export function announce(message: string, error = false): void {
  const el = document.getElementById('status');
  if (!el) return;
  el.textContent = message;
  el.classList.toggle('toast-error', error);
  el.classList.add('toast-visible');
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => el.classList.remove('toast-visible'), 6000);
}

export async function signOut(): Promise<void> {
  try {
    await request('/api/v1/session', { method: 'DELETE' });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
  state.ctx = null;
  location.hash = '#/sign-in';
  location.reload();
}
