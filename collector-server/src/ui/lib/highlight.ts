/**
 * Splits a capture's context into plain and matched segments, so the matched phrase can be wrapped
 * in <mark> with text nodes (never HTML). Case-insensitive; every occurrence is marked. When the
 * term does not occur literally (it matched after normalisation on the agent) nothing is marked.
 */
export interface Segment {
  text: string;
  match: boolean;
}

export function highlightSegments(context: string, term: string): Segment[] {
  const needle = term.trim().toLowerCase();
  if (needle.length === 0 || context.length === 0) return context ? [{ text: context, match: false }] : [];
  const haystack = context.toLowerCase();
  // Lower-casing can change lengths in rare scripts; then offsets would lie, so do not mark.
  if (haystack.length !== context.length) return [{ text: context, match: false }];
  const out: Segment[] = [];
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) break;
    if (at > from) out.push({ text: context.slice(from, at), match: false });
    out.push({ text: context.slice(at, at + needle.length), match: true });
    from = at + needle.length;
  }
  if (from < context.length) out.push({ text: context.slice(from), match: false });
  return out;
}
