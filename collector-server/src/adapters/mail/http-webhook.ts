import { lookup as dnsLookup } from 'node:dns';
import { lookup as dnsLookupAll } from 'node:dns/promises';
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
 * Why a webhook URL is refused before any connection, or undefined: not `https:` (or `http:` when
 * insecure webhooks are allowed), or an internal IP address written in the URL. The same rule at
 * save time (`webhookUrlRefusal`) and at every send (`post`).
 */
export function webhookUrlProblem(url: string, options: HttpWebhookOptions = {}): string | undefined {
  const allowInsecure = options.allowInsecure === true;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (target.protocol !== 'https:' && !(allowInsecure && target.protocol === 'http:'))
    return `must use https: (got ${target.protocol})`;
  const host = hostOf(target);
  // An IP address in the URL is connected to without a lookup, so it is checked here.
  if (!allowInsecure && isIP(host) !== 0 && isInternalAddress(host))
    return `host ${host} is an internal address; refused`;
  return undefined;
}

export interface WebhookSaveCheckOptions extends HttpWebhookOptions {
  /** All addresses of a host name (default: the system resolver). */
  resolve?: (host: string) => Promise<string[]>;
  /** A look-up slower than this is not waited for (default 2 s). */
  resolveTimeoutMs?: number;
}

/**
 * The check when a DSL saves a webhook URL: `webhookUrlProblem`, and a host name that resolves to
 * an internal address (`localhost`, a name in the school's network) is refused too. A name that
 * does not resolve now is accepted: DNS may be down for a moment, and every send checks again.
 */
export async function webhookUrlRefusal(
  url: string,
  options: WebhookSaveCheckOptions = {},
): Promise<string | undefined> {
  const problem = webhookUrlProblem(url, options);
  if (problem !== undefined || options.allowInsecure === true) return problem;
  const host = hostOf(new URL(url));
  if (isIP(host) !== 0) return undefined;
  const resolve =
    options.resolve ?? (async (h: string) => (await dnsLookupAll(h, { all: true })).map((a) => a.address));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((done) => {
    timer = setTimeout(() => done([]), options.resolveTimeoutMs ?? 2_000);
  });
  const addresses = await Promise.race([resolve(host).catch(() => []), timeout]).finally(() =>
    clearTimeout(timer),
  );
  const bad = addresses.find((a) => isInternalAddress(a));
  return bad === undefined ? undefined : `host ${host} resolves to an internal address (${bad}); refused`;
}

function hostOf(target: URL): string {
  return target.hostname.replace(/^\[(.*)\]$/, '$1');
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
      const problem = webhookUrlProblem(url, options);
      if (problem !== undefined) throw new Error(`webhook URL ${problem}`);
      const target = new URL(url);
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
