import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHttpWebhook,
  webhookOptionsFrom,
  webhookUrlProblem,
  webhookUrlRefusal,
} from './http-webhook.js';
import { isInternalAddress } from './webhook-address.js';

const received: unknown[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    received.push(JSON.parse(body));
    res.writeHead(req.url === '/fail' ? 500 : req.url === '/moved' ? 302 : 204, {
      location: 'http://127.0.0.1/elsewhere',
    });
    res.end();
  });
});
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('isInternalAddress', () => {
  it.each([
    '127.0.0.1',
    '127.9.9.9',
    '0.0.0.0',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:a9fe:a9fe',
    '::127.0.0.1',
    'not an address',
  ])('%s is internal', (address) => expect(isInternalAddress(address)).toBe(true));

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => expect(isInternalAddress(address)).toBe(false),
  );
});

describe('createHttpWebhook', () => {
  it('refuses http: unless insecure webhooks are allowed', async () => {
    await expect(createHttpWebhook().post(`http://example.com/hook`, {})).rejects.toThrow(/https:/);
    await expect(createHttpWebhook().post(`ftp://example.com/hook`, {})).rejects.toThrow(/https:/);
  });

  it.each([
    'https://127.0.0.1/hook',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://10.0.0.5/hook',
    'https://[fd00::5]/hook',
  ])('refuses an internal address in the URL: %s', async (url) => {
    await expect(createHttpWebhook().post(url, {})).rejects.toThrow(/internal address/);
  });

  it('refuses a host name that resolves to an internal address, at send time', async () => {
    await expect(createHttpWebhook().post('https://localhost/hook', {})).rejects.toThrow(/internal address/);
  });

  it('posts to a local server only when ALLOW_INSECURE_WEBHOOKS=1', async () => {
    expect(webhookOptionsFrom({})).toEqual({ allowInsecure: false });
    expect(webhookOptionsFrom({ ALLOW_INSECURE_WEBHOOKS: '1' })).toEqual({ allowInsecure: true });
    const hook = createHttpWebhook(webhookOptionsFrom({ ALLOW_INSECURE_WEBHOOKS: '1' }));
    received.length = 0;
    await hook.post(`http://127.0.0.1:${port}/hook`, { event: 'capture.urgent', captureId: 'c1' });
    expect(received).toEqual([{ event: 'capture.urgent', captureId: 'c1' }]);
  });

  it('treats a non-2xx answer and a redirect as failures', async () => {
    const hook = createHttpWebhook({ allowInsecure: true });
    await expect(hook.post(`http://127.0.0.1:${port}/fail`, {})).rejects.toThrow(/answered 500/);
    await expect(hook.post(`http://127.0.0.1:${port}/moved`, {})).rejects.toThrow(/answered 302/);
  });
});

describe('webhookUrlRefusal (when a DSL saves the URL)', () => {
  const publicHost = async () => ['93.184.216.34'];

  it.each([
    ['http://hooks.example.org/k', /must use https:/],
    ['ftp://hooks.example.org/k', /must use https:/],
    ['https://127.0.0.1/hook', /127\.0\.0\.1 is an internal address/],
    ['https://[::ffff:10.0.0.1]/hook', /internal address/],
    ['https://169.254.169.254/latest/meta-data', /internal address/],
  ])('refuses %s without any look-up', async (url, message) => {
    const resolve = async (): Promise<string[]> => {
      throw new Error('must not resolve');
    };
    expect(await webhookUrlRefusal(url, { resolve })).toMatch(message);
  });

  it('refuses a name that resolves to an internal address, and accepts a public one', async () => {
    expect(await webhookUrlRefusal('https://localhost/hook')).toMatch(
      /localhost resolves to an internal address/,
    );
    const mixed = async () => ['93.184.216.34', '10.1.2.3'];
    expect(await webhookUrlRefusal('https://hooks.example.org/k', { resolve: mixed })).toMatch(
      /resolves to an internal address \(10\.1\.2\.3\)/,
    );
    expect(await webhookUrlRefusal('https://hooks.example.org/k', { resolve: publicHost })).toBeUndefined();
  });

  it('accepts a name that does not resolve now (each send checks again), without waiting long', async () => {
    const failing = async (): Promise<string[]> => {
      throw new Error('ENOTFOUND');
    };
    expect(await webhookUrlRefusal('https://hooks.example.org/k', { resolve: failing })).toBeUndefined();
    const hanging = () => new Promise<string[]>(() => undefined);
    const started = Date.now();
    expect(
      await webhookUrlRefusal('https://hooks.example.org/k', { resolve: hanging, resolveTimeoutMs: 50 }),
    ).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('allows http: and loopback when insecure webhooks are allowed (tests, development)', async () => {
    expect(await webhookUrlRefusal('http://127.0.0.1:9/hook', { allowInsecure: true })).toBeUndefined();
    expect(await webhookUrlRefusal('ftp://127.0.0.1/hook', { allowInsecure: true })).toMatch(/https:/);
  });

  it('is the rule post() applies at send time', async () => {
    expect(webhookUrlProblem('http://hooks.example.org/k')).toBe('must use https: (got http:)');
    await expect(createHttpWebhook().post('http://hooks.example.org/k', {})).rejects.toThrow(
      'webhook URL must use https: (got http:)',
    );
  });
});
