import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Helpers for the packaging tests: repository files, and XML checked for well-formedness first. */
export function repoFile(path: string): string {
  return readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
}

/** Parses XML after validating it; attributes keep their names with a leading `@`. */
export function parseXml(xml: string, arrays: readonly string[] = []): Record<string, unknown> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    isArray: (name) => arrays.includes(name),
  });
  return parser.parse(xml) as Record<string, unknown>;
}

/** Every element named `name` anywhere in a parsed document. */
export function findAll(node: unknown, name: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (key === name)
        for (const item of Array.isArray(child) ? child : [child])
          found.push(item as Record<string, unknown>);
      visit(child);
    }
  };
  visit(node);
  return found;
}
