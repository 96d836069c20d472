import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/audit-log.js';
import { MemoryAuditChainStore } from '../audit/memory-audit-chain-store.js';
import { purgeExpired } from './retention-purge.js';
import type { RetentionPolicy } from './retention-policy.js';
import type { RetainedStatus } from './retention-policy.js';
import type { RetentionStore } from './retention-ports.js';

const dir = mkdtempSync(join(tmpdir(), 'kestrel-purge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  id: string;
  schoolId: string;
  status: RetainedStatus;
  changedAt: string;
  files: string[];
}

function storeOf(rows: Row[], held: Set<string>, policies: Map<string, RetentionPolicy>): RetentionStore {
  return {
    schools: async () => [{ id: 'a' }, { id: 'b' }],
    policy: async (s) => policies.get(s),
    setPolicy: async (s, p) => void policies.set(s, p),
    expiredCaptures: async (s, status, before, limit) =>
      rows
        .filter((r) => r.schoolId === s && r.status === status && r.changedAt < before)
        .slice(0, limit)
        .map((r) => ({ id: r.id, fileHashes: r.files })),
    protectedCaptureIds: async () => held,
    deleteCaptures: async (ids) => {
      for (const id of ids)
        rows.splice(
          rows.findIndex((r) => r.id === id),
          1,
        );
    },
    fileReferenced: async (sha) => rows.some((r) => r.files.includes(sha)),
    expiredIncidents: async () => [],
    deleteIncident: async () => undefined,
  };
}

describe('retention purge', () => {
  it('deletes expired rows and unreferenced files, keeps held evidence and shared files', async () => {
    for (const f of ['f-old', 'f-shared', 'f-held', 'f-new', 'f-b']) writeFileSync(join(dir, f), f);
    const day = (n: number) => new Date(Date.parse('2026-11-23T00:00:00Z') - n * 86_400_000).toISOString();
    const rows: Row[] = [
      { id: 'dismissed-old', schoolId: 'a', status: 'dismissed', changedAt: day(31), files: ['f-old'] },
      { id: 'dismissed-shared', schoolId: 'a', status: 'dismissed', changedAt: day(40), files: ['f-shared'] },
      { id: 'reviewed-shares', schoolId: 'a', status: 'reviewed', changedAt: day(10), files: ['f-shared'] },
      { id: 'escalated-held', schoolId: 'a', status: 'dismissed', changedAt: day(400), files: ['f-held'] },
      { id: 'dismissed-new', schoolId: 'a', status: 'dismissed', changedAt: day(29), files: ['f-new'] },
      { id: 'unreviewed-ancient', schoolId: 'a', status: 'unreviewed', changedAt: day(900), files: [] },
      // School b keeps dismissed captures for 60 days.
      { id: 'b-dismissed-45', schoolId: 'b', status: 'dismissed', changedAt: day(45), files: ['f-b'] },
    ];
    const policies = new Map<string, RetentionPolicy>([
      [
        'b',
        {
          dismissedDays: 60,
          reviewedDays: 90,
          escalatedDays: 365,
          unreviewedDays: null,
          closedIncidentDays: null,
        },
      ],
    ]);
    const audit = new MemoryAuditChainStore();
    const clock = { now: () => new Date('2026-11-23T00:00:00Z') };
    const result = await purgeExpired({
      store: storeOf(rows, new Set(['escalated-held']), policies),
      files: { delete: (sha) => unlink(join(dir, sha)) },
      audit: new AuditLog(audit, clock),
      clock,
      batchSize: 1,
    });
    expect(result).toEqual({ capturesDeleted: 2, capturesKept: 1, filesDeleted: 1, incidentsDeleted: 0 });
    expect(rows.map((r) => r.id).sort()).toEqual([
      'b-dismissed-45',
      'dismissed-new',
      'escalated-held',
      'reviewed-shares',
      'unreviewed-ancient',
    ]);
    expect(existsSync(join(dir, 'f-old'))).toBe(false);
    expect(existsSync(join(dir, 'f-shared'))).toBe(true);
    expect(existsSync(join(dir, 'f-held'))).toBe(true);
    expect(existsSync(join(dir, 'f-b'))).toBe(true);
    expect(audit.events.map((e) => [e.action, e.schoolId])).toEqual([['retention.purged', 'a']]);
  });
});
