import type { AuditEntry } from '../audit/audit-log.js';
import { CAPTURE_STATUS_RETENTION, DEFAULT_RETENTION } from './retention-policy.js';
import type { RetainedStatus } from './retention-policy.js';
import type { FileStore, RetentionStore } from './retention-ports.js';

export interface PurgeResult {
  capturesDeleted: number;
  capturesKept: number;
  filesDeleted: number;
  incidentsDeleted: number;
}

export interface RetentionPurgeDeps {
  store: RetentionStore;
  files: FileStore;
  audit: { record(entry: AuditEntry): Promise<number> };
  clock: { now(): Date };
  batchSize?: number;
}

const DAY = 86_400_000;

/**
 * Enforces each school's retention policy: expired capture rows go first, then the files no
 * remaining row refers to; evidence in open incidents or under legal hold stays. Idempotent, so a
 * run interrupted half-way is finished by the next one.
 */
export async function purgeExpired(deps: RetentionPurgeDeps): Promise<PurgeResult> {
  const result: PurgeResult = { capturesDeleted: 0, capturesKept: 0, filesDeleted: 0, incidentsDeleted: 0 };
  const now = deps.clock.now().getTime();
  const batch = deps.batchSize ?? 500;
  for (const { id: schoolId } of await deps.store.schools()) {
    const policy = (await deps.store.policy(schoolId)) ?? DEFAULT_RETENTION;
    const perSchool = { capturesDeleted: 0, capturesKept: 0, filesDeleted: 0, incidentsDeleted: 0 };

    // Incidents first: a closed, expired incident stops protecting its evidence.
    if (policy.closedIncidentDays !== null) {
      const before = new Date(now - policy.closedIncidentDays * DAY).toISOString();
      for (const id of await deps.store.expiredIncidents(schoolId, before, 10_000)) {
        await deps.store.deleteIncident(id);
        perSchool.incidentsDeleted += 1;
      }
    }

    const kept = await deps.store.protectedCaptureIds(schoolId);
    for (const [status, key] of Object.entries(CAPTURE_STATUS_RETENTION) as [
      RetainedStatus,
      keyof typeof policy,
    ][]) {
      const days = policy[key];
      if (days === null) continue;
      const before = new Date(now - days * DAY).toISOString();
      const seen = new Set<string>();
      for (;;) {
        const expired = (
          await deps.store.expiredCaptures(schoolId, status, before, batch + kept.size)
        ).filter((c) => !seen.has(c.id));
        for (const c of expired) seen.add(c.id);
        const deletable = expired.filter((c) => !kept.has(c.id));
        perSchool.capturesKept += expired.length - deletable.length;
        if (deletable.length === 0) break;
        await deps.store.deleteCaptures(deletable.map((c) => c.id));
        perSchool.capturesDeleted += deletable.length;
        for (const sha of new Set(deletable.flatMap((c) => c.fileHashes))) {
          if (await deps.store.fileReferenced(sha)) continue;
          await deps.files.delete(sha);
          perSchool.filesDeleted += 1;
        }
      }
    }

    if (perSchool.capturesDeleted + perSchool.incidentsDeleted + perSchool.capturesKept > 0) {
      await deps.audit.record({ action: 'retention.purged', schoolId, details: { ...perSchool, policy } });
    }
    result.capturesDeleted += perSchool.capturesDeleted;
    result.capturesKept += perSchool.capturesKept;
    result.filesDeleted += perSchool.filesDeleted;
    result.incidentsDeleted += perSchool.incidentsDeleted;
  }
  return result;
}
