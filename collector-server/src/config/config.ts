import { isAbsolute, resolve } from 'node:path';
import { LIMITS } from '@kestrel/shared/protocol';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = (max: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max}`);

/** The environment the collector reads (CONTRACTS.md, "Collector configuration"), validated. */
const envSchema = z.object({
  PORT: z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a port number')
    .min(0, 'must be between 0 and 65535')
    .max(65_535, 'must be between 0 and 65535')
    .default(8080),
  HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for SQLite in DATA_DIR)')
    .optional(),
  /** PostgreSQL schema to use (created if absent); lets several collectors or tests share a database. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .optional(),
  BOOTSTRAP_ADMIN_EMAIL: z.email('must be an email address').optional(),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').max(1024).optional(),
  ENROLMENT_TOKEN: z
    .string()
    .min(8, 'must be at least 8 characters')
    .max(LIMITS.enrolmentToken, `must be at most ${LIMITS.enrolmentToken} characters`)
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  /** Behind a reverse proxy that terminates TLS: trust X-Forwarded-* for protocol and client address. */
  TRUST_PROXY: booleanFromEnv.default(false),
  /** `auto`: Secure cookies when the request came over HTTPS (directly or via a trusted proxy). */
  COOKIE_SECURE: z
    .enum(['auto', 'true', 'false'], { message: 'must be auto, true or false' })
    .default('auto'),
  SESSION_TTL_HOURS: positiveInt(24 * 30).default(12),
  DEVICE_CAPTURES_PER_MINUTE: positiveInt(1_000_000).default(120),
  DEVICE_REQUESTS_PER_MINUTE: positiveInt(1_000_000).default(60),
  /** Enrolments from one client address (a school's machines often share one behind NAT). */
  ENROLMENTS_PER_MINUTE_PER_ADDRESS: positiveInt(1_000_000).default(300),
  /** Enrolments refused for a bad token from one client address: guessing gets nowhere fast. */
  ENROLMENT_FAILURES_PER_MINUTE_PER_ADDRESS: positiveInt(1_000_000).default(10),
  SCREENSHOT_MAX_BYTES: positiveInt(LIMITS.screenshotBytes).default(LIMITS.screenshotBytes),
  SHUTDOWN_TIMEOUT_SECONDS: positiveInt(3600).default(30),
  /** The address printed at start and used in links (defaults to http://HOST:PORT). */
  PUBLIC_URL: z.url('must be a URL').optional(),
});

export interface Config {
  port: number;
  host: string;
  /** Absolute. */
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string };
  bootstrap: { adminEmail?: string; adminPassword?: string; enrolmentToken?: string };
  logLevel: (typeof LOG_LEVELS)[number];
  trustProxy: boolean;
  cookieSecure: 'auto' | boolean;
  sessionTtlMs: number;
  rateLimits: {
    capturesPerMinute: number;
    requestsPerMinute: number;
    enrolmentsPerMinutePerAddress: number;
    enrolmentFailuresPerMinutePerAddress: number;
  };
  screenshotMaxBytes: number;
  shutdownTimeoutMs: number;
  publicUrl?: string;
}

/** Thrown with one line per bad variable, so an operator sees every mistake at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  // An empty variable means "unset" (docker-compose and shells make empty strings easily).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0] ?? '?');
        const value = env[name];
        const secret = name.includes('PASSWORD') || name.includes('TOKEN');
        const shown = value === undefined ? '' : secret ? '(hidden)' : JSON.stringify(value);
        return `${name}=${shown}: ${i.message}`;
      }),
    );
  }
  const e = parsed.data;
  const dataDir = isAbsolute(e.DATA_DIR) ? e.DATA_DIR : resolve(cwd, e.DATA_DIR);
  if (e.DATABASE_SCHEMA !== undefined && e.DATABASE_URL === undefined) {
    throw new ConfigError(['DATABASE_SCHEMA: only meaningful with a postgres:// DATABASE_URL']);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database:
      e.DATABASE_URL === undefined
        ? { kind: 'sqlite', file: resolve(dataDir, 'kestrel.sqlite') }
        : {
            kind: 'postgres',
            url: e.DATABASE_URL,
            ...(e.DATABASE_SCHEMA === undefined ? {} : { schema: e.DATABASE_SCHEMA }),
          },
    bootstrap: {
      ...(e.BOOTSTRAP_ADMIN_EMAIL === undefined ? {} : { adminEmail: e.BOOTSTRAP_ADMIN_EMAIL }),
      ...(e.BOOTSTRAP_ADMIN_PASSWORD === undefined ? {} : { adminPassword: e.BOOTSTRAP_ADMIN_PASSWORD }),
      ...(e.ENROLMENT_TOKEN === undefined ? {} : { enrolmentToken: e.ENROLMENT_TOKEN }),
    },
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    cookieSecure: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'true',
    sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
    rateLimits: {
      capturesPerMinute: e.DEVICE_CAPTURES_PER_MINUTE,
      requestsPerMinute: e.DEVICE_REQUESTS_PER_MINUTE,
      enrolmentsPerMinutePerAddress: e.ENROLMENTS_PER_MINUTE_PER_ADDRESS,
      enrolmentFailuresPerMinutePerAddress: e.ENROLMENT_FAILURES_PER_MINUTE_PER_ADDRESS,
    },
    screenshotMaxBytes: e.SCREENSHOT_MAX_BYTES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    ...(e.PUBLIC_URL === undefined ? {} : { publicUrl: e.PUBLIC_URL }),
  };
}

/** A configuration for tests and tools: defaults plus overrides, never the process environment. */
export function testConfig(dataDir: string, overrides: Record<string, string> = {}): Config {
  return parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...overrides });
}
