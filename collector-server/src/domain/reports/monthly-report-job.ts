import type { AuditEntry } from '../audit/audit-log.js';
import type { MailMessage } from '../alerts/alert-ports.js';
import type { ReportSource } from './dashboard.js';
import { buildMonthlyReport, monthlyReportCsv } from './monthly-report.js';
import type { MonthlyReport } from './monthly-report.js';
import { previousPeriod } from './school-month.js';

export interface MonthlyReportJobDeps {
  source: ReportSource;
  schools(): Promise<{ id: string; name: string; timeZone: string }[]>;
  /** Headteachers of the school (active accounts): they receive the report. */
  headteachers(schoolId: string): Promise<{ userId: string; email: string }[]>;
  /** Marks a school's period as sent; false when it was already (each report goes out once). */
  claimRun(schoolId: string, period: string, at: string): Promise<boolean>;
  renderPdf(report: MonthlyReport): Promise<Buffer>;
  send(
    message: MailMessage & { attachments: { filename: string; content: Buffer; contentType: string }[] },
  ): Promise<void>;
  audit: { record(entry: AuditEntry): Promise<number> };
  clock: { now(): Date };
  publicUrl: string;
}

/**
 * Once a month has ended at a school (midnight in the school's time zone), e-mails its
 * headteachers that month's report. The mail carries the governors' version (figures, no names)
 * and a link to the full one. Run hourly, so a school hears within the hour after its month ends.
 */
export async function sendMonthlyReports(deps: MonthlyReportJobDeps): Promise<number> {
  const now = deps.clock.now();
  let sent = 0;
  for (const school of await deps.schools()) {
    const period = previousPeriod(now, school.timeZone);
    const to = await deps.headteachers(school.id);
    if (to.length === 0) continue;
    if (!(await deps.claimRun(school.id, period, now.toISOString()))) continue;
    const report = await buildMonthlyReport(deps.source, school, period, now, { names: false });
    const base = deps.publicUrl.replace(/\/+$/, '');
    await deps.send({
      to: to.map((t) => t.email),
      subject: `Kestrel monthly safeguarding monitoring report ${period}: ${school.name}`,
      text: [
        `The monitoring report for ${school.name}, ${period}, is attached (figures only, no names).`,
        '',
        `Captures: ${report.captures.total} (previous month ${report.previousMonth.total})`,
        `Incidents opened: ${report.incidents.opened}, closed: ${report.incidents.closed}, open now: ${report.incidents.open}`,
        '',
        `The full report with open incidents (sign-in required): ${base}/#/reports?school=${encodeURIComponent(school.id)}&period=${period}`,
      ].join('\n'),
      attachments: [
        {
          filename: `kestrel-report-${period}.pdf`,
          content: await deps.renderPdf(report),
          contentType: 'application/pdf',
        },
        {
          filename: `kestrel-report-${period}.csv`,
          content: Buffer.from(monthlyReportCsv(report)),
          contentType: 'text/csv',
        },
      ],
    });
    await deps.audit.record({
      action: 'report.monthly.sent',
      targetType: 'school',
      targetId: school.id,
      schoolId: school.id,
      details: { period, recipients: to.map((t) => t.userId) },
    });
    sent += 1;
  }
  return sent;
}
