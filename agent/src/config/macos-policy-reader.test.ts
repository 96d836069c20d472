import { describe, expect, it } from 'vitest';
import { macosPolicyPaths, readMacosMachinePolicy } from './macos-policy-reader.js';
import { fakeFiles, fakeRunner, fixture, fixtureBytes } from './test-fixtures.js';

const paths = macosPolicyPaths('pupil.jones');
const noPlutil = fakeRunner(new Error('plutil must not be needed'));

describe('readMacosMachinePolicy', () => {
  it('reads the device-wide managed preferences (XML), ignoring MDM bookkeeping keys', async () => {
    const readFile = fakeFiles({ [paths.device]: fixtureBytes('managed-prefs-device.plist') });
    const { policy, problems } = await readMacosMachinePolicy({
      readFile,
      run: noPlutil,
      username: 'pupil.jones',
    });
    expect(problems).toEqual([]);
    expect(policy).toMatchObject({
      ServerUrl: 'https://kestrel.example-academy.sch.uk',
      EnrolmentToken: 'kst_enrol_7Q2m9xR4vLp8',
      KeyboardLayout: 'en-GB',
      ExcludedUsers: ['EXAMPLE\\itadmin', 'exam.invigilator'],
      Paused: false,
      CaCertificate: { kind: 'pem', pem: expect.stringContaining('-----BEGIN CERTIFICATE-----') },
    });
  });

  it('lets per-user preferences fill only what the device-wide ones leave open', async () => {
    const readFile = fakeFiles({
      [paths.device]: fixtureBytes('managed-prefs-device.plist'),
      [paths.user]: fixtureBytes('managed-prefs-user.plist'),
    });
    const { policy } = await readMacosMachinePolicy({ readFile, run: noPlutil, username: 'pupil.jones' });
    expect(policy.ServerUrl).toBe('https://kestrel.example-academy.sch.uk');
    expect(policy.KeyboardLayout).toBe('en-GB');

    const userOnly = fakeFiles({ [paths.user]: fixtureBytes('managed-prefs-user.plist') });
    const alone = await readMacosMachinePolicy({
      readFile: userOnly,
      run: noPlutil,
      username: 'pupil.jones',
    });
    expect(alone.policy).toEqual({
      ServerUrl: 'https://elsewhere.example.org',
      KeyboardLayout: 'en-US',
      ExcludedUsers: ['head@example-academy.sch.uk'],
    });
  });

  it('converts a binary plist with plutil and parses its XML', async () => {
    const readFile = fakeFiles({ [paths.device]: fixtureBytes('managed-prefs-binary.plist') });
    const run = fakeRunner({
      exitCode: 0,
      stdout: fixture('managed-prefs-binary.plutil-xml1.txt'),
      stderr: '',
    });
    const { policy, problems } = await readMacosMachinePolicy({ readFile, run, username: 'pupil.jones' });
    expect(run.calls).toEqual([
      { file: '/usr/bin/plutil', args: ['-convert', 'xml1', '-o', '-', paths.device] },
    ]);
    expect(problems).toEqual([]);
    expect(policy).toEqual({
      ServerUrl: 'https://kestrel.example-academy.sch.uk',
      EnrolmentToken: 'kst_enrol_7Q2m9xR4vLp8',
      Paused: true,
    });
  });

  it('reports a binary plist it cannot convert, and still reads the per-user file', async () => {
    const readFile = fakeFiles({
      [paths.device]: fixtureBytes('managed-prefs-binary.plist'),
      [paths.user]: fixtureBytes('managed-prefs-user.plist'),
    });
    const run = fakeRunner(Object.assign(new Error('spawn /usr/bin/plutil ENOENT'), { code: 'ENOENT' }));
    const { policy, problems } = await readMacosMachinePolicy({ readFile, run, username: 'pupil.jones' });
    expect(problems).toEqual([
      { key: '*', source: paths.device, message: expect.stringMatching(/^binary plist not supported here/) },
    ]);
    expect(policy.KeyboardLayout).toBe('en-US');
  });

  it('keeps good keys and reports bad ones', async () => {
    const readFile = fakeFiles({ [paths.device]: fixtureBytes('managed-prefs-bad-values.plist') });
    const { policy, problems } = await readMacosMachinePolicy({
      readFile,
      run: noPlutil,
      username: 'pupil.jones',
    });
    expect(policy).toEqual({ EnrolmentToken: 'kst_enrol_7Q2m9xR4vLp8' });
    expect(problems.map((p) => p.key).sort()).toEqual([
      'ExcludedUsers',
      'KeyboardLayout',
      'Paused',
      'ServerUrl',
    ]);
  });

  it('reports a malformed plist and an unreadable file, and is silent when none exists', async () => {
    const malformed = fakeFiles({ [paths.device]: fixture('managed-prefs-malformed.plist') });
    const bad = await readMacosMachinePolicy({ readFile: malformed, run: noPlutil, username: 'pupil.jones' });
    expect(bad.problems[0]?.message).toMatch(/^not a valid property list/);

    const denied = fakeFiles({
      [paths.device]: Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }),
    });
    const unreadable = await readMacosMachinePolicy({
      readFile: denied,
      run: noPlutil,
      username: 'pupil.jones',
    });
    expect(unreadable.problems).toEqual([
      { key: '*', source: paths.device, message: 'could not read: EACCES: permission denied' },
    ]);

    expect(
      await readMacosMachinePolicy({ readFile: fakeFiles({}), run: noPlutil, username: 'pupil.jones' }),
    ).toEqual({
      policy: {},
      problems: [],
    });
  });

  it('never reads a per-user path outside Managed Preferences', async () => {
    const reads: string[] = [];
    const readFile = async (path: string) => {
      reads.push(path);
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    };
    await readMacosMachinePolicy({ readFile, run: noPlutil, username: '../../etc' });
    expect(reads).toEqual([macosPolicyPaths('x').device]);
  });
});
