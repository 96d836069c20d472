/**
 * Moderation actions and the rules around them, free of HTTP and SQL.
 */
export const CAPTURE_STATUSES = ['unreviewed', 'dismissed', 'reviewed', 'escalated'] as const;
export type CaptureStatus = (typeof CAPTURE_STATUSES)[number];

export const MODERATION_ACTIONS = ['dismiss', 'review', 'escalate'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

export const ACTION_STATUS: Record<ModerationAction, CaptureStatus> = {
  dismiss: 'dismissed',
  review: 'reviewed',
  escalate: 'escalated',
};

/** Roles that may see capture content (the screenshot, the phrase, the pupil). */
export const CAPTURE_VIEWER_ROLES = ['moderator', 'dsl', 'headteacher'] as const;
/** Roles that may triage. The headteacher reads; moderators and the DSL act. */
export const CAPTURE_ACTOR_ROLES = ['moderator', 'dsl'] as const;

export function canViewCaptures(role: string): boolean {
  return (CAPTURE_VIEWER_ROLES as readonly string[]).includes(role);
}

export function canActOnCaptures(role: string): boolean {
  return (CAPTURE_ACTOR_ROLES as readonly string[]).includes(role);
}

/**
 * Once escalated, a capture belongs to the safeguarding lead: only a DSL may move it back
 * (a moderator cannot quietly dismiss what was escalated). Everything else may be re-triaged.
 */
export function mayTransition(from: CaptureStatus, action: ModerationAction, role: string): boolean {
  if (from === 'escalated' && action !== 'escalate') return role === 'dsl';
  return true;
}

/** How long the last action may be undone. */
export const UNDO_WINDOW_MS = 15 * 60_000;

export interface UndoCheck {
  actorId: string;
  createdAtMs: number;
  undone: boolean;
}

export function undoRefusal(action: UndoCheck, userId: string, nowMs: number): string | null {
  if (action.undone) return 'This action was already undone.';
  if (action.actorId !== userId) return 'Only the person who acted may undo it.';
  if (nowMs - action.createdAtMs > UNDO_WINDOW_MS) return 'This action is too old to undo.';
  return null;
}

/** Escalations and reveals must say why: the reason is part of the safeguarding record. */
export const REASON_MAX = 2000;
export const NOTE_MAX = 4000;
export const BULK_MAX = 500;
