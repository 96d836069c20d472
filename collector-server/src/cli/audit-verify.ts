import { connect } from '../adapters/db/connect.js';
import { scanAuditEvents } from '../adapters/repositories/audit-chain.js';
import { ConfigError, parseConfig } from '../config/config.js';
import { verifyChain } from '../domain/audit/audit-chain.js';

/**
 * `npm run audit:verify`: walks the audit log of the configured database (DATA_DIR or
 * DATABASE_URL, as the collector) and checks every link of the hash chain. Exit 0 when whole,
 * 1 when tampered (naming the first broken event), 2 when it cannot run. Reads only.
 */
async function main(): Promise<number> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const { db } = await connect(config.database);
  try {
    const verdict = await verifyChain(scanAuditEvents(db));
    if (verdict.ok) {
      console.log(`audit log intact: ${verdict.checked} events, head ${verdict.headHash}`);
      console.log(
        'Record the head hash somewhere else (e.g. the governors’ minutes) to detect truncation later.',
      );
      return 0;
    }
    const b = verdict.firstBreak;
    console.error(
      `audit log TAMPERED: event ${b?.seq ?? '?'} fails (${b?.reason ?? '?'}) after ${verdict.checked} intact events`,
    );
    return 1;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`audit:verify failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
