import { CATEGORIES } from '@kestrel/shared/protocol';
import type { Category } from '@kestrel/shared/protocol';

export interface OpenIncidentRow {
  id: string;
  reference: string;
  title: string;
  status: string;
  openedAt: string;
  legalHold: boolean;
}

/** The numbers a dashboard or report needs, per school (SQL adapter in adapters/repositories). */
export interface ReportSource {
  captureCounts(
    schoolId: string,
    from: string,
    to: string,
  ): Promise<{ category: Category; severity: number; n: number }[]>;
  backlog(schoolId: string): Promise<{ count: number; oldestReceivedAt: string | null }>;
  /** Milliseconds from receipt to first review, for captures reviewed in the period (bounded sample). */
  reviewDurations(schoolId: string, from: string, to: string): Promise<number[]>;
  incidentCounts(
    schoolId: string,
    from: string,
    to: string,
  ): Promise<{ opened: number; closed: number; open: number }>;
  openIncidents(schoolId: string, limit: number): Promise<OpenIncidentRow[]>;
  actionCounts(schoolId: string, from: string, to: string): Promise<{ kind: string; n: number }[]>;
  deviceHealth(
    schoolId: string,
    now: Date,
  ): Promise<{ total: number; active: number; stale: number; withProblems: number }>;
}

export interface WeekFigures {
  from: string;
  to: string;
  total: number;
  byCategory: Record<Category, number>;
  bySeverity: [number, number, number, number, number];
}

export interface Dashboard {
  schoolId: string;
  generatedAt: string;
  /** Last 7 days, then the 7 weeks before, newest first. */
  weeks: WeekFigures[];
  /** Per-category weekly average over the previous weeks, to compare this week against. */
  previousAverage: Record<Category, number>;
  backlog: { count: number; oldestAgeHours: number | null };
  timeToReview: {
    thisWeekMedianHours: number | null;
    previousMedianHours: number | null;
    reviewedThisWeek: number;
  };
  incidents: { open: number; openedThisWeek: number; closedThisWeek: number };
  devices: { total: number; active: number; stale: number; withProblems: number };
  /** Only for roles that may see names (headteacher, DSL); governors get null. */
  openIncidents: OpenIncidentRow[] | null;
}

const DAY = 86_400_000;
const WEEKS = 8;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const v = sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return v ?? null;
}

const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / 3_600_000) * 10) / 10);

export function emptyByCategory(): Record<Category, number> {
  return Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
}

export async function periodFigures(
  source: ReportSource,
  schoolId: string,
  from: string,
  to: string,
): Promise<WeekFigures> {
  const rows = await source.captureCounts(schoolId, from, to);
  const byCategory = emptyByCategory();
  const bySeverity: WeekFigures['bySeverity'] = [0, 0, 0, 0, 0];
  let total = 0;
  for (const r of rows) {
    byCategory[r.category] = (byCategory[r.category] ?? 0) + r.n;
    const i = Math.min(Math.max(r.severity, 1), 5) - 1;
    bySeverity[i as 0 | 1 | 2 | 3 | 4] += r.n;
    total += r.n;
  }
  return { from, to, total, byCategory, bySeverity };
}

/**
 * The headteacher's week: the last seven days against the weeks before. `names` adds the open
 * incidents' titles (headteacher, DSL); governors see the same figures without them.
 */
export async function buildDashboard(
  source: ReportSource,
  schoolId: string,
  now: Date,
  options: { names: boolean },
): Promise<Dashboard> {
  const end = now.getTime();
  const weeks: WeekFigures[] = [];
  for (let w = 0; w < WEEKS; w += 1) {
    const to = new Date(end - w * 7 * DAY).toISOString();
    const from = new Date(end - (w + 1) * 7 * DAY).toISOString();
    weeks.push(await periodFigures(source, schoolId, from, to));
  }
  const previous = weeks.slice(1);
  const previousAverage = emptyByCategory();
  for (const c of CATEGORIES) {
    previousAverage[c] =
      Math.round((previous.reduce((n, w) => n + w.byCategory[c], 0) / previous.length) * 10) / 10;
  }
  const weekStart = new Date(end - 7 * DAY).toISOString();
  const prevStart = new Date(end - WEEKS * 7 * DAY).toISOString();
  const nowIso = now.toISOString();
  const [backlog, thisWeek, before, incidents, devices, open] = await Promise.all([
    source.backlog(schoolId),
    source.reviewDurations(schoolId, weekStart, nowIso),
    source.reviewDurations(schoolId, prevStart, weekStart),
    source.incidentCounts(schoolId, weekStart, nowIso),
    source.deviceHealth(schoolId, now),
    options.names ? source.openIncidents(schoolId, 20) : Promise.resolve(null),
  ]);
  return {
    schoolId,
    generatedAt: nowIso,
    weeks,
    previousAverage,
    backlog: {
      count: backlog.count,
      oldestAgeHours:
        backlog.oldestReceivedAt === null ? null : hours(end - Date.parse(backlog.oldestReceivedAt)),
    },
    timeToReview: {
      thisWeekMedianHours: hours(median(thisWeek)),
      previousMedianHours: hours(median(before)),
      reviewedThisWeek: thisWeek.length,
    },
    incidents: { open: incidents.open, openedThisWeek: incidents.opened, closedThisWeek: incidents.closed },
    devices,
    openIncidents: open,
  };
}
