import { describe, expect, it } from 'vitest';
import { parseRegQueryOutput } from './reg-query-output.js';
import { fakeRunner, fixture } from './test-fixtures.js';
import { readWindowsMachinePolicy, WINDOWS_POLICY_KEY } from './windows-policy-reader.js';

const env = { ProgramData: 'C:\\ProgramData' };

describe('parseRegQueryOutput on recorded outputs', () => {
  it('decodes REG_SZ, REG_DWORD, REG_MULTI_SZ and REG_EXPAND_SZ', () => {
    const { values, unsupported } = parseRegQueryOutput(fixture('reg-query-complete.txt'), env);
    expect(values).toEqual({
      ServerUrl: 'https://kestrel.example-academy.sch.uk/',
      EnrolmentToken: 'kst_enrol_7Q2m9xR4vLp8',
      KeyboardLayout: 'en-GB',
      ExcludedUsers: ['EXAMPLE\\itadmin', 'exam.invigilator', 'head@example-academy.sch.uk'],
      Paused: 0,
      CaCertificate: 'C:\\ProgramData\\Kestrel\\school-ca.pem',
    });
    expect(unsupported).toEqual({});
  });

  it('copes with LF endings, tabs, trailing blanks, the default value, empty data and subkeys', () => {
    const { values } = parseRegQueryOutput(fixture('reg-query-odd-spacing.txt'), env);
    expect(values).toEqual({
      ServerUrl: 'https://kestrel.example-academy.sch.uk:8443/kestrel',
      EnrolmentToken: '',
      KeyboardLayout: 'en-US',
      ExcludedUsers: 'EXAMPLE\\itadmin; exam.invigilator ;',
      Paused: 1,
    });
  });

  it('keeps unknown %VARIABLES% as written and lists unreadable types', () => {
    const output =
      '\r\nHKEY_LOCAL_MACHINE\\X\r\n    A    REG_EXPAND_SZ    %NOPE%\\x\r\n    B    REG_BINARY    00FF\r\n';
    expect(parseRegQueryOutput(output, env)).toEqual({
      values: { A: '%NOPE%\\x' },
      unsupported: { B: 'REG_BINARY' },
    });
  });
});

describe('readWindowsMachinePolicy', () => {
  it('queries the 64-bit policy key and validates every value', async () => {
    const run = fakeRunner({ exitCode: 0, stdout: fixture('reg-query-complete.txt'), stderr: '' });
    const { policy, problems } = await readWindowsMachinePolicy({ run, env });
    expect(run.calls).toEqual([{ file: 'reg.exe', args: ['query', WINDOWS_POLICY_KEY, '/reg:64'] }]);
    expect(problems).toEqual([]);
    expect(policy).toEqual({
      ServerUrl: 'https://kestrel.example-academy.sch.uk',
      EnrolmentToken: 'kst_enrol_7Q2m9xR4vLp8',
      KeyboardLayout: 'en-GB',
      ExcludedUsers: ['EXAMPLE\\itadmin', 'exam.invigilator', 'head@example-academy.sch.uk'],
      Paused: false,
      CaCertificate: { kind: 'path', path: 'C:\\ProgramData\\Kestrel\\school-ca.pem' },
    });
  });

  it('drops each bad value with a problem naming it, and keeps the rest', async () => {
    const run = fakeRunner({ exitCode: 0, stdout: fixture('reg-query-bad-values.txt'), stderr: '' });
    const { policy, problems } = await readWindowsMachinePolicy({ run, env });
    expect(policy).toEqual({ ExcludedUsers: ['EXAMPLE\\itadmin', 'EXAMPLE\\technician'] });
    expect(problems.map((p) => p.key).sort()).toEqual(
      ['CaCertificate', 'EnrolmentToken', 'KeyboardLayout', 'Paused', 'ServerAddress', 'ServerUrl'].sort(),
    );
    expect(problems.every((p) => p.source === WINDOWS_POLICY_KEY)).toBe(true);
    expect(problems.find((p) => p.key === 'CaCertificate')?.message).toMatch(/REG_BINARY/);
    expect(problems.find((p) => p.key === 'ServerAddress')?.message).toMatch(/not a Kestrel policy setting/);
    // The token is a secret: no message repeats a value.
    expect(JSON.stringify(problems)).not.toContain('with spaces');
  });

  it('reads blank values as unset and a REG_SZ user list split on semicolons', async () => {
    const run = fakeRunner({ exitCode: 0, stdout: fixture('reg-query-odd-spacing.txt'), stderr: '' });
    const { policy, problems } = await readWindowsMachinePolicy({ run, env });
    expect(problems).toEqual([]);
    expect(policy).toEqual({
      ServerUrl: 'https://kestrel.example-academy.sch.uk:8443/kestrel',
      KeyboardLayout: 'en-US',
      ExcludedUsers: ['EXAMPLE\\itadmin', 'exam.invigilator'],
      Paused: true,
    });
  });

  it('treats a missing key as an unconfigured machine', async () => {
    const run = fakeRunner({ exitCode: 1, stdout: '', stderr: fixture('reg-query-missing-key.stderr.txt') });
    expect(await readWindowsMachinePolicy({ run, env })).toEqual({ policy: {}, problems: [] });
  });

  it('reports access denied and a missing reg.exe as problems, not crashes', async () => {
    const denied = fakeRunner({
      exitCode: 1,
      stdout: '',
      stderr: fixture('reg-query-access-denied.stderr.txt'),
    });
    expect(await readWindowsMachinePolicy({ run: denied, env })).toEqual({
      policy: {},
      problems: [
        { key: '*', source: WINDOWS_POLICY_KEY, message: 'could not read the policy key: Access is denied.' },
      ],
    });
    const missing = fakeRunner(Object.assign(new Error('spawn reg.exe ENOENT'), { code: 'ENOENT' }));
    const { problems } = await readWindowsMachinePolicy({ run: missing, env });
    expect(problems[0]?.message).toMatch(/could not run reg\.exe/);
  });
});
