/** The technician's devices view, the audit viewer and each user's alert preferences. */
import { ApiError, getJson, postJson, request } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { CATEGORY_LABELS } from '../lib/format.js';
import { announce } from '../views/shell.js';
import { pickSchool, schoolsFor, workflow } from './session.js';
import type { AuditItem, DeviceRow } from './types.js';
import { failed, loading, page, schoolPicker, tableHead, when } from './widgets.js';

const errorText = (e: unknown) => (e instanceof ApiError ? e.message : 'The request failed.');

export async function renderDevices(main: HTMLElement, query: URLSearchParams): Promise<void> {
  const school = pickSchool('device.list', query);
  if (!school) return failed(main, 'Your role has no devices view.');
  loading(main, 'Devices', 'devices');
  let data: {
    items: DeviceRow[];
    lexiconVersion: string;
    enrolmentTokens: {
      id: string;
      label: string;
      createdAt: string;
      expiresAt: string | null;
      revokedAt: string | null;
    }[];
  };
  try {
    data = await getJson(`/api/v1/schools/${encodeURIComponent(school.id)}/devices`);
  } catch (e) {
    return failed(main, errorText(e));
  }
  const tz = school.timeZone;
  const label = h('input', {
    id: 'wf-token-label',
    type: 'text',
    required: true,
    maxlength: 200,
    placeholder: 'e.g. ICT suite 2',
  });
  const issued = h('div', { 'aria-live': 'polite' });
  const reload = () => void renderDevices(main, query);
  main.replaceChildren(
    page(
      'Devices',
      schoolPicker(schoolsFor('device.list'), school, (id) => `#/devices?school=${encodeURIComponent(id)}`),
      h(
        'p',
        { class: 'muted' },
        `${data.items.length} devices. Current lexicon ${data.lexiconVersion}. Devices with problems are listed first.`,
      ),
      h(
        'table',
        { class: 'wf-table wf-devices' },
        tableHead(['Machine', 'Last seen', 'Agent', 'Lexicon', 'Queue', 'Evictions', 'Problems', '']),
        h(
          'tbody',
          null,
          ...data.items.map((d) =>
            h(
              'tr',
              {
                class: d.revokedAt
                  ? 'wf-revoked'
                  : d.stale
                    ? 'wf-stale'
                    : d.problems.length > 0
                      ? 'wf-warn'
                      : '',
              },
              h('th', { scope: 'row' }, d.hostname, h('span', { class: 'block muted' }, d.os)),
              h('td', null, when(d.lastSeenAt, tz)),
              h('td', null, d.agentVersion),
              h('td', null, d.lexiconVersion ?? '—'),
              h('td', null, d.queueLength === null ? '—' : String(d.queueLength)),
              h('td', null, d.evictions === null ? '—' : String(d.evictions)),
              h(
                'td',
                null,
                d.problems.length === 0 ? h('span', { class: 'muted' }, 'healthy') : d.problems.join('; '),
              ),
              h(
                'td',
                null,
                d.revokedAt || !school.actions.includes('device.revoke')
                  ? null
                  : h(
                      'button',
                      {
                        type: 'button',
                        class: 'btn btn-danger-outline',
                        'aria-label': `Revoke ${d.hostname}`,
                        onclick: () => {
                          if (
                            !window.confirm(
                              `Revoke ${d.hostname}? It must be enrolled again to send captures.`,
                            )
                          )
                            return;
                          void postJson(`/api/v1/devices/${encodeURIComponent(d.id)}/revoke`, {}).then(
                            () => (announce(`${d.hostname} revoked`), reload()),
                            (e: unknown) => announce(errorText(e), true),
                          );
                        },
                      },
                      'Revoke',
                    ),
              ),
            ),
          ),
        ),
      ),
      school.actions.includes('enrolment.issue')
        ? h(
            'section',
            { class: 'card', 'aria-labelledby': 'wf-enrol' },
            h('h2', { id: 'wf-enrol' }, 'Enrolment tokens'),
            h(
              'p',
              null,
              'Give a token to the installer (MSI property or managed preference). It is shown once.',
            ),
            h(
              'form',
              {
                class: 'wf-inline',
                onsubmit: (e: SubmitEvent) => {
                  e.preventDefault();
                  void postJson<{ token: string; label: string }>(
                    `/api/v1/schools/${encodeURIComponent(school.id)}/enrolment-tokens`,
                    { label: label.value },
                  ).then(
                    (t) =>
                      issued.replaceChildren(
                        h('p', null, `Token for ${t.label}: `, h('code', { class: 'secret' }, t.token)),
                      ),
                    (err: unknown) => announce(errorText(err), true),
                  );
                },
              },
              h('label', { for: 'wf-token-label' }, 'Label '),
              label,
              h('button', { type: 'submit', class: 'btn' }, 'New enrolment token'),
            ),
            issued,
            h(
              'ul',
              { class: 'wf-list' },
              ...data.enrolmentTokens.map((t) =>
                h(
                  'li',
                  null,
                  `${t.label} · created ${when(t.createdAt, tz)}${t.expiresAt ? ` · expires ${when(t.expiresAt, tz)}` : ''}${t.revokedAt ? ' · revoked' : ''}`,
                ),
              ),
            ),
          )
        : null,
    ),
  );
}

export async function renderAudit(main: HTMLElement, query: URLSearchParams): Promise<void> {
  loading(main, 'Audit log', 'the audit log');
  const params = new URLSearchParams();
  for (const k of ['schoolId', 'action', 'actorUserId', 'targetId', 'from', 'to', 'afterSeq']) {
    const v = query.get(k);
    if (v) params.set(k, v);
  }
  let data: { items: AuditItem[]; people: Record<string, string>; nextAfterSeq: number | null };
  let verdict: { ok: boolean; checked: number; firstBreak?: { seq: number; reason: string } };
  try {
    [data, verdict] = await Promise.all([
      getJson<typeof data>(`/api/v1/audit?${params.toString()}`),
      getJson<typeof verdict>('/api/v1/audit/verify'),
    ]);
  } catch (e) {
    return failed(main, errorText(e));
  }
  const action = h('input', {
    id: 'wf-audit-action',
    type: 'text',
    value: query.get('action') ?? '',
    placeholder: 'e.g. capture. or incident.',
  });
  const target = h('input', { id: 'wf-audit-target', type: 'text', value: query.get('targetId') ?? '' });
  const school = h(
    'select',
    { id: 'wf-audit-school' },
    h('option', { value: '' }, 'All my schools'),
    ...schoolsFor('audit.view').map((s) =>
      h('option', { value: s.id, selected: s.id === query.get('schoolId') }, s.name),
    ),
  );
  const tz = workflow()?.schools[0]?.timeZone ?? 'Europe/London';
  main.replaceChildren(
    page(
      'Audit log',
      h(
        'p',
        { class: verdict.ok ? 'wf-ok' : 'form-error', role: verdict.ok ? null : 'alert' },
        verdict.ok
          ? `Hash chain intact: ${verdict.checked} events verified.`
          : `Hash chain BROKEN at event ${verdict.firstBreak?.seq ?? '?'} (${verdict.firstBreak?.reason ?? ''}). Tell the data protection officer.`,
      ),
      h(
        'form',
        {
          class: 'filters wf-inline',
          onsubmit: (e: SubmitEvent) => {
            e.preventDefault();
            const q = new URLSearchParams();
            if (action.value) q.set('action', action.value);
            if (target.value) q.set('targetId', target.value);
            if (school.value) q.set('schoolId', school.value);
            location.hash = `#/audit?${q.toString()}`;
          },
        },
        h('label', { for: 'wf-audit-school' }, 'School '),
        school,
        h('label', { for: 'wf-audit-action' }, ' Action starts with '),
        action,
        h('label', { for: 'wf-audit-target' }, ' Target id '),
        target,
        h('button', { type: 'submit', class: 'btn' }, 'Filter'),
      ),
      h(
        'table',
        { class: 'wf-table' },
        tableHead(['#', 'When', 'Who', 'Action', 'Target', 'Details']),
        h(
          'tbody',
          null,
          ...data.items.map((e) =>
            h(
              'tr',
              null,
              h('td', null, String(e.seq)),
              h('td', null, when(e.at, tz)),
              h(
                'td',
                null,
                e.actorUserId
                  ? (data.people[e.actorUserId] ?? e.actorUserId)
                  : e.actorDeviceId
                    ? 'a device'
                    : 'the system',
              ),
              h('td', null, h('code', null, e.action)),
              h('td', null, e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : '—'),
              h('td', null, h('code', { class: 'wf-details' }, JSON.stringify(e.details))),
            ),
          ),
        ),
      ),
      data.nextAfterSeq === null
        ? null
        : h(
            'p',
            null,
            h(
              'a',
              {
                class: 'btn',
                href: `#/audit?${new URLSearchParams({ ...Object.fromEntries(params), afterSeq: String(data.nextAfterSeq) }).toString()}`,
              },
              'Older events',
            ),
          ),
    ),
  );
}

export async function renderAlerts(main: HTMLElement): Promise<void> {
  loading(main, 'Alerts', 'alert preferences');
  let prefs: { urgentEmail: boolean; digest: string; isDefault: boolean };
  try {
    prefs = await getJson('/api/v1/alerts/preferences');
  } catch (e) {
    return failed(main, errorText(e));
  }
  const urgent = h('input', { id: 'wf-urgent', type: 'checkbox', checked: prefs.urgentEmail });
  const digest = h(
    'select',
    { id: 'wf-digest' },
    ...['off', 'daily', 'weekly'].map((d) =>
      h(
        'option',
        { value: d, selected: prefs.digest === d },
        d === 'off' ? 'No digest' : `${d[0]?.toUpperCase()}${d.slice(1)} digest`,
      ),
    ),
  );
  const rules = schoolsFor('alert.rules');
  const ruleSections = rules.map((s) => {
    const box = h('div', null, h('p', { class: 'loading' }, 'Loading…'));
    void getJson<{
      categories: string[];
      minSeverity: number;
      webhookUrl: string | null;
      isDefault: boolean;
    }>(`/api/v1/schools/${encodeURIComponent(s.id)}/alert-rule`).then(
      (rule) => {
        const boxes = Object.entries(CATEGORY_LABELS).map(([id, name]) => ({
          id,
          input: h('input', {
            type: 'checkbox',
            id: `wf-rule-${s.id}-${id}`,
            checked: rule.categories.includes(id),
          }),
          name,
        }));
        const sev = h(
          'select',
          { id: `wf-rule-${s.id}-sev` },
          ...[1, 2, 3, 4, 5, 6].map((n) =>
            h(
              'option',
              { value: n, selected: rule.minSeverity === n },
              n === 6 ? 'Never by severity' : `Severity ${n} and above`,
            ),
          ),
        );
        const hook = h('input', {
          id: `wf-rule-${s.id}-hook`,
          type: 'url',
          value: rule.webhookUrl ?? '',
          placeholder: 'https://…',
        });
        box.replaceChildren(
          h(
            'form',
            {
              class: 'wf-form',
              onsubmit: (e: SubmitEvent) => {
                e.preventDefault();
                void request(`/api/v1/schools/${encodeURIComponent(s.id)}/alert-rule`, {
                  method: 'PUT',
                  body: {
                    categories: boxes.filter((b) => b.input.checked).map((b) => b.id),
                    minSeverity: Number(sev.value),
                    webhookUrl: hook.value || null,
                  },
                }).then(
                  () => announce(`Urgent-alert rule saved for ${s.name}`),
                  (err: unknown) => announce(errorText(err), true),
                );
              },
            },
            h(
              'fieldset',
              null,
              h('legend', null, 'Categories that alert at once'),
              ...boxes.map((b) => h('label', { class: 'wf-check', for: b.input.id }, b.input, ` ${b.name}`)),
            ),
            h('p', { class: 'field' }, h('label', { for: sev.id }, 'Also alert at'), sev),
            h(
              'p',
              { class: 'field' },
              h('label', { for: hook.id }, 'Webhook (optional; receives ids and links only)'),
              hook,
            ),
            h('button', { type: 'submit', class: 'btn btn-primary' }, `Save rule for ${s.name}`),
          ),
        );
      },
      (e: unknown) => box.replaceChildren(h('p', { class: 'form-error' }, errorText(e))),
    );
    return h(
      'section',
      { class: 'card', 'aria-label': `Urgent-alert rule, ${s.name}` },
      h('h2', null, `Urgent alerts at ${s.name}`),
      box,
    );
  });
  main.replaceChildren(
    page(
      'Alerts',
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'wf-mine' },
        h('h2', { id: 'wf-mine' }, 'What I receive'),
        h(
          'p',
          { class: 'muted' },
          'Alert e-mails hold a link only: never the screenshot, the phrase or the pupil’s name.',
        ),
        h(
          'form',
          {
            class: 'wf-form',
            onsubmit: (e: SubmitEvent) => {
              e.preventDefault();
              void request('/api/v1/alerts/preferences', {
                method: 'PUT',
                body: { urgentEmail: urgent.checked, digest: digest.value },
              }).then(
                () => announce('Preferences saved'),
                (err: unknown) => announce(errorText(err), true),
              );
            },
          },
          h(
            'p',
            null,
            h('label', { class: 'wf-check', for: 'wf-urgent' }, urgent, ' E-mail me urgent captures at once'),
          ),
          h('p', { class: 'field' }, h('label', { for: 'wf-digest' }, 'Digest of other captures'), digest),
          h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save preferences'),
        ),
      ),
      ...ruleSections,
    ),
  );
}
