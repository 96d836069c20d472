/** Small building blocks shared by the workflow pages. */
import { h } from '../lib/dom.js';
import type { Child } from '../lib/dom.js';
import type { WorkflowSchool } from './types.js';

export function page(title: string, ...children: Child[]): HTMLElement {
  const heading = h('h1', { tabindex: -1 }, title);
  const el = h('div', { class: 'page wf-page' }, h('div', { class: 'page-head' }, heading), ...children);
  queueMicrotask(() => heading.focus());
  return el;
}

/** A school switcher, shown only to staff of several schools (a local-authority team). */
export function schoolPicker(
  schools: WorkflowSchool[],
  current: WorkflowSchool,
  hrefFor: (id: string) => string,
): Child {
  if (schools.length < 2) return null;
  const select = h(
    'select',
    { id: 'wf-school', onchange: () => (location.hash = hrefFor(select.value)) },
    ...schools.map((s) => h('option', { value: s.id, selected: s.id === current.id }, s.name)),
  );
  return h('p', { class: 'field wf-inline' }, h('label', { for: 'wf-school' }, 'School '), select);
}

/** A one-line form: its fields, a submit button, and what submitting does (never a page load). */
export function inlineForm(
  fields: readonly Child[],
  submit: string,
  onSubmit: () => void,
  primary = false,
): HTMLFormElement {
  return h(
    'form',
    {
      class: 'wf-inline',
      onsubmit: (e: SubmitEvent) => {
        e.preventDefault();
        onSubmit();
      },
    },
    ...fields,
    h('button', { type: 'submit', class: primary ? 'btn btn-primary' : 'btn' }, submit),
  );
}

/** A table's header row: one column header (`scope="col"`) per label. */
export function tableHead(labels: readonly string[]): HTMLElement {
  return h('thead', null, h('tr', null, ...labels.map((t) => h('th', { scope: 'col' }, t))));
}

export function stat(label: string, value: string | number, note?: string): HTMLElement {
  return h(
    'div',
    { class: 'wf-stat' },
    h('p', { class: 'wf-stat-value' }, String(value)),
    h('p', { class: 'wf-stat-label' }, label),
    note ? h('p', { class: 'wf-stat-note muted' }, note) : null,
  );
}

/** A page heading at once (screen readers announce the page), then the loading note. */
export function loading(main: HTMLElement, title: string, what: string): void {
  main.replaceChildren(
    h(
      'div',
      { class: 'page' },
      h('h1', null, title),
      h('p', { class: 'loading', 'aria-busy': 'true' }, `Loading ${what}…`),
    ),
  );
}

export function failed(main: HTMLElement, message: string): void {
  main.replaceChildren(
    h(
      'div',
      { class: 'page' },
      h('h1', null, 'Something went wrong'),
      h('p', { class: 'form-error', role: 'alert' }, message),
    ),
  );
}

export function when(iso: string | null, timeZone: string): string {
  if (iso === null) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
