import { type Kysely, sql } from 'kysely';
import type { Repositories, Storage } from '../ports/storage.js';
import { type DatabaseTarget, connect } from './db/connect.js';
import { migrateToLatest } from './db/migrator.js';
import type { Database } from './db/schema.js';
import { auditEventsRepository } from './repositories/audit-events.js';
import { capturesRepository } from './repositories/captures.js';
import { devicesRepository } from './repositories/devices.js';
import { enrolmentTokensRepository } from './repositories/enrolment-tokens.js';
import { heartbeatsRepository } from './repositories/heartbeats.js';
import { policiesRepository } from './repositories/policies.js';
import { schoolsRepository } from './repositories/schools.js';
import { sessionsRepository } from './repositories/sessions.js';
import { usersRepository } from './repositories/users.js';

/** Every repository over one connection or transaction. Add a line here for a new aggregate. */
export function repositories(db: Kysely<Database>): Repositories {
  return {
    schools: schoolsRepository(db),
    users: usersRepository(db),
    sessions: sessionsRepository(db),
    enrolmentTokens: enrolmentTokensRepository(db),
    devices: devicesRepository(db),
    heartbeats: heartbeatsRepository(db),
    captures: capturesRepository(db),
    policies: policiesRepository(db),
    auditEvents: auditEventsRepository(db),
  };
}

export interface KyselyStorage extends Storage {
  /** The query builder, for modules that bring their own tables (`db.withTables<...>()`). */
  readonly db: Kysely<Database>;
}

/** Opens the database (SQLite or PostgreSQL), runs pending migrations and returns the repositories. */
export async function openStorage(target: DatabaseTarget): Promise<KyselyStorage> {
  const connection = await connect(target);
  try {
    await migrateToLatest(connection);
  } catch (err) {
    await connection.db.destroy();
    throw err;
  }
  const { db } = connection;
  return {
    ...repositories(db),
    db,
    dialect: connection.dialect,
    transaction: (fn) => db.transaction().execute((trx) => fn(repositories(trx))),
    durably: connection.dialect === 'sqlite' ? sqliteDurably(db) : (fn) => fn(),
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/**
 * SQLite in WAL mode with `synchronous=NORMAL` loses the last commits on a power cut; `FULL` syncs
 * the log at every commit, which heartbeats cannot afford. So `FULL` is on exactly while a durable
 * write is in flight. The pragmas go through Kysely so they queue behind any open transaction
 * (SQLite refuses to change the level inside one); writers arriving meanwhile wait for `FULL`.
 * PostgreSQL commits durably already (`synchronous_commit` on).
 */
function sqliteDurably(db: Kysely<Database>): Storage['durably'] {
  let writers = 0;
  let level: Promise<unknown> = Promise.resolve();
  const set = (value: 'FULL' | 'NORMAL') => sql.raw(`PRAGMA synchronous = ${value}`).execute(db);
  return async (fn) => {
    if (writers++ === 0) level = set('FULL');
    try {
      await level;
      return await fn();
    } finally {
      // Failing to step back down leaves FULL on: slower, never less safe.
      if (--writers === 0) level = set('NORMAL').catch(() => undefined);
    }
  };
}
