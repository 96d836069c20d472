import type { CaptureMetadata } from '@kestrel/shared/protocol';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { staffSecurityRepository } from '../../collector-server/src/adapters/repositories/staff-security.js';
import { csrfTokenFor } from '../../collector-server/src/domain/moderation/csrf.js';
import type { Role } from '../../collector-server/src/ports/roles.js';
import {
  addSchool,
  ADMIN,
  type Harness,
  addStaff,
  captureParts,
  enrol,
  makeImage,
  metadata,
  postCapture,
  startCollector,
} from './collector-helpers.js';

export type Staff = (opts: InjectOptions) => Promise<LightMyRequestResponse>;

export interface WorkflowWorld {
  h: Harness;
  schoolA: string;
  schoolB: string;
  /** A signed-in injector per role in school A (`dsl`, `headteacher`, …), `dslB` in school B, `la` a moderator of both. */
  staff: Record<string, Staff>;
  /** The injector for a role (throws for an unknown one). */
  as(role: string): Staff;
  /** A new session for that member of staff (after a test signed them out). */
  relogin(role: string): Promise<void>;
  userIds: Record<string, string>;
  deviceA: { deviceId: string; deviceToken: string };
  deviceB: { deviceId: string; deviceToken: string };
  capture(device: { deviceToken: string }, over?: Partial<CaptureMetadata>): Promise<string>;
  close(): Promise<void>;
}

const PASSWORD = 'correct horse battery staple';

/** Signs in without the UI's TOTP step (marking the second factor enrolled), for API tests. */
async function session(h: Harness, email: string, userId: string, viewer: boolean): Promise<Staff> {
  if (viewer) {
    const sec = staffSecurityRepository(h.storage.db);
    await sec.setPendingSecret(userId, 'JBSWY3DPEHPK3PXP');
    await sec.confirmSecret(userId, 'JBSWY3DPEHPK3PXP', new Date().toISOString(), 0);
  }
  const { token } = await h.app.kestrel.sessions.signIn(email, PASSWORD);
  return (opts) =>
    h.app.inject({
      ...opts,
      headers: {
        ...(opts.headers ?? {}),
        cookie: `kestrel_session=${token}`,
        'x-csrf-token': csrfTokenFor(token),
      },
    });
}

export async function workflowWorld(env: Record<string, string> = {}): Promise<WorkflowWorld> {
  // Tests post many captures from one device: the per-device rate limit is not under test here.
  const h = await startCollector({
    DEVICE_CAPTURES_PER_MINUTE: '1000000',
    DEVICE_REQUESTS_PER_MINUTE: '1000000',
    ...env,
  });
  const schoolA = h.schoolId;
  const tokenB = 'school-b-enrolment-token-0123456789';
  const schoolB = await addSchool(h.storage, 'Brook Academy', tokenB);
  const deviceA = await enrol(h.app, 'LAB1-PC07');
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/enrol',
    payload: { enrolmentToken: tokenB, hostname: 'BROOK-PC01', os: 'windows 11', agentVersion: '0.1.0' },
  });
  const deviceB = res.json<{ deviceId: string; deviceToken: string }>();

  const staff: Record<string, Staff> = {};
  const userIds: Record<string, string> = {};
  const emails: Record<string, string> = { dslB: 'dsl@brook.test', la: 'team@la.test' };
  const roles: Role[] = ['admin', 'technician', 'moderator', 'dsl', 'headteacher', 'governor'];
  for (const role of roles) {
    const email = `${role}@hillside.test`;
    emails[role] = email;
    userIds[role] = await addStaff(h.storage, email, PASSWORD, [{ schoolId: schoolA, role }]);
    staff[role] = await session(
      h,
      email,
      userIds[role] ?? '',
      ['moderator', 'dsl', 'headteacher'].includes(role),
    );
  }
  userIds['dslB'] = await addStaff(h.storage, 'dsl@brook.test', PASSWORD, [
    { schoolId: schoolB, role: 'dsl' },
  ]);
  staff['dslB'] = await session(h, 'dsl@brook.test', userIds['dslB'] ?? '', true);
  userIds['la'] = await addStaff(h.storage, 'team@la.test', PASSWORD, [
    { schoolId: schoolA, role: 'moderator' },
    { schoolId: schoolB, role: 'moderator' },
  ]);
  staff['la'] = await session(h, 'team@la.test', userIds['la'] ?? '', true);
  void ADMIN;

  const image = await makeImage('jpeg', 320, 200);
  return {
    h,
    schoolA,
    schoolB,
    staff,
    as(role) {
      const s = staff[role];
      if (s === undefined) throw new Error(`no staff member for ${role}`);
      return s;
    },
    async relogin(role) {
      const email = emails[role];
      if (email === undefined) throw new Error(`no staff member for ${role}`);
      staff[role] = await session(h, email, userIds[role] ?? '', false);
    },
    userIds,
    deviceA,
    deviceB,
    async capture(device, over = {}) {
      const r = await postCapture(h.app, device.deviceToken, captureParts(metadata(over), image));
      if (r.statusCode !== 201) throw new Error(`capture failed: ${r.statusCode} ${r.body}`);
      return r.json<{ id: string }>().id;
    },
    close: () => h.close(),
  };
}
