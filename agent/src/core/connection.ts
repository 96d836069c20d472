import type { AgentStateStore, DeviceCredentials } from '../ports/agent-state-store.js';
import type { CollectorClient, CollectorFailure, CollectorResult } from '../ports/collector-client.js';
import type { HostInfo } from '../ports/host-info.js';
import type { Logger } from '../ports/logger.js';
import { cleanText } from './capture-record.js';
import { LIMITS } from '@kestrel/shared/protocol';

/**
 * - `unenrolled`: no device token yet (or it was refused and no enrolment token is configured);
 * - `online`: the collector answered the last call;
 * - `offline`: it did not (network down, collector down or failing);
 * - `revoked`: the collector revoked this device; it is not re-enrolled behind the school's back.
 */
export type ConnectionState = 'unenrolled' | 'online' | 'offline' | 'revoked';

export interface ConnectionOptions {
  server: string;
  enrolmentToken: string | undefined;
  agentVersion: string;
}

/**
 * The device's standing with the collector: enrols on first use, keeps the device token in the
 * state store, and turns every call's outcome into the state the tray shows.
 *
 * On 401 (`DEVICE_TOKEN_INVALID`, `DEVICE_TOKEN_MISSING`: the collector does not know the token,
 * e.g. its database was restored) the token is dropped and the device enrols again with the
 * configured enrolment token. On 403 (`DEVICE_REVOKED`) it stays revoked: only a technician
 * re-enrols it, by clearing the data directory or deploying a new enrolment token.
 */
export class Connection {
  state: ConnectionState = 'unenrolled';
  lastError: string | undefined;
  private credentials: DeviceCredentials | undefined;
  private loaded = false;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly client: CollectorClient,
    private readonly store: AgentStateStore,
    private readonly host: HostInfo,
    private readonly logger: Logger,
  ) {}

  get deviceId(): string | undefined {
    return this.credentials?.deviceId;
  }

  /** The device token, enrolling first when there is none. */
  async token(): Promise<CollectorResult<string>> {
    if (this.state === 'revoked')
      return {
        ok: false,
        failure: { kind: 'unauthorized', code: 'DEVICE_REVOKED', message: 'device revoked' },
      };
    if (!this.loaded) {
      const stored = await this.store.loadCredentials();
      this.loaded = true;
      // Credentials are for one collector: a new server address means a new enrolment.
      if (stored && stored.server === this.options.server) this.credentials = stored;
    }
    if (this.credentials) return { ok: true, value: this.credentials.deviceToken };
    if (!this.options.enrolmentToken) {
      this.state = 'unenrolled';
      return {
        ok: false,
        failure: { kind: 'unauthorized', code: 'NOT_ENROLLED', message: 'no enrolment token configured' },
      };
    }
    const answer = await this.client.enrol({
      enrolmentToken: this.options.enrolmentToken,
      hostname: cleanText(this.host.hostname(), LIMITS.hostname) || 'unknown',
      os: cleanText(this.host.os(), LIMITS.os) || 'unknown',
      agentVersion: this.options.agentVersion,
    });
    if (!answer.ok) {
      this.record(answer.failure);
      if (answer.failure.kind === 'unauthorized') this.state = 'unenrolled';
      return answer;
    }
    this.credentials = { ...answer.value, server: this.options.server };
    await this.store.saveCredentials(this.credentials);
    this.state = 'online';
    this.logger.info('enrolled', { deviceId: answer.value.deviceId });
    return { ok: true, value: answer.value.deviceToken };
  }

  /** Records a call's outcome; on a refused token, forgets it so the next call enrols again. */
  async observe(result: CollectorResult<unknown>): Promise<void> {
    if (result.ok) {
      this.state = 'online';
      this.lastError = undefined;
      return;
    }
    this.record(result.failure);
    if (result.failure.kind !== 'unauthorized') return;
    if (result.failure.code === 'DEVICE_REVOKED' || result.failure.status === 403) {
      this.state = 'revoked';
      this.logger.error('device revoked by the collector; not re-enrolling', { code: result.failure.code });
      return;
    }
    this.logger.warn('device token refused; enrolling again', { code: result.failure.code });
    this.credentials = undefined;
    this.state = 'unenrolled';
    await this.store.clearCredentials();
  }

  private record(failure: CollectorFailure): void {
    this.lastError = failure.code ?? failure.message;
    if (failure.kind === 'offline' || failure.kind === 'server') this.state = 'offline';
  }
}
