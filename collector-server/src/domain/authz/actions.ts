/**
 * Every act a route performs, named once. Routes ask `can(subject, action, schoolId)`; the
 * authorisation matrix test proves each registered route is mapped to one of these.
 */
export const ACTIONS = [
  // Captures (moderation)
  'capture.list',
  'capture.view',
  'capture.moderate',
  'capture.escalate',
  /** Reveal a blurred `illegal` capture: a logged, justified act. */
  'capture.reveal',
  // Incidents (the e-safety incident log)
  'incident.list',
  'incident.view',
  'incident.create',
  'incident.update',
  'incident.export',
  'incident.hold',
  // Alerts
  'alert.preferences',
  'alert.rules',
  // The headteacher's week
  'dashboard.aggregate',
  /** Figures that name pupils or staff (open incidents by title, owners). */
  'dashboard.names',
  'report.aggregate',
  'report.full',
  // Devices and enrolment
  'device.list',
  'device.revoke',
  'enrolment.issue',
  // Staff accounts
  'user.manage',
  // Lexicon and research exemptions
  'lexicon.view',
  'lexicon.edit',
  'lexicon.publish',
  /** Read moderators' "suggest an exception" notes (terms, no pupil data). */
  'lexicon.suggestions',
  'exemption.view',
  'exemption.manage',
  // Data protection
  'retention.configure',
  'retention.run',
  'subject-access.export',
  'audit.view',
] as const;

export type Action = (typeof ACTIONS)[number];
