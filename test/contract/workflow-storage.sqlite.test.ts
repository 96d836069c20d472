import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../collector-server/src/adapters/storage.js';
import { workflowStorageContract } from './workflow-storage-contract.js';

const dir = await mkdtemp(join(tmpdir(), 'kestrel-wf-sqlite-'));
workflowStorageContract(
  'SQLite',
  () => openStorage({ kind: 'sqlite', file: join(dir, 'kestrel.sqlite') }),
  () => rm(dir, { recursive: true, force: true }),
);
