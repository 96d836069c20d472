import { describe, expect, it } from 'vitest';
import type { EvidenceCapture } from '../incidents/incident.js';
import { buildSubjectAccessPack } from './subject-access.js';
import type { SubjectAccessSource } from './subject-access.js';

// Every string an agent sends, crafted as a spreadsheet formula.
const capture: EvidenceCapture = {
  id: '3f0c2d4e-0000-4000-8000-000000000001',
  schoolId: 'a',
  capturedAt: '2026-11-23T10:00:00.000Z',
  receivedAt: '2026-11-23T10:00:01.000Z',
  machine: '=cmd|" /C calc"!A0',
  user: '+kim',
  source: 'typed',
  category: 'bullying',
  severity: 3,
  term: '-term',
  context: '@SUM(1+1)*cmd|" /C calc"!A0',
  windowTitle: '\t=HYPERLINK("http://evil.example")',
  application: '\r=1+1',
  url: '=IMPORTXML("http://evil.example")',
  status: 'new',
  screenshotSha256: null,
  screenshotMediaType: null,
};

const source: SubjectAccessSource = {
  captures: async () => [capture],
  captureNotes: async () => [],
  incidents: async () => [],
  incidentRecords: async () => ({ notes: [], actions: [] }),
  screenshot: async () => undefined,
};

describe('subject-access export', () => {
  it('neutralises formulas in every agent string of captures.csv', async () => {
    const files = await buildSubjectAccessPack(
      { source, audit: { record: async () => 1 }, clock: { now: () => new Date('2026-11-24T00:00:00Z') } },
      { userId: 'dsl', memberships: [{ schoolId: 'a', role: 'dsl' }] },
      { id: 'a', name: 'Hillside Primary' },
      '+kim',
    );
    const text = files.find((f) => f.path === 'captures.csv')?.bytes.toString('utf8') ?? '';
    const row = text.split('\r\n')[1] ?? '';
    expect(row).toBe(
      [
        capture.id,
        capture.capturedAt,
        `"'=cmd|"" /C calc""!A0"`,
        `'+kim`,
        'bullying',
        '3',
        `'-term`,
        `"'@SUM(1+1)*cmd|"" /C calc""!A0"`,
        `"'\t=HYPERLINK(""http://evil.example"")"`,
        `"'\r=1+1"`,
        `"'=IMPORTXML(""http://evil.example"")"`,
        'new',
      ].join(','),
    );
  });
});
