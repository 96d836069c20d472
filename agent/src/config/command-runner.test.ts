import { describe, expect, it } from 'vitest';
import { execFileRunner } from './command-runner.js';

describe('execFileRunner', () => {
  it('returns output and exit code, and never rejects for a failing program', async () => {
    const ok = await execFileRunner(process.execPath, [
      '-e',
      'process.stdout.write("out"); process.stderr.write("err")',
    ]);
    expect(ok).toEqual({ exitCode: 0, stdout: 'out', stderr: 'err' });
    const failed = await execFileRunner(process.execPath, [
      '-e',
      'process.stderr.write("ERROR: Access is denied."); process.exit(1)',
    ]);
    expect(failed).toEqual({ exitCode: 1, stdout: '', stderr: 'ERROR: Access is denied.' });
    const missing = await execFileRunner('/nonexistent/reg.exe', ['query']);
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toMatch(/ENOENT/);
  });
});
