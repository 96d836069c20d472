import type { ChainedAuditEvent } from './audit-chain.js';
import type { AuditChainStore, AuditFilter } from './audit-log.js';
import { ChainForkError } from './audit-log.js';
import { matchesAuditFilter } from './audit-filter.js';

/** An in-memory chain store for tests and tools; `events` is exposed so tests can tamper with it. */
export class MemoryAuditChainStore implements AuditChainStore {
  readonly events: ChainedAuditEvent[] = [];

  async headHash(): Promise<string | undefined> {
    return this.events.at(-1)?.hash ?? undefined;
  }

  async insert(event: Omit<ChainedAuditEvent, 'seq'> & { prevHash: string; hash: string }): Promise<number> {
    if (this.events.some((e) => e.prevHash === event.prevHash)) throw new ChainForkError(event.prevHash);
    const seq = (this.events.at(-1)?.seq ?? 0) + 1;
    this.events.push({ ...event, seq });
    return seq;
  }

  async *scan(filter: AuditFilter = {}): AsyncIterable<ChainedAuditEvent> {
    let n = 0;
    for (const e of [...this.events].sort((a, b) => a.seq - b.seq)) {
      if (!matchesAuditFilter(e, filter)) continue;
      yield e;
      n += 1;
      if (filter.limit !== undefined && n >= filter.limit) return;
    }
  }
}
