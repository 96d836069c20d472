import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface RelaunchPolicy {
  /** More crashes than this within `windowMs` is a crash loop: stop restarting. */
  maxCrashes: number;
  windowMs: number;
}

export const DEFAULT_RELAUNCH_POLICY: RelaunchPolicy = { maxCrashes: 5, windowMs: 10 * 60 * 1000 };

/**
 * - `relaunch`: start a new instance (`app.relaunch()`), then exit with an error;
 * - `exit-for-supervisor`: exit with an error and let launchd (`KeepAlive`) restart us;
 * - `give-up`: a crash loop: exit cleanly so nothing restarts us until the next log-in.
 */
export type CrashDecision =
  | { action: 'relaunch'; exitCode: 1 }
  | { action: 'exit-for-supervisor'; exitCode: 1 }
  | { action: 'give-up'; exitCode: 0 };

export interface CrashDecisionInput {
  /** Epoch milliseconds of earlier crashes. */
  history: readonly number[];
  now: number;
  /** macOS: the LaunchAgent restarts a failed agent, so relaunching ourselves would race it. */
  supervised: boolean;
  policy?: RelaunchPolicy;
}

export function decideAfterCrash(input: CrashDecisionInput): { decision: CrashDecision; history: number[] } {
  const policy = input.policy ?? DEFAULT_RELAUNCH_POLICY;
  const history = [
    ...input.history.filter((t) => input.now - t < policy.windowMs && t <= input.now),
    input.now,
  ];
  if (history.length > policy.maxCrashes) return { decision: { action: 'give-up', exitCode: 0 }, history };
  return {
    decision: input.supervised
      ? { action: 'exit-for-supervisor', exitCode: 1 }
      : { action: 'relaunch', exitCode: 1 },
    history,
  };
}

const HISTORY_FILE = 'crash-history.json';

/** Crash times kept in the data directory; an unreadable file counts as no history. */
export function readCrashHistory(dataDir: string): number[] {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dataDir, HISTORY_FILE), 'utf8'));
    return Array.isArray(parsed)
      ? parsed.filter((t): t is number => typeof t === 'number' && Number.isFinite(t))
      : [];
  } catch {
    return [];
  }
}

export function writeCrashHistory(dataDir: string, history: readonly number[]): void {
  const path = join(dataDir, HISTORY_FILE);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, JSON.stringify(history.slice(-50)));
    renameSync(`${path}.tmp`, path);
  } catch {
    // A guard that cannot remember only loses its loop detection; the crash handling goes on.
  }
}
