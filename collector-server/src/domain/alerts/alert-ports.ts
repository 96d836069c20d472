import type { Category, Severity } from '@kestrel/shared/protocol';
import type { Role } from '../../ports/roles.js';
import type { AlertPreferences, AlertRule } from './alert-rules.js';

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  /** Reports only; alerts never carry attachments. */
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

/** Sends e-mail (SMTP adapter in adapters/mail). */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** Calls a school's webhook with a JSON body. */
export interface WebhookPoster {
  post(url: string, body: Record<string, unknown>): Promise<void>;
}

/** What alerting needs to know about a capture: never its phrase, context or screenshot. */
export interface AlertCapture {
  id: string;
  schoolId: string;
  category: Category;
  severity: Severity;
  capturedAt: string;
  receivedAt: string;
  status: string;
}

export interface StaffRecipient {
  userId: string;
  email: string;
  displayName: string;
  roles: Role[];
  disabled: boolean;
}

export interface DeliveryKey {
  captureId: string;
  channel: 'email' | 'webhook';
  recipient: string;
}

/** Where the previous page of urgent candidates ended (keyset on received time, then id). */
export interface CaptureCursor {
  receivedAt: string;
  id: string;
}

/** The keyset order of captures: received time, then id (as the SQL's ORDER BY). */
export function compareCursors(a: CaptureCursor, b: CaptureCursor): number {
  if (a.receivedAt !== b.receivedAt) return a.receivedAt < b.receivedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** One page of a school's urgent captures that still need alerting. */
export interface UrgentCandidatesQuery {
  schoolId: string;
  /** The school's rule: urgent when the category is listed or the severity reaches `minSeverity`. */
  rule: Pick<AlertRule, 'categories' | 'minSeverity'>;
  /** Received at or after this. */
  since: string;
  /** Strictly after this capture in (received time, id) order; null for the first page. */
  after: CaptureCursor | null;
  limit: number;
}

export interface AlertStore {
  rule(schoolId: string): Promise<AlertRule | undefined>;
  setRule(schoolId: string, rule: AlertRule, by: string): Promise<void>;
  preferences(userId: string): Promise<AlertPreferences | undefined>;
  setPreferences(userId: string, prefs: AlertPreferences): Promise<void>;
  /** Captures received at or after `since`, oldest first (the dispatcher uses `urgentCandidates`). */
  capturesReceivedSince(since: string, limit: number): Promise<AlertCapture[]>;
  /**
   * The school's urgent captures received since `query.since`, not dismissed and not yet marked
   * alerted (`markAlerted`), oldest first, one bounded page after the cursor. Selected in the
   * database, so a busy hour of other captures never pushes an urgent one off the page.
   */
  urgentCandidates(query: UrgentCandidatesQuery): Promise<AlertCapture[]>;
  /** The deliveries already recorded for these captures (one query for a page of candidates). */
  deliveriesFor(captureIds: readonly string[]): Promise<DeliveryKey[]>;
  /** Every alert for this capture went out: `urgentCandidates` never returns it again. */
  markAlerted(captureId: string, at: string): Promise<void>;
  /** Whether an alert was delivered already (each alert goes out once). */
  delivered(key: DeliveryKey): Promise<boolean>;
  /** Recorded after a successful send: a crash in between repeats an alert rather than losing it. */
  recordDelivery(key: DeliveryKey, at: string): Promise<void>;
  /** Last time a digest was sent to a user (undefined: never). */
  lastDigest(userId: string): Promise<string | undefined>;
  setLastDigest(userId: string, at: string): Promise<void>;
  /** Capture counts per category in a school received since a time. */
  countsSince(schoolId: string, since: string): Promise<{ category: Category; count: number }[]>;
  schools(): Promise<{ id: string; name: string; timeZone: string }[]>;
  staffOf(schoolId: string): Promise<StaffRecipient[]>;
}
