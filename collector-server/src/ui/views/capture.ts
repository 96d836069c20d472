/** One capture: the screenshot large beside the reason, actions, notes, the pupil's recent captures. */
import { act, addNote, undo, type ActionKind } from '../actions.js';
import { ApiError, getJson, postJson } from '../lib/api.js';
import { h, type Child } from '../lib/dom.js';
import { categoryLabel, formatTime, severityLabel, SOURCE_LABELS, STATUS_LABELS } from '../lib/format.js';
import { highlightSegments } from '../lib/highlight.js';
import { safeHref } from '../lib/safe-url.js';
import type { CaptureDetail, CaptureItem } from '../lib/types.js';
import { flatRows, state } from '../state.js';
import { captureIncident } from './capture-incident.js';
import { askReason } from './dialogs.js';
import { loadQueue, prefetchDetail, queueHash } from './queue.js';
import { announce } from './shell.js';

const ACTION_LABELS: Record<string, string> = {
  dismiss: 'Dismissed',
  review: 'Reviewed – no action',
  escalate: 'Escalated',
};

let current: CaptureDetail | null = null;
let zoomButton: HTMLButtonElement | null = null;

function detailFor(id: string): Promise<CaptureDetail> {
  let p = state.details.get(id);
  if (!p) {
    p = getJson<CaptureDetail>(`/api/v1/moderation/captures/${encodeURIComponent(id)}`);
    p.catch(() => state.details.delete(id));
    state.details.set(id, p);
  }
  return p;
}

/** The capture ids in queue order, to step through with j/k. */
function order(): string[] {
  return flatRows().map((r) => r.capture.id);
}

function neighbour(id: string, step: number): string | null {
  const ids = order();
  const at = ids.indexOf(id);
  if (at < 0) return ids[0] ?? null;
  return ids[at + step] ?? null;
}

function contextWithMark(c: CaptureItem): HTMLElement {
  const segments = highlightSegments(c.context, c.term);
  return h(
    'blockquote',
    { class: 'context' },
    segments.map((s) => (s.match ? h('mark', null, s.text) : s.text)),
  );
}

function urlValue(url: string | null): Child {
  if (!url) return h('span', { class: 'muted' }, 'none');
  const href = safeHref(url);
  // Shown as text always; a link only for http(s), never carrying our origin as referrer.
  return href
    ? h('a', { href, rel: 'noopener noreferrer', target: '_blank', class: 'url' }, url)
    : h('span', { class: 'url' }, url);
}

function field(label: string, value: Child): HTMLElement[] {
  return [h('dt', null, label), h('dd', null, value)];
}

function image(c: CaptureItem): HTMLElement {
  if (c.hidden) {
    return h(
      'div',
      { class: 'shot shot-hidden' },
      h('img', {
        class: 'blurred',
        src: `/api/v1/captures/${encodeURIComponent(c.id)}/screenshot/blurred`,
        alt: 'Blurred screenshot (illegal-content category, not revealed)',
      }),
      h(
        'div',
        { class: 'reveal-panel' },
        h(
          'p',
          null,
          'This capture may show illegal content. Save all evidence but do not view it unless you must.',
        ),
        h(
          'button',
          { type: 'button', class: 'btn btn-danger', onclick: () => void reveal(c) },
          'Reveal image',
        ),
      ),
    );
  }
  const img = h('img', {
    class: 'screenshot',
    src: c.screenshotUrl,
    alt: `Screenshot from ${c.machine} at the time of the capture`,
  });
  const frame = h('div', { class: 'shot', tabindex: 0, 'aria-label': 'Screenshot' }, img);
  zoomButton = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-quiet zoom',
      'aria-pressed': 'false',
      'aria-keyshortcuts': 'o',
      onclick: () => toggleZoom(frame),
    },
    'Zoom',
  );
  img.addEventListener('click', () => toggleZoom(frame));
  return h('div', { class: 'shot-wrap' }, frame, zoomButton);
}

function toggleZoom(frame?: Element | null): void {
  const el = frame ?? document.querySelector('.shot');
  if (!el || !zoomButton) return;
  const zoomed = el.classList.toggle('zoomed');
  zoomButton.setAttribute('aria-pressed', zoomed ? 'true' : 'false');
  zoomButton.textContent = zoomed ? 'Fit to screen' : 'Zoom';
}

async function reveal(c: CaptureItem): Promise<void> {
  const answer = await askReason({
    title: 'Reveal this image?',
    intro:
      'Revealing is recorded in the audit log with your name and reason. Do not reveal if the text alone is enough to act.',
    label: 'Why do you need to see it?',
    confirm: 'Reveal image',
    required: true,
    danger: true,
  });
  if (!answer) return;
  try {
    await postJson(`/api/v1/captures/${encodeURIComponent(c.id)}/reveal`, { reason: answer.text });
    state.details.delete(c.id);
    announce('Image revealed. This was recorded.');
    await show(c.id);
  } catch (e) {
    announce(e instanceof ApiError ? e.message : 'Could not reveal.', true);
  }
}

function recentList(d: CaptureDetail): HTMLElement {
  return h(
    'section',
    { class: 'recent', 'aria-labelledby': 'recent-title' },
    h('h2', { id: 'recent-title' }, `Recent captures for ${d.capture.user}`),
    d.recent.length === 0
      ? h('p', { class: 'muted' }, 'No other captures for this user.')
      : h(
          'ul',
          null,
          d.recent.map((r) =>
            h(
              'li',
              null,
              h('a', { href: `#/capture/${encodeURIComponent(r.id)}` }, r.term),
              h(
                'span',
                { class: 'sub' },
                ` ${categoryLabel(r.category)} · ${STATUS_LABELS[r.status] ?? r.status} · ${formatTime(r.capturedAt, r.timeZone)}`,
              ),
            ),
          ),
        ),
  );
}

function notesList(d: CaptureDetail): HTMLElement {
  const entries = [
    ...d.history.map((a) => ({
      at: a.createdAt,
      node: h(
        'li',
        null,
        h('strong', null, `${ACTION_LABELS[a.action] ?? a.action}${a.undone ? ' (undone)' : ''}`),
        ` by ${a.actor}`,
        a.reason ? h('span', { class: 'block' }, a.reason) : null,
        h('span', { class: 'sub block' }, formatTime(a.createdAt, d.capture.timeZone)),
      ),
    })),
    ...d.notes.map((n) => ({
      at: n.createdAt,
      node: h(
        'li',
        null,
        h('strong', null, 'Note'),
        ` by ${n.author}`,
        h('span', { class: 'block' }, n.text),
        h('span', { class: 'sub block' }, formatTime(n.createdAt, d.capture.timeZone)),
      ),
    })),
  ].sort((a, b) => (a.at < b.at ? -1 : 1));
  return h(
    'section',
    { class: 'history', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, 'Notes and history'),
    entries.length === 0
      ? h('p', { class: 'muted' }, 'Nothing yet.')
      : h(
          'ol',
          null,
          entries.map((e) => e.node),
        ),
  );
}

function actionButtons(d: CaptureDetail): HTMLElement | null {
  if (!d.canAct) return null;
  const button = (label: string, key: string, kind: ActionKind | 'note' | 'undo', cls = 'btn') =>
    h(
      'button',
      { type: 'button', class: cls, 'aria-keyshortcuts': key, onclick: () => void run(kind) },
      label,
      h('kbd', { 'aria-hidden': 'true' }, key),
    );
  return h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Actions' },
    button('Dismiss', 'd', 'dismiss'),
    button('Reviewed', 'r', 'review'),
    button('Escalate', 'e', 'escalate', 'btn btn-danger-outline'),
    button('Note', 'n', 'note', 'btn btn-quiet'),
    button('Undo', 'u', 'undo', 'btn btn-quiet'),
  );
}

async function run(kind: ActionKind | 'note' | 'undo'): Promise<void> {
  const d = current;
  if (!d) return;
  const id = d.capture.id;
  if (kind === 'note') {
    if (await addNote(id)) await show(id);
    return;
  }
  if (kind === 'undo') {
    if (await undo()) {
      await loadQueue(true).catch(() => undefined);
      await show(id);
    }
    return;
  }
  const next = neighbour(id, 1);
  const done = await act(kind, { captureIds: [id], groupKeys: [], status: d.capture.status, count: 1 });
  if (!done) return;
  // Keep the client's queue in step so j/k and the next capture follow what is left.
  await loadQueue(true).catch(() => undefined);
  if (next) location.hash = `#/capture/${encodeURIComponent(next)}`;
  else location.hash = queueHash();
}

async function show(id: string): Promise<void> {
  const main = document.getElementById('main');
  if (!main) return;
  let d: CaptureDetail;
  try {
    d = await detailFor(id);
  } catch (e) {
    main.replaceChildren(
      h(
        'div',
        { class: 'page narrow' },
        h('h1', null, 'Capture not available'),
        h('p', null, e instanceof ApiError ? e.message : 'It could not be loaded.'),
        h('a', { href: queueHash() }, 'Back to the queue'),
      ),
    );
    return;
  }
  current = d;
  const c = d.capture;
  const position = order().indexOf(id);
  main.replaceChildren(
    h(
      'div',
      { class: 'page capture-page' },
      h(
        'div',
        { class: 'page-head' },
        h('a', { class: 'back', href: queueHash() }, '← Back to the queue'),
        h('h1', null, 'Capture: ', h('q', null, c.term)),
        captureIncident(c),
        position >= 0
          ? h('p', { class: 'muted' }, `${position + 1} of ${order().length} in the queue`)
          : null,
      ),
      actionButtons(d),
      h(
        'div',
        { class: 'capture-grid' },
        h('figure', { class: 'capture-image' }, image(c)),
        h(
          'aside',
          { class: 'reason', 'aria-labelledby': 'reason-title' },
          h('h2', { id: 'reason-title' }, 'Reason for capture'),
          contextWithMark(c),
          h(
            'dl',
            null,
            field('Matched phrase', h('mark', null, c.term)),
            field('Category', categoryLabel(c.category)),
            field('Severity', h('span', { class: `sev sev-${c.severity}` }, severityLabel(c.severity))),
            field('Status', STATUS_LABELS[c.status] ?? c.status),
            field('Source', SOURCE_LABELS[c.source] ?? c.source),
            field('Window title', c.windowTitle),
            field('Application', c.application),
            field('URL', urlValue(c.url)),
            field('Machine', c.machine),
            field('User', c.user),
            field('School', c.schoolName),
            field(
              'Captured',
              h(
                'time',
                { datetime: c.capturedAt },
                `${formatTime(c.capturedAt, c.timeZone)} (${c.timeZone})`,
              ),
            ),
          ),
          notesList(d),
          recentList(d),
        ),
      ),
    ),
  );
  main.querySelector<HTMLElement>('h1')?.setAttribute('tabindex', '-1');
  main.querySelector<HTMLElement>('h1')?.focus();
  // Prefetch the neighbours so the next capture shows at once.
  for (const n of [neighbour(id, 1), neighbour(id, -1)]) {
    const row = flatRows().find((r) => r.capture.id === n);
    if (row) prefetchDetail(row.capture);
  }
}

export function renderCapture(main: HTMLElement, id: string): void {
  main.append(h('p', { class: 'loading', 'aria-busy': 'true' }, 'Loading capture…'));
  void (async () => {
    if (!state.loaded) await loadQueue(true).catch(() => undefined);
    await show(id);
  })();
}

export function captureKey(e: KeyboardEvent): boolean {
  const d = current;
  if (!d) return false;
  switch (e.key) {
    case 'j':
    case 'ArrowDown': {
      const n = neighbour(d.capture.id, 1);
      if (n) location.hash = `#/capture/${encodeURIComponent(n)}`;
      else announce('That was the last capture.');
      return true;
    }
    case 'k':
    case 'ArrowUp': {
      const p = neighbour(d.capture.id, -1);
      if (p) location.hash = `#/capture/${encodeURIComponent(p)}`;
      return true;
    }
    case 'o':
    case 'Enter':
      if (!d.capture.hidden) toggleZoom();
      return true;
    case 'Escape':
      location.hash = queueHash();
      return true;
    case 'd':
    case 'r':
    case 'e':
    case 'D':
    case 'n':
    case 'u':
      if (!d.canAct) return true;
      void run(
        ({ d: 'dismiss', D: 'dismiss-suggest', r: 'review', e: 'escalate', n: 'note', u: 'undo' } as const)[
          e.key
        ],
      );
      return true;
    default:
      return false;
  }
}
