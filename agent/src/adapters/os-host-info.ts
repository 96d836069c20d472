import os from 'node:os';
import type { HostInfo } from '../ports/host-info.js';

export class OsHostInfo implements HostInfo {
  hostname(): string {
    return os.hostname();
  }

  username(): string {
    try {
      return os.userInfo().username;
    } catch {
      // No passwd entry (some containers): the environment is the next best witness.
      return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
    }
  }

  os(): string {
    return `${os.platform()} ${os.release()}`.slice(0, 64);
  }
}
