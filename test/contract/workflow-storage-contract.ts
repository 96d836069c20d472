import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskScreenshotStore } from '../../collector-server/src/adapters/disk-screenshot-store.js';
import { alertStore } from '../../collector-server/src/adapters/repositories/alerts.js';
import {
  appendChained,
  scanAuditEvents,
  sqlAuditLog,
} from '../../collector-server/src/adapters/repositories/audit-chain.js';
import { evidenceCaptures } from '../../collector-server/src/adapters/repositories/evidence-captures.js';
import { incidentsRepository } from '../../collector-server/src/adapters/repositories/incidents.js';
import { retentionStore } from '../../collector-server/src/adapters/repositories/retention.js';
import type { KyselyStorage } from '../../collector-server/src/adapters/storage.js';
import { DEFAULT_ALERT_RULE } from '../../collector-server/src/domain/alerts/alert-rules.js';
import { verifyChain } from '../../collector-server/src/domain/audit/audit-chain.js';
import type { Subject } from '../../collector-server/src/domain/authz/policy.js';
import { IncidentService } from '../../collector-server/src/domain/incidents/incident-service.js';
import { purgeExpired } from '../../collector-server/src/domain/retention/retention-purge.js';
import type { Capture } from '../../collector-server/src/ports/captures-repository.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-23T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW - n * DAY).toISOString();

/** The workflow tables and the audit chain, on one backend (SQLite or PostgreSQL). */
export function workflowStorageContract(
  name: string,
  open: () => Promise<KyselyStorage>,
  destroy: () => Promise<void>,
) {
  describe(`workflow storage: ${name}`, () => {
    let s: KyselyStorage;
    let dir: string;
    let files: DiskScreenshotStore;
    const schoolId = randomUUID();
    const deviceId = randomUUID();
    const dslId = randomUUID();
    const clock = { now: () => new Date(NOW) };
    const dsl: Subject = { userId: dslId, memberships: [{ schoolId, role: 'dsl' }] };

    async function addCapture(over: Partial<Capture> & { colour?: string } = {}): Promise<Capture> {
      const { colour = '#336699', ...rest } = over;
      const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: colour } })
        .png()
        .toBuffer();
      const thumb = await sharp(png).resize(20).jpeg().toBuffer();
      const c: Capture = {
        id: randomUUID(),
        schoolId,
        deviceId,
        captureId: randomUUID(),
        capturedAt: daysAgo(1),
        capturedAtUtc: daysAgo(1),
        machine: 'LAB-PC1',
        user: 'pupil1',
        source: 'typed',
        category: 'bullying',
        severity: 3,
        term: 'loser',
        context: 'such a loser',
        windowTitle: 'Chat',
        application: 'chrome.exe',
        screenshotSha256: await files.put(png),
        screenshotMediaType: 'image/png',
        screenshotBytes: png.length,
        width: 40,
        height: 30,
        thumbnailSha256: await files.put(thumb),
        thumbnailMediaType: 'image/jpeg',
        status: 'unreviewed',
        receivedAt: daysAgo(1),
        reviewedBy: null,
        reviewedAt: null,
        ...rest,
      };
      await s.captures.insertOnce(c);
      return c;
    }

    beforeAll(async () => {
      s = await open();
      dir = await mkdtemp(join(tmpdir(), 'kestrel-wf-'));
      files = new DiskScreenshotStore(dir, { fsync: false });
      await s.schools.create({
        id: schoolId,
        name: 'Hillside',
        timeZone: 'Europe/London',
        createdAt: daysAgo(900),
      });
      await s.devices.create({
        id: deviceId,
        schoolId,
        hostname: 'LAB-PC1',
        os: 'windows',
        agentVersion: '1.0.0',
        tokenHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
        enrolmentTokenId: null,
        enrolledAt: daysAgo(900),
        revokedAt: null,
        lastSeenAt: null,
      });
      await s.users.create({
        id: dslId,
        email: `dsl-${dslId}@example.org`,
        displayName: 'Dee Esel',
        passwordHash: 'x',
        createdAt: daysAgo(900),
        disabledAt: null,
      });
      await s.users.addMembership({ userId: dslId, schoolId, role: 'dsl' });
    });
    afterAll(async () => {
      await s.close();
      await destroy();
      await rm(dir, { recursive: true, force: true });
    });

    it('chains every audit event, including the core repository’s, and detects tampering', async () => {
      await s.auditEvents.append({
        at: daysAgo(0),
        actorUserId: dslId,
        action: 'session.created',
        targetType: 'user',
        targetId: dslId,
        schoolId: null,
      });
      const log = sqlAuditLog(s.db, clock);
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          log.record({
            action: 'capture.viewed',
            actorUserId: dslId,
            schoolId,
            targetId: `c${i}`,
            details: { i },
          }),
        ),
      );
      await s.transaction(async (repos) => {
        await repos.auditEvents.append({
          at: daysAgo(0),
          actorUserId: dslId,
          action: 'capture.status.changed',
          targetType: 'capture',
          targetId: 'c1',
          schoolId,
          details: { to: 'dismissed' },
        });
      });
      const verdict = await verifyChain(scanAuditEvents(s.db));
      expect(verdict.ok).toBe(true);
      expect(verdict.checked).toBeGreaterThanOrEqual(14);

      // A second event claiming the same predecessor (a forked chain) is refused by the database.
      const head = await s.db
        .selectFrom('audit_events')
        .select(['prev_hash'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      await expect(
        s.db
          .insertInto('audit_events')
          .values({
            at: daysAgo(0),
            actor_user_id: null,
            actor_device_id: null,
            action: 'forged',
            target_type: null,
            target_id: null,
            school_id: null,
            details_json: '{}',
            prev_hash: head.prev_hash,
            hash: 'f'.repeat(64),
          })
          .execute(),
      ).rejects.toThrow();

      // Edit a row behind the application's back: the verifier names it.
      const victim = await s.db
        .selectFrom('audit_events')
        .select('seq')
        .where('target_id', '=', 'c5')
        .executeTakeFirstOrThrow();
      await sql`update audit_events set details_json = '{"i":99}' where seq = ${victim.seq}`.execute(s.db);
      expect((await verifyChain(scanAuditEvents(s.db))).firstBreak).toEqual({
        seq: Number(victim.seq),
        reason: 'hash-mismatch',
      });
      await sql`update audit_events set details_json = '{"i":5}' where seq = ${victim.seq}`.execute(s.db);
      expect((await verifyChain(scanAuditEvents(s.db))).ok).toBe(true);

      // Delete a row: the next one no longer links.
      const gone = await s.db
        .selectFrom('audit_events')
        .select('seq')
        .where('target_id', '=', 'c7')
        .executeTakeFirstOrThrow();
      await sql`delete from audit_events where seq = ${gone.seq}`.execute(s.db);
      const broken = await verifyChain(scanAuditEvents(s.db));
      expect(broken.firstBreak?.reason).toBe('link-mismatch');
      expect(broken.firstBreak?.seq).toBeGreaterThan(Number(gone.seq));
      // Leave the log whole again for the tests that follow: drop everything after the gap.
      await sql`delete from audit_events where seq > ${gone.seq}`.execute(s.db);
    });

    it('stores an incident with notes, actions and evidence', async () => {
      const cap = await addCapture({ status: 'escalated', category: 'self-harm', severity: 4 });
      const service = new IncidentService({
        incidents: incidentsRepository(s.db),
        captures: evidenceCaptures(s.captures),
        audit: sqlAuditLog(s.db, clock),
        clock,
      });
      const inc = await service.openFromCapture(dsl, cap.id);
      await service.update(dsl, inc.id, { pupilRole: 'victim', staffInvolved: false, illegal: 'no' });
      await service.recordAction(dsl, inc.id, { kind: 'support', detail: 'Pastoral lead' });
      await service.addNote(dsl, inc.id, { text: 'First conversation' });
      const detail = await service.get(dsl, inc.id);
      expect(detail.incident).toMatchObject({
        status: 'in-progress',
        pupilRole: 'victim',
        staffInvolved: false,
        subjectUser: 'pupil1',
      });
      expect(detail.actions.map((a) => a.kind)).toEqual(['support']);
      expect(detail.notes.map((n) => n.text)).toEqual(['First conversation']);
      expect(detail.evidence.map((e) => e.id)).toEqual([cap.id]);
      expect((await service.list(dsl)).map((i) => i.id)).toContain(inc.id);
      expect((await verifyChain(scanAuditEvents(s.db))).ok).toBe(true);
    });

    it('purges expired captures and their files, keeping held evidence and shared files', async () => {
      const old = await addCapture({ status: 'dismissed', reviewedAt: daysAgo(31), colour: '#010101' });
      const fresh = await addCapture({ status: 'dismissed', reviewedAt: daysAgo(5), colour: '#020202' });
      const held = await addCapture({ status: 'dismissed', reviewedAt: daysAgo(400), colour: '#030303' });
      const sharedOld = await addCapture({ status: 'reviewed', reviewedAt: daysAgo(200), colour: '#040404' });
      const sharedNew = await addCapture({ status: 'reviewed', reviewedAt: daysAgo(2), colour: '#040404' });
      const service = new IncidentService({
        incidents: incidentsRepository(s.db),
        captures: evidenceCaptures(s.captures),
        audit: sqlAuditLog(s.db, clock),
        clock: { now: () => new Date(NOW - 3_000 * DAY) },
      });
      const inc = await service.open(dsl, { schoolId, title: 'Old held case', captureIds: [held.id] });
      await service.setLegalHold(dsl, inc.id, { on: true, reason: 'Police investigation' });
      await service.close(dsl, inc.id, { outcome: 'Referred' });

      const result = await purgeExpired({
        store: retentionStore(s.db),
        files,
        audit: sqlAuditLog(s.db, clock),
        clock,
      });
      expect(result.capturesDeleted).toBe(2);
      expect(result.incidentsDeleted).toBe(0);
      expect(await s.captures.get(old.id)).toBeUndefined();
      expect(await s.captures.get(sharedOld.id)).toBeUndefined();
      expect(await s.captures.get(fresh.id)).toBeDefined();
      expect(await s.captures.get(held.id)).toBeDefined();
      expect(existsSync(files.pathOf(old.screenshotSha256))).toBe(false);
      expect(existsSync(files.pathOf(old.thumbnailSha256))).toBe(false);
      expect(existsSync(files.pathOf(held.screenshotSha256))).toBe(true);
      expect(existsSync(files.pathOf(sharedNew.screenshotSha256))).toBe(true);

      // Lifting the hold lets the expired incident go, and its evidence with it on the next run.
      await service.setLegalHold(dsl, inc.id, { on: false, reason: 'Case closed by police' });
      const second = await purgeExpired({
        store: retentionStore(s.db),
        files,
        audit: sqlAuditLog(s.db, clock),
        clock,
      });
      expect(second.incidentsDeleted).toBe(1);
      expect(await s.captures.get(held.id)).toBeUndefined();
      expect(existsSync(files.pathOf(held.screenshotSha256))).toBe(false);
      expect((await verifyChain(scanAuditEvents(s.db))).ok).toBe(true);
    });

    it('finds recent captures and the school’s staff for alerts', async () => {
      const store = alertStore(s.db);
      const recent = await store.capturesReceivedSince(daysAgo(2), 100);
      expect(recent.length).toBeGreaterThan(0);
      expect(recent.every((c) => c.receivedAt >= daysAgo(2))).toBe(true);
      expect(await store.staffOf(schoolId)).toEqual([
        {
          userId: dslId,
          email: `dsl-${dslId}@example.org`,
          displayName: 'Dee Esel',
          roles: ['dsl'],
          disabled: false,
        },
      ]);
      await store.recordDelivery({ captureId: 'x', channel: 'email', recipient: dslId }, daysAgo(0));
      await store.recordDelivery({ captureId: 'x', channel: 'email', recipient: dslId }, daysAgo(0));
      expect(await store.delivered({ captureId: 'x', channel: 'email', recipient: dslId })).toBe(true);
      await store.setLastDigest(dslId, daysAgo(1));
      await store.setLastDigest(dslId, daysAgo(0));
      expect(await store.lastDigest(dslId)).toBe(daysAgo(0));
      await appendChained(s.db, {
        at: daysAgo(0),
        actorUserId: null,
        action: 'noop',
        targetType: null,
        targetId: null,
        schoolId: null,
      });
    });

    it('selects urgent captures still to alert in the database, page by page, per school rule', async () => {
      const store = alertStore(s.db);
      const [x, y] = [randomUUID(), randomUUID()];
      const devices: Record<string, string> = {};
      for (const id of [x, y]) {
        await s.schools.create({
          id,
          name: `School ${id}`,
          timeZone: 'Europe/London',
          createdAt: daysAgo(900),
        });
        devices[id] = randomUUID();
        await s.devices.create({
          id: devices[id],
          schoolId: id,
          hostname: 'LAB-PC2',
          os: 'windows',
          agentVersion: '1.0.0',
          tokenHash: randomUUID().replace(/-/g, '').padEnd(64, '1'),
          enrolmentTokenId: null,
          enrolledAt: daysAgo(900),
          revokedAt: null,
          lastSeenAt: null,
        });
      }
      // One screenshot for all: only the rows matter here.
      const template = await addCapture({
        schoolId: x,
        deviceId: devices[x],
        category: 'gambling',
        severity: 1,
      });
      const received = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();
      const add = async (school: string, minutesAgo: number, over: Partial<Capture> = {}) => {
        const c: Capture = {
          ...template,
          id: randomUUID(),
          captureId: randomUUID(),
          schoolId: school,
          deviceId: devices[school] ?? deviceId,
          receivedAt: received(minutesAgo),
          ...over,
        };
        await s.captures.insertOnce(c);
        return c;
      };
      // More than two pages of low captures come first in the window.
      for (let i = 0; i < 12; i += 1) await add(x, 50 - i, { category: 'gambling', severity: 2 });
      const urgent = [
        await add(x, 30, { category: 'cse', severity: 3 }),
        await add(x, 29, { category: 'bullying', severity: 5 }),
        ...(await Promise.all(
          [24, 23, 22, 22, 22, 21].map((m) => add(x, m, { category: 'illegal', severity: 1 })),
        )),
      ].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || (a.id < b.id ? -1 : 1));
      const dismissed = await add(x, 28, { category: 'suicide', severity: 5, status: 'dismissed' });
      const done = await add(x, 27, { category: 'self-harm', severity: 4 });
      await add(x, 25 * 60, { category: 'suicide', severity: 5 }); // before the window
      await store.markAlerted(done.id, daysAgo(0));
      await store.markAlerted(done.id, daysAgo(0));

      const rule = DEFAULT_ALERT_RULE;
      const since = received(24 * 60);
      const first = await store.urgentCandidates({ schoolId: x, rule, since, after: null, limit: 5 });
      expect(first.map((c) => c.id)).toEqual(urgent.slice(0, 5).map((c) => c.id));
      const last = first[4];
      if (last === undefined) throw new Error('first page is short');
      const second = await store.urgentCandidates({ schoolId: x, rule, since, after: last, limit: 5 });
      expect(second.map((c) => c.id)).toEqual(urgent.slice(5).map((c) => c.id));
      expect(second[0]).toEqual({
        id: urgent[5]?.id,
        schoolId: x,
        category: urgent[5]?.category,
        severity: urgent[5]?.severity,
        capturedAt: template.capturedAtUtc,
        receivedAt: urgent[5]?.receivedAt,
        status: 'unreviewed',
      });
      const all = await store.urgentCandidates({ schoolId: x, rule, since, after: null, limit: 100 });
      expect(all.map((c) => c.id)).not.toContain(dismissed.id);
      expect(all.map((c) => c.id)).not.toContain(done.id);
      expect(all).toHaveLength(8);

      // Another school's rule: bullying only, severity never.
      const bullying = await add(y, 10, { category: 'bullying', severity: 2 });
      await add(y, 9, { category: 'suicide', severity: 5 });
      const yRule = { categories: ['bullying' as const], minSeverity: 6 };
      expect(
        (await store.urgentCandidates({ schoolId: y, rule: yRule, since, after: null, limit: 5 })).map(
          (c) => c.id,
        ),
      ).toEqual([bullying.id]);
      expect(
        await store.urgentCandidates({
          schoolId: y,
          rule: { categories: [], minSeverity: 6 },
          since,
          after: null,
          limit: 5,
        }),
      ).toEqual([]);

      // Deliveries of a page in one read; the alerted marker is not a delivery.
      const [u0, u1] = urgent;
      if (u0 === undefined || u1 === undefined) throw new Error('no urgent captures');
      await store.recordDelivery({ captureId: u0.id, channel: 'email', recipient: dslId }, daysAgo(0));
      await store.recordDelivery(
        { captureId: u0.id, channel: 'webhook', recipient: 'https://h.example/k' },
        daysAgo(0),
      );
      const got = await store.deliveriesFor([u0.id, u1.id, done.id]);
      expect(got.sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
        { captureId: u0.id, channel: 'email', recipient: dslId },
        { captureId: u0.id, channel: 'webhook', recipient: 'https://h.example/k' },
      ]);
      expect(await store.deliveriesFor([])).toEqual([]);
      await store.markAlerted(u0.id, daysAgo(0));
      const after = await store.urgentCandidates({ schoolId: x, rule, since, after: null, limit: 100 });
      expect(after.map((c) => c.id)).toEqual(urgent.slice(1).map((c) => c.id));
    });
  });
}
