import type { AgentStateStore, CachedPolicy, DeviceCredentials } from '../agent-state-store.js';

export class MemoryStateStore implements AgentStateStore {
  credentials: DeviceCredentials | undefined;
  policy: CachedPolicy | undefined;

  async loadCredentials() {
    return this.credentials;
  }
  async saveCredentials(credentials: DeviceCredentials) {
    this.credentials = credentials;
  }
  async clearCredentials() {
    this.credentials = undefined;
  }
  async loadPolicy() {
    return this.policy;
  }
  async savePolicy(policy: CachedPolicy) {
    this.policy = policy;
  }
}
