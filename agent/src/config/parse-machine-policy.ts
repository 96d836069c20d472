import {
  MACHINE_POLICY_KEYS,
  machinePolicyFieldSchemas,
  type MachinePolicy,
  type MachinePolicyKey,
} from './machine-policy-schema.js';
import type { PolicyProblem } from './policy-problem.js';

export interface ParsedMachinePolicy {
  policy: MachinePolicy;
  problems: PolicyProblem[];
}

const KEY_BY_LOWER_NAME = new Map(MACHINE_POLICY_KEYS.map((key) => [key.toLowerCase(), key]));

/**
 * Validates each key on its own, so one bad value drops only itself: the rest of the policy still
 * applies. Names match case-insensitively, as registry value names do.
 */
export function parseMachinePolicy(
  raw: Readonly<Record<string, unknown>>,
  source: string,
): ParsedMachinePolicy {
  const policy: Record<string, unknown> = {};
  const problems: PolicyProblem[] = [];
  for (const [name, value] of Object.entries(raw)) {
    // An empty value is how editors and `reg add` leave a setting blank: treated as not set.
    if (isBlank(value)) continue;
    const key: MachinePolicyKey | undefined = KEY_BY_LOWER_NAME.get(name.toLowerCase());
    if (key === undefined) {
      problems.push({ key: name, source, message: `${name}: not a Kestrel policy setting (ignored)` });
      continue;
    }
    const result = machinePolicyFieldSchemas[key].safeParse(value);
    if (result.success) {
      policy[key] = result.data;
    } else {
      const reason = result.error.issues[0]?.message ?? 'not valid';
      problems.push({ key, source, message: `${key}: ${reason} (ignored)` });
    }
  }
  return { policy: policy as MachinePolicy, problems };
}

/** Keys set by `preferred` win; `fallback` fills the rest. Problems of both are kept. */
export function mergeMachinePolicies(
  preferred: ParsedMachinePolicy,
  fallback: ParsedMachinePolicy,
): ParsedMachinePolicy {
  return {
    policy: { ...fallback.policy, ...preferred.policy },
    problems: [...preferred.problems, ...fallback.problems],
  };
}

function isBlank(value: unknown): boolean {
  return (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}
