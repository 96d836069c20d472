import type { AuditEntry } from '../audit/audit-log.js';
import { toCsv } from '../csv.js';
import type { Subject } from '../authz/policy.js';
import type { EvidenceCapture, Incident, IncidentAction, IncidentNote } from '../incidents/incident.js';
import { manifestOf, sha256Hex } from '../incidents/referral-pack.js';
import type { PackFile } from '../incidents/referral-pack.js';

export interface SubjectAccessSource {
  /** The pupil's captures in the school (by OS user name, compared case-insensitively). */
  captures(schoolId: string, user: string): Promise<EvidenceCapture[]>;
  captureNotes(
    captureIds: readonly string[],
  ): Promise<{ captureId: string; text: string; createdAt: string }[]>;
  /** Incidents about the pupil, or with any of these captures as evidence. */
  incidents(schoolId: string, user: string, captureIds: readonly string[]): Promise<Incident[]>;
  incidentRecords(incidentId: string): Promise<{ notes: IncidentNote[]; actions: IncidentAction[] }>;
  screenshot(sha256: string): Promise<Buffer | undefined>;
}

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/**
 * A subject-access export for one pupil: their captures (with screenshots), notes about them and
 * the incidents about them, with a README and a SHA-256 manifest. Screenshots in the `illegal`
 * category are withheld (listed by hash): disclosing them could itself be an offence, and the DSL
 * decides on other exemptions (serious harm, an open child-protection enquiry) before sending.
 */
export async function buildSubjectAccessPack(
  deps: {
    source: SubjectAccessSource;
    audit: { record(entry: AuditEntry): Promise<number> };
    clock: { now(): Date };
  },
  actor: Subject,
  school: { id: string; name: string },
  user: string,
): Promise<PackFile[]> {
  const captures = await deps.source.captures(school.id, user);
  const ids = captures.map((c) => c.id);
  const notes = await deps.source.captureNotes(ids);
  const incidents = await deps.source.incidents(school.id, user, ids);
  const files: PackFile[] = [];
  const withheld: string[] = [];
  for (const c of captures) {
    if (c.screenshotSha256 === null) continue;
    if (c.category === 'illegal') {
      withheld.push(`${c.id}  SHA-256 ${c.screenshotSha256}`);
      continue;
    }
    const bytes = await deps.source.screenshot(c.screenshotSha256);
    if (bytes !== undefined)
      files.push({ path: `screenshots/${c.id}.${EXT[c.screenshotMediaType ?? ''] ?? 'bin'}`, bytes });
  }
  const incidentRecords = [];
  for (const i of incidents) incidentRecords.push({ ...i, ...(await deps.source.incidentRecords(i.id)) });
  const generatedAt = deps.clock.now().toISOString();
  const json = (v: unknown) => Buffer.from(`${JSON.stringify(v, null, 2)}\n`, 'utf8');
  files.unshift(
    {
      path: 'README.txt',
      bytes: Buffer.from(
        [
          `Subject-access export for "${user}" at ${school.name}`,
          `Generated ${generatedAt} by the designated safeguarding lead's account.`,
          '',
          `captures.json / captures.csv  ${captures.length} monitoring captures (what was matched, when, where)`,
          `capture-notes.json            ${notes.length} notes staff wrote about them`,
          `incidents.json                ${incidents.length} safeguarding incidents, with actions and notes`,
          `screenshots/                  the screenshot taken at each capture`,
          `manifest.sha256               SHA-256 of every file (check with: sha256sum -c manifest.sha256)`,
          '',
          'Review before disclosure: information about other people, and information whose disclosure would be',
          'likely to cause serious harm or prejudice a child-protection enquiry, may need to be redacted or withheld',
          '(Data Protection Act 2018, Schedules 2 and 3).',
          '',
          withheld.length === 0
            ? 'Nothing was withheld automatically.'
            : `Withheld automatically (illegal-content category; kept on the server under the school's procedure):\n${withheld.join('\n')}`,
          '',
        ].join('\n'),
        'utf8',
      ),
    },
    { path: 'captures.json', bytes: json(captures) },
    {
      path: 'captures.csv',
      bytes: Buffer.from(
        toCsv([
          [
            'id',
            'captured at',
            'machine',
            'user',
            'category',
            'severity',
            'matched term',
            'context',
            'window title',
            'application',
            'url',
            'status',
          ],
          ...captures.map((c) => [
            c.id,
            c.capturedAt,
            c.machine,
            c.user,
            c.category,
            c.severity,
            c.category === 'illegal' ? 'withheld' : c.term,
            c.category === 'illegal' ? 'withheld' : c.context,
            c.windowTitle,
            c.application,
            c.url,
            c.status,
          ]),
        ]),
        'utf8',
      ),
    },
    { path: 'capture-notes.json', bytes: json(notes) },
    { path: 'incidents.json', bytes: json(incidentRecords) },
  );
  files.push({ path: 'manifest.sha256', bytes: Buffer.from(manifestOf(files), 'utf8') });
  await deps.audit.record({
    action: 'subject-access.exported',
    actorUserId: actor.userId,
    targetType: 'pupil',
    targetId: user,
    schoolId: school.id,
    details: {
      captures: captures.length,
      incidents: incidents.length,
      withheld: withheld.length,
      files: files.map((f) => ({ path: f.path, sha256: sha256Hex(f.bytes) })),
    },
  });
  return files;
}
