import type {
  CaptureMetadata,
  EnrolRequest,
  EnrolResponse,
  HeartbeatRequest,
  PolicyResponse,
} from '@kestrel/shared/protocol';
import type { Screenshot } from './screenshotter.js';

/**
 * Why a call failed, in the terms the agent acts on:
 * - `offline`: no answer (network, DNS, TLS, timeout) — retry with backoff;
 * - `server`: 5xx or 429 — retry with backoff (honouring `retryAfterMs`);
 * - `unauthorized`: 401/403 — the credentials are wrong (`code` says which);
 * - `rejected`: another 4xx — this request will never succeed as it is.
 */
export interface CollectorFailure {
  kind: 'offline' | 'server' | 'unauthorized' | 'rejected';
  status?: number;
  code?: string;
  message: string;
  retryAfterMs?: number;
}

export type CollectorResult<T> = { ok: true; value: T } | { ok: false; failure: CollectorFailure };

export interface UploadAccepted {
  id: string;
  /** The collector already had this captureId (200): delivered earlier, no second copy. */
  duplicate: boolean;
}

export type PolicyFetch =
  { changed: false } | { changed: true; etag: string | undefined; policy: PolicyResponse };

/** The collector's agent API (CONTRACTS.md), already validated against the shared schemas. */
export interface CollectorClient {
  enrol(request: EnrolRequest): Promise<CollectorResult<EnrolResponse>>;
  uploadCapture(
    deviceToken: string,
    metadata: CaptureMetadata,
    screenshot: Screenshot | undefined,
  ): Promise<CollectorResult<UploadAccepted>>;
  heartbeat(deviceToken: string, body: HeartbeatRequest): Promise<CollectorResult<void>>;
  fetchPolicy(deviceToken: string, etag: string | undefined): Promise<CollectorResult<PolicyFetch>>;
}
