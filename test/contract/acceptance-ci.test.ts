/**
 * Acceptance: `npm ci` / `npm test` / `.ci/run` (CONTRACTS.md "Repository root"), read rather
 * than run (running them is CI's job): `.ci/run` installs every system program the tests call, then
 * runs `npm ci` and `npm test`; `npm test` builds before it tests; `npm ci` needs nothing but the
 * npm registry. (`bench/` is `npm run bench`, not part of `npm test`.)
 */
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanUp, ROOT, run } from './support/processes.js';

afterAll(cleanUp);

const ciRun = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

/** The Debian packages `.ci/run` installs with apt-get. */
function aptPackages(): Set<string> {
  const joined = ciRun.replace(/\\\n/g, ' ');
  const out = new Set<string>();
  for (const line of joined.split('\n')) {
    if (!/apt-get\s+install\b/.test(line)) continue;
    const words = line.replace(/>.*$/, '').split(/\s+/);
    const start = words.indexOf('install');
    for (const w of words.slice(start + 1)) if (/^[a-z0-9][a-z0-9.+-]+$/.test(w)) out.add(w);
  }
  return out;
}

/**
 * Which Debian package provides a program or file that tests use (or, as a list, any of several
 * packages that bring it in).
 */
const PROVIDER: Record<string, string | string[]> = {
  chromium: 'chromium',
  '/usr/bin/chromium': 'chromium',
  Xvfb: 'xvfb',
  xvfb: 'xvfb',
  openbox: 'openbox',
  xterm: 'xterm',
  xdotool: 'xdotool',
  xprop: 'x11-utils',
  xwininfo: 'x11-utils',
  xdpyinfo: 'x11-utils',
  xset: 'x11-xserver-utils',
  xrandr: 'x11-xserver-utils',
  import: 'imagemagick',
  convert: 'imagemagick',
  pdftotext: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  pdfimages: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  unzip: 'unzip',
  zip: 'zip',
  psql: 'postgresql-client',
  pg_isready: 'postgresql-client',
  '/usr/share/dict/british-english': 'wbritish',
  'fonts/truetype/dejavu': 'fonts-dejavu-core',
  git: 'git',
  python3: 'python3',
  // ca-certificates depends on openssl.
  openssl: ['openssl', 'ca-certificates'],
  curl: 'curl',
};

/** Always there on Debian (Essential: yes, or Node/npm itself), or only on another OS. */
const NO_PACKAGE = new Set([
  'sh',
  'bash',
  'node',
  'npm',
  'npx',
  'sha256sum',
  'unshare',
  'kill',
  'sleep',
  'reg.exe',
  'reg',
  '/usr/bin/plutil',
  'plutil',
  'defaults',
  'osascript',
  'screencapture',
  'powershell',
  'powershell.exe',
  'process.execPath',
]);

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|mjs|js)$/.test(name)) out.push(path);
  }
  return out;
}

describe('.ci/run', () => {
  it('is an executable bash script that stops on the first error', () => {
    accessSync(join(ROOT, '.ci', 'run'), constants.X_OK);
    expect(ciRun.split('\n')[0]).toMatch(/^#!.*\bbash\b/);
    expect(ciRun).toMatch(/^set -euo pipefail$/m);
  });

  it('runs npm ci, then npm test', () => {
    const lines = ciRun.split('\n').map((l) => l.trim());
    const ci = lines.findIndex((l) => /^npm ci\b/.test(l));
    const test = lines.findIndex((l) => /^npm test\b/.test(l));
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(test).toBeGreaterThan(ci);
  });

  it('requires PostgreSQL (a missing server fails the suite rather than skipping it)', () => {
    expect(ciRun).toMatch(/export KESTREL_REQUIRE_POSTGRES=1/);
    expect(ciRun).toMatch(/pg_isready/);
    expect(aptPackages()).toContain('postgresql');
  });

  it('installs every system program and file the tests and the code they run call', () => {
    const installed = aptPackages();
    const needed = new Map<string, Set<string>>();
    const need = (what: string, where: string) => {
      const set = needed.get(what) ?? new Set<string>();
      set.add(where);
      needed.set(what, set);
    };
    const files = [
      ...sourceFiles(join(ROOT, 'test')),
      ...['shared/src', 'agent/src', 'collector-server/src'].flatMap((d) => sourceFiles(join(ROOT, d))),
    ];
    const call =
      /\b(?:spawn|spawnSync|execFile|execFileSync|exec|execSync|run|new Proc)\(\s*['"]([^'"\s]+)['"]/g;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const where = relative(ROOT, file);
      for (const m of text.matchAll(call)) need(m[1] ?? '', where);
      for (const m of text.matchAll(/['"](\/usr\/(?:bin|share)\/[^'"]+)['"]/g)) {
        const path = m[1] ?? '';
        const key = Object.keys(PROVIDER).find((k) => k.startsWith('/') && path.startsWith(k)) ?? path;
        need(key.includes('fonts/truetype/dejavu') ? 'fonts/truetype/dejavu' : key, where);
      }
    }
    const problems: string[] = [];
    for (const [what, where] of needed) {
      if (NO_PACKAGE.has(what)) continue;
      const dejavu = what.includes('fonts/truetype/dejavu') ? 'fonts-dejavu-core' : undefined;
      const provider = dejavu ?? PROVIDER[what];
      if (provider === undefined) {
        problems.push(
          `${what} (used in ${[...where].join(', ')}): which Debian package provides it? add it to PROVIDER`,
        );
      } else if (![provider].flat().some((p) => installed.has(p))) {
        problems.push(
          `${what} (used in ${[...where].join(', ')}) needs the "${provider}" package, which .ci/run does not install`,
        );
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('npm test and npm ci', () => {
  it('npm test builds first, then runs every vitest project', () => {
    expect(pkg.scripts['test']).toMatch(/^npm run build && vitest run$/);
  });

  it('the native modules npm ci installed load and work (built, or from prebuilds)', async () => {
    const script = [
      "const Database = (await import('better-sqlite3')).default;",
      "const db = new Database(':memory:'); if (db.prepare('select 41 + 1 as n').get().n !== 42) throw new Error('sqlite');",
      "const sharp = (await import('sharp')).default;",
      "const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } }).png().toBuffer();",
      "if ((await sharp(png).metadata()).width !== 2) throw new Error('sharp');",
      "await import('uiohook-napi'); await import('active-win');",
      "console.log('native ok');",
    ].join('\n');
    const r = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { DISPLAY: undefined },
      timeoutMs: 60_000,
    });
    // Everything loaded and worked once this is printed. (The exit code is not checked: without an X
    // display, uiohook-napi's native teardown makes the process exit 1 after the fact; the agent
    // does not load it when there is no display.)
    expect(r.stdout, r.stderr).toContain('native ok');
  });

  it('every dependency comes from the npm registry (or is a workspace)', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string; link?: boolean }>;
    };
    const elsewhere = Object.entries(lock.packages)
      .filter(([, p]) => p.resolved !== undefined && !p.link)
      .filter(([, p]) => !/^https:\/\/registry\.npmjs\.org\//.test(p.resolved ?? ''))
      .filter(([, p]) => !['agent', 'collector-server', 'shared'].includes(p.resolved ?? ''))
      .map(([name, p]) => `${name}: ${p.resolved}`);
    expect(elsewhere).toEqual([]);
  });
});
