import { compileLexicon, loadDefaultLexicon } from '@kestrel/shared/lexicon';
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
    expect(applyOverrides(base, { disabled: [], added: [], exceptions: [] })).toBe(base);
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
