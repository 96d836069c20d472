import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseXmlPlist } from '../../agent/src/config/xml-plist.js';
import { repoFile } from './packaging-xml.js';

type Json = Record<string, unknown>;
const builder = parse(repoFile('electron-builder.yml')) as Json;
const at = (object: unknown, key: string) => (object as Json)[key] as Json;
const exists = (path: string) => existsSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)));
const plist = (path: string) => parseXmlPlist(repoFile(path)) as Json;

describe('electron-builder.yml', () => {
  it('packages the agent workspace as uk.org.kestrel.agent with the Electron main as entry', () => {
    expect(builder.appId).toBe('uk.org.kestrel.agent');
    expect(at(builder, 'directories').app).toBe('agent');
    const main = String(at(builder, 'extraMetadata').main);
    expect(main).toBe('dist/main/electron-main.js');
    expect(exists(`agent/src/main/${main.split('/').pop()?.replace(/\.js$/, '.ts')}`)).toBe(true);
    const pkg = JSON.parse(repoFile('agent/package.json')) as { dependencies: Json };
    expect(Object.keys(pkg.dependencies)).toContain('@kestrel/shared');
  });

  it('keeps native modules and screenshot helpers out of the asar, and rebuilds nothing', () => {
    const unpacked = builder.asarUnpack as string[];
    for (const module of ['uiohook-napi', 'sharp', '@img', 'active-win'])
      expect(unpacked).toContain(`**/node_modules/${module}/**`);
    expect(unpacked).toContain('**/node_modules/screenshot-desktop/lib/**');
    expect(builder.npmRebuild).toBe(false);
  });

  it('builds a per-machine MSI with a fixed upgrade code and the deployment hook', () => {
    const msi = at(builder, 'msi');
    expect(msi).toMatchObject({ perMachine: true, oneClick: true, runAfterFinish: false });
    expect(msi.upgradeCode).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    // The sample project the hook is tested on carries the same upgrade code.
    expect(repoFile('build/windows/fixtures/electron-builder-project.wxs')).toContain(
      `UpgradeCode="${String(msi.upgradeCode)}"`,
    );
    expect(builder.msiProjectCreated).toBe('./build/windows/msi-project-hook.mjs');
    expect(exists('build/windows/msi-project-hook.mjs')).toBe(true);
    expect(at(builder, 'win').target).toEqual([{ target: 'msi', arch: ['x64'] }]);
  });

  it('builds a macOS pkg for a menu-bar agent, with the LaunchAgent inside the app', () => {
    const mac = at(builder, 'mac');
    expect(mac.target).toBe('pkg');
    expect(at(mac, 'extendInfo').LSUIElement).toBe(true);
    const resources = mac.extraResources as { from: string; to: string }[];
    expect(resources).toContainEqual({
      from: 'build/macos/uk.org.kestrel.agent.plist',
      to: 'launchd/uk.org.kestrel.agent.plist',
    });
    const pkg = at(builder, 'pkg');
    expect(pkg).toMatchObject({ installLocation: '/Applications', isRelocatable: false });
    for (const script of ['preinstall', 'postinstall']) {
      const path = `build/${String(pkg.scripts)}/${script}`;
      expect(statSync(fileURLToPath(new URL(`../../${path}`, import.meta.url))).mode & 0o111, path).not.toBe(
        0,
      );
      execFileSync('sh', ['-n', fileURLToPath(new URL(`../../${path}`, import.meta.url))]);
    }
    expect(repoFile(`build/${String(pkg.scripts)}/postinstall`)).toContain(
      'Contents/Resources/launchd/$LABEL.plist',
    );
    for (const icon of [mac.icon, at(builder, 'win').icon, mac.entitlements])
      expect(exists(String(icon)), String(icon)).toBe(true);
  });

  it('never runs install-app-deps or a postinstall rebuild anywhere', () => {
    for (const file of [
      'electron-builder.yml',
      'package.json',
      'agent/package.json',
      '.github/workflows/agent-packages.yml',
    ]) {
      expect(repoFile(file), file).not.toMatch(/install-app-deps|electron-rebuild/);
    }
  });
});

describe('macOS property lists', () => {
  it('LaunchAgent starts the app in every Aqua session and restarts it after a crash', () => {
    const agent = plist('build/macos/uk.org.kestrel.agent.plist');
    const productName = String(builder.productName);
    expect(agent).toEqual({
      Label: 'uk.org.kestrel.agent',
      ProgramArguments: [`/Applications/${productName}.app/Contents/MacOS/${productName}`],
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: 30,
      LimitLoadToSessionType: 'Aqua',
      ProcessType: 'Interactive',
    });
    // The shell relies on launchd's label to know it is supervised.
    expect(repoFile('agent/src/main/electron-main.ts')).toContain(
      `XPC_SERVICE_NAME === '${String(agent.Label)}'`,
    );
  });

  it('PPPC profile grants Accessibility and lets standard users allow Screen Recording', () => {
    const profile = plist('build/macos/kestrel-pppc.mobileconfig');
    const payload = (profile.PayloadContent as Json[])[0] as Json;
    expect(payload.PayloadType).toBe('com.apple.TCC.configuration-profile-policy');
    const services = payload.Services as Record<string, Json[]>;
    const rule = (service: string) => services[service]?.[0] as Json;
    expect(rule('Accessibility')).toMatchObject({
      Identifier: builder.appId,
      IdentifierType: 'bundleID',
      Authorization: 'Allow',
    });
    // MDM cannot pre-approve Screen Recording: only standard-user approval can be allowed.
    expect(rule('ScreenCapture')).toMatchObject({
      Identifier: builder.appId,
      Authorization: 'AllowStandardUserToSetSystemService',
    });
    expect(rule('ScreenCapture').Allowed).toBeUndefined();
    for (const service of Object.keys(services))
      expect(String(rule(service).CodeRequirement)).toContain(`identifier "${String(builder.appId)}"`);
  });

  it('managed preferences sample uses the agent’s domain and only keys the agent reads', async () => {
    const { MACHINE_POLICY_KEYS } = await import('../../agent/src/config/machine-policy-schema.js');
    const profile = plist('build/macos/kestrel-managed-preferences.mobileconfig');
    const payload = (profile.PayloadContent as Json[])[0] as Json;
    expect(payload.PayloadType).toBe('uk.org.kestrel.agent');
    const settings = Object.keys(payload).filter((key) => !key.startsWith('Payload'));
    for (const key of settings) expect(MACHINE_POLICY_KEYS).toContain(key);
    expect(plist('build/macos/entitlements.mac.plist')['com.apple.security.cs.allow-jit']).toBe(true);
  });
});

describe('.github/workflows/agent-packages.yml', () => {
  const workflow = parse(repoFile('.github/workflows/agent-packages.yml')) as Json;
  const jobs = workflow.jobs as Record<string, Json>;
  const steps = (job: string) => jobs[job]?.steps as Json[];
  const runs = (job: string) => steps(job).map((step) => String(step.run ?? ''));

  it('builds the MSI on Windows and a pkg per architecture on macOS', () => {
    expect(Object.keys(jobs).sort()).toEqual(['msi', 'pkg']);
    expect(jobs.msi?.['runs-on']).toBe('windows-latest');
    const matrix = at(at(jobs.pkg, 'strategy'), 'matrix').include as Json[];
    expect(matrix.map((m) => m.runner)).toEqual(['macos-latest', 'macos-13']);
    expect(runs('msi').join('\n')).toMatch(/electron-builder@[\d.]+ --win msi/);
    expect(runs('pkg').join('\n')).toMatch(/electron-builder@[\d.]+ --mac pkg --\$\{\{ matrix\.arch \}\}/);
  });

  it.each(['msi', 'pkg'])('%s: checkout, Node 20, npm ci, tsc build, then package and upload', (job) => {
    const list = steps(job);
    expect(list[0]?.uses).toBe('actions/checkout@v4');
    expect(list[1]).toMatchObject({ uses: 'actions/setup-node@v4', with: { 'node-version': 20 } });
    expect(runs(job).slice(2, 4)).toEqual(['npm ci', 'npx tsc --build']);
    expect(String(list.at(-1)?.uses)).toMatch(/^actions\/upload-artifact@/);
    for (const step of list)
      expect(Object.keys(step).every((key) => ['name', 'uses', 'with', 'run', 'env'].includes(key))).toBe(
        true,
      );
  });

  it('runs with read-only repository permissions', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });
});
