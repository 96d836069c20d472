import { isMissingFile, type FileReader } from './file-reader.js';
import { parseMachinePolicy, type ParsedMachinePolicy } from './parse-machine-policy.js';

export const LINUX_POLICY_PATH = '/etc/kestrel/agent.json';

/** `/etc/kestrel/agent.json`: a JSON object with the same keys as the registry policy. */
export async function readLinuxMachinePolicy(
  readFile: FileReader,
  path = LINUX_POLICY_PATH,
): Promise<ParsedMachinePolicy> {
  let text: string;
  try {
    text = Buffer.from(await readFile(path)).toString('utf8');
  } catch (error) {
    if (isMissingFile(error)) return { policy: {}, problems: [] };
    return {
      policy: {},
      problems: [{ key: '*', source: path, message: `could not read: ${(error as Error).message}` }],
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      policy: {},
      problems: [{ key: '*', source: path, message: `not valid JSON: ${(error as Error).message}` }],
    };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { policy: {}, problems: [{ key: '*', source: path, message: 'must hold a JSON object' }] };
  }
  return parseMachinePolicy(raw as Record<string, unknown>, path);
}
