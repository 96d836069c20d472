/**
 * Queue order: critical first, then newest, then id (a total order, so keyset paging never skips
 * or repeats a row). The cursor is the last row's sort key, opaque to clients.
 */
export interface QueuePosition {
  severity: number;
  capturedAt: string;
  id: string;
}

export function encodeCursor(p: QueuePosition): string {
  return Buffer.from(JSON.stringify([p.severity, p.capturedAt, p.id])).toString('base64url');
}

export function decodeCursor(cursor: string): QueuePosition | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      typeof value[0] === 'number' &&
      Number.isInteger(value[0]) &&
      typeof value[1] === 'string' &&
      typeof value[2] === 'string'
    ) {
      return { severity: value[0], capturedAt: value[1], id: value[2] };
    }
  } catch {
    // fall through: a malformed cursor is the caller's 400
  }
  return null;
}

/** Negative when `a` comes before `b` in the queue. */
export function compareQueueOrder(a: QueuePosition, b: QueuePosition): number {
  if (a.severity !== b.severity) return b.severity - a.severity;
  if (a.capturedAt !== b.capturedAt) return a.capturedAt < b.capturedAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
