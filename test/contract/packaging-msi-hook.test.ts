import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WINDOWS_POLICY_KEY } from '../../agent/src/config/windows-policy-reader.js';
import {
  addKestrelDeployment,
  DEPLOYMENT_PROPERTIES,
  msiProjectCreated,
  POLICY_KEY,
  RUN_KEY,
} from '../../build/windows/msi-project-hook.mjs';
import { findAll, parseXml, repoFile } from './packaging-xml.js';

// Captured at `msiProjectCreated` from electron-builder 26.17.0 building this repository's MSI
// (on Linux, with a stand-in electron.exe; the build then stops where it downloads WiX).
const sample = repoFile('build/windows/fixtures/electron-builder-project.wxs');
const ARRAYS = [
  'Property',
  'Component',
  'Custom',
  'CustomAction',
  'ComponentGroup',
  'ComponentGroupRef',
  'RegistryValue',
];

function parsed(wxs: string) {
  return parseXml(wxs, ARRAYS);
}

describe('msi-project-hook on a project generated from electron-builder’s template', () => {
  const output = addKestrelDeployment(sample);
  const doc = parsed(output);

  it('keeps the project well-formed and everything that was there', () => {
    const before = findAll(parsed(sample), 'File').length;
    expect(findAll(doc, 'File')).toHaveLength(before);
    expect(output.startsWith(sample.slice(0, sample.indexOf('<Feature')))).toBe(true);
  });

  it('adds SERVERURL and ENROLMENTTOKEN as secure public properties read back from the policy key', () => {
    const properties = findAll(doc, 'Property');
    for (const { property, valueName } of DEPLOYMENT_PROPERTIES) {
      const declared = properties.find((p) => p['@Id'] === property);
      expect(declared?.['@Secure']).toBe('yes');
      expect(declared?.RegistrySearch).toMatchObject({
        '@Root': 'HKLM',
        '@Key': POLICY_KEY,
        '@Name': valueName,
      });
    }
    // The token stays out of verbose installer logs.
    expect(properties.find((p) => p['@Id'] === 'ENROLMENTTOKEN')?.['@Hidden']).toBe('yes');
    expect(properties.find((p) => p['@Id'] === 'SERVERURL')?.['@Hidden']).toBeUndefined();
  });

  it('lets a value on the command line win over the remembered one, in both sequences', () => {
    for (const table of ['InstallUISequence', 'InstallExecuteSequence']) {
      const customs = findAll(findAll(doc, table)[0], 'Custom');
      for (const { property, valueName } of DEPLOYMENT_PROPERTIES) {
        expect(customs).toContainEqual({
          '@Action': `KestrelSaveCmdline${valueName}`,
          '@Before': 'AppSearch',
          '#text': property,
        });
        expect(customs).toContainEqual({
          '@Action': `KestrelRestoreCmdline${valueName}`,
          '@After': 'AppSearch',
          '#text': `KESTREL_CMDLINE_${property}`,
        });
      }
    }
  });

  it('writes each policy value only when its property is set, under the key the agent reads', () => {
    expect(`HKLM\\${POLICY_KEY}`).toBe(WINDOWS_POLICY_KEY);
    const components = findAll(doc, 'Component');
    for (const { property, valueName, componentGuid } of DEPLOYMENT_PROPERTIES) {
      const component = components.find((c) => c['@Id'] === `KestrelPolicy${valueName}`);
      expect(component?.['@Guid']).toBe(componentGuid);
      expect(component?.Condition).toBe(property);
      expect(component?.RegistryValue).toEqual([
        {
          '@Root': 'HKLM',
          '@Key': POLICY_KEY,
          '@Name': valueName,
          '@Type': 'string',
          '@Value': `[${property}]`,
          '@KeyPath': 'yes',
        },
      ]);
    }
  });

  it('starts the agent in every session with an HKLM Run entry to the installed executable', () => {
    const run = findAll(doc, 'Component').find((c) => c['@Id'] === 'KestrelRunAtLogon');
    expect(run?.Condition).toBeUndefined();
    expect(run?.RegistryValue).toEqual([
      expect.objectContaining({
        '@Root': 'HKLM',
        '@Key': RUN_KEY,
        '@Value': '"[#mainExecutable]"',
      }),
    ]);
    expect(output).toContain('Value="&quot;[#mainExecutable]&quot;"');
  });

  it('installs the new components with the product feature', () => {
    const feature = findAll(doc, 'Feature')[0];
    expect(findAll(feature, 'ComponentGroupRef').map((r) => r['@Id'])).toEqual([
      'ProductComponents',
      'KestrelDeployment',
    ]);
    const group = findAll(doc, 'ComponentGroup').find((g) => g['@Id'] === 'KestrelDeployment');
    expect(group?.['@Directory']).toBe('APPLICATIONFOLDER');
    const guids = findAll(doc, 'Component')
      .map((c) => c['@Guid'])
      .filter(Boolean);
    expect(new Set(guids).size).toBe(guids.length);
    for (const guid of guids)
      expect(guid).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/);
  });

  it('is idempotent', () => {
    expect(addKestrelDeployment(output)).toBe(output);
    expect(addKestrelDeployment(addKestrelDeployment(output))).toBe(output);
  });

  it('refuses a project it does not recognise rather than ship an MSI that ignores SERVERURL', () => {
    expect(() => addKestrelDeployment(sample.replace(' Id="mainExecutable"', ''))).toThrow(/mainExecutable/);
    expect(() =>
      addKestrelDeployment(sample.replace('<ComponentGroupRef Id="ProductComponents"/>', '')),
    ).toThrow(/ProductComponents/);
    expect(() => addKestrelDeployment(sample.replace('</Product>', ''))).toThrow(/Product/);
  });

  it('rewrites the project file in place, as electron-builder calls it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kestrel-wxs-'));
    try {
      const file = join(dir, 'project.wxs');
      writeFileSync(file, sample);
      await msiProjectCreated(file);
      expect(readFileSync(file, 'utf8')).toBe(output);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
