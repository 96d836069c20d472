import { describe, expect, it } from 'vitest';
import { MACHINE_POLICY_KEYS } from '../../agent/src/config/machine-policy-schema.js';
import { WINDOWS_POLICY_KEY } from '../../agent/src/config/windows-policy-reader.js';
import { findAll, parseXml, repoFile } from './packaging-xml.js';

const admx = parseXml(repoFile('build/windows/kestrel.admx'), ['policy', 'item']);
const policies = findAll(admx, 'policy');
const LANGUAGES = ['en-GB', 'en-US'];

/** The registry value names an ADMX policy writes: its own `valueName` and its elements'. */
function valueNames(policy: Record<string, unknown>): string[] {
  const names = policy['@valueName'] === undefined ? [] : [String(policy['@valueName'])];
  const elements = policy.elements as Record<string, unknown> | undefined;
  for (const element of Object.values(elements ?? {})) {
    for (const item of Array.isArray(element) ? element : [element])
      names.push(String((item as Record<string, unknown>)['@valueName']));
  }
  return names;
}

describe('Group Policy templates', () => {
  it('declare every machine-policy key, and nothing the agent does not read', () => {
    const declared = policies.flatMap(valueNames).sort();
    expect(declared).toEqual([...MACHINE_POLICY_KEYS].sort());
  });

  it('write machine policy under the key the agent queries', () => {
    const expected = WINDOWS_POLICY_KEY.replace(/^HKLM\\SOFTWARE/, 'Software');
    for (const policy of policies) {
      expect(policy['@class'], String(policy['@name'])).toBe('Machine');
      expect(policy['@key']).toBe(expected);
    }
  });

  it('offer exactly the keyboard layouts the protocol knows', async () => {
    const { KEYBOARD_LAYOUTS } = await import('@kestrel/shared/protocol');
    const layout = policies.find((p) => p['@name'] === 'KeyboardLayout');
    const items = findAll(layout, 'item').map((item) => findAll(item, 'string')[0]);
    expect(items).toEqual([...KEYBOARD_LAYOUTS]);
  });

  it.each(LANGUAGES)('have an %s ADML with every string and presentation the ADMX refers to', (language) => {
    const admlText = repoFile(`build/windows/${language}/kestrel.adml`);
    const adml = parseXml(admlText, ['string', 'presentation']);
    const strings = new Set(findAll(adml, 'string').map((s) => String(s['@id'])));
    const presentations = new Map(findAll(adml, 'presentation').map((p) => [String(p['@id']), p]));
    const admxText = repoFile('build/windows/kestrel.admx');
    for (const [, id] of admxText.matchAll(/\$\(string\.([\w]+)\)/g))
      expect(strings, `string ${id}`).toContain(id);
    for (const [, id] of admxText.matchAll(/\$\(presentation\.([\w]+)\)/g))
      expect(presentations.has(id ?? ''), `presentation ${id}`).toBe(true);
    // Each presentation control points at an element of that policy.
    for (const policy of policies) {
      const presentation = presentations.get(String(policy['@name']));
      if (!presentation) continue;
      const elementIds = Object.values((policy.elements ?? {}) as Record<string, unknown>).map(
        (e) => (e as Record<string, unknown>)['@id'],
      );
      const controls = Object.values(presentation).filter(
        (v): v is Record<string, unknown> => typeof v === 'object' && v !== null,
      );
      const refs = controls.map((c) => c['@refId']);
      expect(refs.filter(Boolean)).toEqual(elementIds);
    }
  });
});
