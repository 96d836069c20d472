import { createHash } from 'node:crypto';
import type { AuditEntry } from '../audit/audit-log.js';
import type { Subject } from '../authz/policy.js';
import type { EvidenceCapture } from './incident.js';
import type { IncidentDetail, IncidentService } from './incident-service.js';

export interface ReferralEvidence {
  capture: EvidenceCapture;
  /** Path of the screenshot inside the pack, when there is one. */
  path: string | null;
  sha256: string | null;
  /** Illegal category: listed by hash, never drawn, phrase withheld. */
  withheld: boolean;
  /** The image in a form the PDF renderer draws (JPEG or PNG); absent when withheld or missing. */
  pdfImage?: Buffer;
}

export interface PackFile {
  path: string;
  bytes: Buffer;
}

export interface ReferralPackDeps {
  incidents: IncidentService;
  screenshots: { get(sha256: string): Promise<Buffer | undefined> };
  /** Converts a stored image to PNG for drawing (webp is not drawable by PDF renderers). */
  toDrawable(bytes: Buffer, mediaType: string): Promise<Buffer>;
  renderPdf(
    detail: IncidentDetail,
    evidence: readonly ReferralEvidence[],
    context: { schoolName: string; generatedAt: string; names: ReadonlyMap<string, string> },
  ): Promise<Buffer>;
  schoolName(schoolId: string): Promise<string>;
  userNames(ids: readonly string[]): Promise<ReadonlyMap<string, string>>;
  audit: { record(entry: AuditEntry): Promise<number> };
  clock: { now(): Date };
}

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `sha256sum -c` format: "<hash>  <path>" per line. */
export function manifestOf(files: readonly PackFile[]): string {
  return files.map((f) => `${sha256Hex(f.bytes)}  ${f.path}\n`).join('');
}

/**
 * A referral pack for the police, LADO or children's social care: `incident.pdf`, every evidence
 * screenshot as stored (illegal ones included, unopened), and `manifest.sha256` over all of them.
 */
export async function buildReferralPack(
  deps: ReferralPackDeps,
  actor: Subject,
  incidentId: string,
): Promise<PackFile[]> {
  const loaded = await deps.incidents.load(actor, incidentId, 'incident.export');
  const detail = await deps.incidents.get(actor, loaded.id);
  const files: PackFile[] = [];
  const evidence: ReferralEvidence[] = [];
  for (const capture of detail.evidence) {
    const withheld = capture.category === 'illegal';
    const sha = capture.screenshotSha256;
    const bytes = sha === null ? undefined : await deps.screenshots.get(sha);
    if (bytes === undefined || sha === null) {
      evidence.push({ capture, path: null, sha256: null, withheld });
      continue;
    }
    const path = `evidence/${capture.id}.${EXTENSIONS[capture.screenshotMediaType ?? ''] ?? 'bin'}`;
    files.push({ path, bytes });
    const item: ReferralEvidence = { capture, path, sha256: sha256Hex(bytes), withheld };
    if (!withheld) item.pdfImage = await deps.toDrawable(bytes, capture.screenshotMediaType ?? '');
    evidence.push(item);
  }
  const people = new Set<string>([detail.incident.openedBy]);
  if (detail.incident.ownerUserId !== null) people.add(detail.incident.ownerUserId);
  for (const n of detail.notes) people.add(n.authorUserId);
  for (const a of detail.actions) people.add(a.recordedBy);
  const pdf = await deps.renderPdf(detail, evidence, {
    schoolName: await deps.schoolName(detail.incident.schoolId),
    generatedAt: deps.clock.now().toISOString(),
    names: await deps.userNames([...people]),
  });
  files.unshift({ path: 'incident.pdf', bytes: pdf });
  files.push({ path: 'manifest.sha256', bytes: Buffer.from(manifestOf(files), 'utf8') });
  await deps.audit.record({
    action: 'incident.exported',
    actorUserId: actor.userId,
    targetType: 'incident',
    targetId: detail.incident.id,
    schoolId: detail.incident.schoolId,
    details: {
      reference: detail.incident.reference,
      files: files.map((f) => ({ path: f.path, sha256: sha256Hex(f.bytes) })),
    },
  });
  return files;
}
