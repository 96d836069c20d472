import { randomUUID } from 'node:crypto';
import { KestrelError } from '@kestrel/shared/errors';
import type { AuditEntry } from '../audit/audit-log.js';
import { can } from '../authz/policy.js';
import type { Subject } from '../authz/policy.js';
import { parseInput } from '../workflow/parse-input.js';
import { MAX_EXEMPTION_DAYS, exemptionState, grantExemptionSchema } from './exemption.js';
import type { Exemption, GrantExemptionInput } from './exemption.js';

export interface ExemptionsRepository {
  create(e: Exemption): Promise<void>;
  get(id: string): Promise<Exemption | undefined>;
  listForSchool(schoolId: string): Promise<Exemption[]>;
  /** Not revoked and not yet expired at `now` (scheduled ones included). */
  currentForSchool(schoolId: string, now: string): Promise<Exemption[]>;
  revoke(id: string, by: string, at: string): Promise<void>;
}

const DAY = 86_400_000;

/** Research exemptions (seeds: temporary, auditable, with clear reasons, for a period of study). */
export class ExemptionService {
  constructor(
    private readonly deps: {
      repo: ExemptionsRepository;
      audit: { record(entry: AuditEntry): Promise<number> };
      clock: { now(): Date };
      deviceInSchool(deviceId: string, schoolId: string): Promise<boolean>;
    },
  ) {}

  async list(actor: Subject, schoolId: string) {
    if (!can(actor, 'exemption.view', schoolId)) throw new KestrelError('NOT_FOUND', 'No such school');
    const now = this.deps.clock.now();
    return (await this.deps.repo.listForSchool(schoolId)).map((e) => ({
      ...e,
      state: exemptionState(e, now),
    }));
  }

  async grant(actor: Subject, schoolId: string, raw: GrantExemptionInput): Promise<Exemption> {
    if (!can(actor, 'exemption.manage', schoolId))
      throw new KestrelError('FORBIDDEN', 'Only the DSL grants exemptions');
    const input = parseInput(grantExemptionSchema, raw);
    const now = this.deps.clock.now();
    const startsAt = input.startsAt === undefined ? now : new Date(input.startsAt);
    const expiresAt = new Date(input.expiresAt);
    if (expiresAt.getTime() <= Math.max(now.getTime(), startsAt.getTime())) {
      throw new KestrelError('VALIDATION_FAILED', 'expiresAt: must be after the start and in the future');
    }
    if (expiresAt.getTime() - startsAt.getTime() > MAX_EXEMPTION_DAYS * DAY) {
      throw new KestrelError(
        'VALIDATION_FAILED',
        `expiresAt: at most ${MAX_EXEMPTION_DAYS} days after the start`,
      );
    }
    for (const id of input.deviceIds) {
      if (!(await this.deps.deviceInSchool(id, schoolId)))
        throw new KestrelError('NOT_FOUND', `No such device: ${id}`);
    }
    const exemption: Exemption = {
      id: randomUUID(),
      schoolId,
      categories: [...new Set(input.categories)],
      deviceIds: [...new Set(input.deviceIds)],
      hostnamePattern: input.hostnamePattern,
      reason: input.reason,
      grantedBy: actor.userId,
      startsAt: startsAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
      revokedAt: null,
      revokedBy: null,
    };
    await this.deps.repo.create(exemption);
    await this.deps.audit.record({
      action: 'exemption.granted',
      actorUserId: actor.userId,
      targetType: 'exemption',
      targetId: exemption.id,
      schoolId,
      details: {
        categories: exemption.categories,
        deviceIds: exemption.deviceIds,
        hostnamePattern: exemption.hostnamePattern,
        reason: exemption.reason,
        startsAt: exemption.startsAt,
        expiresAt: exemption.expiresAt,
      },
    });
    return exemption;
  }

  async revoke(actor: Subject, id: string): Promise<Exemption> {
    const e = await this.deps.repo.get(id);
    if (e === undefined || !can(actor, 'exemption.view', e.schoolId))
      throw new KestrelError('NOT_FOUND', 'No such exemption');
    if (!can(actor, 'exemption.manage', e.schoolId))
      throw new KestrelError('FORBIDDEN', 'Only the DSL revokes exemptions');
    if (e.revokedAt !== null) return e;
    const at = this.deps.clock.now().toISOString();
    await this.deps.repo.revoke(id, actor.userId, at);
    await this.deps.audit.record({
      action: 'exemption.revoked',
      actorUserId: actor.userId,
      targetType: 'exemption',
      targetId: id,
      schoolId: e.schoolId,
      details: { categories: e.categories },
    });
    return { ...e, revokedAt: at, revokedBy: actor.userId };
  }
}
