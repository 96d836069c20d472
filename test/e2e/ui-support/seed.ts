import type { CaptureMetadata } from '@kestrel/shared/protocol';
import { randomUUID } from 'node:crypto';

/** Enrols a device through the real agent API (HTTP). */
export async function enrolDevice(base: string, token: string, hostname: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/enrol`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrolmentToken: token, hostname, os: 'windows 11', agentVersion: '0.1.0' }),
  });
  if (res.status !== 201) throw new Error(`enrol failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { deviceToken: string }).deviceToken;
}

/** Posts one capture as an agent would: multipart metadata and a screenshot, over HTTP. */
export async function sendCapture(
  base: string,
  deviceToken: string,
  meta: Partial<CaptureMetadata>,
  screenshot: Buffer,
): Promise<string> {
  const full: CaptureMetadata = {
    captureId: randomUUID(),
    capturedAt: new Date().toISOString(),
    machine: 'PC',
    user: 'pupil',
    source: 'typed',
    category: 'bullying',
    severity: 3,
    term: 'term',
    context: '',
    windowTitle: '',
    application: 'chrome.exe',
    ...meta,
  };
  const form = new FormData();
  form.append('metadata', JSON.stringify(full));
  form.append('screenshot', new Blob([new Uint8Array(screenshot)], { type: 'image/jpeg' }), 'screen.jpg');
  const res = await fetch(`${base}/api/v1/captures`, {
    method: 'POST',
    headers: { authorization: `Bearer ${deviceToken}` },
    body: form,
  });
  if (res.status !== 201) throw new Error(`capture failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Minutes before now, as the agent would write it (ISO 8601 with offset). */
export function minutesAgo(n: number): string {
  return new Date(Date.now() - n * 60_000).toISOString();
}
