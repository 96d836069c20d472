import { policyResponseSchema } from '@kestrel/shared/protocol';
import { z } from 'zod';
import type { AgentStateStore, CachedPolicy, DeviceCredentials } from '../ports/agent-state-store.js';
import { machinePolicyFieldSchemas } from './machine-policy-schema.js';
import type { AgentSettings } from './agent-settings.js';
import type { PolicyProblem } from './policy-problem.js';

/** The few calls the agent needs from a persistent key-value store (`electron-store` in the shell). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

const credentialsSchema = z.strictObject({
  deviceId: z.string().min(1),
  deviceToken: z.string().min(1),
  server: z.string().min(1),
});

const cachedPolicySchema = z.strictObject({
  etag: z.string().optional(),
  policy: policyResponseSchema,
});

const localSettingsSchema = z
  .object({
    serverUrl: machinePolicyFieldSchemas.ServerUrl,
    enrolmentToken: machinePolicyFieldSchemas.EnrolmentToken,
    keyboardLayout: machinePolicyFieldSchemas.KeyboardLayout,
  })
  .partial();
export type LocalSettings = z.output<typeof localSettingsSchema>;

const KEYS = { credentials: 'credentials', policy: 'policy', settings: 'settings' } as const;

/**
 * The agent's local state on top of a key-value store. Everything read back is validated: the
 * file is in the user's profile and may be damaged or edited, and a bad entry is dropped (the
 * agent re-enrols or re-fetches) rather than trusted.
 */
export class KeyValueStateStore implements AgentStateStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly onProblem: (problem: PolicyProblem) => void = () => {},
  ) {}

  async loadCredentials(): Promise<DeviceCredentials | undefined> {
    return this.read(KEYS.credentials, credentialsSchema);
  }

  async saveCredentials(credentials: DeviceCredentials): Promise<void> {
    this.store.set(KEYS.credentials, { ...credentials });
  }

  async clearCredentials(): Promise<void> {
    this.store.delete(KEYS.credentials);
  }

  async loadPolicy(): Promise<CachedPolicy | undefined> {
    const cached = this.read(KEYS.policy, cachedPolicySchema);
    return cached && { etag: cached.etag, policy: cached.policy };
  }

  async savePolicy(policy: CachedPolicy): Promise<void> {
    this.store.set(KEYS.policy, policy.etag === undefined ? { policy: policy.policy } : policy);
  }

  /** Settings given on an unmanaged machine's first run (`--server`, `--enrolment-token`). */
  loadSettings(): Partial<AgentSettings> {
    return this.read(KEYS.settings, localSettingsSchema) ?? {};
  }

  saveSettings(settings: LocalSettings): void {
    this.store.set(KEYS.settings, localSettingsSchema.parse({ ...this.loadSettings(), ...settings }));
  }

  private read<T>(key: string, schema: z.ZodType<T>): T | undefined {
    const raw = this.store.get(key);
    if (raw === undefined) return undefined;
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    this.store.delete(key);
    this.onProblem({
      key,
      source: 'local state',
      message: `${key}: stored value was not valid and was discarded`,
    });
    return undefined;
  }
}
