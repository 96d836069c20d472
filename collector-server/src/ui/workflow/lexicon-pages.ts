/** Lexicon administration, research exemptions and data protection (retention, subject access). */
import { ApiError, getJson, postJson, request } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { CATEGORY_LABELS, categoryLabel } from '../lib/format.js';
import { announce } from '../views/shell.js';
import { pickSchool, schoolsFor } from './session.js';
import { failed, loading, page, schoolPicker, tableHead, when } from './widgets.js';

const errorText = (e: unknown) => (e instanceof ApiError ? e.message : 'The request failed.');

interface Overrides {
  disabled: { term: string; category: string }[];
  added: { term: string; category: string; severity: number; note?: string }[];
  exceptions: { phrase: string; note?: string }[];
}

interface Overview {
  base: { name: string; version: string; entries: number; exceptions: number };
  overrides: Overrides;
  draftVersion: string;
  published: { version: string; custom: boolean; at: string | null };
}

function categorySelect(id: string, exclude: readonly string[] = []): HTMLSelectElement {
  return h(
    'select',
    { id },
    ...Object.entries(CATEGORY_LABELS)
      .filter(([c]) => !exclude.includes(c))
      .map(([c, label]) => h('option', { value: c }, label)),
  );
}

export async function renderLexicon(main: HTMLElement, query: URLSearchParams): Promise<void> {
  const school = pickSchool('lexicon.view', query);
  if (!school) return failed(main, 'Your role has no lexicon view.');
  loading(main, 'Lexicon', 'the lexicon');
  const base = `/api/v1/schools/${encodeURIComponent(school.id)}/lexicon`;
  let o: Overview;
  try {
    o = await getJson<Overview>(base);
  } catch (e) {
    return failed(main, errorText(e));
  }
  const canEdit = school.actions.includes('lexicon.edit');
  const reload = () => void renderLexicon(main, query);
  const save = (next: Overrides, what: string) =>
    void request(`${base}/overrides`, { method: 'PUT', body: next }).then(
      () => (announce(what), reload()),
      (e: unknown) => announce(errorText(e), true),
    );

  const phrase = h('input', {
    id: 'wf-try',
    type: 'text',
    maxlength: 2000,
    placeholder: 'Type a phrase a pupil might type',
  });
  const result = h('div', { 'aria-live': 'polite' });
  const search = h('input', { id: 'wf-search', type: 'text', maxlength: 100 });
  const found = h('div');
  const term = h('input', { id: 'wf-add-term', type: 'text', maxlength: 100, required: true });
  const cat = categorySelect('wf-add-cat');
  const sev = h(
    'select',
    { id: 'wf-add-sev' },
    ...[1, 2, 3, 4, 5].map((n) => h('option', { value: n, selected: n === 3 }, String(n))),
  );
  const exc = h('input', { id: 'wf-add-exc', type: 'text', maxlength: 100, required: true });

  main.replaceChildren(
    page(
      'Lexicon',
      schoolPicker(schoolsFor('lexicon.view'), school, (id) => `#/lexicon?school=${encodeURIComponent(id)}`),
      h(
        'p',
        { class: 'muted' },
        `Shipped: ${o.base.name} ${o.base.version}, ${o.base.entries} entries. Agents have ${o.published.custom ? 'this school’s version' : 'the shipped lexicon'} ${o.published.version}. Draft: ${o.draftVersion}.`,
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'wf-try-h' },
        h('h2', { id: 'wf-try-h' }, 'Try a phrase against the draft'),
        h(
          'form',
          {
            class: 'wf-inline',
            onsubmit: (e: SubmitEvent) => {
              e.preventDefault();
              void postJson<{
                matches: { term: string; category: string; severity: number; start: number; end: number }[];
              }>(`${base}/try`, { phrase: phrase.value }).then(
                (r) =>
                  result.replaceChildren(
                    r.matches.length === 0
                      ? h('p', null, 'No match: this phrase would not be captured.')
                      : h(
                          'ul',
                          { class: 'wf-list' },
                          ...r.matches.map((m) =>
                            h(
                              'li',
                              null,
                              h('mark', null, phrase.value.slice(m.start, m.end)),
                              ` matches “${m.term}”: ${categoryLabel(m.category)}, severity ${m.severity}`,
                            ),
                          ),
                        ),
                  ),
                (err: unknown) => announce(errorText(err), true),
              );
            },
          },
          h('label', { for: 'wf-try' }, 'Phrase '),
          phrase,
          h('button', { type: 'submit', class: 'btn btn-primary' }, 'Try'),
        ),
        result,
      ),
      canEdit
        ? h(
            'div',
            { class: 'wf-grid' },
            h(
              'section',
              { class: 'card', 'aria-labelledby': 'wf-find-h' },
              h('h2', { id: 'wf-find-h' }, 'Switch entries off'),
              h(
                'form',
                {
                  class: 'wf-inline',
                  onsubmit: (e: SubmitEvent) => {
                    e.preventDefault();
                    void getJson<{
                      items: { term: string; category: string; severity: number; disabled: boolean }[];
                    }>(`${base}/entries?q=${encodeURIComponent(search.value)}`).then((r) =>
                      found.replaceChildren(
                        h(
                          'ul',
                          { class: 'wf-list' },
                          ...r.items.map((it) =>
                            h(
                              'li',
                              null,
                              `${it.term} (${categoryLabel(it.category)}, ${it.severity}) `,
                              it.disabled
                                ? h('span', { class: 'muted' }, 'off')
                                : h(
                                    'button',
                                    {
                                      type: 'button',
                                      class: 'btn btn-quiet',
                                      'aria-label': `Switch off ${it.term}`,
                                      onclick: () =>
                                        save(
                                          {
                                            ...o.overrides,
                                            disabled: [
                                              ...o.overrides.disabled,
                                              { term: it.term, category: it.category },
                                            ],
                                          },
                                          `${it.term} switched off in the draft`,
                                        ),
                                    },
                                    'Switch off',
                                  ),
                            ),
                          ),
                        ),
                      ),
                    );
                  },
                },
                h('label', { for: 'wf-search' }, 'Find a term '),
                search,
                h('button', { type: 'submit', class: 'btn' }, 'Find'),
              ),
              found,
            ),
            h(
              'section',
              { class: 'card', 'aria-labelledby': 'wf-add-h' },
              h('h2', { id: 'wf-add-h' }, 'Add a term or an exception'),
              h(
                'form',
                {
                  class: 'wf-inline',
                  onsubmit: (e: SubmitEvent) => {
                    e.preventDefault();
                    save(
                      {
                        ...o.overrides,
                        added: [
                          ...o.overrides.added,
                          {
                            term: term.value.trim().toLowerCase(),
                            category: cat.value,
                            severity: Number(sev.value),
                          },
                        ],
                      },
                      `${term.value} added to the draft`,
                    );
                  },
                },
                h('label', { for: 'wf-add-term' }, 'Term '),
                term,
                h('label', { for: 'wf-add-cat', class: 'sr-only' }, 'Category'),
                cat,
                h('label', { for: 'wf-add-sev' }, ' Severity '),
                sev,
                h('button', { type: 'submit', class: 'btn' }, 'Add term'),
              ),
              h(
                'form',
                {
                  class: 'wf-inline',
                  onsubmit: (e: SubmitEvent) => {
                    e.preventDefault();
                    save(
                      {
                        ...o.overrides,
                        exceptions: [...o.overrides.exceptions, { phrase: exc.value.trim().toLowerCase() }],
                      },
                      `Exception “${exc.value}” added to the draft`,
                    );
                  },
                },
                h('label', { for: 'wf-add-exc' }, 'Benign phrase (exception) '),
                exc,
                h('button', { type: 'submit', class: 'btn' }, 'Add exception'),
              ),
            ),
          )
        : null,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'wf-changes-h' },
        h('h2', { id: 'wf-changes-h' }, 'This school’s changes'),
        o.overrides.disabled.length + o.overrides.added.length + o.overrides.exceptions.length === 0
          ? h('p', { class: 'empty' }, 'None: agents use the shipped lexicon.')
          : h(
              'ul',
              { class: 'wf-list' },
              ...o.overrides.disabled.map((d, i) =>
                h(
                  'li',
                  null,
                  `Off: ${d.term} (${categoryLabel(d.category)}) `,
                  canEdit
                    ? h(
                        'button',
                        {
                          type: 'button',
                          class: 'btn btn-quiet',
                          'aria-label': `Switch ${d.term} back on`,
                          onclick: () =>
                            save(
                              { ...o.overrides, disabled: o.overrides.disabled.filter((_, j) => j !== i) },
                              `${d.term} back on`,
                            ),
                        },
                        'Undo',
                      )
                    : null,
                ),
              ),
              ...o.overrides.added.map((a, i) =>
                h(
                  'li',
                  null,
                  `Added: ${a.term} (${categoryLabel(a.category)}, ${a.severity}) `,
                  canEdit
                    ? h(
                        'button',
                        {
                          type: 'button',
                          class: 'btn btn-quiet',
                          'aria-label': `Remove ${a.term}`,
                          onclick: () =>
                            save(
                              { ...o.overrides, added: o.overrides.added.filter((_, j) => j !== i) },
                              `${a.term} removed`,
                            ),
                        },
                        'Remove',
                      )
                    : null,
                ),
              ),
              ...o.overrides.exceptions.map((x, i) =>
                h(
                  'li',
                  null,
                  `Exception: ${x.phrase} `,
                  canEdit
                    ? h(
                        'button',
                        {
                          type: 'button',
                          class: 'btn btn-quiet',
                          'aria-label': `Remove exception ${x.phrase}`,
                          onclick: () =>
                            save(
                              {
                                ...o.overrides,
                                exceptions: o.overrides.exceptions.filter((_, j) => j !== i),
                              },
                              'Exception removed',
                            ),
                        },
                        'Remove',
                      )
                    : null,
                ),
              ),
            ),
        school.actions.includes('lexicon.publish')
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn btn-primary',
                onclick: () =>
                  void postJson<{ version: string }>(`${base}/publish`, {}).then(
                    (r) => (
                      announce(`Published ${r.version}: agents pick it up at their next policy check`),
                      reload()
                    ),
                    (e: unknown) => announce(errorText(e), true),
                  ),
              },
              'Publish to agents',
            )
          : null,
      ),
    ),
  );
}

interface ExemptionRow {
  id: string;
  categories: string[];
  deviceIds: string[];
  hostnamePattern: string | null;
  reason: string;
  startsAt: string;
  expiresAt: string;
  state: string;
}

export async function renderExemptions(main: HTMLElement, query: URLSearchParams): Promise<void> {
  const school = pickSchool('exemption.view', query);
  if (!school) return failed(main, 'Your role has no exemptions view.');
  loading(main, 'Research exemptions', 'exemptions');
  let items: ExemptionRow[];
  try {
    items = (
      await getJson<{ items: ExemptionRow[] }>(`/api/v1/schools/${encodeURIComponent(school.id)}/exemptions`)
    ).items;
  } catch (e) {
    return failed(main, errorText(e));
  }
  const reload = () => void renderExemptions(main, query);
  const canManage = school.actions.includes('exemption.manage');
  const pattern = h('input', {
    id: 'wf-ex-pattern',
    type: 'text',
    required: true,
    maxlength: 64,
    placeholder: 'SCI-LAB-*',
  });
  const cats = Object.entries(CATEGORY_LABELS)
    .filter(([c]) => !['illegal', 'cse', 'suicide', 'self-harm'].includes(c))
    .map(([c, label]) => ({ c, input: h('input', { type: 'checkbox', id: `wf-ex-${c}` }), label }));
  const until = h('input', { id: 'wf-ex-until', type: 'date', required: true });
  const reason = h('textarea', {
    id: 'wf-ex-reason',
    rows: 2,
    required: true,
    minlength: 10,
    maxlength: 1000,
  });
  main.replaceChildren(
    page(
      'Research exemptions',
      schoolPicker(
        schoolsFor('exemption.view'),
        school,
        (id) => `#/exemptions?school=${encodeURIComponent(id)}`,
      ),
      h(
        'p',
        { class: 'muted' },
        'A category is not captured on the named machines until the end date, for a period of study. Illegal content, grooming, suicide and self-harm are never exempted.',
      ),
      h(
        'table',
        { class: 'wf-table' },
        tableHead(['Categories', 'Machines', 'Reason', 'From', 'Until', 'State', '']),
        h(
          'tbody',
          null,
          ...items.map((e) =>
            h(
              'tr',
              null,
              h('td', null, e.categories.map(categoryLabel).join(', ')),
              h(
                'td',
                null,
                [e.hostnamePattern, e.deviceIds.length > 0 ? `${e.deviceIds.length} device(s)` : null]
                  .filter(Boolean)
                  .join(', '),
              ),
              h('td', null, e.reason),
              h('td', null, when(e.startsAt, school.timeZone)),
              h('td', null, when(e.expiresAt, school.timeZone)),
              h(
                'td',
                null,
                h('span', { class: `wf-badge wf-${e.state === 'active' ? 'open' : 'closed'}` }, e.state),
              ),
              h(
                'td',
                null,
                canManage && (e.state === 'active' || e.state === 'scheduled')
                  ? h(
                      'button',
                      {
                        type: 'button',
                        class: 'btn btn-danger-outline',
                        onclick: () =>
                          void postJson(`/api/v1/exemptions/${encodeURIComponent(e.id)}/revoke`, {}).then(
                            () => (announce('Exemption revoked'), reload()),
                            (err: unknown) => announce(errorText(err), true),
                          ),
                      },
                      'Revoke',
                    )
                  : null,
              ),
            ),
          ),
        ),
      ),
      canManage
        ? h(
            'section',
            { class: 'card', 'aria-labelledby': 'wf-grant-h' },
            h('h2', { id: 'wf-grant-h' }, 'Grant an exemption'),
            h(
              'form',
              {
                class: 'wf-form',
                onsubmit: (e: SubmitEvent) => {
                  e.preventDefault();
                  const expiresAt = new Date(`${until.value}T23:59:00`).toISOString();
                  void postJson(`/api/v1/schools/${encodeURIComponent(school.id)}/exemptions`, {
                    categories: cats.filter((x) => x.input.checked).map((x) => x.c),
                    hostnamePattern: pattern.value,
                    reason: reason.value,
                    expiresAt,
                  }).then(
                    () => (announce('Exemption granted'), reload()),
                    (err: unknown) => announce(errorText(err), true),
                  );
                },
              },
              h(
                'fieldset',
                null,
                h('legend', null, 'Categories'),
                ...cats.map((x) =>
                  h('label', { class: 'wf-check', for: x.input.id }, x.input, ` ${x.label}`),
                ),
              ),
              h(
                'p',
                { class: 'field' },
                h('label', { for: 'wf-ex-pattern' }, 'Machines (hostname pattern, * for any characters)'),
                pattern,
              ),
              h(
                'p',
                { class: 'field' },
                h('label', { for: 'wf-ex-until' }, 'Until (at most eight weeks)'),
                until,
              ),
              h(
                'p',
                { class: 'field' },
                h('label', { for: 'wf-ex-reason' }, 'Reason (recorded in the audit log)'),
                reason,
              ),
              h('button', { type: 'submit', class: 'btn btn-primary' }, 'Grant exemption'),
            ),
          )
        : null,
    ),
  );
}

export async function renderDataProtection(main: HTMLElement, query: URLSearchParams): Promise<void> {
  const school = pickSchool('retention.configure', query) ?? pickSchool('subject-access.export', query);
  if (!school) return failed(main, 'Your role has no data-protection settings.');
  loading(main, 'Data protection', 'retention');
  const sections: HTMLElement[] = [];
  if (school.actions.includes('retention.configure')) {
    let policy: Record<string, number | null>;
    try {
      policy = await getJson(`/api/v1/schools/${encodeURIComponent(school.id)}/retention`);
    } catch (e) {
      return failed(main, errorText(e));
    }
    const fields: [string, string][] = [
      ['dismissedDays', 'Dismissed captures (false positives)'],
      ['reviewedDays', 'Reviewed captures'],
      ['escalatedDays', 'Escalated captures'],
      ['unreviewedDays', 'Unreviewed captures (blank: until reviewed)'],
      ['closedIncidentDays', 'Closed incidents (blank: keep)'],
    ];
    const inputs = fields.map(([k, label]) => ({
      k,
      label,
      input: h('input', { id: `wf-ret-${k}`, type: 'number', min: 1, max: 36500, value: policy[k] ?? '' }),
    }));
    sections.push(
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'wf-ret-h' },
        h('h2', { id: 'wf-ret-h' }, 'Retention (days)'),
        h(
          'p',
          { class: 'muted' },
          'Enforced every six hours. Evidence in an incident stays while the incident exists; incidents under legal hold are never removed.',
        ),
        h(
          'form',
          {
            class: 'wf-form',
            onsubmit: (e: SubmitEvent) => {
              e.preventDefault();
              const body = Object.fromEntries(
                inputs.map((x) => [x.k, x.input.value === '' ? null : Number(x.input.value)]),
              );
              void request(`/api/v1/schools/${encodeURIComponent(school.id)}/retention`, {
                method: 'PUT',
                body,
              }).then(
                () => announce('Retention saved'),
                (err: unknown) => announce(errorText(err), true),
              );
            },
          },
          ...inputs.map((x) => h('p', { class: 'field' }, h('label', { for: x.input.id }, x.label), x.input)),
          h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save retention'),
        ),
      ),
    );
  }
  if (school.actions.includes('subject-access.export')) {
    const user = h('input', {
      id: 'wf-sar-user',
      type: 'text',
      maxlength: 256,
      placeholder: 'the pupil’s computer user name',
    });
    const link = h('a', { class: 'btn', download: '' }, 'Download subject-access export');
    const update = () =>
      link.setAttribute(
        'href',
        `/api/v1/schools/${encodeURIComponent(school.id)}/subject-access.zip?user=${encodeURIComponent(user.value.trim())}`,
      );
    user.addEventListener('input', update);
    update();
    sections.push(
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'wf-sar-h' },
        h('h2', { id: 'wf-sar-h' }, 'Subject-access request'),
        h(
          'p',
          null,
          'A zip of one pupil’s captures, screenshots, notes and incidents, with a SHA-256 manifest. Review it before disclosure.',
        ),
        h('p', { class: 'wf-inline' }, h('label', { for: 'wf-sar-user' }, 'Pupil '), user, link),
      ),
    );
  }
  main.replaceChildren(
    page(
      'Data protection',
      schoolPicker(
        schoolsFor('retention.configure'),
        school,
        (id) => `#/data-protection?school=${encodeURIComponent(id)}`,
      ),
      ...sections,
    ),
  );
}
