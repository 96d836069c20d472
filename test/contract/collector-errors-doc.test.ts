import { readFileSync } from 'node:fs';
import { ERROR_CODES } from '@kestrel/shared/errors';
import { describe, expect, it } from 'vitest';
import { ERRORS_DOC, withRegeneratedTable } from '../../collector-server/scripts/errors-doc.js';

describe('docs/errors.md', () => {
  const doc = readFileSync(ERRORS_DOC, 'utf8');

  it.each(Object.entries(ERROR_CODES))('documents %s with its status', (code, { status }) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${code}\` \\| ${status} \\| .+ \\|$`, 'm'));
  });

  it('matches the catalogue exactly (regenerate: npx tsx collector-server/scripts/errors-doc.ts)', () => {
    expect(doc).toBe(withRegeneratedTable(doc));
  });

  it('gives every code a status that is an HTTP error', () => {
    for (const { status } of Object.values(ERROR_CODES)) {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });
});
