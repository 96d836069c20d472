import { describe, expect, it } from 'vitest';
import { LINUX_POLICY_PATH, readLinuxMachinePolicy } from './linux-policy-reader.js';
import { macosPolicyPaths } from './macos-policy-reader.js';
import { createMachinePolicyReader } from './machine-policy-reader.js';
import { fakeFiles, fakeRunner, fixture, fixtureBytes } from './test-fixtures.js';

describe('createMachinePolicyReader', () => {
  const files = fakeFiles({
    [LINUX_POLICY_PATH]: fixture('etc-kestrel-agent.json'),
    [macosPolicyPaths('pupil').device]: fixtureBytes('managed-prefs-device.plist'),
  });
  const run = fakeRunner({ exitCode: 0, stdout: fixture('reg-query-complete.txt'), stderr: '' });
  const deps = { run, readFile: files, env: { ProgramData: 'C:\\ProgramData' }, username: 'pupil' };

  it('reads the registry on Windows, managed preferences on macOS, /etc on Linux', async () => {
    const windows = await createMachinePolicyReader({ ...deps, platform: 'win32' })();
    expect(windows.policy.CaCertificate).toEqual({
      kind: 'path',
      path: 'C:\\ProgramData\\Kestrel\\school-ca.pem',
    });
    const macos = await createMachinePolicyReader({ ...deps, platform: 'darwin' })();
    expect(macos.policy.CaCertificate?.kind).toBe('pem');
    const linux = await createMachinePolicyReader({ ...deps, platform: 'linux' })();
    expect(linux).toEqual({
      policy: {
        ServerUrl: 'http://localhost:8080',
        EnrolmentToken: 'dev-enrolment-token',
        KeyboardLayout: 'en-US',
        ExcludedUsers: ['root'],
      },
      problems: [],
    });
    expect(run.calls).toHaveLength(1);
  });
});

describe('readLinuxMachinePolicy', () => {
  it('is silent without a file and reports bad JSON or a non-object', async () => {
    expect(await readLinuxMachinePolicy(fakeFiles({}))).toEqual({ policy: {}, problems: [] });
    const broken = await readLinuxMachinePolicy(fakeFiles({ [LINUX_POLICY_PATH]: '{"ServerUrl": ' }));
    expect(broken.problems[0]?.message).toMatch(/^not valid JSON/);
    const list = await readLinuxMachinePolicy(fakeFiles({ [LINUX_POLICY_PATH]: '[]' }));
    expect(list.problems[0]?.message).toBe('must hold a JSON object');
  });

  it('refuses plain http to anything but this machine', async () => {
    const remote = await readLinuxMachinePolicy(
      fakeFiles({ [LINUX_POLICY_PATH]: '{"ServerUrl": "http://kestrel.school.example"}' }),
    );
    expect(remote.policy).toEqual({});
    expect(remote.problems[0]?.message).toMatch(/must use https/);
  });
});
