/** The triage queue: grouped rows, filters, selection, keyboard-first actions, live updates. */
import { act, addNote, undo, type ActionKind, type Target } from '../actions.js';
import { ApiError, getJson, request } from '../lib/api.js';
import { clear, h } from '../lib/dom.js';
import {
  CATEGORY_LABELS,
  categoryLabel,
  formatShortTime,
  SEVERITY_LABELS,
  STATUS_LABELS,
} from '../lib/format.js';
import type { CaptureDetail, CaptureItem, QueuePage } from '../lib/types.js';
import {
  EMPTY_FILTERS,
  filtersFromQuery,
  filtersToQuery,
  flatRows,
  rowKey,
  state,
  type FlatRow,
  type QueueFilters,
} from '../state.js';
import { announce } from './shell.js';

const PAGE_SIZE = 50;
let tableBody: HTMLTableSectionElement | null = null;
let listRegion: HTMLElement | null = null;
let selectionInfo: HTMLElement | null = null;
let newBanner: HTMLElement | null = null;

export function queueHash(): string {
  const q = filtersToQuery(state.filters).toString();
  return q ? `#/queue?${q}` : '#/queue';
}

export async function loadQueue(reset: boolean): Promise<void> {
  const params = filtersToQuery(state.filters);
  params.set('limit', String(PAGE_SIZE));
  if (!reset && state.nextCursor) params.set('cursor', state.nextCursor);
  const page = await getJson<QueuePage>(`/api/v1/queue?${params.toString()}`);
  if (reset) {
    state.groups = page.items;
    state.members.clear();
    state.expanded.clear();
    state.selected.clear();
  } else {
    state.groups.push(...page.items);
  }
  state.nextCursor = page.nextCursor;
  state.loaded = true;
}

function filterForm(): HTMLFormElement {
  const f = state.filters;
  const ctx = state.ctx;
  const select = (id: keyof QueueFilters, label: string, options: [string, string][]) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `f-${id}` }, label),
      h(
        'select',
        { id: `f-${id}`, name: id },
        options.map(([value, text]) => h('option', { value, selected: f[id] === value }, text)),
      ),
    );
  const input = (id: keyof QueueFilters, label: string, type: string) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `f-${id}` }, label),
      h('input', { id: `f-${id}`, name: id, type, value: f[id] }),
    );
  const schools = ctx?.schools ?? [];
  const form = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': 'Filter captures',
      onsubmit: (e: SubmitEvent) => {
        e.preventDefault();
        const data = new FormData(form);
        const next = { ...EMPTY_FILTERS };
        for (const key of Object.keys(next) as (keyof QueueFilters)[]) {
          const v = data.get(key);
          next[key] = typeof v === 'string' ? v.trim() : '';
        }
        state.filters = next;
        location.hash = queueHash();
      },
    },
    h(
      'div',
      { class: 'field field-search' },
      h('label', { for: 'f-q' }, 'Search'),
      h('input', {
        id: 'f-q',
        name: 'q',
        type: 'search',
        value: f.q,
        placeholder: 'Phrase, title or URL',
        'aria-keyshortcuts': '/',
      }),
    ),
    schools.length > 1
      ? select('school', 'School', [
          ['', 'All schools'],
          ...schools.map((s): [string, string] => [s.id, s.name]),
        ])
      : null,
    select('category', 'Category', [['', 'All categories'], ...Object.entries(CATEGORY_LABELS)]),
    select('severity', 'Severity', [
      ['', 'Any severity'],
      ...[5, 4, 3, 2].map((n): [string, string] => [String(n), `${SEVERITY_LABELS[n]} and above`]),
    ]),
    select('status', 'Status', Object.entries(STATUS_LABELS)),
    // Machine, user and dates are used less: tucked away unless one is set, so more rows fit.
    h(
      'details',
      { class: 'more-filters', open: Boolean(f.machine || f.user || f.from || f.to) },
      h('summary', null, 'More filters'),
      h(
        'div',
        { class: 'more-filters-body' },
        input('machine', 'Machine', 'text'),
        input('user', 'User', 'text'),
        input('from', 'From', 'date'),
        input('to', 'To', 'date'),
      ),
    ),
    h(
      'div',
      { class: 'filter-buttons' },
      h('button', { type: 'submit', class: 'btn' }, 'Apply filters'),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-quiet',
          onclick: () => {
            state.filters = { ...EMPTY_FILTERS };
            location.hash = queueHash();
          },
        },
        'Clear filters',
      ),
    ),
  );
  return form;
}

function targetFor(rows: FlatRow[]): Target {
  const captureIds: string[] = [];
  const groupKeys: string[] = [];
  let count = 0;
  for (const row of rows) {
    if (row.kind === 'group' && row.count > 1) {
      groupKeys.push(row.groupKey);
      count += row.count;
    } else {
      captureIds.push(row.capture.id);
      count += 1;
    }
  }
  return { captureIds, groupKeys, status: state.filters.status || 'unreviewed', count };
}

/** The selection if there is one, otherwise the focused row. */
function actionRows(): FlatRow[] {
  const rows = flatRows();
  if (state.selected.size > 0) return rows.filter((r) => state.selected.has(rowKey(r)));
  const focused = rows[state.focus];
  return focused ? [focused] : [];
}

async function runAction(kind: ActionKind): Promise<void> {
  const rows = actionRows();
  if (rows.length === 0) return;
  const focus = state.focus;
  if (await act(kind, targetFor(rows))) {
    // Undo puts the rows back where they were, so the focus goes back there too.
    if (state.lastAction) state.lastAction.focus = focus;
    await refresh(true);
  }
}

export async function refresh(keepFocus: boolean): Promise<void> {
  const focus = state.focus;
  try {
    await loadQueue(true);
    // The list now shows the current state: take a new baseline for live updates (our own
    // action changed the fingerprint too) and drop any offer of new captures.
    state.headEtag = null;
    if (newBanner) newBanner.hidden = true;
    void pollHead();
  } catch (e) {
    announce(e instanceof ApiError ? e.message : 'Could not load the queue.', true);
  }
  state.focus = keepFocus ? Math.min(focus, Math.max(0, flatRows().length - 1)) : 0;
  paintRows(true);
}

function severityBadge(c: CaptureItem): HTMLElement {
  return h('span', { class: `sev sev-${c.severity}` }, SEVERITY_LABELS[c.severity] ?? String(c.severity));
}

function thumb(c: CaptureItem): HTMLElement {
  if (c.hidden || !c.thumbnailUrl) {
    return h('span', { class: 'thumb thumb-hidden', title: 'Image hidden' }, c.hidden ? 'Hidden' : '—');
  }
  return h('img', { class: 'thumb', src: c.thumbnailUrl, alt: '', loading: 'lazy', width: 80, height: 50 });
}

function rowElement(row: FlatRow, index: number): HTMLTableRowElement {
  const c = row.capture;
  const key = rowKey(row);
  const isGroup = row.kind === 'group' && row.count > 1;
  const where = isGroup
    ? `${row.machineCount} machine${row.machineCount === 1 ? '' : 's'}`
    : `${c.machine} · ${c.user}`;
  const checkbox = h('input', {
    type: 'checkbox',
    checked: state.selected.has(key),
    'aria-label': isGroup
      ? `Select group “${c.term}” (${row.count} captures)`
      : `Select “${c.term}” on ${c.machine}`,
    onchange: () => toggleSelect(index),
  });
  const tr = h(
    'tr',
    {
      class: `row${row.kind === 'member' ? ' row-member' : ''}${index === state.focus ? ' is-focused' : ''}`,
      'aria-current': index === state.focus ? 'true' : null,
    },
    h('td', { class: 'col-select' }, checkbox),
    h('td', { class: 'col-thumb' }, thumb(c)),
    h('td', { class: 'col-sev' }, severityBadge(c)),
    h(
      'td',
      { class: 'col-phrase' },
      h('a', { class: 'open', href: `#/capture/${encodeURIComponent(c.id)}` }, c.term),
      h('span', { class: 'sub' }, categoryLabel(c.category), ' · ', c.windowTitle || c.application),
    ),
    h(
      'td',
      { class: 'col-where' },
      where,
      state.ctx && state.ctx.schools.length > 1 ? h('span', { class: 'sub' }, c.schoolName) : null,
    ),
    h(
      'td',
      { class: 'col-when' },
      h('time', { datetime: c.capturedAt }, formatShortTime(c.capturedAt, c.timeZone)),
    ),
    h(
      'td',
      { class: 'col-count' },
      isGroup
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn btn-count',
              'aria-expanded': state.expanded.has(row.groupKey) ? 'true' : 'false',
              onclick: () => void toggleGroup(row.groupKey, index),
            },
            `${row.count} captures`,
          )
        : null,
    ),
  );
  tr.addEventListener('click', (e) => {
    if ((e.target as HTMLElement).closest('a,button,input')) return;
    setFocus(index);
  });
  return tr;
}

function paintRows(moveFocus: boolean): void {
  if (!tableBody || !listRegion) return;
  const rows = flatRows();
  listRegion.setAttribute('aria-busy', 'false');
  const empty = listRegion.querySelector('.empty');
  empty?.remove();
  clear(tableBody);
  rows.forEach((row, i) => tableBody?.append(rowElement(row, i)));
  const table = listRegion.querySelector('table');
  if (table) table.hidden = rows.length === 0;
  if (rows.length === 0) {
    listRegion.append(
      h(
        'div',
        { class: 'empty' },
        h('h2', null, state.filters.status === 'unreviewed' ? 'Queue clear' : 'Nothing here'),
        h('p', null, 'No captures match these filters. New captures appear here as they arrive.'),
      ),
    );
  }
  const more = listRegion.querySelector<HTMLButtonElement>('.load-more');
  if (more) more.hidden = state.nextCursor === null;
  if (selectionInfo) {
    const n = state.selected.size;
    selectionInfo.textContent =
      n === 0 ? 'Actions apply to the highlighted row' : `${n} row${n === 1 ? '' : 's'} selected`;
  }
  if (moveFocus) focusRow();
}

function focusRow(): void {
  const link = tableBody?.querySelectorAll<HTMLAnchorElement>('a.open')[state.focus];
  link?.focus({ preventScroll: false });
  link?.closest('tr')?.scrollIntoView({ block: 'nearest' });
  prefetchAround();
}

function setFocus(index: number): void {
  const rows = flatRows();
  if (rows.length === 0) return;
  state.focus = Math.max(0, Math.min(rows.length - 1, index));
  tableBody?.querySelectorAll('tr').forEach((tr, i) => {
    tr.classList.toggle('is-focused', i === state.focus);
    if (i === state.focus) tr.setAttribute('aria-current', 'true');
    else tr.removeAttribute('aria-current');
  });
  focusRow();
}

function toggleSelect(index: number): void {
  const row = flatRows()[index];
  if (!row) return;
  const key = rowKey(row);
  if (state.selected.has(key)) state.selected.delete(key);
  else state.selected.add(key);
  state.focus = index;
  paintRows(true);
}

async function toggleGroup(groupKey: string, index: number, open?: boolean): Promise<void> {
  const isOpen = state.expanded.has(groupKey);
  const want = open ?? !isOpen;
  if (want === isOpen) return;
  if (want) {
    const params = filtersToQuery(state.filters);
    const page = await getJson<{ items: CaptureItem[] }>(
      `/api/v1/queue/groups/${encodeURIComponent(groupKey)}?${params.toString()}`,
    );
    state.members.set(groupKey, page.items);
    state.expanded.add(groupKey);
  } else {
    state.expanded.delete(groupKey);
  }
  state.focus = index;
  paintRows(true);
}

/** Loads the detail (and image) of the rows around the focus, so opening one is instant. */
function prefetchAround(): void {
  const rows = flatRows();
  for (const i of [state.focus, state.focus + 1]) {
    const row = rows[i];
    if (row) void prefetchDetail(row.capture);
  }
}

export function prefetchDetail(c: CaptureItem): void {
  if (!state.details.has(c.id)) {
    const p = getJson<CaptureDetail>(`/api/v1/moderation/captures/${encodeURIComponent(c.id)}`);
    p.catch(() => state.details.delete(c.id));
    state.details.set(c.id, p);
  }
  if (!c.hidden) {
    const img = new Image();
    img.src = c.screenshotUrl;
  }
}

export function renderQueue(main: HTMLElement, query: URLSearchParams): void {
  state.filters = filtersFromQuery(query);
  tableBody = h('tbody');
  selectionInfo = h('span', { class: 'muted', 'aria-live': 'polite' });
  newBanner = h(
    'button',
    { type: 'button', class: 'btn new-banner', hidden: true, onclick: () => void refresh(false) },
    'New captures arrived — show them',
  );
  const toolbar = h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Actions' },
    h(
      'button',
      { type: 'button', class: 'btn', 'aria-keyshortcuts': 'd', onclick: () => void runAction('dismiss') },
      'Dismiss',
      h('kbd', { 'aria-hidden': 'true' }, 'd'),
    ),
    h(
      'button',
      { type: 'button', class: 'btn', 'aria-keyshortcuts': 'r', onclick: () => void runAction('review') },
      'Reviewed',
      h('kbd', { 'aria-hidden': 'true' }, 'r'),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-danger-outline',
        'aria-keyshortcuts': 'e',
        onclick: () => void runAction('escalate'),
      },
      'Escalate',
      h('kbd', { 'aria-hidden': 'true' }, 'e'),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-quiet',
        'aria-keyshortcuts': 'u',
        onclick: () => void undoAndRefresh(),
      },
      'Undo',
      h('kbd', { 'aria-hidden': 'true' }, 'u'),
    ),
    selectionInfo,
  );
  const table = h(
    'table',
    { class: 'queue', 'aria-label': 'Captures', hidden: true },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Select')),
        h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Screenshot')),
        h('th', { scope: 'col' }, 'Severity'),
        h('th', { scope: 'col' }, 'Phrase'),
        h('th', { scope: 'col' }, 'Where'),
        h('th', { scope: 'col' }, 'When'),
        h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Group')),
      ),
    ),
    tableBody,
  );
  listRegion = h(
    'section',
    { class: 'list', 'aria-labelledby': 'queue-title', 'aria-busy': 'true' },
    h('p', { class: 'loading' }, 'Loading captures…'),
    table,
    h(
      'button',
      {
        type: 'button',
        class: 'btn load-more',
        hidden: true,
        onclick: () => {
          void loadQueue(false).then(() => paintRows(false));
        },
      },
      'Load more',
    ),
  );
  const canAct = state.ctx?.permissions.actOnCaptures ?? false;
  main.append(
    h(
      'div',
      { class: 'page' },
      h(
        'div',
        { class: 'page-head' },
        h('h1', { id: 'queue-title' }, 'Moderation queue'),
        h('p', { class: 'muted' }, 'Critical first, then newest. Press ? for keyboard shortcuts.'),
      ),
      filterForm(),
      newBanner,
      canAct ? toolbar : null,
      listRegion,
    ),
  );
  void (async () => {
    try {
      await loadQueue(true);
      state.headEtag = null;
      void pollHead();
    } catch (e) {
      announce(e instanceof ApiError ? e.message : 'Could not load the queue.', true);
    }
    listRegion?.querySelector('.loading')?.remove();
    state.focus = Math.min(state.focus, Math.max(0, flatRows().length - 1));
    paintRows(true);
  })();
}

async function undoAndRefresh(): Promise<void> {
  const focus = state.lastAction?.focus;
  if (!(await undo())) return;
  await refresh(true);
  if (focus !== undefined) setFocus(focus);
}

/** Keyboard handling for the queue; answers true when the key was used. */
export function queueKey(e: KeyboardEvent): boolean {
  const rows = flatRows();
  const row = rows[state.focus];
  const canAct = state.ctx?.permissions.actOnCaptures ?? false;
  switch (e.key) {
    case 'j':
    case 'ArrowDown':
      setFocus(state.focus + 1);
      return true;
    case 'k':
    case 'ArrowUp':
      setFocus(state.focus - 1);
      return true;
    case 'o':
    case 'Enter':
      if (row) location.hash = `#/capture/${encodeURIComponent(row.capture.id)}`;
      return true;
    case 'x':
    case ' ':
      toggleSelect(state.focus);
      return true;
    case 'ArrowRight':
      if (row && row.kind === 'group' && row.count > 1) void toggleGroup(row.groupKey, state.focus, true);
      return true;
    case 'ArrowLeft':
      if (row)
        void toggleGroup(
          row.groupKey,
          row.kind === 'group'
            ? state.focus
            : rows.findIndex((r) => r.kind === 'group' && r.groupKey === row.groupKey),
          false,
        );
      return true;
    case 'd':
      if (canAct) void runAction('dismiss');
      return true;
    case 'D':
      if (canAct) void runAction('dismiss-suggest');
      return true;
    case 'r':
      if (canAct) void runAction('review');
      return true;
    case 'e':
      if (canAct) void runAction('escalate');
      return true;
    case 'n':
      if (canAct && row) void addNote(row.capture.id);
      return true;
    case 'u':
      if (canAct) void undoAndRefresh();
      return true;
    case '/':
      document.getElementById('f-q')?.focus();
      return true;
    default:
      return false;
  }
}

/** Live update: poll the queue head with ETag; offer new captures rather than moving rows under the keyboard. */
export async function pollHead(): Promise<void> {
  try {
    const answer = await request<unknown>('/api/v1/queue/head', { etag: state.headEtag ?? undefined });
    if (answer.status === 304) return;
    const first = state.headEtag === null;
    state.headEtag = answer.etag;
    if (first || !newBanner || !document.body.contains(newBanner)) return;
    if (flatRows().length === 0) await refresh(false);
    else newBanner.hidden = false;
  } catch {
    // a missed poll is harmless; the next one catches up
  }
}
