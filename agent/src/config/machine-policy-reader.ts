import type { CommandRunner } from './command-runner.js';
import type { FileReader } from './file-reader.js';
import { readLinuxMachinePolicy } from './linux-policy-reader.js';
import { readMacosMachinePolicy } from './macos-policy-reader.js';
import type { ParsedMachinePolicy } from './parse-machine-policy.js';
import { readWindowsMachinePolicy } from './windows-policy-reader.js';

export interface MachinePolicyReaderDeps {
  /** `process.platform`, read once by the composition root, never by consumers. */
  platform: NodeJS.Platform;
  run: CommandRunner;
  readFile: FileReader;
  env: Readonly<Record<string, string | undefined>>;
  username: string;
}

export type MachinePolicyReader = () => Promise<ParsedMachinePolicy>;

/** The one place that picks the policy store of the operating system. */
export function createMachinePolicyReader(deps: MachinePolicyReaderDeps): MachinePolicyReader {
  switch (deps.platform) {
    case 'win32':
      return () => readWindowsMachinePolicy({ run: deps.run, env: deps.env });
    case 'darwin':
      return () =>
        readMacosMachinePolicy({ readFile: deps.readFile, run: deps.run, username: deps.username });
    default:
      return () => readLinuxMachinePolicy(deps.readFile);
  }
}
