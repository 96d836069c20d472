import type { AuditEventsRepository } from './audit-events-repository.js';
import type { CapturesRepository } from './captures-repository.js';
import type { DevicesRepository } from './devices-repository.js';
import type { EnrolmentTokensRepository } from './enrolment-tokens-repository.js';
import type { HeartbeatsRepository } from './heartbeats-repository.js';
import type { PoliciesRepository } from './policies-repository.js';
import type { SchoolsRepository } from './schools-repository.js';
import type { SessionsRepository } from './sessions-repository.js';
import type { UsersRepository } from './users-repository.js';

/** Every repository, bound to one connection or one transaction. */
export interface Repositories {
  schools: SchoolsRepository;
  users: UsersRepository;
  sessions: SessionsRepository;
  enrolmentTokens: EnrolmentTokensRepository;
  devices: DevicesRepository;
  heartbeats: HeartbeatsRepository;
  captures: CapturesRepository;
  policies: PoliciesRepository;
  auditEvents: AuditEventsRepository;
}

export interface Storage extends Repositories {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction: all its writes commit together or none do. */
  transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` so that what it commits survives a power cut, not only a process crash: evidence the
   * agent will delete once it has our answer. Other writes keep the cheaper setting.
   */
  durably<T>(fn: () => Promise<T>): Promise<T>;
  /** Throws when the database cannot answer (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
