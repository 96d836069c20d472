import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The CSRF token is derived from the session secret (HMAC), so it is bound to the session, needs
 * no storage, and changes when the session does. A page on another origin can neither read the
 * HttpOnly cookie nor this token, so it cannot forge the `X-CSRF-Token` header.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('kestrel-csrf-v1').digest('base64url');
}

export function csrfTokenMatches(sessionToken: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
