import { ACTION_LABELS } from '../../domain/incidents/action-kinds.js';
import type { IncidentDetail } from '../../domain/incidents/incident-service.js';
import type { ReferralEvidence } from '../../domain/incidents/referral-pack.js';
import { createPdf, fields, finishPdf, heading, safeText } from './pdf-document.js';

const ANSWER = (v: boolean | null) => (v === null ? 'not yet answered' : v ? 'yes' : 'no');

/**
 * The incident as a referral document: the log entry, the flowchart's answers, actions, notes and
 * evidence. Images whose capture is in the `illegal` category are never drawn: the flowchart says
 * "save all evidence but do not view", so they are listed with their SHA-256 instead.
 */
export async function renderIncidentPdf(
  detail: IncidentDetail,
  evidence: readonly ReferralEvidence[],
  context: { schoolName: string; generatedAt: string; names: ReadonlyMap<string, string> },
): Promise<Buffer> {
  const { incident } = detail;
  const who = (id: string | null) => (id === null ? '' : safeText(context.names.get(id) ?? id));
  const doc = createPdf(`${incident.reference} ${incident.title}`);

  doc.font('heading').fontSize(18).text(`E-safety incident ${incident.reference}`);
  doc
    .font('body')
    .fontSize(10)
    .fillColor('#444')
    .text(`${safeText(context.schoolName)} · generated ${context.generatedAt}`);
  doc.fillColor('black').text('OFFICIAL-SENSITIVE: contains safeguarding information about a child.');

  heading(doc, 'Incident');
  fields(doc, [
    ['Title', safeText(incident.title)],
    ['Status', incident.status],
    ['Opened', `${incident.openedAt} by ${who(incident.openedBy)}`],
    ['Owner', who(incident.ownerUserId)],
    ['Pupil (user)', safeText(incident.subjectUser)],
    ['Legal hold', incident.legalHold ? `yes: ${safeText(incident.legalHoldReason)}` : 'no'],
    ['Closed', incident.closedAt ?? ''],
    ['Outcome', safeText(incident.outcome)],
  ]);
  if (incident.summary !== '') {
    heading(doc, 'Summary', 12);
    doc.text(safeText(incident.summary, 10_000));
  }

  heading(doc, 'Flowchart');
  fields(doc, [
    ['Illegal material or activity', incident.illegal],
    ['Member of staff involved', ANSWER(incident.staffInvolved)],
    ['Pupil was', incident.pupilRole],
    ['Accidental or deliberate', incident.intent],
    ['Other pupils involved', ANSWER(incident.otherPupilsInvolved)],
  ]);
  for (const s of detail.steps) doc.text(`${s.done ? '[x]' : '[ ]'} ${s.text}`);

  heading(doc, 'Actions taken');
  if (detail.actions.length === 0) doc.text('None recorded.');
  for (const a of detail.actions) {
    doc.text(`${a.takenAt}  ${ACTION_LABELS[a.kind]}  (recorded by ${who(a.recordedBy)})`);
    if (a.detail !== '')
      doc
        .fillColor('#333')
        .text(`    ${safeText(a.detail)}`)
        .fillColor('black');
  }

  heading(doc, 'Notes');
  if (detail.notes.length === 0) doc.text('None.');
  for (const n of detail.notes) {
    doc
      .font('heading')
      .text(`${n.at} · ${who(n.authorUserId)}`)
      .font('body')
      .text(safeText(n.text, 10_000))
      .moveDown(0.3);
  }

  heading(doc, `Evidence (${evidence.length} capture${evidence.length === 1 ? '' : 's'})`);
  for (const e of evidence) {
    const c = e.capture;
    if (doc.y > doc.page.height - 250) doc.addPage();
    doc.font('heading').fontSize(11).text(`Capture ${c.id}`).font('body').fontSize(10);
    fields(doc, [
      ['Captured', c.capturedAt],
      ['Machine', safeText(c.machine)],
      ['User', safeText(c.user)],
      ['Category / severity', `${c.category} / ${c.severity}`],
      ['Source', safeText(c.source)],
      ['Matched term', e.withheld ? 'withheld (illegal category)' : safeText(c.term)],
      ['Context', e.withheld ? 'withheld (illegal category)' : safeText(c.context)],
      ['Window', safeText(c.windowTitle)],
      ['Application', safeText(c.application)],
      ['URL', safeText(c.url)],
      ['Screenshot file', e.path ?? 'none'],
      ['Screenshot SHA-256', e.sha256 ?? 'none', 'mono'],
    ]);
    if (e.withheld) {
      doc
        .moveDown(0.3)
        .font('heading')
        .text(
          'Screenshot NOT rendered: save all evidence but do not view. The file is in the pack, identified by its hash.',
        )
        .font('body');
    } else if (e.pdfImage !== undefined) {
      if (doc.y > doc.page.height - 300) doc.addPage();
      doc
        .moveDown(0.3)
        .image(e.pdfImage, { fit: [495, 280] })
        .moveDown(0.5);
    }
    doc.moveDown(0.8);
  }
  return finishPdf(doc);
}
