import type { Category, Severity } from '@kestrel/shared/protocol';
import type { ActionKind } from './action-kinds.js';

export const INCIDENT_STATUSES = ['open', 'in-progress', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** The flowchart's first question: "Was illegal material or activity found or suspected?" */
export const ILLEGAL_ANSWERS = ['unknown', 'no', 'suspected', 'yes'] as const;
export type IllegalAnswer = (typeof ILLEGAL_ANSWERS)[number];

/** "Was the child the victim or the instigator?" */
export const PUPIL_ROLES = ['unknown', 'victim', 'instigator', 'both', 'not-involved'] as const;
export type PupilRole = (typeof PUPIL_ROLES)[number];

/** "Review the evidence and determine if the incident is accidental or deliberate." */
export const INTENT_ANSWERS = ['unknown', 'accidental', 'deliberate'] as const;
export type IntentAnswer = (typeof INTENT_ANSWERS)[number];

export type { ActionKind } from './action-kinds.js';

export interface IncidentAnswers {
  illegal: IllegalAnswer;
  /** "Did the incident involve a member of staff?" null = not yet answered. */
  staffInvolved: boolean | null;
  pupilRole: PupilRole;
  intent: IntentAnswer;
  /** "Review incident and identify if other pupils were involved". */
  otherPupilsInvolved: boolean | null;
}

export interface Incident extends IncidentAnswers {
  id: string;
  schoolId: string;
  /** Human reference, unique per school: `INC-2026-0007`. */
  reference: string;
  title: string;
  summary: string;
  /** The pupil (OS user name as captured) the incident is about, when there is one. */
  subjectUser: string | null;
  status: IncidentStatus;
  ownerUserId: string | null;
  openedBy: string;
  openedAt: string;
  updatedAt: string;
  closedAt: string | null;
  outcome: string | null;
  legalHold: boolean;
  legalHoldReason: string | null;
}

export interface IncidentNote {
  id: string;
  incidentId: string;
  at: string;
  authorUserId: string;
  text: string;
}

export interface IncidentAction {
  id: string;
  incidentId: string;
  kind: ActionKind;
  /** When it was done (may be earlier than when it was recorded). */
  takenAt: string;
  recordedBy: string;
  detail: string;
}

export interface IncidentEvidence {
  incidentId: string;
  captureId: string;
  addedAt: string;
  addedBy: string;
}

/** What the incident workflow needs to know about a capture (the core owns captures). */
export interface EvidenceCapture {
  id: string;
  schoolId: string;
  capturedAt: string;
  receivedAt: string;
  machine: string;
  user: string;
  source: string;
  category: Category;
  severity: Severity;
  term: string;
  context: string;
  windowTitle: string;
  application: string;
  url: string | null;
  status: string;
  screenshotSha256: string | null;
  screenshotMediaType: string | null;
}
