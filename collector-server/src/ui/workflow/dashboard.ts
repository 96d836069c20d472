/** The headteacher's week: this week against the weeks before, for one school. */
import { ApiError, getJson } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { CATEGORY_LABELS } from '../lib/format.js';
import { barChart, weekColumns } from './chart.js';
import { pickSchool, schoolsFor } from './session.js';
import type { Dashboard } from './types.js';
import { failed, inlineForm, loading, page, schoolPicker, stat, when } from './widgets.js';

/** A week's end as the school's calendar shows it (23:30 UTC can be tomorrow in summer). */
const shortDate = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone }).format(new Date(iso));

function hoursText(h: number | null): string {
  if (h === null) return '—';
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} days`;
}

export async function renderDashboard(main: HTMLElement, query: URLSearchParams): Promise<void> {
  const school = pickSchool('dashboard.aggregate', query);
  if (!school) return failed(main, 'Your role has no dashboard.');
  loading(main, 'This week', 'the week');
  let d: Dashboard;
  try {
    d = await getJson<Dashboard>(`/api/v1/schools/${encodeURIComponent(school.id)}/dashboard`);
  } catch (e) {
    return failed(main, e instanceof ApiError ? e.message : 'The dashboard could not be loaded.');
  }
  const week = d.weeks[0];
  if (!week) return failed(main, 'No figures.');
  const previous = d.weeks.slice(1);
  const avg = previous.reduce((n, w) => n + w.total, 0) / Math.max(1, previous.length);
  const weeksOldestFirst = [...d.weeks].reverse();
  const categories = Object.keys(CATEGORY_LABELS);

  const figuresTable = h(
    'table',
    { class: 'wf-table' },
    h('caption', { class: 'sr-only' }, 'Captures by category: this week and the weekly average before'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'Category'),
        h('th', { scope: 'col' }, 'This week'),
        h('th', { scope: 'col' }, 'Weekly average before'),
      ),
    ),
    h(
      'tbody',
      null,
      ...categories.map((c) =>
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, CATEGORY_LABELS[c] ?? c),
          h('td', null, String(week.byCategory[c] ?? 0)),
          h('td', null, String(d.previousAverage[c] ?? 0)),
        ),
      ),
    ),
  );

  main.replaceChildren(
    page(
      `This week at ${school.name}`,
      schoolPicker(
        schoolsFor('dashboard.aggregate'),
        school,
        (id) => `#/dashboard?school=${encodeURIComponent(id)}`,
      ),
      h(
        'p',
        { class: 'muted' },
        `The last seven days, to ${when(new Date().toISOString(), school.timeZone)}, against the seven weeks before.`,
      ),
      h(
        'section',
        { class: 'wf-stats', 'aria-label': 'Key figures' },
        stat('captures this week', week.total, `weekly average before: ${Math.round(avg * 10) / 10}`),
        stat(
          'awaiting review',
          d.backlog.count,
          d.backlog.oldestAgeHours === null
            ? 'queue is clear'
            : `oldest waiting ${hoursText(d.backlog.oldestAgeHours)}`,
        ),
        stat(
          'median time to review',
          hoursText(d.timeToReview.thisWeekMedianHours),
          `before: ${hoursText(d.timeToReview.previousMedianHours)}`,
        ),
        stat(
          'open incidents',
          d.incidents.open,
          `${d.incidents.openedThisWeek} opened, ${d.incidents.closedThisWeek} closed this week`,
        ),
        stat(
          'devices reporting',
          `${d.devices.active}/${d.devices.total}`,
          `${d.devices.stale} stale, ${d.devices.withProblems} with problems`,
        ),
      ),
      h(
        'div',
        { class: 'wf-grid' },
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'wf-weeks' },
          h('h2', { id: 'wf-weeks' }, 'Captures per week'),
          weekColumns(
            'Captures per week, the last eight weeks, this week on the right',
            weeksOldestFirst.map((w) => ({ label: shortDate(w.to, school.timeZone), value: w.total })),
          ),
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'wf-severity' },
          h('h2', { id: 'wf-severity' }, 'This week by severity'),
          barChart(
            'Captures this week by severity',
            week.bySeverity
              .map((n, i) => ({
                label: `${i + 1}${i === 4 ? ' critical' : i === 0 ? ' low' : ''}`,
                value: n,
              }))
              .reverse(),
            '#a4262c',
          ),
        ),
        h(
          'section',
          { class: 'card wf-wide', 'aria-labelledby': 'wf-categories' },
          h('h2', { id: 'wf-categories' }, 'This week by category'),
          h(
            'p',
            { class: 'muted' },
            'Bars: this week. Orange marks: the weekly average of the seven weeks before.',
          ),
          barChart(
            'Captures this week by category, with the previous weekly average',
            categories.map((c) => ({
              label: CATEGORY_LABELS[c] ?? c,
              value: week.byCategory[c] ?? 0,
              compare: d.previousAverage[c] ?? 0,
            })),
          ),
          h('details', null, h('summary', null, 'The same figures as a table'), figuresTable),
        ),
      ),
      d.openIncidents === null
        ? h('p', { class: 'muted' }, 'Figures only: your role does not see names or incident details.')
        : h(
            'section',
            { class: 'card', 'aria-labelledby': 'wf-open' },
            h('h2', { id: 'wf-open' }, 'Open incidents'),
            d.openIncidents.length === 0
              ? h('p', { class: 'empty' }, 'No open incidents.')
              : h(
                  'ul',
                  { class: 'wf-list' },
                  ...d.openIncidents.map((i) =>
                    h(
                      'li',
                      null,
                      h('a', { href: `#/incident/${encodeURIComponent(i.id)}` }, `${i.reference} ${i.title}`),
                      ' ',
                      h(
                        'span',
                        { class: 'muted' },
                        `${i.status}, opened ${when(i.openedAt, school.timeZone)}${i.legalHold ? ', legal hold' : ''}`,
                      ),
                    ),
                  ),
                ),
          ),
    ),
  );
}

export function renderReports(main: HTMLElement, query: URLSearchParams): void {
  const school = pickSchool('report.aggregate', query);
  if (!school) return failed(main, 'Your role has no reports.');
  const lastMonth = school.lastMonth;
  const period = /^\d{4}-\d{2}$/.test(query.get('period') ?? '')
    ? (query.get('period') ?? lastMonth)
    : lastMonth;
  const full = school.actions.includes('report.full');
  const base = `/api/v1/schools/${encodeURIComponent(school.id)}/reports/${period}`;
  const month = h('input', { id: 'wf-period', type: 'month', value: period });
  main.replaceChildren(
    page(
      'Monthly report',
      schoolPicker(
        schoolsFor('report.aggregate'),
        school,
        (id) => `#/reports?school=${encodeURIComponent(id)}&period=${period}`,
      ),
      inlineForm([h('label', { for: 'wf-period' }, 'Month '), month], 'Show', () => {
        location.hash = `#/reports?school=${encodeURIComponent(school.id)}&period=${month.value}`;
      }),
      h(
        'section',
        { class: 'card' },
        h('h2', null, `Report for ${period}`),
        h(
          'p',
          null,
          `A month runs midnight to midnight in ${school.timeZone}. Sent to the headteacher by e-mail within the hour after the month ends there; download it here at any time.`,
        ),
        h(
          'ul',
          { class: 'wf-list' },
          full ? h('li', null, h('a', { href: `${base}.pdf`, download: '' }, 'Full report (PDF)')) : null,
          full ? h('li', null, h('a', { href: `${base}.csv`, download: '' }, 'Full report (CSV)')) : null,
          h(
            'li',
            null,
            h(
              'a',
              { href: `${base}.pdf?version=governors`, download: '' },
              'Governors’ version, figures only (PDF)',
            ),
          ),
          h(
            'li',
            null,
            h(
              'a',
              { href: `${base}.csv?version=governors`, download: '' },
              'Governors’ version, figures only (CSV)',
            ),
          ),
        ),
      ),
    ),
  );
}
