import type { Category } from '@kestrel/shared/protocol';
import { CATEGORIES } from '@kestrel/shared/protocol';
import type { OpenIncidentRow, ReportSource, WeekFigures } from './dashboard.js';
import { median, periodFigures } from './dashboard.js';
import { toCsv } from '../csv.js';
import type { CsvValue } from '../csv.js';
import { monthBounds, periodBefore } from './school-month.js';

export interface MonthlyReport {
  schoolId: string;
  schoolName: string;
  /** `2026-11`: a calendar month at the school, midnight to midnight in `timeZone`. */
  period: string;
  timeZone: string;
  /** The month's first instant and the next month's, in UTC. */
  from: string;
  to: string;
  generatedAt: string;
  captures: WeekFigures;
  previousMonth: WeekFigures;
  incidents: { opened: number; closed: number; open: number };
  actions: { kind: string; n: number }[];
  timeToReviewMedianHours: number | null;
  reviewed: number;
  backlog: number;
  devices: { total: number; active: number; stale: number; withProblems: number };
  /** Null in the governors' version (figures without names). */
  openIncidents: OpenIncidentRow[] | null;
}

export async function buildMonthlyReport(
  source: ReportSource,
  school: { id: string; name: string; timeZone: string },
  period: string,
  now: Date,
  options: { names: boolean },
): Promise<MonthlyReport> {
  const { from, to } = monthBounds(period, school.timeZone);
  const prev = monthBounds(periodBefore(period), school.timeZone);
  const [captures, previousMonth, incidents, actions, durations, backlog, devices, open] = await Promise.all([
    periodFigures(source, school.id, from, to),
    periodFigures(source, school.id, prev.from, prev.to),
    source.incidentCounts(school.id, from, to),
    source.actionCounts(school.id, from, to),
    source.reviewDurations(school.id, from, to),
    source.backlog(school.id),
    source.deviceHealth(school.id, now),
    options.names ? source.openIncidents(school.id, 100) : Promise.resolve(null),
  ]);
  const m = median(durations);
  return {
    schoolId: school.id,
    schoolName: school.name,
    period,
    timeZone: school.timeZone,
    from,
    to,
    generatedAt: now.toISOString(),
    captures,
    previousMonth,
    incidents,
    actions,
    timeToReviewMedianHours: m === null ? null : Math.round((m / 3_600_000) * 10) / 10,
    reviewed: durations.length,
    backlog: backlog.count,
    devices,
    openIncidents: open,
  };
}

/** The report as CSV: `section,item,this month,previous month` rows a spreadsheet can chart. */
export function monthlyReportCsv(r: MonthlyReport): string {
  const rows: CsvValue[][] = [['section', 'item', 'this month', 'previous month']];
  rows.push(['school', r.schoolName, r.period, null]);
  rows.push(['school', 'time zone', r.timeZone, null]);
  rows.push(['captures', 'total', r.captures.total, r.previousMonth.total]);
  for (const c of CATEGORIES as readonly Category[]) {
    rows.push(['captures by category', c, r.captures.byCategory[c], r.previousMonth.byCategory[c]]);
  }
  r.captures.bySeverity.forEach((n, i) =>
    rows.push(['captures by severity', String(i + 1), n, r.previousMonth.bySeverity[i] ?? 0]),
  );
  rows.push(['incidents', 'opened', r.incidents.opened, null]);
  rows.push(['incidents', 'closed', r.incidents.closed, null]);
  rows.push(['incidents', 'open now', r.incidents.open, null]);
  for (const a of r.actions) rows.push(['actions taken', a.kind, a.n, null]);
  rows.push(['moderation', 'reviewed', r.reviewed, null]);
  rows.push(['moderation', 'median hours to review', r.timeToReviewMedianHours, null]);
  rows.push(['moderation', 'backlog now', r.backlog, null]);
  rows.push(['devices', 'total', r.devices.total, null]);
  rows.push(['devices', 'active in last day', r.devices.active, null]);
  rows.push(['devices', 'stale', r.devices.stale, null]);
  rows.push(['devices', 'with problems', r.devices.withProblems, null]);
  for (const i of r.openIncidents ?? []) rows.push(['open incident', i.reference, i.title, i.status]);
  return toCsv(rows);
}
