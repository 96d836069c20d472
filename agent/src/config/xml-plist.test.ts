import { describe, expect, it } from 'vitest';
import { isBinaryPlist, parseXmlPlist, PlistError } from './xml-plist.js';
import { fixtureBytes } from './test-fixtures.js';

const wrap = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">${body}</plist>`;

describe('parseXmlPlist', () => {
  it('parses every plist value type', () => {
    const value = parseXmlPlist(
      wrap(`<dict>
        <key>s</key><string>a &amp; b &lt;c&gt; &#233;&#x1F600;</string>
        <key>blank</key><string/>
        <key>spaces</key><string>  two  </string>
        <key>i</key><integer>-42</integer>
        <key>r</key><real>2.5</real>
        <key>t</key><true/><key>f</key><false/>
        <key>d</key><date>2026-09-01T08:00:00Z</date>
        <key>b</key><data>AAEC</data>
        <key>a</key><array><string>x</string><array/><dict/></array>
        <!-- a comment -->
      </dict>`),
    );
    expect(value).toEqual({
      s: 'a & b <c> é😀',
      blank: '',
      spaces: '  two  ',
      i: -42,
      r: 2.5,
      t: true,
      f: false,
      d: '2026-09-01T08:00:00Z',
      b: new Uint8Array([0, 1, 2]),
      a: ['x', [], {}],
    });
  });

  it('refuses entity declarations, unknown entities and broken structure', () => {
    expect(() =>
      parseXmlPlist('<!DOCTYPE plist [<!ENTITY x "y">]><plist><string>&x;</string></plist>'),
    ).toThrow(PlistError);
    expect(() => parseXmlPlist(wrap('<string>&x;</string>'))).toThrow(/unknown entity/);
    expect(() => parseXmlPlist(wrap('<dict><string>no key</string></dict>'))).toThrow(PlistError);
    expect(() => parseXmlPlist(wrap('<integer>1.5</integer>'))).toThrow(/integer/);
    expect(() => parseXmlPlist(wrap('<string>a</string><string>b</string>'))).toThrow(PlistError);
    expect(() => parseXmlPlist('<plist><dict>')).toThrow(PlistError);
  });

  it('keeps a __proto__ key as plain data', () => {
    const value = parseXmlPlist(
      wrap('<dict><key>__proto__</key><dict><key>polluted</key><true/></dict></dict>'),
    ) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('recognises a binary plist', () => {
    expect(isBinaryPlist(fixtureBytes('managed-prefs-binary.plist'))).toBe(true);
    expect(isBinaryPlist(fixtureBytes('managed-prefs-device.plist'))).toBe(false);
  });
});
