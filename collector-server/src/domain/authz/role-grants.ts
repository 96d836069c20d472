import type { Role } from '../../ports/roles.js';
import type { Action } from './actions.js';

/**
 * What each role may do in a school it is a member of. Technical roles see no capture content;
 * governors see aggregate figures only (no pupil data); the DSL owns incidents and alerts. Kept in
 * step with the moderation module's CAPTURE_VIEWER_ROLES and CAPTURE_ACTOR_ROLES (matrix test).
 */
export const ROLE_GRANTS: Readonly<Record<Role, readonly Action[]>> = {
  admin: [
    'device.list',
    'device.revoke',
    'enrolment.issue',
    'user.manage',
    'lexicon.view',
    'lexicon.edit',
    'lexicon.publish',
    'lexicon.suggestions',
    'exemption.view',
    'retention.configure',
    'retention.run',
    'audit.view',
  ],
  technician: ['device.list', 'device.revoke', 'enrolment.issue', 'lexicon.view'],
  moderator: [
    'capture.list',
    'capture.view',
    'capture.moderate',
    'capture.escalate',
    'capture.reveal',
    'lexicon.view',
    'lexicon.suggestions',
    'exemption.view',
    'alert.preferences',
  ],
  dsl: [
    'capture.list',
    'capture.view',
    'capture.moderate',
    'capture.escalate',
    'capture.reveal',
    'incident.list',
    'incident.view',
    'incident.create',
    'incident.update',
    'incident.export',
    'incident.hold',
    'alert.preferences',
    'alert.rules',
    'dashboard.aggregate',
    'dashboard.names',
    'report.aggregate',
    'report.full',
    'lexicon.view',
    'lexicon.edit',
    'lexicon.publish',
    'lexicon.suggestions',
    'exemption.view',
    'exemption.manage',
    'subject-access.export',
    'audit.view',
  ],
  // The headteacher "logs in weekly to monitor the captures" (seeds): reads, does not triage.
  headteacher: [
    'capture.list',
    'capture.view',
    // The illegal-content flowchart is addressed to headteachers: they may reveal, with a reason.
    'capture.reveal',
    'incident.list',
    'incident.view',
    'alert.preferences',
    'dashboard.aggregate',
    'dashboard.names',
    'report.aggregate',
    'report.full',
    'exemption.view',
    'audit.view',
  ],
  governor: ['dashboard.aggregate', 'report.aggregate'],
};
