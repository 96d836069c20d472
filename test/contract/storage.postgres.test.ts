import { describe, it } from 'vitest';
import { openStorage } from '../../collector-server/src/adapters/storage.js';
import { storageContract } from './storage-contract.js';
import { dropSchema, freshSchemaName, postgresUrl } from './storage-postgres.js';

const url = await postgresUrl();

if (url === undefined) {
  describe('storage contract: PostgreSQL', () => {
    it.skip('PostgreSQL unreachable (set KESTREL_REQUIRE_POSTGRES=1 to make this a failure)', () =>
      undefined);
  });
} else {
  // Each run gets its own schema, dropped afterwards: test files run in parallel.
  const target = { kind: 'postgres' as const, url, schema: freshSchemaName() };
  storageContract('PostgreSQL', {
    open: () => openStorage(target),
    reopen: () => openStorage(target),
    destroy: () => dropSchema(url, target.schema),
  });
}
