import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyStorage } from '../../collector-server/src/adapters/storage.js';
import type { Capture } from '../../collector-server/src/ports/captures-repository.js';

export interface StorageFactory {
  /** A fresh, empty, migrated storage. */
  open(): Promise<KyselyStorage>;
  /** Re-opens the same database (restart). */
  reopen(): Promise<KyselyStorage>;
  /** Removes the database. */
  destroy(): Promise<void>;
}

const at = (s: number) => new Date(Date.UTC(2026, 10, 23, 9, 0, s)).toISOString();

function capture(schoolId: string, deviceId: string, overrides: Partial<Capture> = {}): Capture {
  return {
    id: randomUUID(),
    schoolId,
    deviceId,
    captureId: randomUUID(),
    capturedAt: '2026-11-23T09:00:00+01:00',
    capturedAtUtc: '2026-11-23T08:00:00.000Z',
    machine: 'PC1',
    user: 'pupil',
    source: 'typed',
    category: 'bullying',
    severity: 3,
    term: 'loser',
    context: "you're such a loser",
    windowTitle: 'Chat',
    application: 'chrome.exe',
    screenshotSha256: 'a'.repeat(64),
    screenshotMediaType: 'image/jpeg',
    screenshotBytes: 1234,
    width: 1920,
    height: 1080,
    thumbnailSha256: 'b'.repeat(64),
    thumbnailMediaType: 'image/jpeg',
    status: 'unreviewed',
    receivedAt: at(0),
    reviewedBy: null,
    reviewedAt: null,
    ...overrides,
  };
}

/**
 * The storage contract: every assertion holds for every backend. Run by storage.sqlite.test.ts and
 * storage.postgres.test.ts; a new backend passes this suite or is not a backend.
 */
export function storageContract(name: string, factory: StorageFactory): void {
  describe(`storage contract: ${name}`, () => {
    let s: KyselyStorage;
    let schoolId: string;
    let otherSchoolId: string;
    let deviceId: string;
    let userId: string;

    beforeAll(async () => {
      s = await factory.open();
      schoolId = randomUUID();
      otherSchoolId = randomUUID();
      await s.schools.create({ id: schoolId, name: 'Alpha', timeZone: 'Europe/London', createdAt: at(0) });
      await s.schools.create({
        id: otherSchoolId,
        name: 'Beta',
        timeZone: 'Europe/London',
        createdAt: at(0),
      });
      deviceId = randomUUID();
      await s.devices.create({
        id: deviceId,
        schoolId,
        hostname: 'PC1',
        os: 'windows',
        agentVersion: '1.0.0',
        tokenHash: 'd'.repeat(64),
        enrolmentTokenId: null,
        enrolledAt: at(0),
        revokedAt: null,
        lastSeenAt: null,
      });
      userId = randomUUID();
      await s.users.create({
        id: userId,
        email: 'Mod@School.test',
        displayName: 'Mod',
        passwordHash: 'x',
        createdAt: at(0),
        disabledAt: null,
      });
    });
    afterAll(async () => {
      await s.close();
      await factory.destroy();
    });

    it('answers ping', async () => {
      await expect(s.ping()).resolves.toBeUndefined();
    });

    it('keeps schools', async () => {
      expect(await s.schools.get(schoolId)).toEqual({
        id: schoolId,
        name: 'Alpha',
        timeZone: 'Europe/London',
        createdAt: at(0),
      });
      expect((await s.schools.list()).map((x) => x.name)).toEqual(['Alpha', 'Beta']);
      expect(await s.schools.count()).toBe(2);
      expect(await s.schools.get(randomUUID())).toBeUndefined();
    });

    it('finds users by email regardless of case, and keeps emails unique', async () => {
      expect((await s.users.findByEmail('mod@school.TEST'))?.id).toBe(userId);
      await expect(
        s.users.create({
          id: randomUUID(),
          email: 'MOD@school.test',
          displayName: 'x',
          passwordHash: 'x',
          createdAt: at(0),
          disabledAt: null,
        }),
      ).rejects.toThrow();
    });

    it('keeps several roles in several schools per user', async () => {
      await s.users.addMembership({ userId, schoolId, role: 'moderator' });
      await s.users.addMembership({ userId, schoolId, role: 'moderator' }); // idempotent
      await s.users.addMembership({ userId, schoolId, role: 'dsl' });
      await s.users.addMembership({ userId, schoolId: otherSchoolId, role: 'governor' });
      const ms = await s.users.memberships(userId);
      expect(ms.map((m) => `${m.schoolId === schoolId ? 'A' : 'B'}:${m.role}`).sort()).toEqual([
        'A:dsl',
        'A:moderator',
        'B:governor',
      ]);
      await s.users.removeMembership({ userId, schoolId, role: 'dsl' });
      expect(await s.users.memberships(userId)).toHaveLength(2);
    });

    it('stores sessions by hash and deletes expired ones', async () => {
      await s.sessions.create({
        idHash: 'h1',
        userId,
        createdAt: at(0),
        expiresAt: at(10),
        lastSeenAt: at(0),
      });
      await s.sessions.create({
        idHash: 'h2',
        userId,
        createdAt: at(0),
        expiresAt: at(30),
        lastSeenAt: at(0),
      });
      await s.sessions.touch('h2', at(5));
      expect((await s.sessions.get('h2'))?.lastSeenAt).toBe(at(5));
      expect(await s.sessions.deleteExpired(at(20))).toBe(1);
      expect(await s.sessions.get('h1')).toBeUndefined();
      expect(await s.sessions.deleteForUser(userId)).toBe(1);
    });

    it('finds enrolment tokens by hash and revokes them', async () => {
      const id = randomUUID();
      await s.enrolmentTokens.create({
        id,
        schoolId,
        tokenHash: 'e'.repeat(64),
        label: 'Lab',
        createdAt: at(0),
        expiresAt: at(99),
        revokedAt: null,
      });
      expect((await s.enrolmentTokens.findByHash('e'.repeat(64)))?.expiresAt).toBe(at(99));
      await s.enrolmentTokens.revoke(id, at(3));
      await s.enrolmentTokens.revoke(id, at(9)); // the first revocation time stays
      expect((await s.enrolmentTokens.findByHash('e'.repeat(64)))?.revokedAt).toBe(at(3));
      expect(await s.enrolmentTokens.listForSchool(schoolId)).toHaveLength(1);
    });

    it('finds devices by token hash, touches and revokes them', async () => {
      expect((await s.devices.findByTokenHash('d'.repeat(64)))?.id).toBe(deviceId);
      await s.devices.touch(deviceId, at(7), '1.1.0');
      const d = await s.devices.get(deviceId);
      expect([d?.lastSeenAt, d?.agentVersion]).toEqual([at(7), '1.1.0']);
      expect(await s.devices.listForSchool(otherSchoolId)).toEqual([]);
    });

    it('keeps only the latest heartbeat per device', async () => {
      const hb = {
        deviceId,
        receivedAt: at(1),
        agentVersion: '1.0.0',
        lexiconVersion: 'v1',
        queueLength: 4,
        evictions: 0,
        quarantined: 0,
        health: {
          sources: { keyboard: { state: 'ok' as const } },
          missingPermissions: [],
          evictions: 0,
          quarantined: 0,
          paused: false,
        },
      };
      await s.heartbeats.record(hb);
      await s.heartbeats.record({ ...hb, receivedAt: at(2), queueLength: 0, lexiconVersion: 'v2' });
      expect(await s.heartbeats.latest(deviceId)).toEqual({
        ...hb,
        receivedAt: at(2),
        queueLength: 0,
        lexiconVersion: 'v2',
      });
      expect(await s.heartbeats.count()).toBe(1);
      expect(await s.heartbeats.listForSchool(schoolId)).toHaveLength(1);
    });

    it('inserts a capture once per (device, captureId), even concurrently', async () => {
      const c = capture(schoolId, deviceId, { url: 'https://example.test/?q=1' });
      expect(await s.captures.insertOnce(c)).toEqual({ id: c.id, created: true });
      const again = await Promise.all(
        Array.from({ length: 5 }, () => s.captures.insertOnce({ ...c, id: randomUUID() })),
      );
      expect(again).toEqual(Array.from({ length: 5 }, () => ({ id: c.id, created: false })));
      expect(await s.captures.get(c.id)).toEqual(c);
      expect(await s.captures.findByDeviceCaptureId(deviceId, c.captureId)).toBe(c.id);
    });

    it('stores hostile strings exactly', async () => {
      const hostile = '\'; DROP TABLE captures; -- \\ " `x` ../../etc/passwd 😀 \u202e';
      const c = capture(schoolId, deviceId, {
        windowTitle: hostile,
        context: 'x'.repeat(1000),
        term: hostile,
      });
      await s.captures.insertOnce(c);
      const back = await s.captures.get(c.id);
      expect([back?.windowTitle, back?.term, back?.context.length]).toEqual([hostile, hostile, 1000]);
    });

    it('lists captures newest first by school and status, paged by keyset', async () => {
      const mine = await Promise.all(
        [10, 11, 11, 12, 13].map(async (sec, i) => {
          const c = capture(schoolId, deviceId, {
            receivedAt: at(sec),
            status: i === 4 ? 'dismissed' : 'unreviewed',
          });
          await s.captures.insertOnce(c);
          return c;
        }),
      );
      await s.captures.insertOnce(capture(otherSchoolId, deviceId, { receivedAt: at(14) }));
      const page1 = await s.captures.list({ schoolIds: [schoolId], status: 'unreviewed', limit: 2 });
      expect(page1.map((c) => c.receivedAt)).toEqual([at(12), at(11)]);
      const last = page1[1];
      if (last === undefined) throw new Error('page too short');
      const page2 = await s.captures.list({
        schoolIds: [schoolId],
        status: 'unreviewed',
        limit: 10,
        after: last,
      });
      const seen = [...page1, ...page2].map((c) => c.id);
      expect(new Set(seen).size).toBe(seen.length);
      for (const c of mine.slice(0, 4)) expect(seen).toContain(c.id);
      expect(page2.every((c) => c.schoolId === schoolId && c.status === 'unreviewed')).toBe(true);
      expect(await s.captures.list({ schoolIds: [], limit: 10 })).toEqual([]);
    });

    it('updates a capture status with reviewer and time', async () => {
      const c = capture(schoolId, deviceId);
      await s.captures.insertOnce(c);
      await s.captures.setStatus(c.id, 'escalated', userId, at(40));
      expect(await s.captures.get(c.id)).toMatchObject({
        status: 'escalated',
        reviewedBy: userId,
        reviewedAt: at(40),
      });
    });

    it('tells whether a stored file is still referenced', async () => {
      expect(await s.captures.refersToFile('a'.repeat(64))).toBe(true);
      expect(await s.captures.refersToFile('b'.repeat(64))).toBe(true);
      expect(await s.captures.refersToFile('c'.repeat(64))).toBe(false);
    });

    it('keeps a school policy and its change time', async () => {
      expect(await s.policies.get(schoolId)).toBeUndefined();
      expect(await s.policies.updatedAt(schoolId)).toBeUndefined();
      const policy = {
        paused: false,
        dedupeSeconds: 60,
        contextChars: 80,
        keyboardLayout: 'en-GB' as const,
        heartbeatSeconds: 300,
        policyPollSeconds: 900,
        suppressedCategories: [],
      };
      await s.policies.put({ schoolId, policy, lexicon: null, updatedAt: at(1), updatedBy: userId });
      await s.policies.put({
        schoolId,
        policy: { ...policy, paused: true },
        lexicon: null,
        updatedAt: at(2),
        updatedBy: null,
      });
      expect(await s.policies.get(schoolId)).toEqual({
        schoolId,
        policy: { ...policy, paused: true },
        lexicon: null,
        updatedAt: at(2),
        updatedBy: null,
      });
      expect(await s.policies.updatedAt(schoolId)).toBe(at(2));
    });

    it('appends audit events in order', async () => {
      const first = await s.auditEvents.append({
        at: at(1),
        actorUserId: userId,
        action: 'a.one',
        targetType: 'capture',
        targetId: 'c1',
        schoolId,
        details: { n: 1 },
      });
      const second = await s.auditEvents.append({
        at: at(2),
        actorUserId: null,
        action: 'a.two',
        targetType: null,
        targetId: null,
        schoolId: otherSchoolId,
      });
      expect(second).toBeGreaterThan(first);
      const events = await s.auditEvents.list({ schoolId, limit: 10 });
      expect(events.at(-1)).toMatchObject({
        seq: first,
        action: 'a.one',
        details: { n: 1 },
        actorDeviceId: null,
        // Every event is a link in the audit hash chain (issue 7).
        prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(await s.auditEvents.list({ afterSeq: first, limit: 10 })).toHaveLength(1);
    });

    it('commits a transaction whole or not at all', async () => {
      const id = randomUUID();
      await expect(
        s.transaction(async (repos) => {
          await repos.schools.create({ id, name: 'Gamma', timeZone: 'Europe/London', createdAt: at(0) });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await s.schools.get(id)).toBeUndefined();
      await s.transaction(async (repos) =>
        repos.schools.create({ id, name: 'Gamma', timeZone: 'Europe/London', createdAt: at(0) }),
      );
      expect(await s.schools.get(id)).toBeDefined();
    });

    it('keeps everything across a restart', async () => {
      const before = await s.captures.count();
      await s.close();
      s = await factory.reopen();
      expect(await s.captures.count()).toBe(before);
      expect((await s.users.findByEmail('mod@school.test'))?.id).toBe(userId);
    });
  });
}
