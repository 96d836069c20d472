import { randomBytes } from 'node:crypto';
import pg from 'pg';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The PostgreSQL server tests use, or undefined when it is unreachable and not required. With
 * KESTREL_REQUIRE_POSTGRES=1 (CI) an unreachable server fails the suite instead of skipping it.
 */
export async function postgresUrl(): Promise<string | undefined> {
  const url = process.env['KESTREL_TEST_POSTGRES_URL'] ?? DEFAULT_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return url;
  } catch (err) {
    if (process.env['KESTREL_REQUIRE_POSTGRES'] === '1') {
      throw new Error(`PostgreSQL is required (KESTREL_REQUIRE_POSTGRES=1) but ${url} is unreachable`, {
        cause: err,
      });
    }
    console.warn(`\n  PostgreSQL at ${url} is unreachable: SKIPPING the PostgreSQL half of this suite.\n`);
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A schema name no other test file uses (files run in parallel). */
export function freshSchemaName(): string {
  return `kestrel_t_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
