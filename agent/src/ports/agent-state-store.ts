import type { PolicyResponse } from '@kestrel/shared/protocol';

export interface DeviceCredentials {
  deviceId: string;
  deviceToken: string;
  /** The collector these credentials belong to; others must not receive them. */
  server: string;
}

export interface CachedPolicy {
  etag: string | undefined;
  policy: PolicyResponse;
}

/**
 * Small agent state beside the queue: the device token (owner-only) and the last policy and
 * lexicon, so a restart while offline matches with what the collector last said.
 */
export interface AgentStateStore {
  loadCredentials(): Promise<DeviceCredentials | undefined>;
  saveCredentials(credentials: DeviceCredentials): Promise<void>;
  clearCredentials(): Promise<void>;
  loadPolicy(): Promise<CachedPolicy | undefined>;
  savePolicy(policy: CachedPolicy): Promise<void>;
}
