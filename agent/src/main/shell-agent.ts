import type { Agent, AgentOptions, AgentPorts, AgentStatus } from '../core/agent.js';
import type { AgentSettings } from '../config/agent-settings.js';
import { isExcludedUser } from '../config/excluded-users.js';
import type { PolicyProblem } from '../config/policy-problem.js';
import type { AgentStateStore } from '../ports/agent-state-store.js';
import type { Screenshotter } from '../ports/screenshotter.js';
import { FallbackScreenshotter } from './fallback-screenshotter.js';
import {
  missingPermissions as probeMissingPermissions,
  PermissionGatedKeystrokeSource,
  PermissionGatedScreenshotter,
  type PermissionProbe,
} from './permission-gate.js';
import { PausedKeystrokeSource, PausedWindowSource, ShellHealthCollectorClient } from './policy-overlay.js';
import type { Permission, TrayState } from './tray-menu-model.js';

export interface ShellAgentDeps {
  settings: AgentSettings;
  /** The signed-in OS account (`DOMAIN\user` or `user`) and, on Windows, its domain. */
  account: { username: string; domain?: string | undefined };
  isMacos: boolean;
  permissions: PermissionProbe;
  /** The real adapters of this OS for a collector (`createDefaultPorts` in the shell). */
  createPorts: (server: string) => AgentPorts;
  /** Electron's `desktopCapturer`, tried when the default screenshotter fails. */
  fallbackScreenshotter?: Screenshotter | undefined;
  /** Local state (device token, cached policy) in `electron-store`. */
  state: AgentStateStore;
  /** The pipeline's composition root: the same one the headless agent uses. */
  createAgent: (ports: AgentPorts, options: AgentOptions) => Agent;
  agentOptions: Pick<AgentOptions, 'agentVersion' | 'initialLexicon' | 'compileLexicon'> &
    Partial<AgentOptions>;
  now: () => number;
  onScreenshotterSwitch?: (from: string, to: string, reason: string) => void;
}

export type ShellAgent =
  | { kind: 'excluded' }
  | { kind: 'not-configured' }
  | {
      kind: 'running';
      agent: Agent;
      /** As of the last check. */
      missingPermissions(): Permission[];
      /** Re-reads the permissions and starts the keyboard hook if Accessibility has arrived. */
      recheckPermissions(): Promise<void>;
    };

/**
 * Decides whether and how the pipeline runs in this session, and builds it through the
 * pipeline's own composition root with the shell's additions: permission gates, the screenshot
 * fallback, the machine-policy pause, and the shell's knowledge in every heartbeat.
 */
export function composeShellAgent(deps: ShellAgentDeps): ShellAgent {
  const { settings } = deps;
  if (isExcludedUser(deps.account, settings.excludedUsers)) return { kind: 'excluded' };
  if (settings.serverUrl === undefined) return { kind: 'not-configured' };

  let missing = probeMissingPermissions(deps.isMacos, deps.permissions);
  const lacks = (permission: Permission) => () => missing.includes(permission);

  const ports = deps.createPorts(settings.serverUrl);
  const screenshots = deps.fallbackScreenshotter
    ? new FallbackScreenshotter(ports.screenshotter, deps.fallbackScreenshotter, {
        now: deps.now,
        ...(deps.onScreenshotterSwitch ? { onSwitch: deps.onScreenshotterSwitch } : {}),
      })
    : ports.screenshotter;
  const keyboard = settings.paused
    ? new PausedKeystrokeSource()
    : new PermissionGatedKeystrokeSource(ports.keystrokes, lacks('accessibility'));

  const agent = deps.createAgent(
    {
      ...ports,
      keystrokes: keyboard,
      windows: settings.paused ? new PausedWindowSource() : ports.windows,
      screenshotter: new PermissionGatedScreenshotter(screenshots, lacks('screen-recording')),
      collector: new ShellHealthCollectorClient(ports.collector, {
        missingPermissions: () => missing,
        pausedByMachinePolicy: settings.paused,
      }),
      state: deps.state,
    },
    {
      ...deps.agentOptions,
      server: settings.serverUrl,
      enrolmentToken: settings.enrolmentToken,
      ...(settings.keyboardLayout ? { keyboardLayout: settings.keyboardLayout } : {}),
    },
  );

  return {
    kind: 'running',
    agent,
    missingPermissions: () => [...missing],
    async recheckPermissions() {
      missing = probeMissingPermissions(deps.isMacos, deps.permissions);
      if (keyboard instanceof PermissionGatedKeystrokeSource) await keyboard.recheck();
    },
  };
}

/** What the tray shows for this session. */
export function trayStateOf(
  shell: ShellAgent,
  settings: AgentSettings,
  problems: readonly PolicyProblem[],
  version: string,
): TrayState {
  const about = { version, serverUrl: settings.serverUrl };
  const idle: TrayState = {
    connection: 'not-configured',
    queueLength: 0,
    excludedUser: false,
    sources: {},
    missingPermissions: [],
    policyProblems: problems,
    about,
  };
  if (shell.kind === 'excluded') return { ...idle, excludedUser: true };
  if (shell.kind === 'not-configured') return idle;
  const status: AgentStatus = shell.agent.status();
  return {
    connection: connectionOf(status),
    queueLength: status.queueLength,
    pausedBy: settings.paused ? 'machine-policy' : status.paused ? 'collector' : undefined,
    excludedUser: false,
    sources: status.sources,
    missingPermissions: shell.missingPermissions(),
    policyProblems: problems,
    about: { ...about, deviceId: status.deviceId },
  };
}

function connectionOf(status: AgentStatus): TrayState['connection'] {
  switch (status.connection) {
    case 'online':
      return 'connected';
    case 'offline':
      return 'offline';
    case 'revoked':
      return 'revoked';
    case 'unenrolled':
      return status.lastError === undefined ? 'starting' : 'offline';
  }
}
