import type { SourceHealth } from '@kestrel/shared/protocol';
import type { InputEvent, KeystrokeSource } from '../ports/keystroke-source.js';
import type { Screenshot, Screenshotter } from '../ports/screenshotter.js';
import type { Permission } from './tray-menu-model.js';

/** The two `systemPreferences` calls the gate needs (Electron's, on macOS). */
export interface PermissionProbe {
  isTrustedAccessibilityClient(prompt: boolean): boolean;
  getMediaAccessStatus(
    mediaType: 'screen',
  ): 'not-determined' | 'granted' | 'denied' | 'restricted' | 'unknown';
}

/**
 * Permissions the agent lacks. Only macOS asks for them; elsewhere nothing is missing. Never
 * prompts: a pupil cannot grant them (an administrator or the MDM's PPPC profile does).
 */
export function missingPermissions(isMacos: boolean, probe: PermissionProbe): Permission[] {
  if (!isMacos) return [];
  const missing: Permission[] = [];
  if (!safely(() => probe.isTrustedAccessibilityClient(false))) missing.push('accessibility');
  if (safely(() => probe.getMediaAccessStatus('screen')) !== 'granted') missing.push('screen-recording');
  return missing;
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

const DETAIL: Record<Permission, string> = {
  accessibility: 'Accessibility permission not granted',
  'screen-recording': 'Screen Recording permission not granted',
};

/**
 * Starts the keyboard hook only once Accessibility is granted: without it the hook gets nothing
 * (or blocks on a system prompt). `recheck()` starts it when the permission arrives later.
 */
export class PermissionGatedKeystrokeSource implements KeystrokeSource {
  private listener: ((event: InputEvent) => void) | undefined;
  private started = false;

  constructor(
    private readonly inner: KeystrokeSource,
    private readonly isMissing: () => boolean,
  ) {}

  async start(listener: (event: InputEvent) => void): Promise<SourceHealth> {
    this.listener = listener;
    return this.recheck();
  }

  /** Call on a timer: starts the hook if the permission has been granted since. */
  async recheck(): Promise<SourceHealth> {
    if (this.started || this.listener === undefined) return this.health();
    if (this.isMissing()) return this.health();
    this.started = true;
    return this.inner.start(this.listener);
  }

  async stop(): Promise<void> {
    this.listener = undefined;
    if (!this.started) return;
    this.started = false;
    await this.inner.stop();
  }

  health(): SourceHealth {
    if (this.started) return this.inner.health();
    return this.isMissing() ? { state: 'unavailable', detail: DETAIL.accessibility } : this.inner.health();
  }
}

/**
 * Takes no screenshot without Screen Recording: macOS would hand back the wallpaper alone, a
 * picture that proves nothing. Checked at every capture, since the permission can change.
 */
export class PermissionGatedScreenshotter implements Screenshotter {
  constructor(
    private readonly inner: Screenshotter,
    private readonly isMissing: () => boolean,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  async capture(): Promise<Screenshot> {
    if (this.isMissing()) throw new Error(DETAIL['screen-recording']);
    return this.inner.capture();
  }

  health(): SourceHealth {
    return this.isMissing()
      ? { state: 'unavailable', detail: DETAIL['screen-recording'] }
      : this.inner.health();
  }
}
