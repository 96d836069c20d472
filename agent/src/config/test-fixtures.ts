import { readFileSync } from 'node:fs';
import type { CommandResult, CommandRunner } from './command-runner.js';
import type { FileReader } from './file-reader.js';

/** Test helpers: recorded outputs from `fixtures/`, and fakes of the injected runner and reader. */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export function fixtureBytes(name: string): Uint8Array {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

export interface RecordedCall {
  file: string;
  args: readonly string[];
}

export function fakeRunner(result: CommandResult | Error): CommandRunner & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const run = async (file: string, args: readonly string[]) => {
    calls.push({ file, args });
    if (result instanceof Error) throw result;
    return result;
  };
  return Object.assign(run, { calls });
}

export function fakeFiles(files: Record<string, Uint8Array | string | Error>): FileReader {
  return async (path) => {
    const content = files[path];
    if (content === undefined)
      throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
    if (content instanceof Error) throw content;
    return typeof content === 'string' ? new TextEncoder().encode(content) : content;
  };
}
