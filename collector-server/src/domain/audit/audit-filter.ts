import type { ChainedAuditEvent } from './audit-chain.js';
import type { AuditFilter } from './audit-log.js';

/** The viewer's filters as a predicate (the SQL store applies the same ones in its query). */
export function matchesAuditFilter(e: ChainedAuditEvent, f: AuditFilter): boolean {
  if (f.schoolIds !== undefined && !f.schoolIds.includes(e.schoolId)) return false;
  if (f.action !== undefined && !e.action.startsWith(f.action)) return false;
  if (f.actorUserId !== undefined && e.actorUserId !== f.actorUserId) return false;
  if (f.targetType !== undefined && e.targetType !== f.targetType) return false;
  if (f.targetId !== undefined && e.targetId !== f.targetId) return false;
  if (f.from !== undefined && e.at < f.from) return false;
  if (f.to !== undefined && e.at >= f.to) return false;
  if (f.afterSeq !== undefined && e.seq <= f.afterSeq) return false;
  return true;
}
