/** Staff roles (MISSION.md, "Who uses it"). A user holds roles per school through memberships. */
export const ROLES = ['admin', 'technician', 'moderator', 'dsl', 'headteacher', 'governor'] as const;
export type Role = (typeof ROLES)[number];
