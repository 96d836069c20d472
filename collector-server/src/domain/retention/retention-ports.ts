import type { RetainedStatus, RetentionPolicy } from './retention-policy.js';

export interface ExpiredCapture {
  id: string;
  /** Files the row refers to (screenshot and thumbnail), by content hash. */
  fileHashes: string[];
}

export interface RetentionStore {
  schools(): Promise<{ id: string }[]>;
  policy(schoolId: string): Promise<RetentionPolicy | undefined>;
  setPolicy(schoolId: string, policy: RetentionPolicy, by: string, at: string): Promise<void>;
  /**
   * Captures of a status whose age (time of their last status change, else receipt) is before
   * `before`, oldest first.
   */
  expiredCaptures(
    schoolId: string,
    status: RetainedStatus,
    before: string,
    limit: number,
  ): Promise<ExpiredCapture[]>;
  /** Capture ids that must be kept: evidence in an incident (open, or closed but not yet expired or held). */
  protectedCaptureIds(schoolId: string): Promise<Set<string>>;
  /** Deletes capture rows (and their notes, actions and evidence links) in one transaction. */
  deleteCaptures(ids: readonly string[]): Promise<void>;
  /** Whether any remaining row still refers to a file (content-addressed files are shared). */
  fileReferenced(sha256: string): Promise<boolean>;
  /** Closed incidents, not under legal hold, closed before `before`. */
  expiredIncidents(schoolId: string, before: string, limit: number): Promise<string[]>;
  deleteIncident(id: string): Promise<void>;
}

export interface FileStore {
  delete(sha256: string): Promise<void>;
}
