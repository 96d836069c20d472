import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows a burst, then one request per interval, per key', () => {
    let now = 0;
    const limiter = new RateLimiter(60, 3, { now: () => new Date(now) });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1); // one per second: retry after 1 s
    expect(limiter.take('b')).toBe(0);
    now += 1000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
  });

  it('answers the seconds to wait, rounded up', () => {
    let now = 0;
    const limiter = new RateLimiter(6, 1, { now: () => new Date(now) }); // one per 10 s
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(10);
    now += 4000;
    expect(limiter.take('a')).toBe(6);
  });

  it('bounds the number of keys it remembers', () => {
    let now = 0;
    const limiter = new RateLimiter(60, 2, { now: () => new Date(now) }, 10);
    for (let i = 0; i < 10; i++) limiter.take(`k${i}`);
    now += 60_000; // every bucket has refilled and can be forgotten
    expect(limiter.take('new')).toBe(0);
  });

  it('peeks without taking', () => {
    let now = 0;
    const limiter = new RateLimiter(6, 2, { now: () => new Date(now) }); // one per 10 s
    expect(limiter.peek('a')).toBe(0);
    expect([limiter.take('a'), limiter.take('a')]).toEqual([0, 0]);
    expect(limiter.peek('a')).toBe(10);
    expect(limiter.peek('a')).toBe(10);
    now += 10_000;
    expect(limiter.peek('a')).toBe(0);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.peek('a')).toBe(10);
  });
});
