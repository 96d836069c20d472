import { describe, expect, it } from 'vitest';
import type { ReportSource } from './dashboard.js';
import { sendMonthlyReports } from './monthly-report-job.js';
import type { MonthlyReport } from './monthly-report.js';
import { buildMonthlyReport } from './monthly-report.js';

/** Captures by receipt time; every other figure empty. */
function sourceOf(receivedAt: string[]): ReportSource {
  return {
    async captureCounts(_schoolId, from, to) {
      const n = receivedAt.filter((t) => t >= from && t < to).length;
      return n === 0 ? [] : [{ category: 'bullying', severity: 3, n }];
    },
    backlog: async () => ({ count: 0, oldestReceivedAt: null }),
    reviewDurations: async () => [],
    incidentCounts: async () => ({ opened: 0, closed: 0, open: 0 }),
    openIncidents: async () => [],
    actionCounts: async () => [],
    deviceHealth: async () => ({ total: 0, active: 0, stale: 0, withProblems: 0 }),
  };
}

const hillside = { id: 'a', name: 'Hillside', timeZone: 'Europe/London' };

describe('monthly report in the school’s time zone', () => {
  it('counts a capture at 23:30 UTC on 31 March (00:30 BST) in April, not March', async () => {
    const source = sourceOf([
      '2026-03-31T22:30:00.000Z', // 23:30 BST, 31 March
      '2026-03-31T23:30:00.000Z', // 00:30 BST, 1 April
      '2026-04-30T22:59:59.000Z', // 23:59 BST, 30 April
      '2026-04-30T23:00:00.000Z', // midnight BST, 1 May
    ]);
    const now = new Date('2026-05-02T09:00:00Z');
    const april = await buildMonthlyReport(source, hillside, '2026-04', now, { names: false });
    expect(april.captures.total).toBe(2);
    expect(april.previousMonth.total).toBe(1);
    expect(april).toMatchObject({ from: '2026-03-31T23:00:00.000Z', timeZone: 'Europe/London' });
    const may = await buildMonthlyReport(source, hillside, '2026-05', now, { names: false });
    expect(may.captures.total).toBe(1);
  });

  it('counts across the October clock change without losing the extra hour', async () => {
    const source = sourceOf([
      '2026-09-30T23:30:00.000Z',
      '2026-10-31T23:30:00.000Z',
      '2026-11-01T00:30:00.000Z',
    ]);
    const now = new Date('2026-11-02T09:00:00Z');
    const october = await buildMonthlyReport(source, hillside, '2026-10', now, { names: false });
    // 00:30 BST on 1 October and 23:30 GMT on 31 October are October; 00:30 GMT on 1 November is not.
    expect(october.captures.total).toBe(2);
    expect(october.to).toBe('2026-11-01T00:00:00.000Z');
  });
});

describe('monthly report schedule', () => {
  async function monthsSentAt(at: string, schools: { id: string; name: string; timeZone: string }[]) {
    const claimed: string[] = [];
    const sent: string[] = [];
    await sendMonthlyReports({
      source: sourceOf([]),
      schools: async () => schools,
      headteachers: async (schoolId) => [{ userId: `head-${schoolId}`, email: `head@${schoolId}.test` }],
      claimRun: async (schoolId, period) => {
        const k = `${schoolId} ${period}`;
        if (claimed.includes(k)) return false;
        claimed.push(k);
        return true;
      },
      renderPdf: async (r: MonthlyReport) => Buffer.from(r.period),
      send: async (m) => void sent.push(m.subject),
      audit: { record: async () => 1 },
      clock: { now: () => new Date(at) },
      publicUrl: 'https://kestrel.example',
    });
    return claimed;
  }

  it('reports a month once it has ended in each school’s own zone', async () => {
    const schools = [hillside, { id: 'ny', name: 'Brooklyn', timeZone: 'America/New_York' }];
    // 00:30 BST on 1 May: April is over in London, still 30 April (19:30) in New York.
    expect(await monthsSentAt('2026-04-30T23:30:00Z', schools)).toEqual(['a 2026-04', 'ny 2026-03']);
    // 23:30 BST on 30 April: April is not over yet in London either.
    expect(await monthsSentAt('2026-04-30T22:30:00Z', schools)).toEqual(['a 2026-03', 'ny 2026-03']);
  });
});
