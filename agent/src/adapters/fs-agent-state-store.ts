import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { policyResponseSchema } from '@kestrel/shared/protocol';
import type { AgentStateStore, CachedPolicy, DeviceCredentials } from '../ports/agent-state-store.js';

const credentialsSchema = z.strictObject({
  deviceId: z.string().min(1),
  deviceToken: z.string().min(1),
  server: z.string().min(1),
});
const cachedPolicySchema = z.strictObject({ etag: z.string().optional(), policy: policyResponseSchema });

/**
 * Agent state as files in the data directory: `device.json` (the device token; mode 0600, the
 * directory 0700) and `policy.json` (the last policy and lexicon). Written atomically; a file
 * that does not validate is treated as absent (enrol again, or match with the default lexicon).
 */
export class FsAgentStateStore implements AgentStateStore {
  constructor(private readonly dir: string) {}

  async loadCredentials(): Promise<DeviceCredentials | undefined> {
    return this.load('device.json', credentialsSchema);
  }

  async saveCredentials(credentials: DeviceCredentials): Promise<void> {
    await this.save('device.json', credentials);
  }

  async clearCredentials(): Promise<void> {
    await fs.rm(join(this.dir, 'device.json'), { force: true });
  }

  async loadPolicy(): Promise<CachedPolicy | undefined> {
    const cached = await this.load('policy.json', cachedPolicySchema);
    return cached && { etag: cached.etag, policy: cached.policy };
  }

  async savePolicy(policy: CachedPolicy): Promise<void> {
    await this.save('policy.json', policy);
  }

  private async load<T>(name: string, schema: z.ZodType<T>): Promise<T | undefined> {
    let text: string;
    try {
      text = await fs.readFile(join(this.dir, name), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  private async save(name: string, value: unknown): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const path = join(this.dir, name);
    const tmp = `${path}.tmp`;
    await fs.rm(tmp, { force: true });
    const handle = await fs.open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(value));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, path);
    const dir = await fs.open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
