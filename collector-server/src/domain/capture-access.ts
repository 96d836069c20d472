import type { Role } from '../ports/roles.js';
import type { Membership } from '../ports/users-repository.js';

/**
 * Roles that may see capture content (pupils' words and screens). Administrators and technicians
 * run the system, governors see aggregates: none of them see captures unless also granted one of
 * these roles in that school.
 */
export const CAPTURE_VIEWER_ROLES: readonly Role[] = ['moderator', 'dsl', 'headteacher'];

/** The schools in which the user holds at least one of `roles`. */
export function schoolsWithRole(memberships: readonly Membership[], roles: readonly Role[]): string[] {
  return [...new Set(memberships.filter((m) => roles.includes(m.role)).map((m) => m.schoolId))];
}
