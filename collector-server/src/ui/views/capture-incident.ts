/**
 * On a capture's page: the open incident the capture is evidence in, as a link, or — for those
 * who may open incidents in its school (the DSL) — "Open incident", which opens one with the
 * capture as evidence and goes to it. The server decides again on every request.
 */
import { ApiError, getJson, postJson } from '../lib/api.js';
import { h } from '../lib/dom.js';
import type { CaptureItem } from '../lib/types.js';
import { mayIn } from '../workflow/session.js';
import { announce } from './shell.js';

interface LinkedIncident {
  id: string;
  reference: string;
  title: string;
  status: string;
}

const incidentHref = (id: string) => `#/incident/${encodeURIComponent(id)}`;

async function openIncident(c: CaptureItem, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    const inc = await postJson<LinkedIncident>(`/api/v1/captures/${encodeURIComponent(c.id)}/incident`, {});
    announce(`Incident ${inc.reference} opened with this capture as evidence`);
    location.hash = incidentHref(inc.id);
  } catch (e) {
    button.disabled = false;
    announce(e instanceof ApiError ? e.message : 'The incident could not be opened.', true);
  }
}

async function fill(box: HTMLElement, c: CaptureItem, mayOpen: boolean): Promise<void> {
  let linked: LinkedIncident[] = [];
  try {
    linked = (
      await getJson<{ items: LinkedIncident[] }>(`/api/v1/captures/${encodeURIComponent(c.id)}/incidents`)
    ).items;
  } catch {
    // Unknown: offer the button anyway; opening answers the open incident if there is one.
  }
  const open = linked.find((i) => i.status !== 'closed');
  if (open) {
    box.replaceChildren(
      h('a', { class: 'btn', href: incidentHref(open.id) }, `In incident ${open.reference}`),
    );
    return;
  }
  if (!mayOpen) return;
  const button = h(
    'button',
    { type: 'button', class: 'btn btn-primary', onclick: () => void openIncident(c, button) },
    'Open incident',
  );
  box.replaceChildren(
    button,
    h('span', { class: 'muted' }, ' Opens an incident in the log with this capture as evidence.'),
  );
}

export function captureIncident(c: CaptureItem): HTMLElement | null {
  const mayOpen = mayIn('incident.create', c.schoolId);
  if (!mayOpen && !mayIn('incident.view', c.schoolId)) return null;
  const box = h('div', { class: 'capture-incident' });
  void fill(box, c, mayOpen);
  return box;
}
