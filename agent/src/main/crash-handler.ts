import { writeCrashReport, type CrashReportInput } from './crash-report.js';
import {
  decideAfterCrash,
  readCrashHistory,
  writeCrashHistory,
  type RelaunchPolicy,
} from './relaunch-guard.js';

export interface CrashHandlerDeps {
  dataDir: string;
  agentVersion: string;
  platform: string;
  /** Started by launchd (macOS LaunchAgent), which restarts a failed agent itself. */
  supervised: boolean;
  now: () => number;
  pid: number;
  uptimeSeconds: () => number;
  /** `app.relaunch()`: a new instance starts once this one exits. */
  relaunch: () => void;
  /** `app.exit(code)`. */
  exit: (code: number) => void;
  log: (message: string, fields: Record<string, string | number | undefined>) => void;
  policy?: RelaunchPolicy;
}

/**
 * What the shell does when the process is failing: write a report (no typed text), record the
 * crash, then restart — unless crashes come so fast that restarting would only loop.
 */
export function createCrashHandler(
  deps: CrashHandlerDeps,
): (kind: CrashReportInput['kind'], error: unknown) => void {
  let handling = false;
  return (kind, error) => {
    // A second failure while handling the first must not recurse.
    if (handling) return;
    handling = true;
    const now = deps.now();
    const report = writeCrashReport({
      dataDir: deps.dataDir,
      kind,
      error,
      agentVersion: deps.agentVersion,
      platform: deps.platform,
      now,
      pid: deps.pid,
      uptimeSeconds: deps.uptimeSeconds(),
    });
    const { decision, history } = decideAfterCrash({
      history: readCrashHistory(deps.dataDir),
      now,
      supervised: deps.supervised,
      ...(deps.policy ? { policy: deps.policy } : {}),
    });
    writeCrashHistory(deps.dataDir, history);
    deps.log('agent crashed', { kind, report, action: decision.action });
    if (decision.action === 'relaunch') deps.relaunch();
    deps.exit(decision.exitCode);
  };
}
