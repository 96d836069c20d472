import type { Role } from '../../ports/roles.js';
import type { Action } from './actions.js';
import { ROLE_GRANTS } from './role-grants.js';

export interface Subject {
  userId: string;
  memberships: readonly { schoolId: string; role: Role }[];
}

/**
 * May `subject` perform `action` on something belonging to `schoolId`? Only memberships of that
 * school count: a local-authority moderator with several memberships sees several schools, a
 * school's staff only their own.
 */
export function can(subject: Subject, action: Action, schoolId: string): boolean {
  return subject.memberships.some((m) => m.schoolId === schoolId && ROLE_GRANTS[m.role].includes(action));
}

/** The schools in which `subject` may perform `action` (the filter for list routes). */
export function schoolsWhere(subject: Subject, action: Action): string[] {
  const ids = new Set<string>();
  for (const m of subject.memberships) if (ROLE_GRANTS[m.role].includes(action)) ids.add(m.schoolId);
  return [...ids].sort();
}

/** May `subject` perform `action` in at least one school (shows a navigation entry, a route at all)? */
export function canAnywhere(subject: Subject, action: Action): boolean {
  return subject.memberships.some((m) => ROLE_GRANTS[m.role].includes(action));
}
