import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { rootCertificates } from 'node:tls';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import {
  captureAcceptedSchema,
  enrolResponseSchema,
  policyResponseSchema,
  type CaptureMetadata,
  type EnrolRequest,
  type HeartbeatRequest,
} from '@kestrel/shared/protocol';
import type {
  CollectorClient,
  CollectorFailure,
  CollectorResult,
  PolicyFetch,
  UploadAccepted,
} from '../ports/collector-client.js';
import type { Screenshot } from '../ports/screenshotter.js';

export interface AxiosCollectorClientOptions {
  /** Collector base URL, e.g. `https://kestrel.school.example`. */
  server: string;
  /** PEM file of a CA to trust in addition to the system's (a school's own CA). */
  caFile?: string;
  timeoutMs?: number;
}

// The API requires a screenshot part; when none could be taken, a 1×1 grey PNG stands in, and
// the heartbeat reports the screenshot source as degraded.
const PLACEHOLDER_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAADElEQVQImWNoaGgAAAMEAYEezv+mAAAAAElFTkSuQmCC',
  'base64',
);

/** The agent API (CONTRACTS.md) over HTTP(S); every answer is validated before use. */
export class AxiosCollectorClient implements CollectorClient {
  private readonly http: AxiosInstance;

  constructor(options: AxiosCollectorClientOptions) {
    const ca = options.caFile ? [...rootCertificates, readFileSync(options.caFile, 'utf8')] : undefined;
    this.http = axios.create({
      baseURL: options.server.replace(/\/+$/, ''),
      timeout: options.timeoutMs ?? 30_000,
      // A redirect must not carry the device token elsewhere.
      maxRedirects: 0,
      validateStatus: () => true,
      ...(ca ? { httpsAgent: new HttpsAgent({ ca, keepAlive: true }) } : {}),
    });
  }

  async enrol(request: EnrolRequest) {
    return this.call(
      () => this.http.post('/api/v1/enrol', request),
      (r) => {
        if (r.status !== 201 && r.status !== 200) return undefined;
        return enrolResponseSchema.safeParse(r.data).data;
      },
    );
  }

  async uploadCapture(
    deviceToken: string,
    metadata: CaptureMetadata,
    screenshot: Screenshot | undefined,
  ): Promise<CollectorResult<UploadAccepted>> {
    const form = new FormData();
    form.append('metadata', JSON.stringify(metadata));
    const image = screenshot
      ? new Blob([Buffer.from(screenshot.bytes)], { type: screenshot.mediaType })
      : new Blob([PLACEHOLDER_PNG], { type: 'image/png' });
    const extension = (screenshot?.mediaType ?? 'image/png').split('/')[1] ?? 'bin';
    form.append('screenshot', image, `${metadata.captureId}.${extension}`);
    return this.call(
      () => this.http.post('/api/v1/captures', form, { headers: { authorization: `Bearer ${deviceToken}` } }),
      (r) => {
        if (r.status !== 201 && r.status !== 200) return undefined;
        const body = captureAcceptedSchema.safeParse(r.data);
        return body.success ? { id: body.data.id, duplicate: r.status === 200 } : undefined;
      },
    );
  }

  async heartbeat(deviceToken: string, body: HeartbeatRequest): Promise<CollectorResult<void>> {
    return this.call(
      () =>
        this.http.post('/api/v1/heartbeat', body, { headers: { authorization: `Bearer ${deviceToken}` } }),
      (r) => (r.status >= 200 && r.status < 300 ? { value: undefined } : undefined),
    ).then((result) => (result.ok ? { ok: true as const, value: undefined } : result));
  }

  async fetchPolicy(deviceToken: string, etag: string | undefined): Promise<CollectorResult<PolicyFetch>> {
    return this.call(
      () =>
        this.http.get('/api/v1/policy', {
          headers: { authorization: `Bearer ${deviceToken}`, ...(etag ? { 'if-none-match': etag } : {}) },
        }),
      (r): PolicyFetch | undefined => {
        if (r.status === 304) return { changed: false };
        if (r.status !== 200) return undefined;
        const policy = policyResponseSchema.safeParse(r.data);
        if (!policy.success) return undefined;
        const header = r.headers['etag'];
        return { changed: true, etag: typeof header === 'string' ? header : undefined, policy: policy.data };
      },
    );
  }

  /** Runs one request; `accept` turns a good answer into a value (undefined: not a good answer). */
  private async call<T>(
    send: () => Promise<AxiosResponse>,
    accept: (response: AxiosResponse) => T | undefined,
  ): Promise<CollectorResult<T>> {
    let response: AxiosResponse;
    try {
      response = await send();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, failure: { kind: 'offline', message } };
    }
    const value = accept(response);
    if (value !== undefined) return { ok: true, value };
    return { ok: false, failure: failureOf(response) };
  }
}

function failureOf(response: AxiosResponse): CollectorFailure {
  const { status } = response;
  const error = (response.data as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code.slice(0, 64) : undefined;
  const message = typeof error?.message === 'string' ? error.message.slice(0, 200) : `HTTP ${status}`;
  const base = { status, message, ...(code ? { code } : {}) };
  if (status === 401 || status === 403) return { kind: 'unauthorized', ...base };
  if (status === 429 || status >= 500 || status < 400) {
    const retryAfter = Number(response.headers['retry-after']);
    return {
      kind: 'server',
      ...base,
      ...(Number.isFinite(retryAfter) && retryAfter > 0
        ? { retryAfterMs: Math.min(retryAfter, 3600) * 1000 }
        : {}),
    };
  }
  return { kind: 'rejected', ...base };
}
