import { KestrelError } from '@kestrel/shared/errors';
import { compileLexicon } from '@kestrel/shared/lexicon';
import type { Lexicon, LexiconFile } from '@kestrel/shared/lexicon';
import { agentPolicySchema } from '@kestrel/shared/protocol';
import { z } from 'zod';
import type { PoliciesRepository } from '../../ports/policies-repository.js';
import type { AuditEntry } from '../audit/audit-log.js';
import { can } from '../authz/policy.js';
import type { Subject } from '../authz/policy.js';
import { parseInput } from '../workflow/parse-input.js';
import {
  NO_OVERRIDES,
  applyOverrides,
  entryKey,
  isEmpty,
  lexiconOverridesSchema,
} from './lexicon-overrides.js';
import type { LexiconOverrides } from './lexicon-overrides.js';

export interface LexiconOverridesStore {
  get(schoolId: string): Promise<LexiconOverrides | undefined>;
  put(schoolId: string, overrides: LexiconOverrides, by: string, at: string): Promise<void>;
}

const trySchema = z.strictObject({ phrase: z.string().min(1).max(2_000) });
const searchSchema = z.strictObject({
  q: z.string().trim().max(100).default(''),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

interface SeverityChange {
  term: string;
  category: string;
  from: number;
  to: number;
}

/**
 * The shipped entries whose draft severity the new overrides change, for the audit log. Refuses a
 * new severity for an entry the shipped lexicon does not have (one kept from before an upgrade
 * that dropped the entry is left alone, as a switched-off entry is), and two for one entry.
 */
function severityChangesOf(
  base: LexiconFile,
  before: LexiconOverrides,
  after: LexiconOverrides,
): SeverityChange[] {
  const shipped = new Map(base.entries.map((e) => [entryKey(e), e]));
  const was = new Map(before.severities.map((e) => [entryKey(e), e.severity]));
  const now = new Map<string, number>();
  for (const e of after.severities) {
    const k = entryKey(e);
    if (now.has(k))
      throw new KestrelError('VALIDATION_FAILED', `severities: "${e.term}" in ${e.category} given twice`);
    if (!shipped.has(k) && !was.has(k))
      throw new KestrelError(
        'VALIDATION_FAILED',
        `severities: no shipped entry "${e.term}" in ${e.category}`,
      );
    now.set(k, e.severity);
  }
  const changes: SeverityChange[] = [];
  for (const k of new Set([...was.keys(), ...now.keys()])) {
    const e = shipped.get(k);
    if (e === undefined) continue;
    const from = was.get(k) ?? e.severity;
    const to = now.get(k) ?? e.severity;
    if (from !== to) changes.push({ term: e.term, category: e.category, from, to });
  }
  return changes;
}

/**
 * Lexicon administration per school: switch entries off, change an entry's severity, add terms and
 * exceptions, try a phrase
 * against the draft, publish (agents fetch it by ETag at their next policy poll).
 */
export class LexiconAdminService {
  private readonly compiled = new Map<string, Lexicon>();

  constructor(
    private readonly deps: {
      overrides: LexiconOverridesStore;
      policies: PoliciesRepository;
      shipped: () => Promise<LexiconFile>;
      audit: { record(entry: AuditEntry): Promise<number> };
      clock: { now(): Date };
    },
  ) {}

  private require(
    actor: Subject,
    action: 'lexicon.view' | 'lexicon.edit' | 'lexicon.publish',
    schoolId: string,
  ) {
    if (can(actor, action, schoolId)) return;
    if (actor.memberships.some((m) => m.schoolId === schoolId)) {
      throw new KestrelError('FORBIDDEN', `Your role may not ${action} here`);
    }
    throw new KestrelError('NOT_FOUND', 'No such school');
  }

  private async draft(schoolId: string) {
    const base = await this.deps.shipped();
    const overrides = (await this.deps.overrides.get(schoolId)) ?? NO_OVERRIDES;
    return { base, overrides, lexicon: applyOverrides(base, overrides) };
  }

  private compile(file: LexiconFile): Lexicon {
    let c = this.compiled.get(file.version);
    if (c === undefined) {
      c = compileLexicon(file);
      if (this.compiled.size > 20) this.compiled.clear();
      this.compiled.set(file.version, c);
    }
    return c;
  }

  async overview(actor: Subject, schoolId: string) {
    this.require(actor, 'lexicon.view', schoolId);
    const { base, overrides, lexicon } = await this.draft(schoolId);
    const published = await this.deps.policies.get(schoolId);
    return {
      base: {
        name: base.name,
        version: base.version,
        entries: base.entries.length,
        exceptions: base.exceptions.length,
      },
      overrides,
      draftVersion: lexicon.version,
      published: {
        version: published?.lexicon?.version ?? base.version,
        custom: published?.lexicon !== null && published?.lexicon !== undefined,
        at: published?.updatedAt ?? null,
      },
    };
  }

  async search(actor: Subject, schoolId: string, raw: unknown) {
    this.require(actor, 'lexicon.view', schoolId);
    const { q, limit } = parseInput(searchSchema, raw);
    const { base, overrides } = await this.draft(schoolId);
    const off = new Set(overrides.disabled.map(entryKey));
    const severity = new Map(overrides.severities.map((e) => [entryKey(e), e.severity]));
    const needle = q.toLowerCase();
    return base.entries
      .filter((e) => needle === '' || e.term.includes(needle))
      .slice(0, limit)
      .map((e) => ({
        term: e.term,
        category: e.category,
        // In the draft: the school's severity where it set one.
        severity: severity.get(entryKey(e)) ?? e.severity,
        shippedSeverity: e.severity,
        disabled: off.has(entryKey(e)),
      }));
  }

  async setOverrides(actor: Subject, schoolId: string, raw: unknown) {
    this.require(actor, 'lexicon.edit', schoolId);
    const overrides = parseInput(lexiconOverridesSchema, raw);
    // Validate the merged result now, so a bad draft is refused here rather than at publish.
    const { base, overrides: before } = await this.draft(schoolId);
    const severityChanges = severityChangesOf(base, before, overrides);
    try {
      applyOverrides(base, overrides);
    } catch (err) {
      throw new KestrelError(
        'VALIDATION_FAILED',
        `lexicon: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    await this.deps.overrides.put(schoolId, overrides, actor.userId, this.deps.clock.now().toISOString());
    await this.deps.audit.record({
      action: 'lexicon.draft.changed',
      actorUserId: actor.userId,
      targetType: 'school',
      targetId: schoolId,
      schoolId,
      details: {
        disabled: overrides.disabled.length,
        added: overrides.added.length,
        exceptions: overrides.exceptions.length,
        severities: overrides.severities.length,
        ...(severityChanges.length === 0 ? {} : { severityChanges: severityChanges.slice(0, 100) }),
      },
    });
    return this.overview(actor, schoolId);
  }

  async tryPhrase(actor: Subject, schoolId: string, raw: unknown) {
    this.require(actor, 'lexicon.view', schoolId);
    const { phrase } = parseInput(trySchema, raw);
    const { lexicon } = await this.draft(schoolId);
    return { version: lexicon.version, matches: this.compile(lexicon).match(phrase) };
  }

  async publish(actor: Subject, schoolId: string) {
    this.require(actor, 'lexicon.publish', schoolId);
    const { overrides, lexicon } = await this.draft(schoolId);
    const current = await this.deps.policies.get(schoolId);
    const at = this.deps.clock.now().toISOString();
    await this.deps.policies.put({
      schoolId,
      policy: current?.policy ?? agentPolicySchema.parse({}),
      // No changes: publish "the shipped lexicon", so that upgrades reach the school.
      lexicon: isEmpty(overrides) ? null : lexicon,
      updatedAt: at,
      updatedBy: actor.userId,
    });
    await this.deps.audit.record({
      action: 'lexicon.published',
      actorUserId: actor.userId,
      targetType: 'school',
      targetId: schoolId,
      schoolId,
      details: {
        version: lexicon.version,
        entries: lexicon.entries.length,
        exceptions: lexicon.exceptions.length,
      },
    });
    return { version: lexicon.version, publishedAt: at };
  }
}
