/**
 * Grouping: captures of the same term and category from one school within a short period are one
 * queue row (a class doing the same assignment raises the same phrase on thirty machines).
 * A capture joins the group of the nearest earlier-or-later capture within the window; otherwise it
 * starts a group named after itself.
 */
export const GROUP_WINDOW_MS = 30 * 60_000;

export interface GroupCandidate {
  groupKey: string;
  capturedAtMs: number;
}

/** Terms compare case- and space-insensitively: "Kill Myself" and "kill  myself" are one phrase. */
export function normaliseTerm(term: string): string {
  return term.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function chooseGroupKey(
  capture: { id: string; capturedAtMs: number },
  candidates: readonly GroupCandidate[],
  windowMs = GROUP_WINDOW_MS,
): string {
  let best: GroupCandidate | undefined;
  for (const c of candidates) {
    const distance = Math.abs(c.capturedAtMs - capture.capturedAtMs);
    if (distance > windowMs) continue;
    if (!best || distance < Math.abs(best.capturedAtMs - capture.capturedAtMs)) best = c;
  }
  return best ? best.groupKey : capture.id;
}
