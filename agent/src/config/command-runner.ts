import { execFile } from 'node:child_process';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without a shell; injected so readers are tested on recorded outputs. */
export type CommandRunner = (file: string, args: readonly string[]) => Promise<CommandResult>;

/** The real runner: never rejects for a non-zero exit, only reports it. */
export const execFileRunner: CommandRunner = (file, args) =>
  new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { timeout: 15_000, windowsHide: true, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? -1 : 0;
        resolve({
          exitCode: code,
          stdout: String(stdout),
          stderr: error && !stderr ? error.message : String(stderr),
        });
      },
    );
  });
