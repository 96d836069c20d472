import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CRASH_REPORT_DIR, redactError, writeCrashReport } from './crash-report.js';
import { decideAfterCrash, readCrashHistory, writeCrashHistory } from './relaunch-guard.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kestrel-crash-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const report = (dataDir: string, now: number, error: unknown) =>
  writeCrashReport({
    dataDir,
    kind: 'uncaughtException',
    error,
    agentVersion: '0.1.0',
    platform: 'win32',
    now,
    pid: 4242,
    uptimeSeconds: 12.4,
  });

describe('writeCrashReport', () => {
  it('writes a report without the words the error quoted', () => {
    const dataDir = tempDir();
    const error = new TypeError(
      `cannot match "i want to kill myself" in window 'Diary - Notepad'\nsecond line with typed text`,
    );
    const path = report(dataDir, Date.parse('2026-11-23T10:15:30.123Z'), error);
    expect(path).toBe(join(dataDir, CRASH_REPORT_DIR, 'crash-2026-11-23T10-15-30-123Z-4242.json'));
    const text = readFileSync(path ?? '', 'utf8');
    const written = JSON.parse(text);
    expect(written).toMatchObject({
      time: '2026-11-23T10:15:30.123Z',
      kind: 'uncaughtException',
      agentVersion: '0.1.0',
      platform: 'win32',
      uptimeSeconds: 12,
      error: { name: 'TypeError', message: `cannot match "…" in window '…'` },
    });
    expect(written.error.stack.length).toBeGreaterThan(0);
    expect(written.error.stack.every((line: string) => line.startsWith('at '))).toBe(true);
    expect(text).not.toMatch(/kill myself|Diary|typed text/);
  });

  it('handles thrown non-errors and keeps only the newest ten reports', () => {
    const dataDir = tempDir();
    for (let i = 0; i < 12; i++)
      report(dataDir, Date.UTC(2026, 0, 1, 0, 0, i), i % 2 ? 'a string' : { weird: true });
    const names = readdirSync(join(dataDir, CRASH_REPORT_DIR));
    expect(names).toHaveLength(10);
    expect(names.sort()[0]).toContain('T00-00-02');
    expect(redactError({ weird: true }).message).toBe('non-Error value thrown');
    expect(redactError(Object.assign(new Error('x'), { code: 'EPIPE' })).code).toBe('EPIPE');
  });

  it('never throws when the data directory cannot be written', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, CRASH_REPORT_DIR), 'a file where the directory should be');
    expect(report(dataDir, 0, new Error('x'))).toBeUndefined();
  });
});

describe('decideAfterCrash', () => {
  const minute = 60_000;

  it('relaunches itself on Windows and Linux, and leaves it to launchd on macOS', () => {
    expect(decideAfterCrash({ history: [], now: 0, supervised: false }).decision).toEqual({
      action: 'relaunch',
      exitCode: 1,
    });
    expect(decideAfterCrash({ history: [], now: 0, supervised: true }).decision).toEqual({
      action: 'exit-for-supervisor',
      exitCode: 1,
    });
  });

  it('gives up on a crash loop, exiting cleanly so nothing restarts it', () => {
    const history = [1, 2, 3, 4, 5].map((m) => m * minute);
    const { decision, history: next } = decideAfterCrash({ history, now: 6 * minute, supervised: true });
    expect(decision).toEqual({ action: 'give-up', exitCode: 0 });
    expect(next).toHaveLength(6);
  });

  it('forgets crashes older than the window', () => {
    const history = [1, 2, 3, 4, 5].map((m) => m * minute);
    const { decision, history: next } = decideAfterCrash({ history, now: 14 * minute, supervised: false });
    expect(decision.action).toBe('relaunch');
    expect(next).toEqual([5 * minute, 14 * minute]);
  });

  it('keeps the history in the data directory and shrugs off a damaged file', () => {
    const dataDir = tempDir();
    expect(readCrashHistory(dataDir)).toEqual([]);
    writeCrashHistory(dataDir, [1, 2]);
    expect(readCrashHistory(dataDir)).toEqual([1, 2]);
    writeFileSync(join(dataDir, 'crash-history.json'), '{not json');
    expect(readCrashHistory(dataDir)).toEqual([]);
    writeFileSync(join(dataDir, 'crash-history.json'), '[1,"x",null,3]');
    expect(readCrashHistory(dataDir)).toEqual([1, 3]);
  });
});
