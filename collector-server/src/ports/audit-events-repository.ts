export interface AuditEventInput {
  at: string;
  /** The member of staff who acted; null for the system or a device. */
  actorUserId: string | null;
  actorDeviceId?: string | null;
  /** Dotted verb, e.g. `capture.screenshot.viewed`, `session.created`, `device.enrolled`. */
  action: string;
  targetType: string | null;
  targetId: string | null;
  schoolId: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEvent extends Required<AuditEventInput> {
  /** Append order, assigned by the database. */
  seq: number;
  /** Reserved for hash chaining (issue 7); null until the chain is switched on. */
  prevHash: string | null;
  hash: string | null;
}

export interface AuditEventsRepository {
  /** Append-only: there is no update or delete. */
  append(event: AuditEventInput): Promise<number>;
  list(filter: {
    schoolId?: string;
    action?: string;
    afterSeq?: number;
    limit: number;
  }): Promise<AuditEvent[]>;
  count(): Promise<number>;
}
