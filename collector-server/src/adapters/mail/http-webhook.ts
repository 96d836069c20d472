import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupAllOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import type { WebhookPoster } from '../../domain/alerts/alert-ports.js';
import { isInternalAddress } from './webhook-address.js';

export interface HttpWebhookOptions {
  timeoutMs?: number;
  /**
   * Allow `http:` URLs and internal addresses (loopback, private, link-local). Only for tests and
   * development (`ALLOW_INSECURE_WEBHOOKS=1`): otherwise a webhook URL could reach services behind
   * the collector.
   */
  allowInsecure?: boolean;
}

/** `ALLOW_INSECURE_WEBHOOKS=1` turns on `allowInsecure`. */
export function webhookOptionsFrom(env: Record<string, string | undefined>): HttpWebhookOptions {
  return { allowInsecure: env.ALLOW_INSECURE_WEBHOOKS === '1' };
}

function refused(host: string, address: string): Error {
  return new Error(`webhook host ${host} resolves to an internal address (${address}); refused`);
}

/**
 * Resolves, checks every address, and hands the checked addresses to the socket: the connection
 * goes to an address that was checked, so a DNS answer that changes between check and connect
 * (rebinding) cannot redirect it.
 */
const checkedLookup: LookupFunction = (hostname, options, callback) => {
  const all: LookupAllOptions = { family: options.family, hints: options.hints, all: true };
  dnsLookup(hostname, all, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const bad = addresses.find((a) => isInternalAddress(a.address));
    if (bad !== undefined || addresses.length === 0)
      return callback(refused(hostname, bad?.address ?? 'none'), '', 0);
    if (options.all === true) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0] as LookupAddress;
    return callback(null, first.address, first.family);
  });
};

/**
 * POSTs JSON to a school's webhook; a non-2xx answer is a failure (retried on the next tick), and
 * a redirect is one too (it could lead anywhere). Only `https:` to a public address unless
 * `allowInsecure`.
 */
export function createHttpWebhook(options: HttpWebhookOptions = {}): WebhookPoster {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const allowInsecure = options.allowInsecure === true;
  return {
    async post(url, body) {
      const target = new URL(url);
      if (target.protocol !== 'https:' && !(allowInsecure && target.protocol === 'http:'))
        throw new Error(`webhook URL must use https: (got ${target.protocol})`);
      const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
      // An IP address in the URL is connected to without a lookup, so it is checked here.
      if (!allowInsecure && isIP(host) !== 0 && isInternalAddress(host)) throw refused(host, host);
      const payload = Buffer.from(JSON.stringify(body), 'utf8');
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      await new Promise<void>((resolve, reject) => {
        const req = send(
          target,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'content-length': payload.length,
              'user-agent': 'Kestrel-Alerts/1',
            },
            ...(allowInsecure ? {} : { lookup: checkedLookup }),
          },
          (res) => {
            res.resume();
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) res.on('end', () => resolve());
            else reject(new Error(`webhook answered ${status}`));
          },
        );
        // The whole exchange is bounded, not just each idle gap.
        const timer = setTimeout(
          () => req.destroy(new Error(`webhook did not answer in ${timeoutMs} ms`)),
          timeoutMs,
        );
        req.on('close', () => clearTimeout(timer));
        req.on('error', reject);
        req.end(payload);
      });
    },
  };
}
