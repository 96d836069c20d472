/**
 * Bounds on every string an agent sends. Window titles and typed text are attacker-controlled,
 * so each has a ceiling the collector enforces and the agent respects before sending.
 */
export const LIMITS = {
  hostname: 255,
  user: 256,
  term: 200,
  /** The matched phrase plus a bounded context on each side (default 80 characters each side). */
  context: 1000,
  windowTitle: 1024,
  application: 256,
  url: 2048,
  agentVersion: 64,
  lexiconVersion: 128,
  os: 64,
  enrolmentToken: 256,
  healthDetail: 512,
  /** Screenshot bytes the collector accepts in one upload. */
  screenshotBytes: 10 * 1024 * 1024,
  /** Largest image side in pixels the collector accepts (four 4K displays side by side). */
  screenshotPixelsPerSide: 16_384,
} as const;
