import type { CommandRunner } from './command-runner.js';
import { isMissingFile, type FileReader } from './file-reader.js';
import {
  mergeMachinePolicies,
  parseMachinePolicy,
  type ParsedMachinePolicy,
} from './parse-machine-policy.js';
import { isBinaryPlist, parseXmlPlist, type PlistValue } from './xml-plist.js';

export const MACOS_PREFERENCE_DOMAIN = 'uk.org.kestrel.agent';
const MANAGED_PREFERENCES = '/Library/Managed Preferences';

export interface MacosPolicyReaderDeps {
  readFile: FileReader;
  run: CommandRunner;
  /** The logged-in user, for the per-user managed preferences an MDM may push. */
  username: string;
}

export function macosPolicyPaths(username: string): { device: string; user: string } {
  return {
    device: `${MANAGED_PREFERENCES}/${MACOS_PREFERENCE_DOMAIN}.plist`,
    user: `${MANAGED_PREFERENCES}/${username}/${MACOS_PREFERENCE_DOMAIN}.plist`,
  };
}

/**
 * Reads the managed preferences an MDM profile installs for our domain. Device-wide settings win
 * over per-user ones: the technician configures the machine, and a pupil's profile must not
 * redirect its captures.
 */
export async function readMacosMachinePolicy(deps: MacosPolicyReaderDeps): Promise<ParsedMachinePolicy> {
  const paths = macosPolicyPaths(deps.username);
  const device = await readManagedPlist(paths.device, deps);
  // A user name with a path separator cannot be a real account; skip rather than read elsewhere.
  const user = /[/\\]|^\.\.?$/.test(deps.username)
    ? { policy: {}, problems: [] }
    : await readManagedPlist(paths.user, deps);
  return mergeMachinePolicies(device, user);
}

async function readManagedPlist(path: string, deps: MacosPolicyReaderDeps): Promise<ParsedMachinePolicy> {
  let bytes: Uint8Array;
  try {
    bytes = await deps.readFile(path);
  } catch (error) {
    if (isMissingFile(error)) return { policy: {}, problems: [] };
    return unreadable(path, `could not read: ${(error as Error).message}`);
  }
  let xml: string;
  if (isBinaryPlist(bytes)) {
    // macOS writes managed preferences in the binary format; plutil (always present) converts.
    const converted = await deps
      .run('/usr/bin/plutil', ['-convert', 'xml1', '-o', '-', path])
      .catch((error: Error) => ({
        exitCode: -1,
        stdout: '',
        stderr: error.message,
      }));
    if (converted.exitCode !== 0) {
      return unreadable(
        path,
        `binary plist not supported here and plutil could not convert it: ${converted.stderr.trim() || `exit code ${converted.exitCode}`}`,
      );
    }
    xml = converted.stdout;
  } else {
    xml = Buffer.from(bytes).toString('utf8');
  }
  let root: PlistValue;
  try {
    root = parseXmlPlist(xml);
  } catch (error) {
    return unreadable(path, `not a valid property list: ${(error as Error).message}`);
  }
  if (!isDictionary(root)) return unreadable(path, 'the property list is not a dictionary');
  // MDM tools add their own bookkeeping keys to every managed domain.
  const settings = Object.fromEntries(Object.entries(root).filter(([key]) => !MDM_BOOKKEEPING_KEYS.has(key)));
  return parseMachinePolicy(settings, path);
}

const MDM_BOOKKEEPING_KEYS = new Set([
  'PayloadUUID',
  'PayloadIdentifier',
  'PayloadType',
  'PayloadVersion',
  'PayloadDisplayName',
  'PayloadEnabled',
  'PayloadScope',
]);

function isDictionary(value: PlistValue): value is Record<string, PlistValue> {
  return typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function unreadable(source: string, message: string): ParsedMachinePolicy {
  return { policy: {}, problems: [{ key: '*', source, message }] };
}
