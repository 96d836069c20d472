import type { AuditFields, ChainedAuditEvent } from './audit-chain.js';
import { GENESIS_HASH, computeEventHash } from './audit-chain.js';

/** Storage for the chained log. Append-only: there is no update and no delete. */
export interface AuditChainStore {
  /** The hash of the newest event, or undefined when the log is empty. */
  headHash(): Promise<string | undefined>;
  /**
   * Appends one event and returns its sequence number. Must reject with `ChainForkError` when an
   * event with the same `prevHash` already exists (another process appended first); the store
   * enforces this with a unique index so the chain stays linear across processes.
   */
  insert(event: AuditFields & { prevHash: string; hash: string }): Promise<number>;
  /** Events in `seq` order, for the verifier and the viewer. */
  scan(filter?: AuditFilter): AsyncIterable<ChainedAuditEvent>;
}

export interface AuditFilter {
  schoolIds?: readonly (string | null)[];
  action?: string;
  actorUserId?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
  afterSeq?: number;
  limit?: number;
}

export class ChainForkError extends Error {
  override readonly name = 'ChainForkError';
}

export type AuditEntry = Pick<AuditFields, 'action'> & Partial<Omit<AuditFields, 'action' | 'at'>>;

/** An entry with its time stamped and every field it left out null (details empty). */
export function auditFieldsOf(entry: AuditEntry, at: string): AuditFields {
  return {
    at,
    actorUserId: entry.actorUserId ?? null,
    actorDeviceId: entry.actorDeviceId ?? null,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    schoolId: entry.schoolId ?? null,
    details: entry.details ?? {},
  };
}

/**
 * Appends events to the hash chain. Appends are serialised in this process; across processes the
 * store's unique `prevHash` rejects a fork and the append is retried on the new head.
 */
export class AuditLog {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: AuditChainStore,
    private readonly clock: { now(): Date },
  ) {}

  record(entry: AuditEntry): Promise<number> {
    const run = this.tail.then(() => this.appendWithRetry(entry));
    // The queue must survive a failed append, so the next caller does not inherit the rejection.
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async appendWithRetry(entry: AuditEntry): Promise<number> {
    for (let attempt = 0; ; attempt += 1) {
      const prevHash = (await this.store.headHash()) ?? GENESIS_HASH;
      const fields = auditFieldsOf(entry, this.clock.now().toISOString());
      try {
        return await this.store.insert({ ...fields, prevHash, hash: computeEventHash(fields, prevHash) });
      } catch (err) {
        if (!(err instanceof ChainForkError) || attempt >= 20) throw err;
      }
    }
  }
}
