import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

describe('parseConfig', () => {
  it('has the defaults CONTRACTS.md names', () => {
    const c = parseConfig({}, '/srv/kestrel');
    expect(c.port).toBe(8080);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir).toBe('/srv/kestrel/data');
    expect(c.database).toEqual({ kind: 'sqlite', file: '/srv/kestrel/data/kestrel.sqlite' });
    expect(c.bootstrap).toEqual({});
  });

  it('selects PostgreSQL from DATABASE_URL', () => {
    const c = parseConfig({ DATABASE_URL: 'postgres://u@db/kestrel', DATABASE_SCHEMA: 'school_a' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@db/kestrel', schema: 'school_a' });
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(8080);
  });

  it('names every bad variable at once, hiding secrets', () => {
    let error: unknown;
    try {
      parseConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        BOOTSTRAP_ADMIN_EMAIL: 'not-an-email',
        BOOTSTRAP_ADMIN_PASSWORD: 'short',
        TRUST_PROXY: 'maybe',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of [
      'PORT="eighty"',
      'DATABASE_URL',
      'BOOTSTRAP_ADMIN_EMAIL',
      'BOOTSTRAP_ADMIN_PASSWORD=(hidden)',
      'TRUST_PROXY',
    ]) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('short');
  });

  it('refuses a port out of range', () => {
    expect(() => parseConfig({ PORT: '70000' })).toThrow(/PORT="70000": must be between 0 and 65535/);
  });
});
