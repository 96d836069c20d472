import { describe, expect, it } from 'vitest';
import { canActOnCaptures, canViewCaptures, mayTransition, undoRefusal, UNDO_WINDOW_MS } from './actions.js';
import { csrfTokenFor, csrfTokenMatches } from './csrf.js';
import { compareQueueOrder, decodeCursor, encodeCursor } from './queue-cursor.js';

describe('moderation rules', () => {
  it('lets moderators and DSLs act, headteachers only view, others neither', () => {
    expect(canActOnCaptures('moderator')).toBe(true);
    expect(canActOnCaptures('headteacher')).toBe(false);
    expect(canViewCaptures('headteacher')).toBe(true);
    for (const role of ['admin', 'technician', 'governor']) expect(canViewCaptures(role)).toBe(false);
  });

  it('keeps escalated captures with the DSL', () => {
    expect(mayTransition('escalated', 'dismiss', 'moderator')).toBe(false);
    expect(mayTransition('escalated', 'dismiss', 'dsl')).toBe(true);
    expect(mayTransition('unreviewed', 'dismiss', 'moderator')).toBe(true);
  });

  it('allows undo only by the actor, once, within the window', () => {
    const a = { actorId: 'u1', createdAtMs: 0, undone: false };
    expect(undoRefusal(a, 'u1', 1000)).toBeNull();
    expect(undoRefusal(a, 'u2', 1000)).toMatch(/person who acted/);
    expect(undoRefusal({ ...a, undone: true }, 'u1', 1000)).toMatch(/already/);
    expect(undoRefusal(a, 'u1', UNDO_WINDOW_MS + 1)).toMatch(/too old/);
  });
});

describe('CSRF token', () => {
  it('is bound to the session', () => {
    const t = csrfTokenFor('session-a');
    expect(csrfTokenMatches('session-a', t)).toBe(true);
    expect(csrfTokenMatches('session-b', t)).toBe(false);
    expect(csrfTokenMatches('session-a', undefined)).toBe(false);
    expect(csrfTokenMatches('session-a', 'short')).toBe(false);
  });
});

describe('queue cursor', () => {
  it('round-trips and rejects junk', () => {
    const p = { severity: 5, capturedAt: '2026-01-01T10:00:00.000Z', id: 'abc' };
    expect(decodeCursor(encodeCursor(p))).toEqual(p);
    expect(decodeCursor('not-a-cursor')).toBeNull();
    expect(decodeCursor(Buffer.from('[1,2]').toString('base64url'))).toBeNull();
  });

  it('orders critical first, then newest', () => {
    const rows = [
      { severity: 2, capturedAt: '2026-01-02', id: 'a' },
      { severity: 5, capturedAt: '2026-01-01', id: 'b' },
      { severity: 5, capturedAt: '2026-01-03', id: 'c' },
    ];
    expect(rows.sort(compareQueueOrder).map((r) => r.id)).toEqual(['c', 'b', 'a']);
  });
});
