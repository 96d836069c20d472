import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CrashReportInput {
  dataDir: string;
  kind: 'uncaughtException' | 'unhandledRejection' | 'child-process-gone';
  error: unknown;
  agentVersion: string;
  platform: string;
  /** Epoch milliseconds. */
  now: number;
  pid: number;
  uptimeSeconds: number;
}

export const CRASH_REPORT_DIR = 'crash-reports';
const KEEP_REPORTS = 10;
const MAX_MESSAGE = 300;

/**
 * What a report keeps of an error. Typed text must never reach the disk, and an error message
 * may quote data (a matched phrase, a window title), so quoted parts are blanked and only the
 * code locations of the stack are kept, not the message lines it repeats.
 */
export function redactError(error: unknown): {
  name: string;
  code?: string;
  message: string;
  stack: string[];
} {
  const err =
    error instanceof Error ? error : new Error(typeof error === 'string' ? error : 'non-Error value thrown');
  const code = (err as { code?: unknown }).code;
  const message = err.message
    .replace(/(["'`«“‘])(?:(?!\1)[^\n])*\1|[“‘][^”’\n]*[”’]/g, '$1…$1')
    .split('\n', 1)
    .join('')
    .slice(0, MAX_MESSAGE);
  const stack = (err.stack ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at '))
    .slice(0, 30);
  return { name: err.name, ...(typeof code === 'string' ? { code } : {}), message, stack };
}

/**
 * Writes `crash-reports/crash-<time>-<pid>.json` in the data directory, synchronously (the
 * process is going down) and atomically, keeping the newest ten. Returns the path, or
 * undefined when it could not write: a crash handler must never throw.
 */
export function writeCrashReport(input: CrashReportInput): string | undefined {
  try {
    const dir = join(input.dataDir, CRASH_REPORT_DIR);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stamp = new Date(input.now).toISOString().replace(/[:.]/g, '-');
    const path = join(dir, `crash-${stamp}-${input.pid}.json`);
    const report = {
      time: new Date(input.now).toISOString(),
      kind: input.kind,
      agentVersion: input.agentVersion,
      platform: input.platform,
      uptimeSeconds: Math.round(input.uptimeSeconds),
      error: redactError(input.error),
    };
    writeFileSync(`${path}.tmp`, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
    const reports = readdirSync(dir)
      .filter((name) => /^crash-.*\.json$/.test(name))
      .sort();
    for (const old of reports.slice(0, Math.max(0, reports.length - KEEP_REPORTS)))
      rmSync(join(dir, old), { force: true });
    return path;
  } catch {
    return undefined;
  }
}
