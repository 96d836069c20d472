/** Boot and routing (hash-based, so the server serves one HTML file and no route leaks data). */
import { ApiError, getJson, setCsrfToken } from './lib/api.js';
import { h } from './lib/dom.js';
import type { UiContext } from './lib/types.js';
import { state } from './state.js';
import { renderAccount, renderTotpEnrolment } from './views/account.js';
import { captureKey, renderCapture } from './views/capture.js';
import { showHelp } from './views/dialogs.js';
import { pollHead, queueKey, renderQueue } from './views/queue.js';
import { renderShell } from './views/shell.js';
import { renderSignIn } from './views/sign-in.js';
import { renderWorkflowRoute, workflowHome } from './workflow/routes.js';
import { loadWorkflow } from './workflow/session.js';

type View = 'sign-in' | 'enrol' | 'queue' | 'capture' | 'account' | 'none';
let view: View = 'none';

async function loadContext(): Promise<boolean> {
  try {
    state.ctx = await getJson<UiContext>('/api/v1/moderation/context');
    setCsrfToken(state.ctx.csrfToken);
    return true;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      state.ctx = null;
      return false;
    }
    throw e;
  }
}

function go(hash: string): void {
  if (location.hash === hash) void route();
  else location.hash = hash;
}

async function route(): Promise<void> {
  const raw = location.hash.replace(/^#/, '') || '/home';
  const [path = '/queue', query = ''] = raw.split('?');
  if (!state.ctx && !(await loadContext())) {
    view = 'sign-in';
    document.title = 'Sign in · Kestrel';
    renderSignIn(renderShell(false), () => {
      void loadContext().then(() =>
        go(state.ctx?.totp.required && !state.ctx.totp.enrolled ? '#/enrol' : '#/home'),
      );
    });
    return;
  }
  const ctx = state.ctx;
  if (!ctx) return;
  await loadWorkflow();
  // Home: the queue for those who triage, else the page of their role (the week, devices).
  if (path === '/home') {
    location.replace(`#${ctx.permissions.actOnCaptures ? '/queue' : (workflowHome() ?? '/queue')}`);
    return;
  }
  const mustEnrol = ctx.totp.required && !ctx.totp.enrolled;
  const main = renderShell(true);
  if (mustEnrol || path === '/enrol') {
    view = 'enrol';
    document.title = 'Two-factor set-up · Kestrel';
    renderTotpEnrolment(main, () => {
      state.ctx = null;
      go('#/queue');
    });
    return;
  }
  // Safeguarding workflow pages (issue 7).
  if (renderWorkflowRoute(main, path, new URLSearchParams(query))) {
    view = 'none';
    return;
  }
  if (path === '/account' || !ctx.permissions.viewCaptures) {
    view = 'account';
    document.title = 'Account · Kestrel';
    renderAccount(main, () => go('#/enrol'));
    return;
  }
  const captureMatch = /^\/capture\/([^/]+)$/.exec(path);
  if (captureMatch?.[1]) {
    view = 'capture';
    document.title = 'Capture · Kestrel';
    renderCapture(main, decodeURIComponent(captureMatch[1]));
    return;
  }
  view = 'queue';
  document.title = 'Queue · Kestrel';
  renderQueue(main, new URLSearchParams(query));
}

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (
    target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  ) {
    return true;
  }
  return (
    target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(target.type)
  );
}

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
  if (document.querySelector('dialog[open]')) return;
  if (typingInto(e.target)) return;
  // Enter and Space on a control keep their native meaning (a navigation link, a button, a
  // checkbox, a disclosure); only a queue row's own link is ours to open.
  const onControl =
    e.target instanceof HTMLElement &&
    e.target.matches('button, summary, input[type="checkbox"], a[href]:not(a.open)');
  if (onControl && (e.key === 'Enter' || e.key === ' ')) return;
  if (e.key === '?') {
    e.preventDefault();
    showHelp();
    return;
  }
  const used = view === 'queue' ? queueKey(e) : view === 'capture' ? captureKey(e) : false;
  if (used) e.preventDefault();
});

window.addEventListener('hashchange', () => void route());

void route().catch(() => {
  document
    .getElementById('app')
    ?.replaceChildren(
      h(
        'main',
        null,
        h('h1', null, 'Kestrel is unavailable'),
        h('p', null, 'The server could not be reached. Reload to try again.'),
      ),
    );
});

// Live updates: a cheap conditional request; the server answers 304 until the queue changes.
window.setInterval(() => {
  if (view === 'queue' && document.visibilityState === 'visible') void pollHead();
}, 10_000);
