import { CATEGORIES } from '@kestrel/shared/protocol';
import type { Category } from '@kestrel/shared/protocol';
import { describe, expect, it } from 'vitest';
import type { WeekFigures } from './dashboard.js';
import { monthlyReportCsv } from './monthly-report.js';
import type { MonthlyReport } from './monthly-report.js';

const figures = (): WeekFigures => ({
  from: '2026-10-01T00:00:00.000Z',
  to: '2026-11-01T00:00:00.000Z',
  total: 0,
  byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>,
  bySeverity: [0, 0, 0, 0, 0],
});

describe('monthly report CSV', () => {
  it('neutralises formulas in names and titles', () => {
    const report: MonthlyReport = {
      schoolId: 'a',
      schoolName: '=HYPERLINK("http://evil.example")',
      period: '2026-10',
      timeZone: 'Europe/London',
      from: '2026-10-01T00:00:00.000Z',
      to: '2026-11-01T00:00:00.000Z',
      generatedAt: '2026-11-01T01:00:00.000Z',
      captures: figures(),
      previousMonth: figures(),
      incidents: { opened: 1, closed: 0, open: 1 },
      actions: [],
      timeToReviewMedianHours: null,
      reviewed: 0,
      backlog: 0,
      devices: { total: 0, active: 0, stale: 0, withProblems: 0 },
      openIncidents: [
        {
          id: 'i1',
          reference: 'INC-2026-0001',
          title: '@SUM(1+1)',
          status: '-open',
          openedAt: '2026-10-02T00:00:00.000Z',
          legalHold: false,
        },
      ] as MonthlyReport['openIncidents'],
    };
    const lines = monthlyReportCsv(report).split('\r\n');
    expect(lines[1]).toBe(`school,"'=HYPERLINK(""http://evil.example"")",2026-10,`);
    expect(lines).toContain(`open incident,INC-2026-0001,'@SUM(1+1),'-open`);
  });
});
