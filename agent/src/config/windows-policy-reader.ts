import type { CommandRunner } from './command-runner.js';
import { parseMachinePolicy, type ParsedMachinePolicy } from './parse-machine-policy.js';
import { parseRegQueryOutput } from './reg-query-output.js';

export const WINDOWS_POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\Kestrel\\Agent';

export interface WindowsPolicyReaderDeps {
  run: CommandRunner;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads the Group Policy key with `reg query` (present on every Windows since XP, no native
 * module). `/reg:64` reads the 64-bit view that Group Policy and the MSI write, whatever the
 * agent's own bitness. reg.exe writes to a pipe in the OEM code page, so non-ASCII characters in
 * values may not survive: policy values are URLs, tokens and logon names, which are ASCII.
 */
export async function readWindowsMachinePolicy({
  run,
  env,
}: WindowsPolicyReaderDeps): Promise<ParsedMachinePolicy> {
  const source = WINDOWS_POLICY_KEY;
  let result;
  try {
    result = await run('reg.exe', ['query', WINDOWS_POLICY_KEY, '/reg:64']);
  } catch (error) {
    return unreadable(source, `could not run reg.exe: ${(error as Error).message}`);
  }
  if (result.exitCode !== 0) {
    // The key is absent on a machine with no policy: that is the normal, unconfigured case.
    if (/unable to find the specified registry key/i.test(result.stderr + result.stdout)) {
      return { policy: {}, problems: [] };
    }
    const message =
      (result.stderr || result.stdout).trim().replace(/^ERROR:\s*/i, '') || `exit code ${result.exitCode}`;
    return unreadable(source, `could not read the policy key: ${message}`);
  }
  const { values, unsupported } = parseRegQueryOutput(result.stdout, env);
  const parsed = parseMachinePolicy(values, source);
  for (const [name, type] of Object.entries(unsupported)) {
    parsed.problems.push({ key: name, source, message: `${name}: a ${type} value cannot be read (ignored)` });
  }
  return parsed;
}

function unreadable(source: string, message: string): ParsedMachinePolicy {
  return { policy: {}, problems: [{ key: '*', source, message }] };
}
