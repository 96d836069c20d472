import type { WebhookPoster } from '../../domain/alerts/alert-ports.js';

/** POSTs JSON to a school's webhook; a non-2xx answer is a failure (retried on the next tick). */
export function createHttpWebhook(timeoutMs = 5_000): WebhookPoster {
  return {
    async post(url, body) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Kestrel-Alerts/1' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    },
  };
}
