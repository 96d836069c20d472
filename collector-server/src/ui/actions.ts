/** Triage actions from either view: ask what must be asked, call the API, announce, remember for undo. */
import { ApiError, postJson } from './lib/api.js';
import type { ActionResult } from './lib/types.js';
import { state } from './state.js';
import { announce } from './views/shell.js';
import { askReason } from './views/dialogs.js';

export type ActionKind = 'dismiss' | 'dismiss-suggest' | 'review' | 'escalate';

export interface Target {
  captureIds: string[];
  groupKeys: string[];
  /** The status the group members must have to be included (the queue's status filter). */
  status: string;
  count: number;
}

const PAST: Record<string, string> = {
  dismiss: 'Dismissed',
  review: 'Marked reviewed',
  escalate: 'Escalated',
};

function plural(n: number): string {
  return n === 1 ? '1 capture' : `${n} captures`;
}

/** Answers true when the action was done. */
export async function act(kind: ActionKind, target: Target): Promise<boolean> {
  if (target.count === 0) return false;
  let reason: string | undefined;
  let suggestException: string | undefined;
  if (kind === 'escalate') {
    const answer = await askReason({
      title: 'Escalate to the safeguarding lead',
      intro: `${plural(target.count)} will go to the designated safeguarding lead with your reason.`,
      label: 'Why are you escalating?',
      confirm: 'Escalate',
      required: true,
      danger: true,
    });
    if (!answer) return false;
    reason = answer.text;
  } else if (kind === 'dismiss-suggest') {
    const answer = await askReason({
      title: 'Dismiss and suggest an exception',
      intro: 'The lexicon administrator will see your suggestion; nothing changes until they act on it.',
      label: 'Suggested exception (for example: the phrase in a biology worksheet)',
      confirm: 'Dismiss',
      required: true,
    });
    if (!answer) return false;
    suggestException = answer.text;
  }
  const action = kind === 'dismiss-suggest' ? 'dismiss' : kind;
  try {
    const result = await postJson<ActionResult>('/api/v1/moderation/actions', {
      action,
      captureIds: target.captureIds,
      groupKeys: target.groupKeys,
      groupStatus: target.status,
      reason,
      suggestException,
    });
    state.details.clear();
    state.lastAction = { id: result.actionId, label: `${PAST[action] ?? action} ${plural(result.affected)}` };
    announce(`${state.lastAction.label}. Press u to undo.`);
    return true;
  } catch (e) {
    announce(e instanceof ApiError ? e.message : 'The action failed.', true);
    return false;
  }
}

export async function addNote(captureId: string): Promise<boolean> {
  const answer = await askReason({
    title: 'Add a note',
    label: 'Note',
    confirm: 'Save note',
    required: true,
  });
  if (!answer) return false;
  try {
    await postJson(`/api/v1/captures/${encodeURIComponent(captureId)}/notes`, { text: answer.text });
    state.details.delete(captureId);
    announce('Note saved.');
    return true;
  } catch (e) {
    announce(e instanceof ApiError ? e.message : 'The note was not saved.', true);
    return false;
  }
}

export async function undo(): Promise<boolean> {
  const last = state.lastAction;
  if (!last) {
    announce('Nothing to undo.');
    return false;
  }
  try {
    const result = await postJson<{ restored: number }>(
      `/api/v1/moderation/actions/${encodeURIComponent(last.id)}/undo`,
    );
    state.lastAction = null;
    state.details.clear();
    announce(`Undone: ${last.label}. ${plural(result.restored)} restored.`);
    return true;
  } catch (e) {
    announce(e instanceof ApiError ? e.message : 'Undo failed.', true);
    return false;
  }
}
