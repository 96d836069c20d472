import { CATEGORIES } from '@kestrel/shared/protocol';
import { actionLabel } from '../../domain/incidents/action-kinds.js';
import type { MonthlyReport } from '../../domain/reports/monthly-report.js';
import type { Pdf } from './pdf-document.js';
import { createPdf, fields, finishPdf, heading, safeText } from './pdf-document.js';

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** Horizontal bars: this month (dark) beside the previous month (light), one row per item. */
function barChart(doc: Pdf, rows: { label: string; value: number; previous: number }[]) {
  const left = doc.page.margins.left;
  const labelWidth = 110;
  const barWidth = doc.page.width - left - doc.page.margins.right - labelWidth - 40;
  const max = Math.max(1, ...rows.flatMap((r) => [r.value, r.previous]));
  for (const r of rows) {
    if (doc.y > doc.page.height - 80) doc.addPage();
    const y = doc.y;
    doc
      .fillColor('black')
      .fontSize(9)
      .text(r.label, left, y + 1, { width: labelWidth });
    const w = (n: number) => Math.max(n > 0 ? 1 : 0, (n / max) * barWidth);
    doc.rect(left + labelWidth, y, w(r.value), 7).fill('#1f4e79');
    doc.rect(left + labelWidth, y + 7, w(r.previous), 4).fill('#9dc3e6');
    doc
      .fillColor('black')
      .fontSize(8)
      .text(String(r.value), left + labelWidth + w(r.value) + 4, y, { width: 36 });
    doc.x = left;
    doc.y = y + 15;
  }
  doc
    .fontSize(8)
    .fillColor('#444')
    .text('Dark bars: this month. Light bars: the month before.', left)
    .fillColor('black');
  doc.fontSize(10);
}

/**
 * The monthly report the headteacher receives (seeds: "a monthly report is provided to the
 * Headteacher"): figures, trends and, in the full version, the open incidents by reference.
 */
export async function renderMonthlyReportPdf(r: MonthlyReport): Promise<Buffer> {
  // Named from the period itself: `r.from` is the school's midnight, in UTC often the day before.
  const month = MONTH.format(new Date(`${r.period}-15T12:00:00Z`));
  const doc = createPdf(`Safeguarding monitoring report ${r.period} ${r.schoolName}`);
  doc.font('heading').fontSize(18).text(`Safeguarding monitoring: ${month}`);
  doc.font('body').fontSize(11).text(safeText(r.schoolName));
  doc
    .fontSize(9)
    .fillColor('#444')
    .text(
      `Generated ${r.generatedAt}. ${r.openIncidents === null ? 'Governors’ version: aggregate figures only, no names.' : 'Contains incident references: keep within the safeguarding team and the headteacher.'}`,
    )
    .text(`The month runs midnight to midnight at the school (${safeText(r.timeZone)}).`)
    .fillColor('black')
    .fontSize(10);

  heading(doc, 'Summary');
  const delta = r.captures.total - r.previousMonth.total;
  fields(doc, [
    ['Captures', `${r.captures.total} (${delta >= 0 ? '+' : ''}${delta} on the month before)`],
    ['Reviewed', String(r.reviewed)],
    [
      'Median time to review',
      r.timeToReviewMedianHours === null ? 'no reviews' : `${r.timeToReviewMedianHours} hours`,
    ],
    ['Awaiting review now', String(r.backlog)],
    ['Incidents opened / closed', `${r.incidents.opened} / ${r.incidents.closed}`],
    ['Incidents open now', String(r.incidents.open)],
    [
      'Devices reporting',
      `${r.devices.active} of ${r.devices.total} (${r.devices.stale} stale, ${r.devices.withProblems} with problems)`,
    ],
  ]);

  heading(doc, 'Captures by category');
  barChart(
    doc,
    CATEGORIES.map((c) => ({
      label: c,
      value: r.captures.byCategory[c],
      previous: r.previousMonth.byCategory[c],
    })),
  );

  heading(doc, 'Captures by severity');
  barChart(
    doc,
    r.captures.bySeverity.map((n, i) => ({
      label: `severity ${i + 1}${i === 4 ? ' (critical)' : ''}`,
      value: n,
      previous: r.previousMonth.bySeverity[i] ?? 0,
    })),
  );

  heading(doc, 'Actions taken on incidents');
  if (r.actions.length === 0) doc.text('None recorded this month.');
  for (const a of r.actions) doc.text(`${actionLabel(a.kind)}: ${a.n}`);

  if (r.openIncidents !== null) {
    heading(doc, 'Open incidents');
    if (r.openIncidents.length === 0) doc.text('None.');
    for (const i of r.openIncidents) {
      doc.text(
        `${i.reference}  ${i.status}${i.legalHold ? ', legal hold' : ''}  opened ${i.openedAt.slice(0, 10)}  ${safeText(i.title, 200)}`,
      );
    }
  }
  return finishPdf(doc);
}
