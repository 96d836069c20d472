import { openStorage } from '../../collector-server/src/adapters/storage.js';
import { dropSchema, freshSchemaName, postgresUrl } from './storage-postgres.js';
import { workflowStorageContract } from './workflow-storage-contract.js';

const url = await postgresUrl();
if (url !== undefined) {
  const schema = freshSchemaName();
  workflowStorageContract(
    'PostgreSQL',
    () => openStorage({ kind: 'postgres', url, schema }),
    () => dropSchema(url, schema),
  );
}
