/**
 * A multipart/form-data reader (RFC 7578 over RFC 2046) for a body already in memory and bounded.
 * The one upload we take — two parts, one of them a screenshot of a few hundred KB — gains nothing
 * from streaming, and finding delimiters with `Buffer.indexOf` (native) costs a tenth of a
 * byte-at-a-time streaming parser (docs/benchmarks.md, "Collector ingest"). Part bodies are views
 * into the request body, never copies.
 */

export interface FormPart {
  /** The `name` of `Content-Disposition: form-data`. */
  name: string;
  /** Present when the part is a file (a `filename` parameter, even empty). Never used as a path. */
  filename?: string;
  /** The part's `Content-Type`, lower-cased, without parameters; `text/plain` when absent. */
  contentType: string;
  body: Buffer;
}

export class MultipartError extends Error {}

/** RFC 2046 boundary: 1–70 characters of a restricted set, not ending in a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
const HEADERS_MAX_BYTES = 8 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data` content type, or undefined if it is not one. */
export function formDataBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const [type, ...params] = splitParams(contentType);
  if (type?.toLowerCase() !== 'multipart/form-data') return undefined;
  const boundary = paramValue(params, 'boundary');
  return boundary !== undefined && BOUNDARY.test(boundary) ? boundary : undefined;
}

/** Splits the body into its parts; throws `MultipartError` for anything malformed or over `maxParts`. */
export function parseFormData(body: Buffer, boundary: string, maxParts: number): FormPart[] {
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first boundary opens the body, or follows a preamble and a line break.
  let at = body.subarray(0, dashBoundary.length).equals(dashBoundary) ? 0 : body.indexOf(delimiter);
  if (at < 0) throw new MultipartError('no boundary found');
  at += at === 0 ? dashBoundary.length : delimiter.length;
  const parts: FormPart[] = [];
  for (;;) {
    // After a boundary: "--" closes the body; otherwise optional padding, then a line break.
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts;
    while (body[at] === 0x20 || body[at] === 0x09) at++;
    if (!body.subarray(at, at + 2).equals(CRLF)) throw new MultipartError('malformed boundary line');
    at += 2;
    if (parts.length === maxParts) throw new MultipartError(`more than ${maxParts} parts`);
    const headersEnd = body.indexOf(HEADERS_END, at - 2);
    if (headersEnd < 0 || headersEnd - at > HEADERS_MAX_BYTES)
      throw new MultipartError('malformed part headers');
    const headers = headersEnd < at ? '' : body.toString('latin1', at, headersEnd);
    const contentStart = headersEnd + HEADERS_END.length;
    const contentEnd = body.indexOf(delimiter, contentStart);
    if (contentEnd < 0) throw new MultipartError('the body ends inside a part');
    parts.push({ ...partHeaders(headers), body: body.subarray(contentStart, contentEnd) });
    at = contentEnd + delimiter.length;
  }
}

function partHeaders(block: string): Omit<FormPart, 'body'> {
  let disposition: string | undefined;
  let contentType = 'text/plain';
  for (const line of block === '' ? [] : block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError('malformed part header');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    else if (name === 'content-type') contentType = (splitParams(value)[0] ?? '').toLowerCase();
  }
  if (disposition === undefined) throw new MultipartError('a part has no Content-Disposition');
  const [kind, ...params] = splitParams(disposition);
  const name = paramValue(params, 'name');
  if (kind?.toLowerCase() !== 'form-data' || name === undefined)
    throw new MultipartError('a part is not named form data');
  const filename = paramValue(params, 'filename');
  return { name: utf8(name), contentType, ...(filename === undefined ? {} : { filename: utf8(filename) }) };
}

/** `type; a=1; b="x; y"` → ['type', 'a=1', 'b="x; y"'], honouring quoted strings. */
function splitParams(header: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i];
    if (quoted && c === '\\' && i + 1 < header.length) {
      current += c + header[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      out.push(current.trim());
      current = '';
    } else current += c;
  }
  out.push(current.trim());
  return out;
}

function paramValue(params: string[], key: string): string | undefined {
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== key) continue;
    const raw = param.slice(eq + 1).trim();
    if (!raw.startsWith('"')) return raw;
    if (raw.length < 2 || !raw.endsWith('"')) throw new MultipartError(`unterminated ${key}`);
    return raw.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return undefined;
}

/** Header bytes were read as latin1; names sent as UTF-8 (as browsers and undici do) come back whole. */
function utf8(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}
