import type { Generated } from 'kysely';

/**
 * Table types for Kysely. Times are ISO 8601 UTC strings (`toISOString()`), which sort correctly as
 * text in both SQLite and PostgreSQL; JSON is stored as text; booleans as 0/1. One representation
 * for both dialects keeps one query layer. Other modules add their own tables with
 * `db.withTables<...>()` rather than editing this file.
 */
export interface SchoolsTable {
  id: string;
  name: string;
  time_zone: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}

export interface MembershipsTable {
  user_id: string;
  school_id: string;
  role: string;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface EnrolmentTokensTable {
  id: string;
  school_id: string;
  token_hash: string;
  label: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface DevicesTable {
  id: string;
  school_id: string;
  hostname: string;
  os: string;
  agent_version: string;
  token_hash: string;
  enrolment_token_id: string | null;
  enrolled_at: string;
  revoked_at: string | null;
  last_seen_at: string | null;
}

export interface HeartbeatsTable {
  device_id: string;
  received_at: string;
  agent_version: string;
  lexicon_version: string;
  queue_length: number;
  evictions: number;
  quarantined: number;
  health_json: string;
}

export interface CapturesTable {
  id: string;
  school_id: string;
  device_id: string;
  capture_id: string;
  captured_at: string;
  captured_at_utc: string;
  machine: string;
  os_user: string;
  source: string;
  category: string;
  severity: number;
  term: string;
  context: string;
  window_title: string;
  application: string;
  url: string | null;
  screenshot_sha256: string;
  screenshot_media_type: string;
  screenshot_bytes: number;
  width: number;
  height: number;
  thumbnail_sha256: string;
  thumbnail_media_type: string;
  status: string;
  received_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
}

export interface SchoolPoliciesTable {
  school_id: string;
  policy_json: string;
  lexicon_json: string | null;
  updated_at: string;
  updated_by: string | null;
}

export interface AuditEventsTable {
  seq: Generated<number>;
  at: string;
  actor_user_id: string | null;
  actor_device_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  school_id: string | null;
  details_json: string;
  prev_hash: string | null;
  hash: string | null;
}

export interface Database {
  schools: SchoolsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  enrolment_tokens: EnrolmentTokensTable;
  devices: DevicesTable;
  heartbeats: HeartbeatsTable;
  captures: CapturesTable;
  school_policies: SchoolPoliciesTable;
  audit_events: AuditEventsTable;
}
