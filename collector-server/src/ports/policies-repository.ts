import type { AgentPolicy } from '@kestrel/shared/protocol';
import type { LexiconFile } from '@kestrel/shared/lexicon';

/**
 * A school's published policy. No row means the defaults and the shipped lexicon. `lexicon` null
 * means the shipped default lexicon (so that an upgrade's new lexicon reaches agents).
 */
export interface SchoolPolicy {
  schoolId: string;
  policy: AgentPolicy;
  lexicon: LexiconFile | null;
  updatedAt: string;
  updatedBy: string | null;
}

export interface PoliciesRepository {
  get(schoolId: string): Promise<SchoolPolicy | undefined>;
  /** When the school's policy last changed (cheap: lets callers cache the whole answer). */
  updatedAt(schoolId: string): Promise<string | undefined>;
  put(policy: SchoolPolicy): Promise<void>;
}
