/**
 * A URL from a capture may become a link only when it is http(s). Anything else (javascript:,
 * data:, vbscript:, relative junk) stays text. Answers the normalised href or null.
 */
export function safeHref(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.href;
}
