/** The e-safety incident log: the DSL's in-tray of escalations, the list, and one incident. */
import { ApiError, getJson, postJson, request } from '../lib/api.js';
import { ACTION_KINDS, ACTION_LABELS, actionLabel } from '../../domain/incidents/action-kinds.js';
import { h } from '../lib/dom.js';
import { categoryLabel, severityLabel } from '../lib/format.js';
import { announce } from '../views/shell.js';
import { mayAnywhere, mayIn, schoolsFor, workflow } from './session.js';
import type { Incident, IncidentDetail } from './types.js';
import { failed, loading, page, tableHead, when } from './widgets.js';

interface Escalation {
  id: string;
  schoolId: string;
  capturedAt: string;
  machine: string;
  user: string;
  category: string;
  severity: number;
  escalatedAt: string | null;
}

const STATUS_TEXT: Record<string, string> = { open: 'Open', 'in-progress': 'In progress', closed: 'Closed' };

function zoneOf(schoolId: string): string {
  return workflow()?.schools.find((s) => s.id === schoolId)?.timeZone ?? 'Europe/London';
}

function errorText(e: unknown): string {
  return e instanceof ApiError ? e.message : 'The request failed.';
}

export async function renderIncidents(main: HTMLElement, query: URLSearchParams): Promise<void> {
  loading(main, 'Incidents', 'incidents');
  const status = query.get('status') ?? '';
  let list: { items: Incident[]; people: Record<string, string> };
  let escalations: Escalation[] = [];
  try {
    list = await getJson(`/api/v1/incidents${status ? `?status=${encodeURIComponent(status)}` : ''}`);
    if (mayAnywhere('incident.create'))
      escalations = (await getJson<{ items: Escalation[] }>('/api/v1/incidents/escalations')).items;
  } catch (e) {
    return failed(main, errorText(e));
  }
  const openFrom = async (captureId: string) => {
    try {
      const inc = await postJson<Incident>(`/api/v1/captures/${encodeURIComponent(captureId)}/incident`, {});
      announce(`Incident ${inc.reference} opened`);
      location.hash = `#/incident/${encodeURIComponent(inc.id)}`;
    } catch (e) {
      announce(errorText(e), true);
    }
  };
  const filter = h(
    'select',
    {
      id: 'wf-status',
      onchange: () => (location.hash = `#/incidents${filter.value ? `?status=${filter.value}` : ''}`),
    },
    h('option', { value: '', selected: status === '' }, 'All'),
    ...Object.entries(STATUS_TEXT).map(([v, label]) =>
      h('option', { value: v, selected: v === status }, label),
    ),
  );
  main.replaceChildren(
    page(
      'Incidents',
      escalations.length === 0
        ? null
        : h(
            'section',
            { class: 'card wf-intray', 'aria-labelledby': 'wf-escalated' },
            h('h2', { id: 'wf-escalated' }, `Escalated to you (${escalations.length})`),
            h(
              'table',
              { class: 'wf-table' },
              tableHead(['Captured', 'Pupil', 'Machine', 'Category', 'Severity', '']),
              h(
                'tbody',
                null,
                ...escalations.map((e) =>
                  h(
                    'tr',
                    null,
                    h('td', null, when(e.capturedAt, zoneOf(e.schoolId))),
                    h('td', null, e.user),
                    h('td', null, e.machine),
                    h('td', null, categoryLabel(e.category)),
                    h('td', null, h('span', { class: `sev sev-${e.severity}` }, severityLabel(e.severity))),
                    h(
                      'td',
                      null,
                      h(
                        'a',
                        { href: `#/capture/${encodeURIComponent(e.id)}`, class: 'btn btn-quiet' },
                        'View capture',
                      ),
                      ' ',
                      h(
                        'button',
                        {
                          type: 'button',
                          class: 'btn btn-primary',
                          'aria-label': `Open an incident for ${e.user} on ${e.machine}`,
                          onclick: () => void openFrom(e.id),
                        },
                        'Open incident',
                      ),
                    ),
                  ),
                ),
              ),
            ),
          ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'wf-log' },
        h('h2', { id: 'wf-log' }, 'E-safety incident log'),
        h(
          'p',
          { class: 'wf-inline' },
          h('label', { for: 'wf-status' }, 'Status '),
          filter,
          mayAnywhere('incident.create') ? newIncidentForm() : null,
        ),
        list.items.length === 0
          ? h('p', { class: 'empty' }, 'No incidents.')
          : h(
              'table',
              { class: 'wf-table' },
              tableHead(['Reference', 'Title', 'Pupil', 'Status', 'Owner', 'Opened']),
              h(
                'tbody',
                null,
                ...list.items.map((i) =>
                  h(
                    'tr',
                    null,
                    h('td', null, h('a', { href: `#/incident/${encodeURIComponent(i.id)}` }, i.reference)),
                    h(
                      'td',
                      null,
                      i.title,
                      i.legalHold ? h('span', { class: 'wf-badge wf-hold' }, 'Legal hold') : null,
                    ),
                    h('td', null, i.subjectUser ?? '—'),
                    h(
                      'td',
                      null,
                      h('span', { class: `wf-badge wf-${i.status}` }, STATUS_TEXT[i.status] ?? i.status),
                    ),
                    h('td', null, i.ownerUserId === null ? '—' : (list.people[i.ownerUserId] ?? '—')),
                    h('td', null, when(i.openedAt, zoneOf(i.schoolId))),
                  ),
                ),
              ),
            ),
      ),
    ),
  );
}

function newIncidentForm(): HTMLElement {
  const schools = schoolsFor('incident.create');
  const title = h('input', { id: 'wf-new-title', type: 'text', required: true, maxlength: 200 });
  const school = h(
    'select',
    { id: 'wf-new-school' },
    ...schools.map((s) => h('option', { value: s.id }, s.name)),
  );
  const form = h(
    'form',
    {
      class: 'wf-inline',
      onsubmit: (e: SubmitEvent) => {
        e.preventDefault();
        void postJson<Incident>('/api/v1/incidents', { schoolId: school.value, title: title.value }).then(
          (inc) => (location.hash = `#/incident/${encodeURIComponent(inc.id)}`),
          (err: unknown) => announce(errorText(err), true),
        );
      },
    },
    h('label', { for: 'wf-new-title' }, 'New incident by hand '),
    title,
    schools.length > 1 ? [h('label', { for: 'wf-new-school', class: 'sr-only' }, 'School'), school] : null,
    h('button', { type: 'submit', class: 'btn' }, 'Open'),
  );
  if (schools.length <= 1) form.append(school);
  school.hidden = schools.length <= 1;
  return form;
}

const ANSWERS: { field: keyof Incident; label: string; options: [string, string][] }[] = [
  {
    field: 'illegal',
    label: 'Was illegal material or activity found or suspected?',
    options: [
      ['unknown', 'Not yet decided'],
      ['no', 'No'],
      ['suspected', 'Suspected'],
      ['yes', 'Yes'],
    ],
  },
  {
    field: 'staffInvolved',
    label: 'Did the incident involve a member of staff?',
    options: [
      ['', 'Not yet answered'],
      ['false', 'No'],
      ['true', 'Yes'],
    ],
  },
  {
    field: 'pupilRole',
    label: 'Was the pupil the victim or the instigator?',
    options: [
      ['unknown', 'Not yet known'],
      ['victim', 'Victim'],
      ['instigator', 'Instigator'],
      ['both', 'Both'],
      ['not-involved', 'No pupil involved'],
    ],
  },
  {
    field: 'intent',
    label: 'Accidental or deliberate?',
    options: [
      ['unknown', 'Not yet known'],
      ['accidental', 'Accidental'],
      ['deliberate', 'Deliberate'],
    ],
  },
  {
    field: 'otherPupilsInvolved',
    label: 'Were other pupils involved?',
    options: [
      ['', 'Not yet answered'],
      ['false', 'No'],
      ['true', 'Yes'],
    ],
  },
];

function answerValue(v: unknown): string {
  return v === null ? '' : String(v);
}

function parseAnswer(field: keyof Incident, v: string): unknown {
  if (field === 'staffInvolved' || field === 'otherPupilsInvolved') return v === '' ? null : v === 'true';
  return v;
}

export async function renderIncident(main: HTMLElement, id: string): Promise<void> {
  loading(main, 'Incident', 'the incident');
  let d: IncidentDetail;
  try {
    d = await getJson<IncidentDetail>(`/api/v1/incidents/${encodeURIComponent(id)}`);
  } catch (e) {
    return failed(main, errorText(e));
  }
  const inc = d.incident;
  const tz = zoneOf(inc.schoolId);
  const canEdit = mayIn('incident.update', inc.schoolId);
  const closed = inc.status === 'closed';
  const editable = canEdit && !closed;
  const who = (uid: string | null) => (uid === null ? '—' : (d.people[uid] ?? 'former member of staff'));
  const reload = () => void renderIncident(main, id);
  const act = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      announce(what);
      reload();
    } catch (e) {
      announce(errorText(e), true);
    }
  };

  const selects = ANSWERS.map((a) => {
    const sel = h(
      'select',
      { id: `wf-${a.field}`, disabled: !editable },
      ...a.options.map(([v, label]) =>
        h('option', { value: v, selected: answerValue(inc[a.field]) === v }, label),
      ),
    );
    return { a, sel };
  });
  const flowchart = h(
    'form',
    {
      class: 'wf-form',
      onsubmit: (e: SubmitEvent) => {
        e.preventDefault();
        const body: Record<string, unknown> = {};
        for (const { a, sel } of selects) body[a.field] = parseAnswer(a.field, sel.value);
        void act('Answers saved', () =>
          request(`/api/v1/incidents/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
        );
      },
    },
    ...selects.map(({ a, sel }) => h('p', { class: 'field' }, h('label', { for: sel.id }, a.label), sel)),
    editable ? h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save answers') : null,
  );

  const kind = h(
    'select',
    { id: 'wf-action-kind' },
    ...ACTION_KINDS.map((k) => h('option', { value: k }, ACTION_LABELS[k])),
  );
  const detail = h('input', { id: 'wf-action-detail', type: 'text', maxlength: 2000 });
  const noteText = h('textarea', { id: 'wf-note', rows: 3, maxlength: 10000, required: true });
  const outcome = h('textarea', { id: 'wf-outcome', rows: 2, maxlength: 10000, required: true });

  main.replaceChildren(
    page(
      `${inc.reference}: ${inc.title}`,
      h(
        'p',
        { class: 'wf-badges' },
        h('span', { class: `wf-badge wf-${inc.status}` }, STATUS_TEXT[inc.status] ?? inc.status),
        inc.legalHold
          ? h('span', { class: 'wf-badge wf-hold' }, `Legal hold: ${inc.legalHoldReason ?? ''}`)
          : null,
        h(
          'span',
          { class: 'muted' },
          ` Pupil: ${inc.subjectUser ?? '—'} · Owner: ${who(inc.ownerUserId)} · Opened ${when(inc.openedAt, tz)} by ${who(inc.openedBy)}`,
        ),
      ),
      h(
        'p',
        { class: 'toolbar' },
        h(
          'a',
          { class: 'btn', href: `/api/v1/incidents/${encodeURIComponent(id)}/incident.pdf`, download: '' },
          'Download PDF',
        ),
        h(
          'a',
          { class: 'btn', href: `/api/v1/incidents/${encodeURIComponent(id)}/referral.zip`, download: '' },
          'Referral pack (zip with SHA-256 manifest)',
        ),
        mayIn('incident.hold', inc.schoolId)
          ? h(
              'button',
              {
                type: 'button',
                class: inc.legalHold ? 'btn' : 'btn btn-danger-outline',
                onclick: () => {
                  const reason = window.prompt(
                    inc.legalHold
                      ? 'Why lift the legal hold?'
                      : 'Why place a legal hold (e.g. police investigation)?',
                  );
                  if (reason)
                    void act(inc.legalHold ? 'Legal hold lifted' : 'Legal hold placed', () =>
                      request(`/api/v1/incidents/${encodeURIComponent(id)}/legal-hold`, {
                        method: 'PUT',
                        body: { on: !inc.legalHold, reason },
                      }),
                    );
                },
              },
              inc.legalHold ? 'Lift legal hold' : 'Place legal hold',
            )
          : null,
      ),
      h(
        'div',
        { class: 'wf-grid' },
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'wf-fc' },
          h('h2', { id: 'wf-fc' }, 'Flowchart'),
          flowchart,
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'wf-steps' },
          h('h2', { id: 'wf-steps' }, 'What the flowchart asks next'),
          h(
            'ul',
            { class: 'wf-steps' },
            ...d.steps.map((s) =>
              h(
                'li',
                { class: s.done ? 'wf-done' : '' },
                h('span', { 'aria-hidden': 'true' }, s.done ? '✓ ' : '○ '),
                s.text,
                s.done ? h('span', { class: 'sr-only' }, ' (done)') : null,
              ),
            ),
          ),
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'wf-actions' },
          h('h2', { id: 'wf-actions' }, 'Actions taken'),
          d.actions.length === 0
            ? h('p', { class: 'empty' }, 'None recorded yet.')
            : h(
                'ul',
                { class: 'wf-list' },
                ...d.actions.map((a) =>
                  h(
                    'li',
                    null,
                    h('strong', null, actionLabel(a.kind)),
                    ` · ${when(a.takenAt, tz)} · ${who(a.recordedBy)}`,
                    a.detail ? h('span', { class: 'block' }, a.detail) : null,
                  ),
                ),
              ),
          editable
            ? h(
                'form',
                {
                  class: 'wf-inline',
                  onsubmit: (e: SubmitEvent) => {
                    e.preventDefault();
                    void act('Action recorded', () =>
                      postJson(`/api/v1/incidents/${encodeURIComponent(id)}/actions`, {
                        kind: kind.value,
                        detail: detail.value,
                      }),
                    );
                  },
                },
                h('label', { for: 'wf-action-kind' }, 'Action '),
                kind,
                h('label', { for: 'wf-action-detail' }, ' Detail '),
                detail,
                h('button', { type: 'submit', class: 'btn' }, 'Record action'),
              )
            : null,
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'wf-evidence' },
          h('h2', { id: 'wf-evidence' }, `Evidence (${d.evidence.length})`),
          d.evidence.length === 0
            ? h('p', { class: 'empty' }, 'No captures linked.')
            : h(
                'ul',
                { class: 'wf-list' },
                ...d.evidence.map((e) =>
                  h(
                    'li',
                    null,
                    h(
                      'a',
                      { href: `#/capture/${encodeURIComponent(e.id)}` },
                      `${categoryLabel(e.category)}, ${severityLabel(e.severity)}`,
                    ),
                    ` · ${e.user} on ${e.machine} · ${when(e.capturedAt, tz)}`,
                    e.withheld
                      ? h(
                          'span',
                          { class: 'block muted' },
                          'Illegal category: saved, not shown. SHA-256 ',
                          h('code', null, e.screenshotSha256 ?? '—'),
                        )
                      : h('span', { class: 'block' }, h('q', null, e.context ?? '')),
                  ),
                ),
              ),
        ),
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'wf-notes' },
        h('h2', { id: 'wf-notes' }, 'Notes'),
        d.notes.length === 0
          ? h('p', { class: 'empty' }, 'No notes yet.')
          : h(
              'ol',
              { class: 'wf-list' },
              ...d.notes.map((n) =>
                h(
                  'li',
                  null,
                  h('span', { class: 'muted' }, `${when(n.at, tz)} · ${who(n.authorUserId)}`),
                  h('span', { class: 'block' }, n.text),
                ),
              ),
            ),
        canEdit
          ? h(
              'form',
              {
                class: 'wf-form',
                onsubmit: (e: SubmitEvent) => {
                  e.preventDefault();
                  void act('Note added', () =>
                    postJson(`/api/v1/incidents/${encodeURIComponent(id)}/notes`, { text: noteText.value }),
                  );
                },
              },
              h('p', { class: 'field' }, h('label', { for: 'wf-note' }, 'Add a dated note'), noteText),
              h('button', { type: 'submit', class: 'btn' }, 'Add note'),
            )
          : null,
      ),
      closed
        ? h(
            'section',
            { class: 'card', 'aria-labelledby': 'wf-closed' },
            h('h2', { id: 'wf-closed' }, 'Closed'),
            h('p', null, `${when(inc.closedAt, tz)}: ${inc.outcome ?? ''}`),
            canEdit
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn',
                    onclick: () =>
                      void act('Incident reopened', () =>
                        postJson(`/api/v1/incidents/${encodeURIComponent(id)}/reopen`, {}),
                      ),
                  },
                  'Reopen incident',
                )
              : null,
          )
        : editable
          ? h(
              'section',
              { class: 'card', 'aria-labelledby': 'wf-close' },
              h('h2', { id: 'wf-close' }, 'Close the incident'),
              h(
                'form',
                {
                  class: 'wf-form',
                  onsubmit: (e: SubmitEvent) => {
                    e.preventDefault();
                    void act('Incident closed', () =>
                      postJson(`/api/v1/incidents/${encodeURIComponent(id)}/close`, {
                        outcome: outcome.value,
                      }),
                    );
                  },
                },
                h('p', { class: 'field' }, h('label', { for: 'wf-outcome' }, 'Outcome'), outcome),
                h('button', { type: 'submit', class: 'btn btn-primary' }, 'Close incident'),
              ),
            )
          : null,
    ),
  );
}
