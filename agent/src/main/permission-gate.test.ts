import type { SourceHealth } from '@kestrel/shared/protocol';
import { describe, expect, it } from 'vitest';
import type { InputEvent, KeystrokeSource } from '../ports/keystroke-source.js';
import type { Screenshot, Screenshotter } from '../ports/screenshotter.js';
import {
  missingPermissions,
  PermissionGatedKeystrokeSource,
  PermissionGatedScreenshotter,
  type PermissionProbe,
} from './permission-gate.js';

function probe(accessibility: boolean, screen: ReturnType<PermissionProbe['getMediaAccessStatus']>) {
  const prompts: boolean[] = [];
  return {
    prompts,
    isTrustedAccessibilityClient(prompt: boolean) {
      prompts.push(prompt);
      return accessibility;
    },
    getMediaAccessStatus: () => screen,
  };
}

class FakeKeyboard implements KeystrokeSource {
  starts = 0;
  stops = 0;
  listener: ((event: InputEvent) => void) | undefined;
  async start(listener: (event: InputEvent) => void): Promise<SourceHealth> {
    this.starts++;
    this.listener = listener;
    return { state: 'ok' };
  }
  async stop() {
    this.stops++;
  }
  health(): SourceHealth {
    return { state: this.starts > this.stops ? 'ok' : 'disabled' };
  }
}

const picture: Screenshot = { bytes: new Uint8Array([1]), mediaType: 'image/jpeg', width: 1, height: 1 };
const fakeScreenshotter = (): Screenshotter & { calls: number } => ({
  name: 'screenshot-desktop',
  calls: 0,
  async capture() {
    this.calls++;
    return picture;
  },
  health: () => ({ state: 'ok' }),
});

describe('missingPermissions', () => {
  it('asks macOS without prompting and lists what is missing', () => {
    const p = probe(false, 'denied');
    expect(missingPermissions(true, p)).toEqual(['accessibility', 'screen-recording']);
    expect(p.prompts).toEqual([false]);
    expect(missingPermissions(true, probe(true, 'not-determined'))).toEqual(['screen-recording']);
    expect(missingPermissions(true, probe(true, 'granted'))).toEqual([]);
  });

  it('finds nothing missing off macOS, and treats a failing probe as missing', () => {
    expect(missingPermissions(false, probe(false, 'denied'))).toEqual([]);
    const throwing: PermissionProbe = {
      isTrustedAccessibilityClient: () => {
        throw new Error('not supported');
      },
      getMediaAccessStatus: () => 'granted',
    };
    expect(missingPermissions(true, throwing)).toEqual(['accessibility']);
  });
});

describe('PermissionGatedKeystrokeSource', () => {
  it('does not start the hook without Accessibility, says so, and starts once it is granted', async () => {
    let granted = false;
    const inner = new FakeKeyboard();
    const gated = new PermissionGatedKeystrokeSource(inner, () => !granted);
    const events: InputEvent[] = [];
    expect(await gated.start((e) => events.push(e))).toEqual({
      state: 'unavailable',
      detail: 'Accessibility permission not granted',
    });
    expect(inner.starts).toBe(0);
    expect(await gated.recheck()).toEqual({
      state: 'unavailable',
      detail: 'Accessibility permission not granted',
    });

    granted = true;
    expect(await gated.recheck()).toEqual({ state: 'ok' });
    await gated.recheck();
    expect(inner.starts).toBe(1);
    inner.listener?.({ kind: 'pointer' });
    expect(events).toEqual([{ kind: 'pointer' }]);
    await gated.stop();
    expect(inner.stops).toBe(1);
  });

  it('starts at once when nothing is missing, and never restarts after stop', async () => {
    const inner = new FakeKeyboard();
    const gated = new PermissionGatedKeystrokeSource(inner, () => false);
    await gated.start(() => {});
    await gated.stop();
    await gated.recheck();
    expect([inner.starts, inner.stops]).toEqual([1, 1]);
  });
});

describe('PermissionGatedScreenshotter', () => {
  it('refuses to capture without Screen Recording and reports the source unavailable', async () => {
    let granted = false;
    const inner = fakeScreenshotter();
    const gated = new PermissionGatedScreenshotter(inner, () => !granted);
    await expect(gated.capture()).rejects.toThrow('Screen Recording permission not granted');
    expect(gated.health()).toEqual({
      state: 'unavailable',
      detail: 'Screen Recording permission not granted',
    });
    expect(inner.calls).toBe(0);
    granted = true;
    expect(await gated.capture()).toBe(picture);
    expect(gated.health()).toEqual({ state: 'ok' });
    expect(gated.name).toBe('screenshot-desktop');
  });
});
