import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Tables added by migrations 0100_workflow and 0101_lexicon_overrides (issue 7), joined to the core's with `withTables`. */
export interface IncidentsTable {
  id: string;
  school_id: string;
  reference: string;
  title: string;
  summary: string;
  subject_user: string | null;
  status: string;
  owner_user_id: string | null;
  opened_by: string;
  opened_at: string;
  updated_at: string;
  closed_at: string | null;
  outcome: string | null;
  illegal: string;
  staff_involved: number | null;
  pupil_role: string;
  intent: string;
  other_pupils_involved: number | null;
  legal_hold: number;
  legal_hold_reason: string | null;
}

export interface IncidentNotesTable {
  id: string;
  incident_id: string;
  at: string;
  author_user_id: string;
  text: string;
}

export interface IncidentActionsTable {
  id: string;
  incident_id: string;
  kind: string;
  taken_at: string;
  recorded_by: string;
  detail: string;
}

export interface IncidentEvidenceTable {
  incident_id: string;
  capture_id: string;
  added_at: string;
  added_by: string;
}

export interface AlertRulesTable {
  school_id: string;
  rule_json: string;
  updated_at: string;
  updated_by: string | null;
}

export interface AlertPreferencesTable {
  user_id: string;
  urgent_email: number;
  digest: string;
}

export interface AlertDigestsTable {
  user_id: string;
  last_sent_at: string;
}

export interface AlertDeliveriesTable {
  capture_id: string;
  channel: string;
  recipient: string;
  delivered_at: string;
}

export interface RetentionPoliciesTable {
  school_id: string;
  policy_json: string;
  updated_at: string;
  updated_by: string | null;
}

export interface ExemptionsTable {
  id: string;
  school_id: string;
  categories_json: string;
  device_ids_json: string;
  hostname_pattern: string | null;
  reason: string;
  granted_by: string;
  starts_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
}

export interface LexiconOverridesTable {
  school_id: string;
  overrides_json: string;
  updated_at: string;
  updated_by: string | null;
}

export interface ReportRunsTable {
  school_id: string;
  period: string;
  sent_at: string;
}

// A type alias, not an interface: `withTables` needs an index signature.
export type WorkflowTables = {
  incidents: IncidentsTable;
  incident_notes: IncidentNotesTable;
  incident_actions: IncidentActionsTable;
  incident_evidence: IncidentEvidenceTable;
  alert_rules: AlertRulesTable;
  alert_preferences: AlertPreferencesTable;
  alert_deliveries: AlertDeliveriesTable;
  alert_digests: AlertDigestsTable;
  retention_policies: RetentionPoliciesTable;
  exemptions: ExemptionsTable;
  report_runs: ReportRunsTable;
  lexicon_overrides: LexiconOverridesTable;
};

export type WorkflowDatabase = Database & WorkflowTables;

export function workflowDb(db: Kysely<Database>): Kysely<WorkflowDatabase> {
  return db.withTables<WorkflowTables>();
}
