/** Shapes of the workflow API answers (docs/workflow.md). */
export interface WorkflowSchool {
  id: string;
  name: string;
  timeZone: string;
  /** The last month that has ended at the school: its default report. */
  lastMonth: string;
  roles: string[];
  actions: string[];
}

export interface WorkflowMe {
  user: { id: string; displayName: string };
  schools: WorkflowSchool[];
}

export interface Week {
  from: string;
  to: string;
  total: number;
  byCategory: Record<string, number>;
  bySeverity: number[];
}

export interface OpenIncidentRow {
  id: string;
  reference: string;
  title: string;
  status: string;
  openedAt: string;
  legalHold: boolean;
}

export interface Dashboard {
  weeks: Week[];
  previousAverage: Record<string, number>;
  backlog: { count: number; oldestAgeHours: number | null };
  timeToReview: {
    thisWeekMedianHours: number | null;
    previousMedianHours: number | null;
    reviewedThisWeek: number;
  };
  incidents: { open: number; openedThisWeek: number; closedThisWeek: number };
  devices: { total: number; active: number; stale: number; withProblems: number };
  openIncidents: OpenIncidentRow[] | null;
}

export interface Incident {
  id: string;
  schoolId: string;
  reference: string;
  title: string;
  summary: string;
  subjectUser: string | null;
  status: string;
  ownerUserId: string | null;
  openedBy: string;
  openedAt: string;
  closedAt: string | null;
  outcome: string | null;
  illegal: string;
  staffInvolved: boolean | null;
  pupilRole: string;
  intent: string;
  otherPupilsInvolved: boolean | null;
  legalHold: boolean;
  legalHoldReason: string | null;
}

export interface IncidentDetail {
  incident: Incident;
  notes: { id: string; at: string; authorUserId: string; text: string }[];
  actions: { id: string; kind: string; takenAt: string; recordedBy: string; detail: string }[];
  steps: { chart: string; text: string; done: boolean }[];
  people: Record<string, string>;
  evidence: {
    id: string;
    capturedAt: string;
    machine: string;
    user: string;
    category: string;
    severity: number;
    status: string;
    term: string | null;
    context: string | null;
    windowTitle: string;
    withheld: boolean;
    screenshotSha256: string | null;
  }[];
}

export interface DeviceRow {
  id: string;
  hostname: string;
  os: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
  agentVersion: string;
  lexiconVersion: string | null;
  queueLength: number | null;
  evictions: number | null;
  missingPermissions: string[];
  problems: string[];
  stale: boolean;
}

export interface AuditItem {
  seq: number;
  at: string;
  actorUserId: string | null;
  actorDeviceId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  schoolId: string | null;
  details: Record<string, unknown>;
}
