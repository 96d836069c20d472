import { compileLexicon, loadDefaultLexicon } from '@kestrel/shared/lexicon';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { applyOverrides, lexiconOverridesSchema } from './lexicon-overrides.js';

describe('school lexicon changes', () => {
  it('disables an entry, adds a term and an exception, and renames the version', () => {
    const base = loadDefaultLexicon();
    const first = base.entries.find((e) => !e.term.includes('*') && !e.term.includes(' '));
    if (first === undefined) throw new Error('default lexicon has no single-word term');
    const overrides = lexiconOverridesSchema.parse({
      disabled: [{ term: first.term, category: first.category }],
      added: [{ term: 'zorblax', category: 'bullying', severity: 3, note: 'local slang for a slur' }],
      exceptions: [{ phrase: 'zorblax club', note: 'the chess club' }],
    });
    const lexicon = applyOverrides(base, overrides);
    expect(lexicon.version).toMatch(
      new RegExp(`^${base.version.replace(/\./g, '\\.')}\\+school\\.[0-9a-f]{8}$`),
    );
    expect(lexicon.entries).toHaveLength(base.entries.length);
    const compiled = compileLexicon(lexicon);
    expect(compiled.match('you are such a zorblax').map((m) => m.term)).toEqual(['zorblax']);
    expect(compiled.match('see you at zorblax club')).toEqual([]);
    expect(compiled.match(`x ${first.term} x`).filter((m) => m.term === first.term)).toEqual([]);
    expect(applyOverrides(base, lexiconOverridesSchema.parse({}))).toBe(base);
  });

  it('gives a shipped entry the school’s severity, and keeps earlier versions’ names', () => {
    const base = loadDefaultLexicon();
    const entry = base.entries.find((e) => e.severity < 5 && !e.term.includes('*'));
    if (entry === undefined) throw new Error('default lexicon has no entry below severity 5');
    const changed = applyOverrides(
      base,
      lexiconOverridesSchema.parse({
        severities: [{ term: entry.term, category: entry.category, severity: 5 }],
      }),
    );
    expect(changed.entries).toHaveLength(base.entries.length);
    expect(
      changed.entries.find((e) => e.term === entry.term && e.category === entry.category)?.severity,
    ).toBe(5);
    expect(changed.version).not.toBe(base.version);
    expect(
      compileLexicon(changed)
        .match(`x ${entry.term} x`)
        .find((m) => m.term === entry.term && m.category === entry.category)?.severity,
    ).toBe(5);
    // A school's draft from before severities existed keeps its version name.
    const old = {
      disabled: [],
      added: [{ term: 'zorblax', category: 'bullying', severity: 3 }],
      exceptions: [],
    };
    const digest = createHash('sha256').update(JSON.stringify(old)).digest('hex').slice(0, 8);
    expect(applyOverrides(base, lexiconOverridesSchema.parse(old)).version).toBe(
      `${base.version}+school.${digest}`,
    );
    for (const severity of [0, 6, 2.5]) {
      expect(
        lexiconOverridesSchema.safeParse({
          severities: [{ term: entry.term, category: entry.category, severity }],
        }).success,
      ).toBe(false);
    }
  });

  it('refuses malformed terms with the lexicon schema', () => {
    expect(
      lexiconOverridesSchema.safeParse({ added: [{ term: 'Bad  Term', category: 'drugs', severity: 2 }] })
        .success,
    ).toBe(false);
    expect(
      lexiconOverridesSchema.safeParse({ added: [{ term: 'ok term', category: 'nope', severity: 2 }] })
        .success,
    ).toBe(false);
  });
});
