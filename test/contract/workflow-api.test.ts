import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanAuditEvents } from '../../collector-server/src/adapters/repositories/audit-chain.js';
import { verifyChain } from '../../collector-server/src/domain/audit/audit-chain.js';
import { backends } from './collector-helpers.js';
import { type WorkflowWorld, workflowWorld } from './workflow-helpers.js';

// The same API on each backend: SQL that works on SQLite must work on PostgreSQL too.
for (const backend of await backends()) {
  describe(`workflow API on ${backend.name}`, () => {
    let w: WorkflowWorld;
    const dir = mkdtempSync(join(tmpdir(), `kestrel-wf-api-${backend.name}-`));
    beforeAll(async () => {
      w = await workflowWorld(backend.env());
    });
    afterAll(async () => {
      await w.close();
      rmSync(dir, { recursive: true, force: true });
    });
    /** The policy as device A fetches it, conditionally on an ETag. */
    const policy = (etag?: string) =>
      w.h.app.inject({
        method: 'GET',
        url: '/api/v1/policy',
        headers: {
          authorization: `Bearer ${w.deviceA.deviceToken}`,
          ...(etag === undefined ? {} : { 'if-none-match': etag }),
        },
      });

    describe('incident from escalation to closure (API)', () => {
      it('runs the seeds’ flowchart on an escalated capture and exports a referral pack', async () => {
        const captureId = await w.capture(w.deviceA, {
          category: 'self-harm',
          severity: 4,
          term: 'hurt myself',
        });
        const esc = await w.as('moderator')({
          method: 'POST',
          url: '/api/v1/moderation/actions',
          payload: { action: 'escalate', captureIds: [captureId], reason: 'Pupil at risk' },
        });
        expect(esc.statusCode, esc.body).toBe(200);

        const opened = await w.as('dsl')({
          method: 'POST',
          url: `/api/v1/captures/${captureId}/incident`,
          payload: {},
        });
        expect(opened.statusCode, opened.body).toBe(201);
        const incident = opened.json<{ id: string; reference: string }>();
        expect(incident.reference).toMatch(/^INC-\d{4}-0001$/);
        // The capture's page: the DSL and the headteacher see the incident it is in; a second
        // "open" gives the same incident; a moderator and another school's DSL are refused.
        const linked = (who: string) =>
          w.as(who)({ method: 'GET', url: `/api/v1/captures/${captureId}/incidents` });
        for (const who of ['dsl', 'headteacher']) {
          expect((await linked(who)).json<{ items: unknown[] }>().items).toEqual([
            { id: incident.id, reference: incident.reference, title: expect.any(String), status: 'open' },
          ]);
        }
        expect((await linked('moderator')).statusCode).toBe(403);
        expect((await linked('dslB')).statusCode).toBe(404);
        const again = await w.as('dsl')({
          method: 'POST',
          url: `/api/v1/captures/${captureId}/incident`,
          payload: {},
        });
        expect(again.json<{ id: string }>().id).toBe(incident.id);
        expect(
          (
            await w.as('headteacher')({
              method: 'POST',
              url: `/api/v1/captures/${captureId}/incident`,
              payload: {},
            })
          ).statusCode,
        ).toBe(403);
        expect(
          (await w.as('dslB')({ method: 'POST', url: `/api/v1/captures/${captureId}/incident`, payload: {} }))
            .statusCode,
        ).toBe(404);

        const patch = await w.as('dsl')({
          method: 'PATCH',
          url: `/api/v1/incidents/${incident.id}`,
          payload: { illegal: 'no', staffInvolved: false, pupilRole: 'victim', intent: 'deliberate' },
        });
        expect(patch.statusCode, patch.body).toBe(200);
        for (const kind of ['parents-informed', 'support']) {
          const r = await w.as('dsl')({
            method: 'POST',
            url: `/api/v1/incidents/${incident.id}/actions`,
            payload: { kind, detail: `${kind} done` },
          });
          expect(r.statusCode, r.body).toBe(201);
        }
        await w.as('dsl')({
          method: 'POST',
          url: `/api/v1/incidents/${incident.id}/notes`,
          payload: { text: 'Met with the pupil and form tutor.' },
        });

        const detail = await w.as('headteacher')({ method: 'GET', url: `/api/v1/incidents/${incident.id}` });
        expect(detail.statusCode, detail.body).toBe(200);
        const body = detail.json<{
          incident: { status: string };
          evidence: { id: string }[];
          steps: { done: boolean; text: string }[];
        }>();
        expect(body.incident.status).toBe('in-progress');
        expect(body.evidence.map((e) => e.id)).toEqual([captureId]);
        expect(body.steps.filter((s) => s.done).map((s) => s.text)).toContain(
          'Inform parents or carers as appropriate',
        );

        expect(
          (
            await w.as('headteacher')({
              method: 'PATCH',
              url: `/api/v1/incidents/${incident.id}`,
              payload: { title: 'x' },
            })
          ).statusCode,
        ).toBe(403);
        expect(
          (await w.as('governor')({ method: 'GET', url: `/api/v1/incidents/${incident.id}` })).statusCode,
        ).toBe(403);
        expect(
          (await w.as('dslB')({ method: 'GET', url: `/api/v1/incidents/${incident.id}` })).statusCode,
        ).toBe(404);
        expect((await w.as('moderator')({ method: 'GET', url: '/api/v1/incidents' })).statusCode).toBe(403);

        const zip = await w.as('dsl')({
          method: 'GET',
          url: `/api/v1/incidents/${incident.id}/referral.zip`,
        });
        expect(zip.statusCode).toBe(200);
        expect(zip.headers['content-type']).toBe('application/zip');
        writeFileSync(join(dir, 'referral.zip'), zip.rawPayload);
        execFileSync('unzip', ['-q', join(dir, 'referral.zip'), '-d', join(dir, 'pack')]);
        expect(
          execFileSync('sha256sum', ['-c', 'manifest.sha256'], { cwd: join(dir, 'pack'), encoding: 'utf8' }),
        ).toContain('incident.pdf: OK');

        const closed = await w.as('dsl')({
          method: 'POST',
          url: `/api/v1/incidents/${incident.id}/close`,
          payload: { outcome: 'Support plan agreed with parents' },
        });
        expect(closed.json()).toMatchObject({
          status: 'closed',
          outcome: 'Support plan agreed with parents',
        });

        const audit = await w.as('dsl')({ method: 'GET', url: `/api/v1/audit?targetId=${incident.id}` });
        expect(audit.json<{ items: { action: string }[] }>().items.map((e) => e.action)).toEqual(
          expect.arrayContaining([
            'incident.opened',
            'incident.updated',
            'incident.action.recorded',
            'incident.exported',
            'incident.closed',
          ]),
        );
        expect((await verifyChain(scanAuditEvents(w.h.storage.db))).ok).toBe(true);
      });

      it('holds an illegal capture’s incident and refuses its deletion', async () => {
        const captureId = await w.capture(w.deviceA, {
          category: 'illegal',
          severity: 5,
          term: 'withheld term',
        });
        const opened = await w.as('dsl')({
          method: 'POST',
          url: `/api/v1/captures/${captureId}/incident`,
          payload: {},
        });
        const incident = opened.json<{ id: string; legalHold: boolean }>();
        expect(incident.legalHold).toBe(true);
        const detail = await w.as('dsl')({ method: 'GET', url: `/api/v1/incidents/${incident.id}` });
        expect(detail.json<{ evidence: { term: string | null; withheld: boolean }[] }>().evidence).toEqual([
          expect.objectContaining({ term: null, withheld: true }),
        ]);
        const del = await w.as('dsl')({
          method: 'DELETE',
          url: `/api/v1/incidents/${incident.id}?reason=mistake`,
        });
        expect(del.statusCode).toBe(409);
        expect(del.json()).toMatchObject({ error: { code: 'LEGAL_HOLD' } });
      });
    });

    describe('the headteacher’s week and the monthly report', () => {
      it('gives the headteacher names and governors figures only', async () => {
        const head = await w.as('headteacher')({
          method: 'GET',
          url: `/api/v1/schools/${w.schoolA}/dashboard`,
        });
        expect(head.statusCode, head.body).toBe(200);
        const d = head.json<{
          weeks: { total: number; byCategory: Record<string, number> }[];
          openIncidents: unknown[] | null;
          backlog: { count: number };
        }>();
        expect(d.weeks).toHaveLength(8);
        expect(d.weeks[0]?.total).toBeGreaterThanOrEqual(2);
        expect(d.weeks[0]?.byCategory['illegal']).toBe(1);
        expect(d.openIncidents).not.toBeNull();
        const gov = await w.as('governor')({ method: 'GET', url: `/api/v1/schools/${w.schoolA}/dashboard` });
        expect(gov.json<{ openIncidents: unknown }>().openIncidents).toBeNull();
        expect(
          (await w.as('governor')({ method: 'GET', url: `/api/v1/schools/${w.schoolB}/dashboard` }))
            .statusCode,
        ).toBe(404);
        expect(
          (await w.as('technician')({ method: 'GET', url: `/api/v1/schools/${w.schoolA}/dashboard` }))
            .statusCode,
        ).toBe(403);
      });

      it('renders the monthly report as PDF and CSV, without names for governors', async () => {
        const period = new Date().toISOString().slice(0, 7);
        const pdf = await w.as('headteacher')({
          method: 'GET',
          url: `/api/v1/schools/${w.schoolA}/reports/${period}.pdf`,
        });
        expect(pdf.statusCode, pdf.body).toBe(200);
        writeFileSync(join(dir, 'report.pdf'), pdf.rawPayload);
        const text = execFileSync('pdftotext', ['-layout', join(dir, 'report.pdf'), '-'], {
          encoding: 'utf8',
        });
        expect(text).toContain('Safeguarding monitoring:');
        expect(text).toMatch(/Open incidents[\s\S]*INC-\d{4}-0002/);
        // Render the first page as a person would see it; the PNG is kept for a human look.
        execFileSync('pdftoppm', [
          '-png',
          '-r',
          '60',
          '-f',
          '1',
          '-l',
          '1',
          '-singlefile',
          join(dir, 'report.pdf'),
          join(dir, 'report'),
        ]);
        const png = readFileSync(join(dir, 'report.png'));
        expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
        if (process.env['KESTREL_DOCS_SCREENSHOTS'] === '1' && backend.name === 'SQLite')
          writeFileSync('docs/img/workflow-monthly-report.png', png);
        const gov = await w.as('governor')({
          method: 'GET',
          url: `/api/v1/schools/${w.schoolA}/reports/${period}.pdf`,
        });
        writeFileSync(join(dir, 'gov.pdf'), gov.rawPayload);
        const govText = execFileSync('pdftotext', ['-layout', join(dir, 'gov.pdf'), '-'], {
          encoding: 'utf8',
        });
        expect(govText).toContain('Governors’ version');
        expect(govText).not.toContain('INC-');
        const csv = await w.as('governor')({
          method: 'GET',
          url: `/api/v1/schools/${w.schoolA}/reports/${period}.csv`,
        });
        expect(csv.headers['content-type']).toContain('text/csv');
        expect(csv.body).toMatch(/^section,item,this month,previous month\r\n/);
        expect(csv.body).toContain('captures by category,illegal,1,0');
        expect(csv.body).toContain('school,time zone,Europe/London');
      });
    });

    describe('research exemptions', () => {
      it('suppresses a category on the named machines until it expires or is revoked', async () => {
        const policyOf = async (token: string, etag?: string) =>
          w.h.app.inject({
            method: 'GET',
            url: '/api/v1/policy',
            headers: {
              authorization: `Bearer ${token}`,
              ...(etag === undefined ? {} : { 'if-none-match': etag }),
            },
          });
        const before = await policyOf(w.deviceA.deviceToken);
        const schoolEtag = String(before.headers['etag']);
        expect(
          before.json<{ policy: { suppressedCategories: unknown[] } }>().policy.suppressedCategories,
        ).toEqual([]);

        const refused = await w.as('dsl')({
          method: 'POST',
          url: `/api/v1/schools/${w.schoolA}/exemptions`,
          payload: {
            categories: ['suicide'],
            hostnamePattern: 'LAB1-*',
            reason: 'PSHE lesson on mental health',
            expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          },
        });
        expect(refused.statusCode).toBe(400);
        const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
        const granted = await w.as('dsl')({
          method: 'POST',
          url: `/api/v1/schools/${w.schoolA}/exemptions`,
          payload: {
            categories: ['drugs', 'discrimination'],
            hostnamePattern: 'LAB1-*',
            reason: 'Year 9 science: drugs and the nervous system',
            expiresAt: until,
          },
        });
        expect(granted.statusCode, granted.body).toBe(201);
        const exemption = granted.json<{ id: string }>();
        expect(
          (
            await w.as('moderator')({
              method: 'POST',
              url: `/api/v1/schools/${w.schoolA}/exemptions`,
              payload: {},
            })
          ).statusCode,
        ).toBe(403);
        const listed = await w.as('moderator')({
          method: 'GET',
          url: `/api/v1/schools/${w.schoolA}/exemptions`,
        });
        expect(listed.json<{ items: { id: string; state: string }[] }>().items).toContainEqual(
          expect.objectContaining({ id: exemption.id, state: 'active' }),
        );

        const during = await policyOf(w.deviceA.deviceToken, schoolEtag);
        expect(during.statusCode).toBe(200);
        expect(
          during.json<{ policy: { suppressedCategories: unknown[] } }>().policy.suppressedCategories,
        ).toEqual([
          { category: 'discrimination', until },
          { category: 'drugs', until },
        ]);
        expect((await policyOf(w.deviceA.deviceToken, String(during.headers['etag']))).statusCode).toBe(304);
        // School B's machines are untouched.
        expect(
          (await policyOf(w.deviceB.deviceToken)).json<{ policy: { suppressedCategories: unknown[] } }>()
            .policy.suppressedCategories,
        ).toEqual([]);

        expect(
          (
            await w.as('dsl')({
              method: 'POST',
              url: `/api/v1/exemptions/${exemption.id}/revoke`,
              payload: {},
            })
          ).statusCode,
        ).toBe(200);
        const after = await policyOf(w.deviceA.deviceToken);
        expect(after.headers['etag']).toBe(schoolEtag);
        const audit = await w.as('dsl')({ method: 'GET', url: `/api/v1/audit?targetId=${exemption.id}` });
        expect(audit.json<{ items: { action: string }[] }>().items.map((e) => e.action)).toEqual([
          'exemption.granted',
          'exemption.revoked',
        ]);
      });
    });

    describe('lexicon administration', () => {
      it('tries a phrase, adds a term and an exception, publishes, and agents get it by ETag', async () => {
        const before = await policy();
        const etag = String(before.headers['etag']);
        const url = `/api/v1/schools/${w.schoolA}/lexicon`;

        const tried = await w.as('moderator')({
          method: 'POST',
          url: `${url}/try`,
          payload: { phrase: 'you are such a zorblax' },
        });
        expect(tried.json<{ matches: unknown[] }>().matches).toEqual([]);
        expect(
          (await w.as('moderator')({ method: 'PUT', url: `${url}/overrides`, payload: {} })).statusCode,
        ).toBe(403);
        expect((await w.as('technician')({ method: 'GET', url })).statusCode).toBe(200);

        const bad = await w.as('dsl')({
          method: 'PUT',
          url: `${url}/overrides`,
          payload: { added: [{ term: 'Not Lower', category: 'bullying', severity: 3 }] },
        });
        expect(bad.statusCode).toBe(400);
        const saved = await w.as('dsl')({
          method: 'PUT',
          url: `${url}/overrides`,
          payload: {
            added: [{ term: 'zorblax', category: 'bullying', severity: 3, note: 'local slang' }],
            exceptions: [{ phrase: 'zorblax club', note: 'the chess club' }],
          },
        });
        expect(saved.statusCode, saved.body).toBe(200);
        const hit = await w.as('moderator')({
          method: 'POST',
          url: `${url}/try`,
          payload: { phrase: 'you are such a zorblax' },
        });
        expect(hit.json<{ matches: { term: string; start: number; end: number }[] }>().matches).toEqual([
          expect.objectContaining({ term: 'zorblax', category: 'bullying', start: 15, end: 22 }),
        ]);
        const club = await w.as('moderator')({
          method: 'POST',
          url: `${url}/try`,
          payload: { phrase: 'see you at zorblax club' },
        });
        expect(club.json<{ matches: unknown[] }>().matches).toEqual([]);
        // Not yet published: agents still get the old lexicon.
        expect((await policy(etag)).statusCode).toBe(304);

        const published = await w.as('dsl')({ method: 'POST', url: `${url}/publish`, payload: {} });
        expect(published.statusCode, published.body).toBe(200);
        const after = await policy(etag);
        expect(after.statusCode).toBe(200);
        const lexicon = after.json<{ lexicon: { version: string; entries: { term: string }[] } }>().lexicon;
        expect(lexicon.version).toBe(published.json<{ version: string }>().version);
        expect(lexicon.entries.some((e) => e.term === 'zorblax')).toBe(true);
        const audit = await w.as('dsl')({ method: 'GET', url: `/api/v1/audit?action=lexicon.` });
        expect(audit.json<{ items: { action: string }[] }>().items.map((e) => e.action)).toEqual([
          'lexicon.draft.changed',
          'lexicon.published',
        ]);
      });
    });

    describe('lexicon severity', () => {
      it('changes a shipped entry’s severity in the draft, audited, and agents get it on publish', async () => {
        const url = `/api/v1/schools/${w.schoolA}/lexicon`;
        const etag = String((await policy()).headers['etag']);
        type Entry = { term: string; category: string; severity: number; shippedSeverity: number };
        const find = async (q: string) =>
          (await w.as('dsl')({ method: 'GET', url: `${url}/entries?q=${encodeURIComponent(q)}` })).json<{
            items: Entry[];
          }>().items;
        const entry = (await find('')).find((e) => e.severity < 5 && !e.term.includes('*'));
        if (entry === undefined) throw new Error('no shipped entry below severity 5');
        const { overrides } = (await w.as('dsl')({ method: 'GET', url })).json<{
          overrides: Record<string, unknown[]>;
        }>();
        const withSeverity = (severity: number, term = entry.term) => ({
          ...overrides,
          severities: [{ term, category: entry.category, severity }],
        });
        const put = (who: string, payload: object) =>
          w.as(who)({ method: 'PUT', url: `${url}/overrides`, payload });
        expect((await put('dsl', withSeverity(6))).statusCode).toBe(400);
        expect((await put('dsl', withSeverity(0))).statusCode).toBe(400);
        expect((await put('dsl', withSeverity(5, 'no such shipped term'))).statusCode).toBe(400);
        expect((await put('moderator', withSeverity(5))).statusCode).toBe(403);
        expect((await put('dslB', withSeverity(5))).statusCode).toBe(404);
        const saved = await put('dsl', withSeverity(5));
        expect(saved.statusCode, saved.body).toBe(200);
        expect((await find(entry.term)).find((e) => e.category === entry.category)).toMatchObject({
          severity: 5,
          shippedSeverity: entry.shippedSeverity,
        });
        // A draft: agents keep what was published until the DSL publishes.
        expect((await policy(etag)).statusCode).toBe(304);
        const published = await w.as('dsl')({ method: 'POST', url: `${url}/publish`, payload: {} });
        expect(published.statusCode, published.body).toBe(200);
        const after = await policy(etag);
        expect(after.statusCode).toBe(200);
        const lexicon = after.json<{
          lexicon: { version: string; entries: { term: string; category: string; severity: number }[] };
        }>().lexicon;
        expect(lexicon.version).toBe(published.json<{ version: string }>().version);
        expect(
          lexicon.entries.find((e) => e.term === entry.term && e.category === entry.category)?.severity,
        ).toBe(5);
        const audit = await w.as('dsl')({ method: 'GET', url: `/api/v1/audit?action=lexicon.draft` });
        const changed = audit
          .json<{ items: { details: { severityChanges?: unknown[] } }[] }>()
          .items.find((e) => e.details.severityChanges !== undefined);
        expect(changed?.details.severityChanges).toEqual([
          { term: entry.term, category: entry.category, from: entry.shippedSeverity, to: 5 },
        ]);
      });
    });

    describe('subject-access export', () => {
      it('zips one pupil’s captures, screenshots and incidents, withholding illegal images', async () => {
        const mine = await w.capture(w.deviceA, {
          user: 'Year10-Kim',
          category: 'bullying',
          severity: 3,
          context: 'kim typed this',
        });
        const illegal = await w.capture(w.deviceA, { user: 'year10-kim', category: 'illegal', severity: 5 });
        await w.capture(w.deviceA, {
          user: 'someone-else',
          category: 'bullying',
          severity: 3,
          context: 'not kim',
        });
        await w.as('dsl')({ method: 'POST', url: `/api/v1/captures/${mine}/incident`, payload: {} });
        expect(
          (
            await w.as('headteacher')({
              method: 'GET',
              url: `/api/v1/schools/${w.schoolA}/subject-access.zip?user=year10-kim`,
            })
          ).statusCode,
        ).toBe(403);
        const res = await w.as('dsl')({
          method: 'GET',
          url: `/api/v1/schools/${w.schoolA}/subject-access.zip?user=year10-kim`,
        });
        expect(res.statusCode, res.body).toBe(200);
        writeFileSync(join(dir, 'sar.zip'), res.rawPayload);
        execFileSync('unzip', ['-q', join(dir, 'sar.zip'), '-d', join(dir, 'sar')]);
        execFileSync('sha256sum', ['-c', '--quiet', 'manifest.sha256'], { cwd: join(dir, 'sar') });
        const captures = JSON.parse(readFileSync(join(dir, 'sar', 'captures.json'), 'utf8')) as {
          id: string;
        }[];
        expect(captures.map((c) => c.id).sort()).toEqual([mine, illegal].sort());
        const listing = execFileSync('unzip', ['-Z1', join(dir, 'sar.zip')], { encoding: 'utf8' });
        expect(listing).toContain(`screenshots/${mine}.jpg`);
        expect(listing).not.toContain(`screenshots/${illegal}`);
        expect(readFileSync(join(dir, 'sar', 'README.txt'), 'utf8')).toContain(illegal);
        expect(readFileSync(join(dir, 'sar', 'captures.csv'), 'utf8')).not.toContain('not kim');
        const incidents = JSON.parse(readFileSync(join(dir, 'sar', 'incidents.json'), 'utf8')) as {
          subjectUser: string;
        }[];
        expect(incidents.map((i) => i.subjectUser)).toEqual(['Year10-Kim']);
      });
    });
  });
}
