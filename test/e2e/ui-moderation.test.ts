/**
 * The moderator UI in a real browser (Debian Chromium via playwright-core) against a real collector
 * on loopback, seeded through the agent API. Elements are found by role and name, as a person
 * using a screen reader would find them; the moderator's work is done by keyboard only.
 * KESTREL_DOCS_SCREENSHOTS=1 writes the screenshots into docs/img/ (otherwise test-results/).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode, totpStep } from '../../collector-server/src/domain/moderation/totp.js';
import { ENROLMENT_TOKEN, type Harness, must, startCollector } from '../contract/collector-helpers.js';
import { STAFF_PASSWORD, staffWithTotp, type StaffUser } from '../contract/moderation-helpers.js';
import { launchChromium } from '../contract/support/browser.js';
import { fakeScreen } from './ui-support/fake-screen.js';
import { enrolDevice, minutesAgo, sendCapture } from './ui-support/seed.js';

const SHOTS = process.env['KESTREL_DOCS_SCREENSHOTS'] === '1' ? 'docs/img' : 'test-results/ui';
mkdirSync(SHOTS, { recursive: true });
mkdirSync('test-results', { recursive: true });

const XSS = {
  machine: '"><img src=x onerror=alert(1)>',
  user: '<svg onload=alert(2)>',
  windowTitle: '<img src=x onerror="window.__xss=1">',
  context: '"><script>window.__xss=2</script> you are worthless and <b>everyone</b> knows it',
  application: '<iframe src="javascript:alert(3)"></iframe>',
  url: 'javascript:alert(1)',
};

describe('moderator web UI in Chromium', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let moderator: StaffUser;
  const dialogs: string[] = [];
  const cspErrors: string[] = [];

  beforeAll(async () => {
    // The UI under test is the one in the sources: build it (about a second) rather than trust ui-dist/.
    execFileSync(process.execPath, ['collector-server/scripts/build-ui.mjs'], { stdio: 'ignore' });
    h = await startCollector({ DEVICE_CAPTURES_PER_MINUTE: '100000' });
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    moderator = await staffWithTotp(h.storage, 'moderator@school.test', [
      { schoolId: h.schoolId, role: 'moderator' },
    ]);

    // A biology lesson: the same phrase from eight machines within minutes is one group.
    const worksheet = await fakeScreen('Cell biology - Year 9 worksheet - Word', [
      'Task 3: Drugs and the nervous system',
      'Research how cannabis affects the brain and write',
      'three sentences about short-term effects.',
    ]);
    for (let i = 1; i <= 8; i++) {
      const token = await enrolDevice(base, ENROLMENT_TOKEN, `SCI-LAB-PC${String(i).padStart(2, '0')}`);
      await sendCapture(
        base,
        token,
        {
          machine: `SCI-LAB-PC${String(i).padStart(2, '0')}`,
          user: `9B-pupil${i}`,
          category: 'drugs',
          severity: 2,
          term: 'cannabis',
          context: 'research how cannabis affects the brain',
          windowTitle: 'Cell biology - Year 9 worksheet - Word',
          application: 'WINWORD.EXE',
          capturedAt: minutesAgo(40 - i),
        },
        worksheet,
      );
    }
    const lib = await enrolDevice(base, ENROLMENT_TOKEN, 'LIBRARY-PC04');
    await sendCapture(
      base,
      lib,
      {
        machine: 'LIBRARY-PC04',
        user: '10C-jsmith',
        category: 'suicide',
        severity: 5,
        term: 'kill myself',
        context: 'i just want to kill myself nobody would even notice',
        windowTitle: 'Untitled - Notepad',
        application: 'notepad.exe',
        capturedAt: minutesAgo(5),
      },
      await fakeScreen('Untitled - Notepad', ['i just want to kill myself nobody would even notice'], '#555'),
    );
    await sendCapture(
      base,
      lib,
      {
        machine: 'LIBRARY-PC04',
        user: '10C-jsmith',
        category: 'illegal',
        severity: 5,
        term: 'illegal-term',
        context: 'search for illegal-term',
        windowTitle: 'Search - Browser',
        application: 'chrome.exe',
        capturedAt: minutesAgo(6),
      },
      await fakeScreen('Search - Browser', ['THIS IMAGE MUST STAY HIDDEN'], '#a00'),
    );
    const hostile = await enrolDevice(base, ENROLMENT_TOKEN, 'ICT-PC11');
    await sendCapture(
      base,
      hostile,
      { ...XSS, category: 'bullying', severity: 4, term: 'you are worthless', capturedAt: minutesAgo(10) },
      await fakeScreen('Chat', ['you are worthless and everyone knows it'], '#7a4'),
    );
    await sendCapture(
      base,
      hostile,
      {
        machine: 'ICT-PC11',
        user: '8A-tlee',
        category: 'gambling',
        severity: 3,
        term: 'online casino',
        context: 'best online casino bonus for under 18s',
        windowTitle: 'best online casino - Search',
        application: 'chrome.exe',
        url: 'https://search.example/?q=best+online+casino',
        capturedAt: minutesAgo(12),
      },
      await fakeScreen('best online casino - Search', ['best online casino bonus for under 18s'], '#355'),
    );

    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function newPage(width = 1280, height = 800): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    return page;
  }

  /** A code for a step not used before by this user (the server refuses replays). */
  let lastStep = 0;
  function freshCode(secret: string): string {
    const step = Math.max(totpStep(Date.now()) - 1, lastStep + 1);
    lastStep = step;
    return totpCode(secret, step * 30_000);
  }

  async function signIn(page: Page, user: StaffUser, shot?: string): Promise<void> {
    await page.goto(base);
    await page.getByRole('heading', { name: 'Sign in to Kestrel' }).waitFor();
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    if (shot) await page.screenshot({ path: join(SHOTS, shot) });
    await page.keyboard.press('Enter');
    const code = page.getByLabel('Two-factor code');
    await code.waitFor();
    await code.fill(freshCode(must(user.secret)));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Moderation queue' }).waitFor();
  }

  it('signs in with a second factor and works through the queue by keyboard only', async () => {
    const page = await newPage();
    await signIn(page, moderator, 'ui-sign-in.png');
    const table = page.getByRole('table', { name: 'Captures' });
    await table.waitFor();

    // Critical first (newest of them first), then by severity; the lesson is one row of eight.
    const links = table.getByRole('link');
    await expect
      .poll(() => links.allTextContents())
      .toEqual(['kill myself', 'illegal-term', 'you are worthless', 'online casino', 'cannabis']);
    const group = page.getByRole('button', { name: '8 captures' });
    await group.waitFor();
    // Focus starts on the first row; j moves down to the group, → expands it.
    for (let i = 0; i < 4; i++) await page.keyboard.press('j');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => group.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => table.getByRole('link', { name: 'cannabis' }).count()).toBe(8);
    await page.screenshot({ path: join(SHOTS, 'ui-queue.png') });
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => table.getByRole('link', { name: 'cannabis' }).count()).toBe(1);

    // d on the group dismisses all eight; u brings them back; d again clears them.
    await page.keyboard.press('d');
    await page.getByRole('status').filter({ hasText: 'Dismissed 8 captures' }).waitFor();
    await table.getByRole('link', { name: 'cannabis' }).waitFor({ state: 'detached' });
    await page.keyboard.press('u');
    await table.getByRole('link', { name: 'cannabis' }).waitFor();
    await page.keyboard.press('d');
    await table.getByRole('link', { name: 'cannabis' }).waitFor({ state: 'detached' });

    // Back to the top and open the critical capture.
    for (let i = 0; i < 5; i++) await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Capture: .?kill myself/ }).waitFor();
    const reason = page.getByRole('complementary', { name: 'Reason for capture' });
    expect(await reason.locator('blockquote mark').textContent()).toBe('kill myself');
    await page.getByRole('img', { name: /Screenshot from LIBRARY-PC04/ }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'ui-capture.png') });

    // e asks why, then moves on to the next capture.
    await page.keyboard.press('e');
    const dialog = page.getByRole('dialog', { name: 'Escalate to the safeguarding lead' });
    await dialog.waitFor();
    await page.keyboard.type('States intent to end life; DSL to act today');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Capture: .?illegal-term/ }).waitFor();

    // j skips the illegal capture; r marks the hostile one reviewed and moves on.
    await page.keyboard.press('j');
    await page.getByRole('heading', { name: /Capture: .?you are worthless/ }).waitFor();
    await page.keyboard.press('r');
    await page.getByRole('heading', { name: /Capture: .?online casino/ }).waitFor();
    const link = page.getByRole('link', { name: 'https://search.example/?q=best+online+casino' });
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');

    // ? shows the shortcuts; Escape closes it, and Escape again returns to the queue.
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Moderation queue' }).waitFor();
    await expect
      .poll(() => table.getByRole('link').allTextContents())
      .toEqual(['illegal-term', 'online casino']);

    // A selection: x on both rows, r marks both reviewed, the queue is clear; u brings them back.
    await page.keyboard.press('k');
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await expect.poll(() => page.getByRole('checkbox', { checked: true }).count()).toBe(2);
    await page.keyboard.press('r');
    await page.getByRole('heading', { name: 'Queue clear' }).waitFor();
    await page.keyboard.press('u');
    await expect
      .poll(() => table.getByRole('link').allTextContents())
      .toEqual(['illegal-term', 'online casino']);

    const escalated = await h.storage.auditEvents.list({ action: 'captures.escalated', limit: 10 });
    expect(escalated[0]?.details).toMatchObject({ reason: 'States intent to end life; DSL to act today' });
    await page.close();
  });

  it('keeps an illegal-content capture blurred until revealed with a reason', async () => {
    const page = await newPage();
    await signIn(page, moderator);
    await page.getByRole('link', { name: 'illegal-term' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Capture: .?illegal-term/ }).waitFor();
    const blurred = page.getByRole('img', { name: /Blurred screenshot/ });
    await blurred.waitFor();
    await expect
      .poll(() => blurred.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(24);
    expect(await page.getByRole('img', { name: /Screenshot from/ }).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'ui-illegal-blurred.png') });

    await page.getByRole('button', { name: 'Reveal image' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reveal this image?' });
    await dialog.getByRole('button', { name: 'Reveal image' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Please give a reason.' }).waitFor();
    await dialog.getByLabel('Why do you need to see it?').fill('Confirming content before police referral');
    await dialog.getByRole('button', { name: 'Reveal image' }).click();
    const shot = page.getByRole('img', { name: /Screenshot from LIBRARY-PC04/ });
    await shot.waitFor();
    await expect
      .poll(() => shot.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(1280);
    const reveals = await h.storage.auditEvents.list({ action: 'capture.revealed', limit: 10 });
    expect(reveals[0]?.details).toMatchObject({ reason: 'Confirming content before police referral' });
    await page.close();
  });

  it('renders hostile agent strings as inert text', async () => {
    const page = await newPage();
    await signIn(page, moderator);
    await page.getByRole('combobox', { name: 'Status' }).selectOption('reviewed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('link', { name: 'you are worthless' }).click();
    await page.getByRole('heading', { name: /Capture: .?you are worthless/ }).waitFor();
    const reason = page.getByRole('complementary', { name: 'Reason for capture' });
    for (const text of Object.values(XSS)) expect(await reason.textContent()).toContain(text);
    expect(await reason.locator('blockquote mark').textContent()).toBe('you are worthless');
    // javascript: stays text, never a link.
    expect(await page.getByRole('link', { name: XSS.url }).count()).toBe(0);
    expect(await page.locator('a[href^="javascript"]').count()).toBe(0);
    // Nothing injected: no stray images, scripts, frames or SVG, no handler ran, no dialog opened.
    expect(await page.locator('img[src="x"], iframe, svg, b').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(cspErrors).toEqual([]);
    // A large monitor: the same page, wider (looked at by hand; not a documentation image).
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: join('test-results', 'ui-capture-1920.png') });
    await page.close();
  });

  it('enrols a second factor from the QR page on first sign-in', async () => {
    const fresh = await staffWithTotp(
      h.storage,
      'new.moderator@school.test',
      [{ schoolId: h.schoolId, role: 'moderator' }],
      false,
    );
    const page = await newPage();
    await page.goto(base);
    await page.getByLabel('Email').fill(fresh.email);
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = must(await page.getByLabel('Secret key').textContent()).replace(/\s/g, '');
    await page.getByLabel('Six-digit code').fill(totpCode(secret, Date.now()));
    await page.getByRole('button', { name: 'Turn on two-factor' }).click();
    await page.getByRole('heading', { name: 'Moderation queue' }).waitFor();
    await page.getByRole('table', { name: 'Captures' }).waitFor();

    // Live update: a capture arriving now is offered (the page polls every ten seconds), not pushed
    // under the keyboard; taking the offer shows it.
    const device = await enrolDevice(base, ENROLMENT_TOKEN, 'DT-PC02');
    await sendCapture(
      base,
      device,
      {
        machine: 'DT-PC02',
        user: '7D-akhan',
        category: 'violence',
        severity: 3,
        term: 'bring a knife',
        capturedAt: minutesAgo(0),
      },
      await fakeScreen('Messages', ['bring a knife tomorrow'], '#844'),
    );
    await page.getByRole('button', { name: 'New captures arrived — show them' }).click();
    await page.getByRole('link', { name: 'bring a knife' }).waitFor();
    await page.close();
  });
});
