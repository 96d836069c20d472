import type { HeartbeatRequest, SourceHealth } from '@kestrel/shared/protocol';
import type { CollectorClient } from '../ports/collector-client.js';
import type { InputEvent, KeystrokeSource } from '../ports/keystroke-source.js';
import type { ActiveWindow, WindowSource } from '../ports/window-source.js';
import type { Permission } from './tray-menu-model.js';

/** What the shell knows and the pipeline does not: OS permissions, a pause set by machine policy. */
export interface ShellHealth {
  missingPermissions: () => readonly Permission[];
  pausedByMachinePolicy: boolean;
}

/**
 * Adds the shell's knowledge to every heartbeat, so the technician sees in the collector that a
 * Mac lacks Screen Recording, or that a machine is paused by its policy.
 */
export class ShellHealthCollectorClient implements CollectorClient {
  constructor(
    private readonly inner: CollectorClient,
    private readonly shell: ShellHealth,
  ) {}

  enrol(...args: Parameters<CollectorClient['enrol']>) {
    return this.inner.enrol(...args);
  }

  uploadCapture(...args: Parameters<CollectorClient['uploadCapture']>) {
    return this.inner.uploadCapture(...args);
  }

  fetchPolicy(...args: Parameters<CollectorClient['fetchPolicy']>) {
    return this.inner.fetchPolicy(...args);
  }

  heartbeat(deviceToken: string, body: HeartbeatRequest) {
    const missing = new Set([...body.health.missingPermissions, ...this.shell.missingPermissions()]);
    return this.inner.heartbeat(deviceToken, {
      ...body,
      health: {
        ...body.health,
        missingPermissions: [...missing],
        paused: body.health.paused || this.shell.pausedByMachinePolicy,
      },
    });
  }
}

/** A keyboard that never starts: monitoring is paused by machine policy. */
export class PausedKeystrokeSource implements KeystrokeSource {
  private readonly state: SourceHealth = { state: 'disabled', detail: 'paused by machine policy' };

  async start(_listener: (event: InputEvent) => void): Promise<SourceHealth> {
    return this.state;
  }

  async stop(): Promise<void> {}

  health(): SourceHealth {
    return this.state;
  }
}

/** No active window, so no title is matched, while monitoring is paused by machine policy. */
export class PausedWindowSource implements WindowSource {
  async current(): Promise<ActiveWindow | undefined> {
    return undefined;
  }

  health(): SourceHealth {
    return { state: 'disabled', detail: 'paused by machine policy' };
  }
}
