import { describe, expect, it } from 'vitest';
import { resolveSettings } from './agent-settings.js';
import { parseMachinePolicy } from './parse-machine-policy.js';
import { fakeFiles, fixture } from './test-fixtures.js';

const pem = fixture('school-ca.pem').trim();
const noFiles = fakeFiles({});

describe('resolveSettings: defaults → machine policy → local state', () => {
  it('uses the built-in defaults on an unconfigured machine', async () => {
    const resolved = await resolveSettings({
      machinePolicy: { policy: {}, problems: [] },
      local: {},
      readFile: noFiles,
    });
    expect(resolved.settings).toEqual({
      serverUrl: undefined,
      enrolmentToken: undefined,
      caCertificatePem: undefined,
      keyboardLayout: undefined,
      excludedUsers: [],
      paused: false,
    });
    expect(new Set(Object.values(resolved.origins))).toEqual(new Set(['default']));
  });

  it('lets local state fill what the policy leaves open, never override it', async () => {
    const machinePolicy = parseMachinePolicy(
      { ServerUrl: 'https://kestrel.example.sch.uk', Paused: 1 },
      'test',
    );
    const resolved = await resolveSettings({
      machinePolicy,
      local: {
        serverUrl: 'https://pupil-chosen.example.com',
        enrolmentToken: 'local-token-123',
        keyboardLayout: 'en-US',
      },
      readFile: noFiles,
    });
    expect(resolved.settings).toMatchObject({
      serverUrl: 'https://kestrel.example.sch.uk',
      enrolmentToken: 'local-token-123',
      keyboardLayout: 'en-US',
      paused: true,
    });
    expect(resolved.origins).toMatchObject({
      serverUrl: 'policy',
      enrolmentToken: 'local',
      paused: 'policy',
      excludedUsers: 'default',
    });
  });

  it('applies the rest of the policy when a value is bad, and carries the problem', async () => {
    const machinePolicy = parseMachinePolicy({ ServerUrl: 'not a url', KeyboardLayout: 'en-US' }, 'HKLM\\x');
    const resolved = await resolveSettings({ machinePolicy, local: {}, readFile: noFiles });
    expect(resolved.settings.keyboardLayout).toBe('en-US');
    expect(resolved.settings.serverUrl).toBeUndefined();
    expect(resolved.problems).toEqual([
      { key: 'ServerUrl', source: 'HKLM\\x', message: 'ServerUrl: must be an http(s) URL (ignored)' },
    ]);
  });

  it('takes a CA certificate inline, from REG_MULTI_SZ lines, or from a file', async () => {
    const inline = await resolveSettings({
      machinePolicy: parseMachinePolicy({ CaCertificate: pem }, 't'),
      local: {},
      readFile: noFiles,
    });
    expect(inline.settings.caCertificatePem).toBe(pem);
    const lines = await resolveSettings({
      machinePolicy: parseMachinePolicy({ CaCertificate: pem.split('\n') }, 't'),
      local: {},
      readFile: noFiles,
    });
    expect(lines.settings.caCertificatePem).toBe(pem);
    const fromFile = await resolveSettings({
      machinePolicy: parseMachinePolicy({ CaCertificate: 'C:\\ProgramData\\Kestrel\\ca.pem' }, 't'),
      local: {},
      readFile: fakeFiles({ 'C:\\ProgramData\\Kestrel\\ca.pem': `# school root\n${pem}\n` }),
    });
    expect(fromFile.settings.caCertificatePem).toBe(pem);
    expect(fromFile.origins.caCertificatePem).toBe('policy');
  });

  it('reports a CA file that is missing or holds no certificate, and goes on', async () => {
    const missing = await resolveSettings({
      machinePolicy: parseMachinePolicy({ CaCertificate: '/etc/kestrel/ca.pem', Paused: true }, 't'),
      local: {},
      readFile: noFiles,
    });
    expect(missing.settings.caCertificatePem).toBeUndefined();
    expect(missing.settings.paused).toBe(true);
    expect(missing.problems).toEqual([
      {
        key: 'CaCertificate',
        source: '/etc/kestrel/ca.pem',
        message: 'CaCertificate: the file does not exist (ignored)',
      },
    ]);
    const empty = await resolveSettings({
      machinePolicy: parseMachinePolicy({ CaCertificate: '/etc/kestrel/ca.pem' }, 't'),
      local: {},
      readFile: fakeFiles({ '/etc/kestrel/ca.pem': 'nothing here' }),
    });
    expect(empty.problems[0]?.message).toMatch(/holds no PEM certificate/);
  });
});
