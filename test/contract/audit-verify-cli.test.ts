import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../collector-server/src/adapters/storage.js';

const run = promisify(execFile);
const dir = await mkdtemp(join(tmpdir(), 'kestrel-audit-cli-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function verify(): Promise<{ code: number; out: string }> {
  try {
    const r = await run('npx', ['tsx', 'collector-server/src/cli/audit-verify.ts'], {
      env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '' },
    });
    return { code: 0, out: r.stdout };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, out: e.stderr };
  }
}

describe('npm run audit:verify', () => {
  it('exits 0 on an intact log and 1, naming the event, once a row is edited', async () => {
    const s = await openStorage({ kind: 'sqlite', file: join(dir, 'kestrel.sqlite') });
    for (let i = 0; i < 4; i += 1) {
      await s.auditEvents.append({
        at: new Date(Date.UTC(2026, 10, 23, 9, i)).toISOString(),
        actorUserId: null,
        action: `test.${i}`,
        targetType: null,
        targetId: null,
        schoolId: null,
      });
    }
    expect(await verify()).toMatchObject({
      code: 0,
      out: expect.stringContaining('audit log intact: 4 events'),
    });
    await sql`update audit_events set action = 'test.nothing' where action = 'test.2'`.execute(s.db);
    await s.close();
    const tampered = await verify();
    expect(tampered.code).toBe(1);
    expect(tampered.out).toMatch(/TAMPERED: event \d+ fails \(hash-mismatch\) after 2 intact events/);
  });
});
