import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Appends log lines to a file, keeping it and one previous file under `maxBytes` each: a tray app
 * has no console, and a technician reading the logs needs the recent ones, not all of them.
 */
export function createLogFileWriter(path: string, maxBytes = 5 * 1024 * 1024): (line: string) => void {
  let size: number | undefined;
  return (line) => {
    try {
      if (size === undefined) {
        mkdirSync(dirname(path), { recursive: true });
        size = statSize(path);
      }
      if (size + Buffer.byteLength(line) > maxBytes && size > 0) {
        renameSync(path, path.replace(/(\.log)?$/, '.1.log'));
        size = 0;
      }
      appendFileSync(path, line, { mode: 0o600 });
      size += Buffer.byteLength(line);
    } catch {
      // Logging must never take the agent down.
    }
  };
}

function statSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
