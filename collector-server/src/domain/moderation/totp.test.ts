import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, generateTotpSecret, otpauthUri, totpCode, verifyTotp } from './totp.js';

// RFC 6238 appendix B, SHA-1 rows, truncated to six digits.
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890'));

describe('TOTP', () => {
  it('matches the RFC 6238 test vectors', () => {
    expect(totpCode(RFC_SECRET, 59_000)).toBe('287082');
    expect(totpCode(RFC_SECRET, 1_111_111_109_000)).toBe('081804');
    expect(totpCode(RFC_SECRET, 1_234_567_890_000)).toBe('005924');
    expect(totpCode(RFC_SECRET, 2_000_000_000_000)).toBe('279037');
  });

  it('round-trips base32', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255, 17, 99]);
    expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
    expect(base32Decode(generateTotpSecret())).toHaveLength(20);
  });

  it('accepts one step either side and nothing further', () => {
    const now = 1_700_000_000_000;
    const secret = generateTotpSecret();
    expect(verifyTotp(secret, totpCode(secret, now - 30_000), now)).not.toBeNull();
    expect(verifyTotp(secret, totpCode(secret, now + 30_000), now)).not.toBeNull();
    expect(verifyTotp(secret, totpCode(secret, now - 90_000), now)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', now)).toBeNull();
  });

  it('refuses a code whose step was already used (replay)', () => {
    const now = 1_700_000_000_000;
    const secret = generateTotpSecret();
    const step = verifyTotp(secret, totpCode(secret, now), now);
    expect(step).not.toBeNull();
    expect(verifyTotp(secret, totpCode(secret, now), now, step)).toBeNull();
  });

  it('builds an otpauth URI with the issuer and escaped account', () => {
    const uri = otpauthUri('ABC', 'a b@school.example');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Kestrel%3Aa%20b%40school\.example\?secret=ABC&issuer=Kestrel/);
  });
});
