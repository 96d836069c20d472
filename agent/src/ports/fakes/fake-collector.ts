import {
  captureMetadataSchema,
  type CaptureMetadata,
  type EnrolRequest,
  type HeartbeatRequest,
  type PolicyResponse,
} from '@kestrel/shared/protocol';
import type {
  CollectorClient,
  CollectorFailure,
  CollectorResult,
  PolicyFetch,
  UploadAccepted,
} from '../collector-client.js';
import type { Screenshot } from '../screenshotter.js';

const OFFLINE: CollectorFailure = { kind: 'offline', message: 'connect ECONNREFUSED' };

/** A collector with the real one's idempotency and auth rules, in memory. */
export class FakeCollector implements CollectorClient {
  online = true;
  readonly received = new Map<string, { metadata: CaptureMetadata; screenshot: Screenshot | undefined }>();
  uploadAttempts = 0;
  enrolments = 0;
  readonly heartbeats: HeartbeatRequest[] = [];
  readonly tokens = new Set<string>();
  revoked = false;
  policy: { etag: string; response: PolicyResponse } | undefined;
  policyFetches = 0;
  /** Answer the next uploads with this failure instead. */
  failNextUploads: CollectorFailure[] = [];

  async enrol(request: EnrolRequest): Promise<CollectorResult<{ deviceId: string; deviceToken: string }>> {
    if (!this.online) return { ok: false, failure: OFFLINE };
    if (request.enrolmentToken !== 'enrol-me') {
      return {
        ok: false,
        failure: { kind: 'unauthorized', status: 401, code: 'ENROLMENT_TOKEN_INVALID', message: 'no' },
      };
    }
    this.enrolments++;
    const deviceToken = `device-token-${this.enrolments}`;
    this.tokens.add(deviceToken);
    return { ok: true, value: { deviceId: `device-${this.enrolments}`, deviceToken } };
  }

  async uploadCapture(
    token: string,
    metadata: CaptureMetadata,
    screenshot: Screenshot | undefined,
  ): Promise<CollectorResult<UploadAccepted>> {
    this.uploadAttempts++;
    const denied = this.auth(token);
    if (denied) return denied;
    const failure = this.failNextUploads.shift();
    if (failure) return { ok: false, failure };
    // The real collector refuses what does not validate; a torn entry must never get this far.
    captureMetadataSchema.parse(metadata);
    const duplicate = this.received.has(metadata.captureId);
    if (!duplicate) this.received.set(metadata.captureId, { metadata, screenshot });
    return { ok: true, value: { id: `c-${metadata.captureId}`, duplicate } };
  }

  async heartbeat(token: string, body: HeartbeatRequest): Promise<CollectorResult<void>> {
    const denied = this.auth(token);
    if (denied) return denied;
    this.heartbeats.push(body);
    return { ok: true, value: undefined };
  }

  async fetchPolicy(token: string, etag: string | undefined): Promise<CollectorResult<PolicyFetch>> {
    const denied = this.auth(token);
    if (denied) return denied;
    this.policyFetches++;
    if (!this.policy || this.policy.etag === etag) return { ok: true, value: { changed: false } };
    return { ok: true, value: { changed: true, etag: this.policy.etag, policy: this.policy.response } };
  }

  captures(): CaptureMetadata[] {
    return [...this.received.values()].map((r) => r.metadata);
  }

  private auth(token: string): { ok: false; failure: CollectorFailure } | undefined {
    if (!this.online) return { ok: false, failure: OFFLINE };
    if (this.revoked)
      return {
        ok: false,
        failure: { kind: 'unauthorized', status: 403, code: 'DEVICE_REVOKED', message: 'revoked' },
      };
    if (!this.tokens.has(token)) {
      return {
        ok: false,
        failure: {
          kind: 'unauthorized',
          status: 401,
          code: 'DEVICE_TOKEN_INVALID',
          message: 'unknown token',
        },
      };
    }
    return undefined;
  }
}
