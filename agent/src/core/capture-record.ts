import { LIMITS, type CaptureMetadata, type CaptureSource } from '@kestrel/shared/protocol';
import type { LexiconMatch } from '@kestrel/shared/lexicon';
import type { ActiveWindow } from '../ports/window-source.js';

// C0 controls (tab included: context is one line) and DEL, which the collector refuses.
// eslint-disable-next-line no-control-regex -- replacing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/gu;

/** Makes untrusted text (window titles, typed context) safe to send: one line, bounded. */
export function cleanText(text: string, max: number): string {
  const clean = text.replace(CONTROL, ' ');
  if (clean.length <= max) return clean;
  // Never cut a surrogate pair in half.
  const cut = /[\ud800-\udbff]/u.test(clean.charAt(max - 1)) ? max - 1 : max;
  return clean.slice(0, cut);
}

/** The match with at most `chars` characters on each side: all that leaves the device of typed text. */
export function contextAround(text: string, match: LexiconMatch, chars: number): string {
  const start = Math.max(0, match.start - chars);
  const end = Math.min(text.length, match.end + chars);
  return cleanText(text.slice(start, end), LIMITS.context);
}

/** ISO 8601 with the local offset (`2026-11-23T15:30:00.000+00:00`), as a moderator reads it. */
export function isoWithOffset(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

export interface CaptureFacts {
  captureId: string;
  epochMs: number;
  offsetMinutes: number;
  machine: string;
  user: string;
  source: CaptureSource;
  match: LexiconMatch;
  context: string;
  window: ActiveWindow | undefined;
}

/** The capture's metadata, every field within the wire limits. */
export function captureMetadata(facts: CaptureFacts): CaptureMetadata {
  const { window } = facts;
  const url = window?.url ? cleanText(window.url, LIMITS.url) : undefined;
  return {
    captureId: facts.captureId,
    capturedAt: isoWithOffset(facts.epochMs, facts.offsetMinutes),
    machine: cleanText(facts.machine, LIMITS.hostname) || 'unknown',
    user: cleanText(facts.user, LIMITS.user) || 'unknown',
    source: facts.source,
    category: facts.match.category,
    severity: facts.match.severity,
    term: cleanText(facts.match.term, LIMITS.term),
    context: facts.context,
    windowTitle: cleanText(window?.title ?? '', LIMITS.windowTitle),
    application: cleanText(window?.application ?? '', LIMITS.application),
    ...(url ? { url } : {}),
  };
}
