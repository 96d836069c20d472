/** RFC 6238 time-based one-time codes (SHA-1, 6 digits, 30 s), as an authenticator app makes them. */
import { createHmac } from 'node:crypto';
import type { Client } from './collector.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text: string): Buffer {
  const clean = text.replace(/=+$/, '').replace(/\s+/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const idx = BASE32.indexOf(ch);
    if (idx < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** The code for time step `step` (floor(unix seconds / 30)) of a base32 secret. */
export function totpCode(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const n = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(n % 1_000_000).padStart(6, '0');
}

export function currentStep(nowMs = Date.now()): number {
  return Math.floor(nowMs / 30_000);
}

/**
 * Signs `client` in as a member of staff and turns two-factor on for them (as the UI's set-up
 * page does), leaving `client` with a session opened with a code; for routes that require it.
 */
export async function signInWithTwoFactor(client: Client, email: string, password: string): Promise<void> {
  const first = await client.signIn(email, password);
  if (first.status !== 200) throw new Error(`sign-in: ${first.status} ${first.text}`);
  const csrf = async () => {
    const a = await client.request('GET', '/api/v1/moderation/context');
    return String((a.body as { csrfToken?: string } | undefined)?.csrfToken);
  };
  const enrolment = await client.request('POST', '/api/v1/me/totp/enrolment', {
    json: {},
    headers: { 'x-csrf-token': await csrf() },
  });
  if (enrolment.status !== 200)
    throw new Error(`two-factor enrolment: ${enrolment.status} ${enrolment.text}`);
  const secret = String((enrolment.body as { secret: string }).secret);
  const step = currentStep();
  const confirm = await client.request('POST', '/api/v1/me/totp/enrolment/confirm', {
    json: { code: totpCode(secret, step) },
    headers: { 'x-csrf-token': await csrf() },
  });
  if (confirm.status >= 300) throw new Error(`two-factor confirmation: ${confirm.status} ${confirm.text}`);
  const res = await fetch(`${client.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, totp: totpCode(secret, step + 1) }),
  });
  if (res.status !== 200) throw new Error(`sign-in with a code: ${res.status} ${await res.text()}`);
  client.cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}
