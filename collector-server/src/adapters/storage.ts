import { type Kysely, sql } from 'kysely';
import type { Repositories, Storage } from '../ports/storage.js';
import { type DatabaseTarget, connect } from './db/connect.js';
import { migrateToLatest } from './db/migrator.js';
import { WalSync, type WalSyncOptions } from './db/wal-sync.js';
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
export async function openStorage(
  target: DatabaseTarget,
  options: { walSync?: WalSyncOptions } = {},
): Promise<KyselyStorage> {
  const connection = await connect(target);
  try {
    await migrateToLatest(connection);
  } catch (err) {
    await connection.db.destroy();
    throw err;
  }
  const { db } = connection;
  const walSync = target.kind === 'sqlite' ? new WalSync(`${target.file}-wal`, options.walSync) : undefined;
  return {
    ...repositories(db),
    db,
    dialect: connection.dialect,
    transaction: (fn) => db.transaction().execute((trx) => fn(repositories(trx))),
    // PostgreSQL commits durably already (`synchronous_commit` on); SQLite commits at NORMAL and
    // syncs its log afterwards, off the event loop (wal-sync.ts).
    durably:
      walSync === undefined
        ? (fn) => fn()
        : async (fn) => {
            const result = await fn();
            await walSync.sync();
            return result;
          },
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await walSync?.close();
      await db.destroy();
    },
  };
}
