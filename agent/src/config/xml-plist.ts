/** What an XML property list can hold (dates as ISO strings, data as bytes). */
export type PlistValue =
  string | number | boolean | Uint8Array | PlistValue[] | { [key: string]: PlistValue };

export class PlistError extends Error {
  override readonly name = 'PlistError';
}

/** Binary plists begin with these bytes; managed preferences are often written that way. */
export function isBinaryPlist(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 6)).toString('latin1') === 'bplist';
}

type Token = { kind: 'open' | 'close' | 'empty'; name: string } | { kind: 'text'; text: string };

/**
 * A small parser for the XML plist format only: no DTD processing, no external entities, only the
 * five predefined entities and numeric references, so a hostile file cannot make it fetch or
 * expand anything.
 */
export function parseXmlPlist(xml: string): PlistValue {
  const tokens = tokenize(xml);
  let position = 0;
  const next = (): Token | undefined => tokens[position++];
  const peek = (): Token | undefined => tokens[position];

  const expectOpen = (name: string): void => {
    const token = next();
    if (token?.kind !== 'open' || token.name !== name) throw new PlistError(`expected <${name}>`);
  };
  const textUntilClose = (name: string): string => {
    let text = '';
    for (let token = next(); ; token = next()) {
      if (token === undefined) throw new PlistError(`unterminated <${name}>`);
      if (token.kind === 'text') text += token.text;
      else if (token.kind === 'close' && token.name === name) return text;
      else throw new PlistError(`unexpected element inside <${name}>`);
    }
  };

  const value = (depth: number): PlistValue => {
    if (depth > 64) throw new PlistError('nesting too deep');
    const token = next();
    if (token === undefined || token.kind === 'text' || token.kind === 'close')
      throw new PlistError('expected a value');
    if (token.kind === 'empty') {
      switch (token.name) {
        case 'true':
          return true;
        case 'false':
          return false;
        case 'string':
          return '';
        case 'array':
          return [];
        case 'dict':
          return {};
        case 'data':
          return new Uint8Array();
        default:
          throw new PlistError(`unexpected <${token.name}/>`);
      }
    }
    switch (token.name) {
      case 'string':
        return textUntilClose('string');
      case 'integer': {
        const text = textUntilClose('integer').trim();
        if (!/^[+-]?\d+$/.test(text)) throw new PlistError('bad <integer>');
        return Number(text);
      }
      case 'real': {
        const number = Number(textUntilClose('real').trim());
        if (Number.isNaN(number)) throw new PlistError('bad <real>');
        return number;
      }
      case 'date':
        return textUntilClose('date').trim();
      case 'data':
        return new Uint8Array(Buffer.from(textUntilClose('data').replace(/\s+/g, ''), 'base64'));
      case 'true':
      case 'false':
        textUntilClose(token.name);
        return token.name === 'true';
      case 'array': {
        const items: PlistValue[] = [];
        while (!(peek()?.kind === 'close')) items.push(value(depth + 1));
        if ((next() as { name: string }).name !== 'array') throw new PlistError('unterminated <array>');
        return items;
      }
      case 'dict': {
        const entries: Record<string, PlistValue> = {};
        for (;;) {
          const head = peek();
          if (head?.kind === 'close') {
            next();
            if (head.name !== 'dict') throw new PlistError('unterminated <dict>');
            return entries;
          }
          expectOpen('key');
          const key = textUntilClose('key');
          // Own data property: a key named `__proto__` must not reach the prototype.
          Object.defineProperty(entries, key, {
            value: value(depth + 1),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
      }
      default:
        throw new PlistError(`unexpected <${token.name}>`);
    }
  };

  expectOpen('plist');
  const root = value(0);
  const close = next();
  if (close?.kind !== 'close' || close.name !== 'plist') throw new PlistError('expected </plist>');
  if (position !== tokens.length) throw new PlistError('content after </plist>');
  return root;
}

function tokenize(xml: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const source = xml.replace(/^\uFEFF/, '');
  while (index < source.length) {
    const lt = source.indexOf('<', index);
    const textEnd = lt === -1 ? source.length : lt;
    if (textEnd > index) {
      const text = source.slice(index, textEnd);
      tokens.push({ kind: 'text', text: decodeEntities(text) });
    }
    if (lt === -1) break;
    if (source.startsWith('<!--', lt)) {
      index = endOf(source, '-->', lt);
    } else if (source.startsWith('<?', lt)) {
      index = endOf(source, '?>', lt);
    } else if (source.startsWith('<![CDATA[', lt)) {
      const end = source.indexOf(']]>', lt);
      if (end === -1) throw new PlistError('unterminated CDATA');
      tokens.push({ kind: 'text', text: source.slice(lt + 9, end) });
      index = end + 3;
    } else if (source.startsWith('<!DOCTYPE', lt)) {
      // An internal subset could declare entities; plists never need one.
      const end = source.indexOf('>', lt);
      if (end === -1 || source.slice(lt, end).includes('['))
        throw new PlistError('DOCTYPE with an internal subset');
      index = end + 1;
    } else {
      const end = source.indexOf('>', lt);
      if (end === -1) throw new PlistError('unterminated tag');
      const inner = source.slice(lt + 1, end).trim();
      const match = /^(\/?)([A-Za-z][\w.-]*)(?:\s[^>]*?)?(\/?)$/.exec(inner);
      if (!match) throw new PlistError('malformed tag');
      const [, slash, name = '', selfClosing] = match;
      tokens.push({ kind: slash ? 'close' : selfClosing ? 'empty' : 'open', name });
      index = end + 1;
    }
  }
  // Whitespace between elements is layout, not content; text inside <string> is kept whole.
  return tokens.filter(
    (token, i) => token.kind !== 'text' || token.text.trim() !== '' || isInsideText(tokens, i),
  );
}

function isInsideText(tokens: Token[], index: number): boolean {
  const before = tokens[index - 1];
  const after = tokens[index + 1];
  return before?.kind === 'open' && after?.kind === 'close' && before.name === after.name;
}

function endOf(source: string, terminator: string, from: number): number {
  const end = source.indexOf(terminator, from);
  if (end === -1) throw new PlistError(`unterminated ${terminator}`);
  return end + terminator.length;
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (_whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    const named = NAMED_ENTITIES[entity];
    if (named === undefined) throw new PlistError(`unknown entity &${entity};`);
    return named;
  });
}
