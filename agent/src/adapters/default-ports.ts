import { join } from 'node:path';
import type { AgentPorts } from '../core/agent.js';
import type { Logger } from '../ports/logger.js';
import { ActiveWinWindowSource } from './active-win-window-source.js';
import { AxiosCollectorClient } from './axios-collector-client.js';
import { DesktopScreenshotter } from './desktop-screenshotter.js';
import { FsAgentStateStore } from './fs-agent-state-store.js';
import { FsQueueStore } from './fs-queue-store.js';
import { OsHostInfo } from './os-host-info.js';
import { SystemClock } from './system-clock.js';
import { UiohookKeystrokeSource } from './uiohook-keystroke-source.js';
import { probeX11Display, readX11CapsLock } from './x11-display.js';
import { X11ImportScreenshotter } from './x11-import-screenshotter.js';
import { X11WindowSource } from './x11-window-source.js';

export interface DefaultPortsOptions {
  server: string;
  dataDir: string;
  caFile?: string;
  logger: Logger;
}

/**
 * The real adapters for this OS. The one place that looks at the platform: on Linux the hook
 * needs an X display that answers; on Windows and macOS the desktop session always has one (the
 * Electron shell checks macOS permissions before it starts the agent).
 */
export function createDefaultPorts(options: DefaultPortsOptions): AgentPorts {
  const clock = new SystemClock();
  const x11 = process.platform === 'linux';
  return {
    keystrokes: new UiohookKeystrokeSource({
      probeDisplay: x11 ? () => probeX11Display() : async () => ({ ok: true }),
      ...(x11 ? { readCapsLock: () => readX11CapsLock() } : {}),
    }),
    // active-win on X11 spawns three processes a poll; xprop's spy mode costs nothing at rest.
    windows: x11 ? new X11WindowSource() : new ActiveWinWindowSource(),
    // On X11 ImageMagick grabs, scales and compresses in its own process: faster, and no image
    // is ever decoded in the agent, whose memory stays flat.
    screenshotter: x11 ? new X11ImportScreenshotter() : new DesktopScreenshotter(),
    queue: new FsQueueStore({ dir: join(options.dataDir, 'queue'), now: () => clock.now() }),
    collector: new AxiosCollectorClient({
      server: options.server,
      ...(options.caFile ? { caFile: options.caFile } : {}),
    }),
    state: new FsAgentStateStore(options.dataDir),
    clock,
    logger: options.logger,
    host: new OsHostInfo(),
  };
}
