import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../collector-server/src/adapters/storage.js';
import { storageContract } from './storage-contract.js';

const dir = await mkdtemp(join(tmpdir(), 'kestrel-storage-'));
const target = { kind: 'sqlite' as const, file: join(dir, 'kestrel.sqlite') };

storageContract('SQLite', {
  open: () => openStorage(target),
  reopen: () => openStorage(target),
  destroy: () => rm(dir, { recursive: true, force: true }),
});
