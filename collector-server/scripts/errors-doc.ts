/**
 * Regenerates the table in docs/errors.md from the error catalogue:
 * `npx tsx collector-server/scripts/errors-doc.ts`. A test fails when the committed table differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../../shared/src/errors/codes.js';

export const ERRORS_DOC = fileURLToPath(new URL('../../docs/errors.md', import.meta.url));

export function renderErrorTable(): string {
  const rows = Object.entries(ERROR_CODES).map(
    ([code, { status, meaning }]) => `| \`${code}\` | ${status} | ${meaning} |`,
  );
  return ['| code | status | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The document with its table (the first block of lines starting with `|`) replaced. */
export function withRegeneratedTable(doc: string): string {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| code |'));
  if (start < 0) throw new Error('docs/errors.md has no "| code |" table');
  let end = start;
  while (end < lines.length && lines[end]?.startsWith('|')) end++;
  return [...lines.slice(0, start), renderErrorTable(), ...lines.slice(end)].join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(ERRORS_DOC, withRegeneratedTable(readFileSync(ERRORS_DOC, 'utf8')));
  console.log(`Wrote ${ERRORS_DOC}`);
}
