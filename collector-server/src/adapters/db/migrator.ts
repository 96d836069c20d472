import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, Migrator, PostgresAdapter } from 'kysely';
import type { Connection } from './connect.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
// `0001_core.ts` in tests (sources), `0001_core.js` when built; declarations and maps are not migrations.
const MIGRATION_FILE = /^\d{4}_[a-z0-9_-]+\.(js|ts)$/;

/**
 * Every file in `migrations/` named `NNNN_name.(js|ts)`, in name order. Other modules add a migration
 * by adding a file; nothing else needs editing. Migrations never change once released.
 */
export class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly dir = MIGRATIONS_DIR) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.dir)).filter((f) => MIGRATION_FILE.test(f) && !f.endsWith('.d.ts'));
    const migrations: Record<string, Migration> = {};
    for (const file of files.sort()) {
      const name = file.replace(/\.(js|ts)$/, '');
      migrations[name] = (await import(pathToFileURL(`${this.dir}${file}`).href)) as Migration;
    }
    return migrations;
  }
}

export async function migrateToLatest(connection: Connection): Promise<void> {
  const migrator = new Migrator({
    db: connection.db,
    provider: new FolderMigrationProvider(),
    // Modules add migrations independently (0010 moderation, 0100 workflow, …): a database that
    // already ran a higher number must still take a lower one added later, not refuse to start.
    allowUnorderedMigrations: true,
    ...(connection.schema === undefined ? {} : { migrationTableSchema: connection.schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    // No failed step means the migrator could not even start (database unreachable, no rights).
    const what = failed === undefined ? 'could not start' : `${failed.migrationName} failed`;
    throw new Error(`Database migration ${what}`, { cause: error });
  }
}

/** For migrations whose SQL differs by dialect (auto-increment keys). */
export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
