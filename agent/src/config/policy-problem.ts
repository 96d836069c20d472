/**
 * Something wrong with the configuration that the agent worked around. It is logged and shown in
 * the tray's About section; it never stops the agent. Messages never repeat the value (it may be
 * the enrolment token).
 */
export interface PolicyProblem {
  /** The policy key concerned, or `*` for the whole source (unreadable key or file). */
  key: string;
  /** Where the value came from: `HKLM\SOFTWARE\Policies\Kestrel\Agent`, a file path, … */
  source: string;
  message: string;
}
