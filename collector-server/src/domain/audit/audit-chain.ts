import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** The `prevHash` of the first event: 64 zeros, so that every event has a previous link. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an event says; every one of these fields is covered by its hash. */
export interface AuditFields {
  at: string;
  actorUserId: string | null;
  actorDeviceId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  schoolId: string | null;
  details: Record<string, unknown>;
}

export interface ChainedAuditEvent extends AuditFields {
  seq: number;
  prevHash: string | null;
  hash: string | null;
}

/** SHA-256 (hex) over the canonical JSON of the event's fields and the previous event's hash. */
export function computeEventHash(fields: AuditFields, prevHash: string): string {
  const body = canonicalJson({
    at: fields.at,
    actorUserId: fields.actorUserId,
    actorDeviceId: fields.actorDeviceId,
    action: fields.action,
    targetType: fields.targetType,
    targetId: fields.targetId,
    schoolId: fields.schoolId,
    details: fields.details,
    prevHash,
  });
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

export type ChainBreak =
  /** The event's fields no longer produce its stored hash: it was edited. */
  | 'hash-mismatch'
  /** The event does not point at the event before it: one was deleted, inserted or moved. */
  | 'link-mismatch'
  /** The event has no hash at all (written around the chain). */
  | 'unhashed'
  /** Sequence numbers are not strictly increasing (rows renumbered). */
  | 'sequence';

export interface ChainVerdict {
  ok: boolean;
  /** Events checked before the first break (all of them when ok). */
  checked: number;
  /** The hash of the last event checked: record it elsewhere to detect truncation later. */
  headHash: string;
  firstBreak?: { seq: number; reason: ChainBreak };
}

/**
 * Walks events in `seq` order and reports the first broken link. Streaming, so a verifier holds one
 * event at a time however long the log is.
 */
export async function verifyChain(
  events: AsyncIterable<ChainedAuditEvent> | Iterable<ChainedAuditEvent>,
): Promise<ChainVerdict> {
  let expectedPrev = GENESIS_HASH;
  let lastSeq = -Infinity;
  let checked = 0;
  for await (const event of events) {
    const broken = (reason: ChainBreak): ChainVerdict => ({
      ok: false,
      checked,
      headHash: expectedPrev,
      firstBreak: { seq: event.seq, reason },
    });
    if (event.seq <= lastSeq) return broken('sequence');
    if (event.hash === null || event.prevHash === null) return broken('unhashed');
    if (computeEventHash(event, event.prevHash) !== event.hash) return broken('hash-mismatch');
    if (event.prevHash !== expectedPrev) return broken('link-mismatch');
    expectedPrev = event.hash;
    lastSeq = event.seq;
    checked += 1;
  }
  return { ok: true, checked, headHash: expectedPrev };
}
