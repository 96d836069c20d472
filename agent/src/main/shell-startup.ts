import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileLexicon, loadDefaultLexicon } from '@kestrel/shared/lexicon';
import { agentVersion } from '../adapters/agent-version.js';
import { createDefaultPorts } from '../adapters/default-ports.js';
import { resolveSettings, type AgentSettings } from '../config/agent-settings.js';
import { execFileRunner } from '../config/command-runner.js';
import { nodeFileReader } from '../config/file-reader.js';
import { KeyValueStateStore, type KeyValueStore } from '../config/key-value-state-store.js';
import { createMachinePolicyReader, type MachinePolicyReader } from '../config/machine-policy-reader.js';
import type { PolicyProblem } from '../config/policy-problem.js';
import { createAgent } from '../core/agent.js';
import type { Logger } from '../ports/logger.js';
import type { Screenshotter } from '../ports/screenshotter.js';
import type { PermissionProbe } from './permission-gate.js';
import { parseShellArgs } from './shell-args.js';
import { composeShellAgent, trayStateOf, type ShellAgent } from './shell-agent.js';
import type { TrayState } from './tray-menu-model.js';

export interface ShellStartupDeps {
  platform: NodeJS.Platform;
  /** Per-user data directory: queue, logs, crash reports, the collector CA file. */
  dataDir: string;
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** The signed-in OS account. */
  account: { username: string; domain?: string | undefined };
  /** Local state (`electron-store` in the tray app). */
  keyValue: KeyValueStore;
  permissions: PermissionProbe;
  fallbackScreenshotter?: Screenshotter | undefined;
  logger: Logger;
  /** The OS's machine policy unless given (tests point it at a file). */
  readMachinePolicy?: MachinePolicyReader;
}

export interface StartedShell {
  shellAgent: ShellAgent;
  settings: AgentSettings;
  problems: PolicyProblem[];
  version: string;
  trayState(): TrayState;
}

/**
 * Everything the tray app does at start-up that does not need Electron: local state and first-run
 * flags, machine policy, settings, and the pipeline built through its own composition root. The
 * Electron main adds only the tray, the lifecycle and Electron's APIs.
 */
export async function startShell(deps: ShellStartupDeps): Promise<StartedShell> {
  const { logger } = deps;
  const version = agentVersion();
  const state = new KeyValueStateStore(deps.keyValue, (problem) =>
    logger.warn('local state problem', { ...problem }),
  );
  const firstRun = parseShellArgs(deps.argv);
  if (Object.keys(firstRun).length > 0) {
    try {
      state.saveSettings(firstRun);
    } catch (error) {
      logger.warn('command-line settings ignored', { error: (error as Error).message });
    }
  }

  const readMachinePolicy =
    deps.readMachinePolicy ??
    createMachinePolicyReader({
      platform: deps.platform,
      run: execFileRunner,
      readFile: nodeFileReader,
      env: deps.env,
      username: deps.account.username,
    });
  const { settings, problems } = await resolveSettings({
    machinePolicy: await readMachinePolicy(),
    local: state.loadSettings(),
    readFile: nodeFileReader,
  });
  for (const problem of problems) logger.warn('policy problem', { ...problem });

  let caFile: string | undefined;
  if (settings.caCertificatePem !== undefined) {
    caFile = join(deps.dataDir, 'collector-ca.pem');
    writeFileSync(caFile, `${settings.caCertificatePem}\n`, { mode: 0o600 });
  }

  const shellAgent = composeShellAgent({
    settings,
    account: deps.account,
    isMacos: deps.platform === 'darwin',
    permissions: deps.permissions,
    createPorts: (server) =>
      createDefaultPorts({ server, dataDir: deps.dataDir, logger, ...(caFile ? { caFile } : {}) }),
    fallbackScreenshotter: deps.fallbackScreenshotter,
    state,
    createAgent,
    agentOptions: {
      agentVersion: version,
      initialLexicon: compileLexicon(loadDefaultLexicon()),
      compileLexicon: (file) => compileLexicon(file),
    },
    now: () => Date.now(),
    onScreenshotterSwitch: (from, to, reason) =>
      logger.warn('screenshot adapter switched', { from, to, reason }),
  });
  logger.info('shell started', { agentVersion: version, mode: shellAgent.kind, server: settings.serverUrl });
  return {
    shellAgent,
    settings,
    problems,
    version,
    trayState: () => trayStateOf(shellAgent, settings, problems, version),
  };
}
