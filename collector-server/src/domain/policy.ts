import { createHash } from 'node:crypto';
import type { LexiconFile } from '@kestrel/shared/lexicon';
import { type PolicyResponse, agentPolicySchema } from '@kestrel/shared/protocol';
import type { Storage } from '../ports/storage.js';

export interface PolicyDocument {
  /** Strong entity tag: the quoted policy version. */
  etag: string;
  policyVersion: string;
  /** The serialised `PolicyResponse`, built once per version (the lexicon can be large). */
  body: string;
}

/**
 * What `GET /api/v1/policy` answers for a school: its published policy (or the defaults) and its
 * lexicon (or the shipped one). The version is a hash of the content, so an unchanged policy keeps
 * its ETag across restarts and instances, and agents download it only when it changes.
 */
export class PolicyService {
  private readonly cache = new Map<string, { stamp: string; doc: PolicyDocument }>();

  constructor(
    private readonly storage: Storage,
    private readonly shippedLexicon: () => Promise<LexiconFile>,
  ) {}

  async forSchool(schoolId: string): Promise<PolicyDocument> {
    const stamp = (await this.storage.policies.updatedAt(schoolId)) ?? 'default';
    const cached = this.cache.get(schoolId);
    if (cached?.stamp === stamp) return cached.doc;
    const row = stamp === 'default' ? undefined : await this.storage.policies.get(schoolId);
    const policy = agentPolicySchema.parse(row?.policy ?? {});
    const lexicon = row?.lexicon ?? (await this.shippedLexicon());
    const content = JSON.stringify({ policy, lexicon });
    const policyVersion = createHash('sha256').update(content).digest('hex').slice(0, 32);
    const response: PolicyResponse = { policyVersion, policy, lexicon };
    const doc = { etag: `"${policyVersion}"`, policyVersion, body: JSON.stringify(response) };
    this.cache.set(schoolId, { stamp, doc });
    return doc;
  }
}

/** `If-None-Match` holds a list of tags or `*`; weak tags compare equal for GET (RFC 9110 §13.1.2). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
