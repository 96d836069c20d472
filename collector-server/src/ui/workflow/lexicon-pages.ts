/** Lexicon administration, research exemptions and data protection (retention, subject access). */
import { ApiError, getJson, postJson, request } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { CATEGORY_LABELS, categoryLabel } from '../lib/format.js';
import { announce } from '../views/shell.js';
import { pickSchool, schoolsFor } from './session.js';
import { failed, inlineForm, loading, page, schoolPicker, tableHead, when } from './widgets.js';

const errorText = (e: unknown) => (e instanceof ApiError ? e.message : 'The request failed.');

interface Overrides {
  disabled: { term: string; category: string }[];
  added: { term: string; category: string; severity: number; note?: string }[];
  exceptions: { phrase: string; note?: string }[];
  severities: { term: string; category: string; severity: number }[];
}

interface Overview {
  base: { name: string; version: string; entries: number; exceptions: number };
  overrides: Overrides;
  draftVersion: string;
  published: { version: string; custom: boolean; at: string | null };
}

interface Entry {
  term: string;
  category: string;
  severity: number;
  shippedSeverity: number;
  disabled: boolean;
}

interface Match {
  term: string;
  category: string;
  severity: number;
  start: number;
  end: number;
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

/** Severities 1–5 (the lexicon's scale), `selected` chosen. */
function severitySelect(attrs: Record<string, string>, selected: number): HTMLSelectElement {
  return h(
    'select',
    attrs,
    ...[1, 2, 3, 4, 5].map((n) => h('option', { value: n, selected: n === selected }, String(n))),
  );
}

const sameEntry = (a: { term: string; category: string }, b: { term: string; category: string }) =>
  a.term === b.term && a.category === b.category;

/** The draft's changes, one kind at a time: add one, take one out, set an entry's severity. */
function draftEdits(o: Overrides) {
  return {
    adding: <K extends keyof Overrides>(kind: K, item: Overrides[K][number]): Overrides => ({
      ...o,
      [kind]: [...o[kind], item],
    }),
    removing: <K extends keyof Overrides>(kind: K, index: number): Overrides => ({
      ...o,
      [kind]: o[kind].filter((_, j) => j !== index),
    }),
    /** The shipped severity again means no change. */
    severity: (e: Entry, severity: number): Overrides => ({
      ...o,
      severities: [
        ...o.severities.filter((s) => !sameEntry(s, e)),
        ...(severity === e.shippedSeverity ? [] : [{ term: e.term, category: e.category, severity }]),
      ],
    }),
  };
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
  const edit = draftEdits(o.overrides);
  // Re-rendered after each change, keeping the terms found so an edit stays in view.
  const reload = () => {
    const next = new URLSearchParams(query);
    if (search.value.trim() === '') next.delete('q');
    else next.set('q', search.value);
    void renderLexicon(main, next);
  };
  const save = (next: Overrides, what: string) =>
    void request(`${base}/overrides`, { method: 'PUT', body: next }).then(
      () => (announce(what), reload()),
      (e: unknown) => announce(errorText(e), true),
    );
  /** A quiet button that saves the draft with one change. */
  const change = (label: string, ariaLabel: string, next: () => Overrides, what: string) =>
    canEdit
      ? h(
          'button',
          {
            type: 'button',
            class: 'btn btn-quiet',
            'aria-label': ariaLabel,
            onclick: () => save(next(), what),
          },
          label,
        )
      : null;
  /** Fetches, then shows the answer in `into` (a phrase's matches, the terms found). */
  const show = <T>(into: HTMLElement, fetch: () => Promise<T>, render: (answer: T) => HTMLElement) =>
    void fetch().then(
      (answer) => into.replaceChildren(render(answer)),
      (err: unknown) => announce(errorText(err), true),
    );

  const phrase = h('input', {
    id: 'wf-try',
    type: 'text',
    maxlength: 2000,
    placeholder: 'Type a phrase a pupil might type',
  });
  const result = h('div', { 'aria-live': 'polite' });
  const search = h('input', { id: 'wf-search', type: 'text', maxlength: 100, value: query.get('q') ?? '' });
  const found = h('div');
  const term = h('input', { id: 'wf-add-term', type: 'text', maxlength: 100, required: true });
  const cat = categorySelect('wf-add-cat');
  const sev = severitySelect({ id: 'wf-add-sev' }, 3);
  const exc = h('input', { id: 'wf-add-exc', type: 'text', maxlength: 100, required: true });

  const matches = (r: { matches: Match[] }) =>
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
        );

  const entryRow = (it: Entry) => {
    const level = severitySelect({ 'aria-label': `Severity of ${it.term}` }, it.severity);
    return h(
      'li',
      { class: 'wf-entry' },
      `${it.term} (${categoryLabel(it.category)}${it.severity === it.shippedSeverity ? '' : `, shipped ${it.shippedSeverity}`}) `,
      inlineForm([level], 'Set severity', () =>
        save(edit.severity(it, Number(level.value)), `${it.term}: severity ${level.value} in the draft`),
      ),
      it.disabled
        ? h('span', { class: 'muted' }, 'off')
        : change(
            'Switch off',
            `Switch off ${it.term}`,
            () => edit.adding('disabled', { term: it.term, category: it.category }),
            `${it.term} switched off in the draft`,
          ),
    );
  };

  const find = () =>
    show(
      found,
      () => getJson<{ items: Entry[] }>(`${base}/entries?q=${encodeURIComponent(search.value)}`),
      (r) =>
        r.items.length === 0
          ? h('p', { class: 'empty' }, 'No shipped entry has that term.')
          : h('ul', { class: 'wf-list' }, ...r.items.map(entryRow)),
    );
  if (canEdit && search.value !== '') find();

  const changes = [
    ...o.overrides.disabled.map((d, i) =>
      h(
        'li',
        null,
        `Off: ${d.term} (${categoryLabel(d.category)}) `,
        change('Undo', `Switch ${d.term} back on`, () => edit.removing('disabled', i), `${d.term} back on`),
      ),
    ),
    ...o.overrides.severities.map((x, i) =>
      h(
        'li',
        null,
        `Severity ${x.severity}: ${x.term} (${categoryLabel(x.category)}) `,
        change(
          'Undo',
          `Give ${x.term} its shipped severity`,
          () => edit.removing('severities', i),
          `${x.term}: shipped severity`,
        ),
      ),
    ),
    ...o.overrides.added.map((a, i) =>
      h(
        'li',
        null,
        `Added: ${a.term} (${categoryLabel(a.category)}, ${a.severity}) `,
        change('Remove', `Remove ${a.term}`, () => edit.removing('added', i), `${a.term} removed`),
      ),
    ),
    ...o.overrides.exceptions.map((x, i) =>
      h(
        'li',
        null,
        `Exception: ${x.phrase} `,
        change(
          'Remove',
          `Remove exception ${x.phrase}`,
          () => edit.removing('exceptions', i),
          'Exception removed',
        ),
      ),
    ),
  ];

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
        inlineForm(
          [h('label', { for: 'wf-try' }, 'Phrase '), phrase],
          'Try',
          () =>
            show(
              result,
              () => postJson<{ matches: Match[] }>(`${base}/try`, { phrase: phrase.value }),
              matches,
            ),
          true,
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
              h('h2', { id: 'wf-find-h' }, 'Change or switch off an entry'),
              inlineForm([h('label', { for: 'wf-search' }, 'Find a term '), search], 'Find', find),
              found,
            ),
            h(
              'section',
              { class: 'card', 'aria-labelledby': 'wf-add-h' },
              h('h2', { id: 'wf-add-h' }, 'Add a term or an exception'),
              inlineForm(
                [
                  h('label', { for: 'wf-add-term' }, 'Term '),
                  term,
                  h('label', { for: 'wf-add-cat', class: 'sr-only' }, 'Category'),
                  cat,
                  h('label', { for: 'wf-add-sev' }, ' Severity '),
                  sev,
                ],
                'Add term',
                () =>
                  save(
                    edit.adding('added', {
                      term: term.value.trim().toLowerCase(),
                      category: cat.value,
                      severity: Number(sev.value),
                    }),
                    `${term.value} added to the draft`,
                  ),
              ),
              inlineForm(
                [h('label', { for: 'wf-add-exc' }, 'Benign phrase (exception) '), exc],
                'Add exception',
                () =>
                  save(
                    edit.adding('exceptions', { phrase: exc.value.trim().toLowerCase() }),
                    `Exception “${exc.value}” added to the draft`,
                  ),
              ),
            ),
          )
        : null,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'wf-changes-h' },
        h('h2', { id: 'wf-changes-h' }, 'This school’s changes'),
        changes.length === 0
          ? h('p', { class: 'empty' }, 'None: agents use the shipped lexicon.')
          : h('ul', { class: 'wf-list' }, ...changes),
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
