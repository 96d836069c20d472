import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type ModerationTables, moderationDb } from './moderation-tables.js';

export interface ActionTarget {
  id: string;
  schoolId: string;
  status: string;
}

export interface RecordedAction {
  id: string;
  actorUserId: string;
  action: string;
  reason: string | null;
  createdAt: string;
  undoneAt: string | null;
}

function recordedActionOf(r: ModerationTables['moderation_actions']): RecordedAction {
  return {
    id: r.id,
    actorUserId: r.actor_user_id,
    action: r.action,
    reason: r.reason,
    createdAt: r.created_at,
    undoneAt: r.undone_at,
  };
}

export interface HistoryEntry extends RecordedAction {
  actorEmail: string;
}

export interface NoteEntry {
  id: string;
  captureId: string;
  authorEmail: string;
  text: string;
  createdAt: string;
}

/** Triage actions (with what each capture was before, for undo), notes, reveals, exception suggestions. */
export function moderationActionsRepository(db: Kysely<Database>) {
  const mdb = moderationDb(db);
  return {
    /** Records the action and moves every target to `newStatus`, in one transaction. */
    async apply(input: {
      id: string;
      actorUserId: string;
      action: string;
      reason: string | null;
      at: string;
      newStatus: string;
      targets: readonly ActionTarget[];
    }): Promise<void> {
      await mdb.transaction().execute(async (trx) => {
        await trx
          .insertInto('moderation_actions')
          .values({
            id: input.id,
            actor_user_id: input.actorUserId,
            action: input.action,
            reason: input.reason,
            created_at: input.at,
            undone_at: null,
          })
          .execute();
        // Chunks keep each statement under SQLite's bound-parameter limit.
        for (let i = 0; i < input.targets.length; i += 100) {
          const chunk = input.targets.slice(i, i + 100);
          await trx
            .insertInto('moderation_action_items')
            .values(
              chunk.map((t) => ({
                action_id: input.id,
                capture_id: t.id,
                school_id: t.schoolId,
                previous_status: t.status,
                new_status: input.newStatus,
              })),
            )
            .execute();
          await trx
            .updateTable('captures')
            .set({ status: input.newStatus, reviewed_by: input.actorUserId, reviewed_at: input.at })
            .where(
              'id',
              'in',
              chunk.map((t) => t.id),
            )
            .execute();
        }
      });
    },

    async get(id: string): Promise<RecordedAction | undefined> {
      const r = await mdb
        .selectFrom('moderation_actions')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return r === undefined ? undefined : recordedActionOf(r);
    },

    async items(actionId: string) {
      return mdb
        .selectFrom('moderation_action_items')
        .selectAll()
        .where('action_id', '=', actionId)
        .execute();
    },

    /**
     * Puts back each capture the action moved, unless someone has moved it again since; answers
     * how many were restored.
     */
    async undo(actionId: string, at: string): Promise<number> {
      return mdb.transaction().execute(async (trx) => {
        const marked = await trx
          .updateTable('moderation_actions')
          .set({ undone_at: at })
          .where('id', '=', actionId)
          .where('undone_at', 'is', null)
          .executeTakeFirst();
        if (Number(marked.numUpdatedRows) === 0) return 0;
        const items = await trx
          .selectFrom('moderation_action_items')
          .selectAll()
          .where('action_id', '=', actionId)
          .execute();
        let restored = 0;
        for (const item of items) {
          const r = await trx
            .updateTable('captures')
            .set({
              status: item.previous_status,
              ...(item.previous_status === 'unreviewed' ? { reviewed_by: null, reviewed_at: null } : {}),
            })
            .where('id', '=', item.capture_id)
            .where('status', '=', item.new_status)
            .executeTakeFirst();
          restored += Number(r.numUpdatedRows);
        }
        return restored;
      });
    },

    async history(captureId: string): Promise<HistoryEntry[]> {
      const rows = await mdb
        .selectFrom('moderation_action_items as i')
        .innerJoin('moderation_actions as a', 'a.id', 'i.action_id')
        .innerJoin('users as u', 'u.id', 'a.actor_user_id')
        .select(['a.id', 'a.actor_user_id', 'a.action', 'a.reason', 'a.created_at', 'a.undone_at', 'u.email'])
        .where('i.capture_id', '=', captureId)
        .orderBy('a.created_at')
        .execute();
      return rows.map((r) => ({ ...recordedActionOf(r), actorEmail: r.email }));
    },

    async addNote(note: {
      id: string;
      captureId: string;
      schoolId: string;
      authorUserId: string;
      text: string;
      at: string;
    }) {
      await mdb
        .insertInto('capture_notes')
        .values({
          id: note.id,
          capture_id: note.captureId,
          school_id: note.schoolId,
          author_user_id: note.authorUserId,
          text: note.text,
          created_at: note.at,
        })
        .execute();
    },

    async notes(captureId: string): Promise<NoteEntry[]> {
      const rows = await mdb
        .selectFrom('capture_notes as n')
        .innerJoin('users as u', 'u.id', 'n.author_user_id')
        .select(['n.id', 'n.capture_id', 'n.text', 'n.created_at', 'u.email'])
        .where('n.capture_id', '=', captureId)
        .orderBy('n.created_at')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        captureId: r.capture_id,
        authorEmail: r.email,
        text: r.text,
        createdAt: r.created_at,
      }));
    },

    async recordReveal(captureId: string, userId: string, reason: string, at: string): Promise<void> {
      await mdb
        .insertInto('capture_reveals')
        .values({ capture_id: captureId, user_id: userId, reason, created_at: at })
        .onConflict((oc) => oc.columns(['capture_id', 'user_id']).doNothing())
        .execute();
    },

    /** Of `captureIds`, those this user has revealed. */
    async revealedBy(userId: string, captureIds: readonly string[]): Promise<Set<string>> {
      if (captureIds.length === 0) return new Set();
      const rows = await mdb
        .selectFrom('capture_reveals')
        .select('capture_id')
        .where('user_id', '=', userId)
        .where('capture_id', 'in', [...captureIds])
        .execute();
      return new Set(rows.map((r) => r.capture_id));
    },

    async suggestException(s: {
      id: string;
      schoolId: string;
      captureId: string;
      category: string;
      term: string;
      suggestion: string;
      suggestedBy: string;
      at: string;
    }): Promise<void> {
      await mdb
        .insertInto('exception_suggestions')
        .values({
          id: s.id,
          school_id: s.schoolId,
          capture_id: s.captureId,
          category: s.category,
          term: s.term,
          suggestion: s.suggestion,
          suggested_by: s.suggestedBy,
          created_at: s.at,
          status: 'open',
        })
        .execute();
    },

    async suggestions(schoolId: string) {
      return mdb
        .selectFrom('exception_suggestions')
        .selectAll()
        .where('school_id', '=', schoolId)
        .orderBy('created_at', 'desc')
        .execute();
    },
  };
}

export type ModerationActionsRepository = ReturnType<typeof moderationActionsRepository>;
