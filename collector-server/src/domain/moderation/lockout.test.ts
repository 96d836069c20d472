import { describe, expect, it } from 'vitest';
import { lockedForSeconds, recordFailure, type LockoutPolicy } from './lockout.js';

const policy: LockoutPolicy = { maxFailures: 3, windowMs: 60_000, lockMs: 120_000 };

describe('lockout', () => {
  it('locks after the threshold inside the window and unlocks later', () => {
    let r = recordFailure(undefined, 0, policy);
    r = recordFailure(r, 1000, policy);
    expect(lockedForSeconds(r, 1000)).toBe(0);
    r = recordFailure(r, 2000, policy);
    expect(lockedForSeconds(r, 2000)).toBe(120);
    expect(lockedForSeconds(r, 122_000)).toBe(0);
  });

  it('starts counting afresh once the window has passed', () => {
    let r = recordFailure(undefined, 0, policy);
    r = recordFailure(r, 1000, policy);
    r = recordFailure(r, 70_000, policy);
    expect(r.failures).toBe(1);
    expect(lockedForSeconds(r, 70_000)).toBe(0);
  });
});
