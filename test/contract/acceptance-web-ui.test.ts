/**
 * Acceptance: the web UI (CONTRACTS.md "Web UI"). `GET /` is HTML under a strict
 * Content-Security-Policy; in a real browser every page reached from a first run (sign-in,
 * two-factor set-up, the queue, a capture) has a heading, and every visible control has an
 * accessible name, found by role and name as a screen reader would.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  captureMetadata,
  Client,
  type Collector,
  parseFirstRun,
  startCollector,
} from './support/collector.js';
import { CHROMIUM, launchChromium } from './support/browser.js';
import { cleanUp, eventually } from './support/processes.js';
import { currentStep, totpCode } from './support/totp.js';

let collector: Collector;
let browser: Browser | undefined;
let admin: { email: string; password: string };

beforeAll(async () => {
  collector = await startCollector({ LOG_LEVEL: 'warn' });
  const printed = parseFirstRun(collector.proc.stdout);
  if (!printed.email || !printed.password || !printed.enrolmentToken) {
    throw new Error(`first run printed no credentials:\n${collector.proc.stdout}`);
  }
  admin = { email: printed.email, password: printed.password };
  const agent = new Client(collector.url);
  const device = await agent.enrol(printed.enrolmentToken, 'LAB3-PC04');
  const jpeg = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#345' } })
    .jpeg()
    .toBuffer();
  for (const [category, term] of [
    ['self-harm', 'hurt myself'],
    ['bullying', 'nobody likes you'],
  ] as const) {
    const a = await agent.postCapture(
      device.deviceToken,
      captureMetadata({ category, term, context: `they said ${term}` }),
      jpeg,
    );
    if (a.status !== 201) throw new Error(`capture: ${a.status} ${a.text}`);
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await cleanUp();
});

/** The CSP directives of a header value, by name. */
function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}

describe('web UI over HTTP', () => {
  it('GET / serves HTML with a strict Content-Security-Policy (no inline or eval script)', async () => {
    const res = await fetch(`${collector.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type') ?? '').toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).not.toBe('');
    const d = directives(csp);
    const scriptSrc = d.get('script-src') ?? d.get('default-src');
    expect(scriptSrc, csp).toBeDefined();
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:', 'blob:']) {
      expect(scriptSrc, csp).not.toContain(bad);
    }
    for (const name of ['script-src-elem', 'script-src-attr']) {
      expect(d.get(name) ?? [], csp).not.toContain("'unsafe-inline'");
    }
    expect(d.get('object-src') ?? d.get('default-src'), csp).toEqual(["'none'"]);
    expect(d.get('frame-ancestors'), csp).toBeDefined();

    const html = await res.text();
    expect(html).toMatch(/<html[^>]*\slang="[a-z]{2}/i);
    // No inline script, no event-handler attributes: the CSP would block them anyway.
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      expect(m[1] ?? '', m[0]).toMatch(/\bsrc=/);
      expect((m[2] ?? '').trim(), m[0]).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    // Every script and stylesheet it names is served.
    const assets = [...html.matchAll(/(?:src|href)="(\/[^"]*)"/g)].map((m) => m[1] ?? '');
    expect(assets.length).toBeGreaterThan(0);
    for (const path of assets) {
      const a = await fetch(`${collector.url}${path}`);
      expect(a.status, path).toBe(200);
    }
  });
});

/**
 * Checks the page as a screen reader would: at least one heading, and every visible control
 * (button, link, form field) has an accessible name. Returns the page's ARIA snapshot.
 */
async function expectNamedControls(page: Page, where: string): Promise<string> {
  const snapshot = await page.locator('body').ariaSnapshot();
  expect(snapshot, `${where}: a heading`).toMatch(/^\s*- heading "[^"]+"/m);
  const controls = page.locator(
    'button, a[href], input:not([type=hidden]), select, textarea, [role=button], [role=link], [role=checkbox], [role=tab], [role=menuitem], [role=switch], [role=combobox], [tabindex]:not([tabindex="-1"])',
  );
  const count = await controls.count();
  const unnamed: string[] = [];
  for (let i = 0; i < count; i++) {
    const control = controls.nth(i);
    if (!(await control.isVisible())) continue;
    const own = await control.ariaSnapshot();
    const first = own.split('\n')[0] ?? '';
    // `- button "Sign in"`, `- textbox "Email"`, `- link "Queue"`: a role and a quoted (or pattern)
    // name; YAML quotes the whole entry when the name holds a colon: `- 'spinbutton "Days (blank: keep)"'`.
    let entry = first.replace(/^- /, '');
    if (entry.startsWith("'")) entry = entry.slice(1, entry.lastIndexOf("'")).replace(/''/g, "'");
    if (!/^[a-z]+ (?:"[^"]*\S[^"]*"|\/.+\/)/.test(entry)) {
      unnamed.push(`${first || '(no role)'}  ${await control.evaluate((e) => e.outerHTML.slice(0, 160))}`);
    }
  }
  expect(unnamed, `${where}: controls without an accessible name`).toEqual([]);
  return snapshot;
}

describe('web UI in a browser', () => {
  it('sign-in, two-factor set-up, queue, capture and every page in the navigation: headings, every control named', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} (Debian "chromium")`).toBe(true);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));

    await page.goto(`${collector.url}/`);
    await page.getByRole('heading').first().waitFor();
    await expectNamedControls(page, 'sign-in');

    await page.getByRole('textbox', { name: /email/i }).fill(admin.email);
    await page.getByLabel(/password/i).fill(admin.password);
    await page.getByRole('button', { name: /sign in/i }).click();

    // The first-run administrator also holds the DSL role, so the UI asks for two-factor set-up.
    const secretBox = page.getByLabel(/secret/i);
    await secretBox.waitFor();
    await expectNamedControls(page, 'two-factor set-up');
    const secret = (await secretBox.innerText()).replace(/\s+/g, '');
    await page.getByRole('textbox', { name: /code/i }).fill(totpCode(secret, currentStep()));
    await page.getByRole('button', { name: /two-factor|turn on|confirm|continue/i }).click();

    // The queue, with the two captures.
    await page.getByText('hurt myself').first().waitFor();
    const queue = await expectNamedControls(page, 'queue');
    expect(queue).toMatch(/- heading "[^"]+"/);

    // A capture opened from the queue: select its row, then Enter, as a moderator works.
    await page.getByText('hurt myself').first().click();
    if (!/#\/capture\//.test(page.url())) await page.keyboard.press('Enter');
    await page
      .getByRole('heading', { name: /hurt myself/ })
      .first()
      .waitFor();
    await page
      .getByRole('img', { name: /screenshot/i })
      .first()
      .waitFor();
    await expectNamedControls(page, 'capture');

    // Every page the navigation offers.
    const nav = page.getByRole('navigation').first();
    const links = nav.getByRole('link');
    const targets: { name: string; href: string }[] = [];
    for (let i = 0; i < (await links.count()); i++) {
      const link = links.nth(i);
      const href = await link.getAttribute('href');
      if (href !== null && !/^https?:/.test(href))
        targets.push({ name: (await link.innerText()).trim(), href });
    }
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      await page
        .getByRole('navigation')
        .first()
        .getByRole('link', { name: target.name, exact: true })
        .first()
        .click();
      await eventually(`navigation to ${target.href}`, 15_000, async () =>
        page.url().endsWith(target.href) ? true : undefined,
      );
      await page.getByRole('heading').first().waitFor();
      // Let the view finish loading its data before judging it.
      await page.waitForLoadState('networkidle');
      await expectNamedControls(page, `page "${target.name}" (${target.href})`);
    }

    expect(violations).toEqual([]);
    await context.close();
  }, 120_000);
});
