import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxiosCollectorClient } from './axios-collector-client.js';

// A school's own CA and a collector certificate it signed, made for this test with openssl.
let dir: string;
let server: Server;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kestrel-tls-'));
  const f = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=Test School CA',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  );
  writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('server.pem'),
    '-days',
    '1',
    '-extfile',
    f('ext.cnf'),
  );
  server = createServer(
    { key: readFileSync(f('server.key')), cert: readFileSync(f('server.pem')) },
    (_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ deviceId: 'd1', deviceToken: 't1' }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const enrol = (client: AxiosCollectorClient) =>
  client.enrol({ enrolmentToken: 'e', hostname: 'h', os: 'linux', agentVersion: '1' });

describe('collector client over TLS', () => {
  it('trusts a collector signed by the CA given with --ca-file', async () => {
    const client = new AxiosCollectorClient({ server: url, caFile: join(dir, 'ca.pem') });
    expect(await enrol(client)).toEqual({ ok: true, value: { deviceId: 'd1', deviceToken: 't1' } });
  });

  it('refuses it without that CA', async () => {
    expect(await enrol(new AxiosCollectorClient({ server: url }))).toMatchObject({
      ok: false,
      failure: { kind: 'offline' },
    });
  });
});
