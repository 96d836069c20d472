import { KestrelError } from '@kestrel/shared/errors';
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../audit/audit-chain.js';
import { capture, dsl, dslB, head, incidentWorld } from './incident-fixtures.test-support.js';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KestrelError) return err.code;
    throw err;
  }
  return 'resolved';
}

describe('incident workflow', () => {
  it('opens from an escalated capture, answers the flowchart, records actions and closes', async () => {
    const w = incidentWorld([capture('c1')]);
    const inc = await w.service.openFromCapture(dsl, 'c1');
    expect(inc).toMatchObject({
      reference: 'INC-2026-0001',
      status: 'open',
      subjectUser: 'jsmith',
      legalHold: false,
    });
    expect(await w.service.openFromCapture(dsl, 'c1')).toMatchObject({ id: inc.id });

    await w.service.update(dsl, inc.id, { illegal: 'no', staffInvolved: false, pupilRole: 'victim' });
    let detail = await w.service.get(dsl, inc.id);
    expect(detail.steps.map((s) => s.chart)).toContain('pupil-victim');
    expect(detail.steps.find((s) => s.text.startsWith('Inform parents'))?.done).toBe(false);

    await w.service.recordAction(dsl, inc.id, { kind: 'parents-informed', detail: 'Phoned mother' });
    await w.service.addNote(dsl, inc.id, { text: 'Spoke to the pupil with the form tutor.' });
    detail = await w.service.get(dsl, inc.id);
    expect(detail.incident.status).toBe('in-progress');
    expect(detail.steps.find((s) => s.text.startsWith('Inform parents'))?.done).toBe(true);
    expect(detail.evidence.map((e) => e.id)).toEqual(['c1']);
    expect(detail.notes).toHaveLength(1);

    const closed = await w.service.close(dsl, inc.id, { outcome: 'Support plan in place' });
    expect(closed.status).toBe('closed');
    expect(await codeOf(w.service.addNote(dsl, inc.id, { text: 'late' }))).toBe('resolved');
    expect(await codeOf(w.service.recordAction(dsl, inc.id, { kind: 'support' }))).toBe('CONFLICT');

    const actions = w.auditStore.events.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'incident.opened',
        'incident.updated',
        'incident.action.recorded',
        'incident.closed',
      ]),
    );
    expect((await verifyChain(w.auditStore.events)).ok).toBe(true);
  });

  it('puts suspected illegal material under legal hold, which blocks deletion and unlinking', async () => {
    const w = incidentWorld([capture('c1', { category: 'illegal', severity: 5 }), capture('c2')]);
    const inc = await w.service.openFromCapture(dsl, 'c1');
    expect(inc).toMatchObject({ illegal: 'suspected', legalHold: true });
    expect(await codeOf(w.service.delete(dsl, inc.id, 'opened in error'))).toBe('LEGAL_HOLD');
    expect(await codeOf(w.service.unlinkCapture(dsl, inc.id, 'c1'))).toBe('LEGAL_HOLD');
    const steps = (await w.service.get(dsl, inc.id)).steps;
    expect(steps.map((s) => s.text)).toContain(
      'Save all evidence but do not view or copy it; let the police review it',
    );

    await w.service.setLegalHold(dsl, inc.id, {
      on: false,
      reason: 'Police returned the case: no further action',
    });
    expect(await codeOf(w.service.delete(dsl, inc.id, 'duplicate'))).toBe('resolved');
    expect(w.auditStore.events.map((e) => e.action)).toContain('incident.hold.lifted');
  });

  it('answering "illegal: yes" later places a hold', async () => {
    const w = incidentWorld([capture('c1')]);
    const inc = await w.service.open(dsl, {
      schoolId: 'a',
      title: 'Report from a teacher',
      captureIds: ['c1'],
    });
    const next = await w.service.update(dsl, inc.id, { illegal: 'yes' });
    expect(next.legalHold).toBe(true);
    expect((await w.repo.protectedCaptureIds('a')).has('c1')).toBe(true);
  });

  it('lets the headteacher read but not change; hides incidents from other schools', async () => {
    const w = incidentWorld([capture('c1')]);
    const inc = await w.service.openFromCapture(dsl, 'c1');
    expect((await w.service.get(head, inc.id)).incident.id).toBe(inc.id);
    expect(await codeOf(w.service.update(head, inc.id, { title: 'x' }))).toBe('FORBIDDEN');
    expect(await codeOf(w.service.get(dslB, inc.id))).toBe('NOT_FOUND');
    expect(await w.service.list(dslB)).toEqual([]);
    expect(await codeOf(w.service.open(dslB, { schoolId: 'b', title: 't', captureIds: ['c1'] }))).toBe(
      'NOT_FOUND',
    );
  });

  it('tells a capture’s page which incidents it is evidence in, only to those who may see them', async () => {
    const w = incidentWorld([capture('c1'), capture('c2')]);
    expect(await w.service.forCapture(dsl, 'c1')).toEqual([]);
    const inc = await w.service.openFromCapture(dsl, 'c1');
    expect((await w.service.forCapture(head, 'c1')).map((i) => i.reference)).toEqual([inc.reference]);
    expect(await w.service.forCapture(dsl, 'c2')).toEqual([]);
    const moderator = { userId: 'mod-a', memberships: [{ schoolId: 'a', role: 'moderator' as const }] };
    expect(await codeOf(w.service.forCapture(moderator, 'c1'))).toBe('NOT_FOUND');
    expect(await codeOf(w.service.forCapture(dslB, 'c1'))).toBe('NOT_FOUND');
    expect(await codeOf(w.service.forCapture(dsl, 'no-such'))).toBe('NOT_FOUND');
    // Opening from the capture's page is the DSL's: not the headteacher's, nor another school's DSL.
    expect(await codeOf(w.service.openFromCapture(head, 'c2'))).toBe('NOT_FOUND');
    expect(await codeOf(w.service.openFromCapture(dslB, 'c2'))).toBe('NOT_FOUND');
  });

  it('numbers incidents per school and year', async () => {
    const w = incidentWorld([]);
    const one = await w.service.open(dsl, { schoolId: 'a', title: 'one' });
    const two = await w.service.open(dsl, { schoolId: 'a', title: 'two' });
    expect([one.reference, two.reference]).toEqual(['INC-2026-0001', 'INC-2026-0002']);
  });

  it('rejects bad input with a validation error', async () => {
    const w = incidentWorld([]);
    const inc = await w.service.open(dsl, { schoolId: 'a', title: 'one' });
    expect(await codeOf(w.service.update(dsl, inc.id, { pupilRole: 'bystander' as never }))).toBe(
      'VALIDATION_FAILED',
    );
  });
});
