import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../domain/audit/audit-chain.js';
import { capture, dsl, incidentWorld } from '../../domain/incidents/incident-fixtures.test-support.js';
import { buildReferralPack, sha256Hex } from '../../domain/incidents/referral-pack.js';
import { zipFiles } from '../zip/zip-files.js';
import { toDrawable } from './drawable-image.js';
import { renderIncidentPdf } from './incident-pdf.js';

const dir = mkdtempSync(join(tmpdir(), 'kestrel-referral-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const image = (colour: string) =>
  sharp({ create: { width: 320, height: 200, channels: 3, background: colour } })
    .png()
    .toBuffer();

describe('incident referral pack', () => {
  it('renders the PDF with evidence, withholds illegal images, and ships a verifiable manifest', async () => {
    const visible = await image('#3366cc');
    const illegal = await sharp({ create: { width: 100, height: 80, channels: 3, background: '#cc3333' } })
      .webp()
      .toBuffer();
    const store = new Map([
      [sha256Hex(visible), visible],
      [sha256Hex(illegal), illegal],
    ]);
    const w = incidentWorld([
      capture('cap-visible', {
        screenshotSha256: sha256Hex(visible),
        screenshotMediaType: 'image/png',
        windowTitle: 'Żółć <script>alert(1)</script>',
      }),
      capture('cap-illegal', {
        category: 'illegal',
        severity: 5,
        term: 'forbidden-term-xyz',
        context: 'context-should-not-appear',
        screenshotSha256: sha256Hex(illegal),
        screenshotMediaType: 'image/webp',
      }),
    ]);
    const inc = await w.service.open(dsl, {
      schoolId: 'a',
      title: 'Concern raised from monitoring',
      captureIds: ['cap-visible', 'cap-illegal'],
    });
    await w.service.recordAction(dsl, inc.id, { kind: 'police-informed', detail: 'Ref 123/26' });

    const files = await buildReferralPack(
      {
        incidents: w.service,
        screenshots: { get: async (sha) => store.get(sha) },
        toDrawable,
        renderPdf: renderIncidentPdf,
        schoolName: async () => 'Hillside Primary',
        userNames: async (ids) => new Map(ids.map((id) => [id, `Name of ${id}`])),
        audit: w.audit,
        clock: w.clock,
      },
      dsl,
      inc.id,
    );
    expect(files.map((f) => f.path)).toEqual([
      'incident.pdf',
      'evidence/cap-visible.png',
      'evidence/cap-illegal.webp',
      'manifest.sha256',
    ]);

    const zipPath = join(dir, 'pack.zip');
    writeFileSync(zipPath, await zipFiles(files));
    const out = join(dir, 'out');
    execFileSync('unzip', ['-q', zipPath, '-d', out]);
    // The manifest checks with the standard tool, as a police digital forensics unit would.
    const check = execFileSync('sha256sum', ['-c', 'manifest.sha256'], { cwd: out, encoding: 'utf8' });
    expect(check.trim().split('\n')).toHaveLength(3);
    expect(readFileSync(join(out, 'evidence/cap-illegal.webp')).equals(illegal)).toBe(true);

    const text = execFileSync('pdftotext', ['-layout', join(out, 'incident.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('E-safety incident INC-2026-0001');
    expect(text).toContain('Hillside Primary');
    expect(text).toContain('Police informed');
    expect(text).toContain('Screenshot NOT rendered');
    expect(text).toContain(sha256Hex(illegal));
    expect(text).toContain('Żółć <script>alert(1)</script>');
    expect(text).not.toContain('forbidden-term-xyz');
    expect(text).not.toContain('context-should-not-appear');
    // The pages as a person sees them (kept for the docs on request).
    execFileSync('pdftoppm', ['-png', '-r', '60', join(out, 'incident.pdf'), join(dir, 'page')]);
    if (process.env['KESTREL_DOCS_SCREENSHOTS'] === '1') {
      writeFileSync('docs/img/workflow-incident-pdf.png', readFileSync(join(dir, 'page-1.png')));
    }
    // Exactly one image drawn: the visible capture's, never the illegal one.
    const images = execFileSync('pdfimages', ['-list', join(out, 'incident.pdf')], { encoding: 'utf8' });
    const rows = images.trim().split('\n').slice(2);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/\s320\s+200\s/);

    expect(w.auditStore.events.at(-1)?.action).toBe('incident.exported');
    expect((await verifyChain(w.auditStore.events)).ok).toBe(true);
  });
});
