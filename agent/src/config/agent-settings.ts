import type { KeyboardLayout } from '@kestrel/shared/protocol';
import { isMissingFile, type FileReader } from './file-reader.js';
import type { MachinePolicy } from './machine-policy-schema.js';
import type { ParsedMachinePolicy } from './parse-machine-policy.js';
import type { PolicyProblem } from './policy-problem.js';

/** What the agent runs with, after layering. */
export interface AgentSettings {
  serverUrl: string | undefined;
  enrolmentToken: string | undefined;
  /** PEM text of extra trusted CA certificates for the collector's TLS. */
  caCertificatePem: string | undefined;
  /** Unset: the collector's policy decides (UK by default). */
  keyboardLayout: KeyboardLayout | undefined;
  excludedUsers: string[];
  paused: boolean;
}

export type SettingOrigin = 'default' | 'policy' | 'local';

export interface ResolvedSettings {
  settings: AgentSettings;
  /** Where each setting came from; a `policy` setting is locked (shown so in About). */
  origins: Record<keyof AgentSettings, SettingOrigin>;
  problems: PolicyProblem[];
}

export const DEFAULT_SETTINGS: Readonly<AgentSettings> = Object.freeze({
  serverUrl: undefined,
  enrolmentToken: undefined,
  caCertificatePem: undefined,
  keyboardLayout: undefined,
  excludedUsers: [],
  paused: false,
});

export interface ResolveSettingsInput {
  machinePolicy: ParsedMachinePolicy;
  /** Settings kept in local state (first-run flags on an unmanaged machine), already validated. */
  local: Partial<AgentSettings>;
  /** Reads a `CaCertificate` given as a path. */
  readFile: FileReader;
}

/**
 * Built-in defaults, then machine policy, then local state — where local state only fills what
 * the policy leaves open: a policy value is a lock the pupil's own state cannot undo.
 */
export async function resolveSettings({
  machinePolicy,
  local,
  readFile,
}: ResolveSettingsInput): Promise<ResolvedSettings> {
  const settings: AgentSettings = { ...DEFAULT_SETTINGS, excludedUsers: [...DEFAULT_SETTINGS.excludedUsers] };
  const origins = Object.fromEntries(
    Object.keys(settings).map((name) => [name, 'default']),
  ) as ResolvedSettings['origins'];
  const problems = [...machinePolicy.problems];

  const policyValues: Partial<AgentSettings> = {};
  const policy = machinePolicy.policy;
  if (policy.ServerUrl !== undefined) policyValues.serverUrl = policy.ServerUrl;
  if (policy.EnrolmentToken !== undefined) policyValues.enrolmentToken = policy.EnrolmentToken;
  if (policy.KeyboardLayout !== undefined) policyValues.keyboardLayout = policy.KeyboardLayout;
  if (policy.ExcludedUsers !== undefined) policyValues.excludedUsers = policy.ExcludedUsers;
  if (policy.Paused !== undefined) policyValues.paused = policy.Paused;
  if (policy.CaCertificate !== undefined) {
    const pem = await loadCaCertificate(policy.CaCertificate, readFile, problems);
    if (pem !== undefined) policyValues.caCertificatePem = pem;
  }

  for (const [name, value] of Object.entries(local) as [keyof AgentSettings, never][]) {
    if (value === undefined || name in policyValues) continue;
    settings[name] = value;
    origins[name] = 'local';
  }
  for (const [name, value] of Object.entries(policyValues) as [keyof AgentSettings, never][]) {
    settings[name] = value;
    origins[name] = 'policy';
  }
  return { settings, origins, problems };
}

const PEM_BLOCKS = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

async function loadCaCertificate(
  setting: NonNullable<MachinePolicy['CaCertificate']>,
  readFile: FileReader,
  problems: PolicyProblem[],
): Promise<string | undefined> {
  if (setting.kind === 'pem') return (setting.pem.match(PEM_BLOCKS) ?? []).join('\n');
  try {
    const text = Buffer.from(await readFile(setting.path)).toString('utf8');
    const blocks = text.match(PEM_BLOCKS);
    if (blocks) return blocks.join('\n');
    problems.push({
      key: 'CaCertificate',
      source: setting.path,
      message: 'CaCertificate: the file holds no PEM certificate (ignored)',
    });
  } catch (error) {
    const reason = isMissingFile(error)
      ? 'the file does not exist'
      : `the file cannot be read (${(error as Error).message})`;
    problems.push({
      key: 'CaCertificate',
      source: setting.path,
      message: `CaCertificate: ${reason} (ignored)`,
    });
  }
  return undefined;
}
