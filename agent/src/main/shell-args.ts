import { parseArgs } from 'node:util';
import type { LocalSettings } from '../config/key-value-state-store.js';

/**
 * `--server URL --enrolment-token TOKEN [--keyboard-layout en-GB|en-US]` on an unmanaged machine
 * (development, a pilot without Group Policy): kept in local state, below any machine policy.
 * Chromium's own switches are ignored.
 */
export function parseShellArgs(argv: readonly string[]): LocalSettings {
  const { values } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      'enrolment-token': { type: 'string' },
      'keyboard-layout': { type: 'string' },
    },
  });
  const settings: Record<string, unknown> = {};
  if (typeof values.server === 'string') settings.serverUrl = values.server;
  if (typeof values['enrolment-token'] === 'string') settings.enrolmentToken = values['enrolment-token'];
  if (typeof values['keyboard-layout'] === 'string') settings.keyboardLayout = values['keyboard-layout'];
  return settings as LocalSettings;
}
