/**
 * The safeguarding workflow in a real browser (Debian Chromium via playwright-core) against a real
 * collector on loopback: a moderator escalates, the DSL sees it in the in-tray, opens an incident
 * from the capture's page, works the flowchart and closes it; the headteacher reads the week; a governor sees figures only; a
 * technician sees stale devices. KESTREL_DOCS_SCREENSHOTS=1 writes screenshots into docs/img/.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { sql } from 'kysely';
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

const CATEGORY_MIX = [
  'bullying',
  'drugs',
  'gambling',
  'violence',
  'self-harm',
  'circumvention',
  'sexual-content',
] as const;

describe('safeguarding workflow in Chromium', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  const users: Record<string, StaffUser> = {};
  const cspErrors: string[] = [];
  let critical = '';

  beforeAll(async () => {
    h = await startCollector({ DEVICE_CAPTURES_PER_MINUTE: '100000', DEVICE_REQUESTS_PER_MINUTE: '100000' });
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    for (const role of ['moderator', 'dsl', 'headteacher', 'governor', 'technician'] as const) {
      users[role] = await staffWithTotp(
        h.storage,
        `${role}@hillside.test`,
        [{ schoolId: h.schoolId, role }],
        role !== 'governor' && role !== 'technician',
      );
    }
    await h.storage.users.create({
      id: 'placeholder',
      email: 'placeholder@hillside.test',
      displayName: 'Placeholder',
      passwordHash: 'x',
      createdAt: new Date().toISOString(),
      disabledAt: null,
    });

    // Eight weeks of ordinary captures, spread back in time, so the week has something to compare with.
    const screen = await fakeScreen('Year 9 - Research - Browser', ['Search results'], '#3b6ea5');
    const tokens: string[] = [];
    for (let i = 1; i <= 6; i++)
      tokens.push(await enrolDevice(base, ENROLMENT_TOKEN, `ICT-SUITE-PC${String(i).padStart(2, '0')}`));
    let n = 0;
    for (let week = 0; week < 8; week++) {
      const count = 6 + ((week * 5) % 7);
      for (let k = 0; k < count; k++) {
        n += 1;
        const category = CATEGORY_MIX[(n + week) % CATEGORY_MIX.length] ?? 'bullying';
        const id = await sendCapture(
          base,
          must(tokens[n % tokens.length]),
          {
            machine: `ICT-SUITE-PC0${(n % 6) + 1}`,
            user: `9B-pupil${n % 11}`,
            category,
            severity: ((n % 4) + 1) as 1 | 2 | 3 | 4,
            term: 'term',
            context: 'context',
            capturedAt: minutesAgo(10),
          },
          screen,
        );
        const at = new Date(Date.now() - (week * 7 + (k % 6) + 0.5) * 86_400_000).toISOString();
        const reviewed = week > 0 || k % 2 === 0;
        await sql`update captures set received_at = ${at}, status = ${reviewed ? 'reviewed' : 'unreviewed'}, reviewed_at = ${reviewed ? new Date(Date.parse(at) + (3 + (k % 20)) * 3_600_000).toISOString() : null} where id = ${id}`.execute(
          h.storage.db,
        );
      }
    }
    // Heartbeats as agents send them; one Mac lacks the screen-recording permission.
    for (const [i, token] of tokens.entries()) {
      const res = await fetch(`${base}/api/v1/heartbeat`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          agentVersion: '0.1.0',
          lexiconVersion: i === 2 ? '2026.09.1' : '2026.11.1',
          queueLength: i === 3 ? 14 : 0,
          health: {
            sources: {
              keyboard: { state: 'ok' },
              window: { state: 'ok' },
              screenshot: { state: i === 4 ? 'degraded' : 'ok' },
            },
            missingPermissions: i === 4 ? ['screen-recording'] : [],
          },
        }),
      });
      expect(res.status).toBe(200);
    }
    // A device that stopped reporting two days ago.
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await sql`update devices set last_seen_at = ${twoDaysAgo} where hostname = 'ICT-SUITE-PC06'`.execute(
      h.storage.db,
    );
    await sql`update heartbeats set received_at = ${twoDaysAgo} where device_id in (select id from devices where hostname = 'ICT-SUITE-PC06')`.execute(
      h.storage.db,
    );

    const library = await enrolDevice(base, ENROLMENT_TOKEN, 'LIBRARY-PC04');
    critical = await sendCapture(
      base,
      library,
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
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function newPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Two cores shared with other suites: give a slow first paint room without hiding a real failure.
    page.setDefaultTimeout(60_000);
    page.on('dialog', (d) => void d.accept('Police investigation: crime reference 12/3456'));
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    return page;
  }

  // The server refuses a replayed step per user, so each user moves forward through the window.
  const lastStep = new Map<string, number>();
  async function signIn(page: Page, user: StaffUser, landing: RegExp | string): Promise<void> {
    await page.goto(base);
    await page.getByRole('heading', { name: 'Sign in to Kestrel' }).waitFor();
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.keyboard.press('Enter');
    if (user.secret !== null) {
      const code = page.getByLabel('Two-factor code');
      await code.waitFor();
      // The current step, not the one before: a step boundary passing mid-sign-in must not expire it.
      const step = Math.max(totpStep(Date.now()), (lastStep.get(user.id) ?? -Infinity) + 1);
      lastStep.set(user.id, step);
      await code.fill(totpCode(user.secret, step * 30_000));
      await page.keyboard.press('Enter');
    }
    try {
      await page.getByRole('heading', { name: landing }).waitFor();
    } catch (err) {
      // Keep what the browser showed, for the person reading the failure.
      await page.screenshot({ path: join(SHOTS, `sign-in-failed-${user.email}.png`) });
      throw new Error(
        `sign-in of ${user.email} did not reach ${String(landing)}: ${await page.locator('body').innerText()}`,
        { cause: err },
      );
    }
  }

  it('takes an escalated capture to a closed incident', async () => {
    const mod = await newPage();
    await signIn(mod, must(users['moderator']), 'Moderation queue');
    await mod.goto(`${base}/#/capture/${critical}`);
    await mod.getByRole('heading', { name: /Capture: .?kill myself/ }).waitFor();
    await mod.keyboard.press('e');
    const dialog = mod.getByRole('dialog', { name: 'Escalate to the safeguarding lead' });
    await dialog.waitFor();
    await mod.keyboard.type('States intent to end life; DSL to act today');
    await mod.keyboard.press('Tab');
    await mod.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    // The dialog closes before the answer arrives: wait for the escalation itself before leaving.
    await expect
      .poll(async () => (await h.storage.captures.get(critical))?.status, { timeout: 30_000 })
      .toBe('escalated');
    await mod.close();

    const page = await newPage();
    await signIn(page, must(users['dsl']), 'Moderation queue');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('heading', { name: 'Escalated to you (1)' }).waitFor();
    await page.getByRole('button', { name: 'Open an incident for 10C-jsmith on LIBRARY-PC04' }).waitFor();
    // From the capture's own page: "Open incident" opens one with the capture as evidence.
    await page.goto(`${base}/#/capture/${critical}`);
    await page.getByRole('heading', { name: /Capture: .?kill myself/ }).waitFor();
    const openButton = page.getByRole('button', { name: 'Open incident', exact: true });
    await openButton.waitFor();
    await page.screenshot({ path: join(SHOTS, 'workflow-capture-incident.png') });
    await openButton.click();
    const heading = page.getByRole('heading', { name: /^INC-\d{4}-0001: suicide on LIBRARY-PC04$/ });
    await heading.waitFor();
    // Back on the capture, the open incident is a link instead of the button.
    await page.goto(`${base}/#/capture/${critical}`);
    await page.getByRole('link', { name: /^In incident INC-\d{4}-0001$/ }).click();
    await heading.waitFor();
    const incidents = await sql<{ n: number }>`select count(*) as n from incidents`.execute(h.storage.db);
    expect(Number(incidents.rows[0]?.n)).toBe(1);

    await page.getByLabel('Was illegal material or activity found or suspected?').selectOption('no');
    await page.getByLabel('Did the incident involve a member of staff?').selectOption('false');
    await page.getByLabel('Was the pupil the victim or the instigator?').selectOption('victim');
    await page.getByRole('button', { name: 'Save answers' }).click();
    await page.getByRole('listitem').filter({ hasText: 'In-school support for the pupil' }).waitFor();

    await page.getByLabel('Action', { exact: true }).selectOption('parents-informed');
    await page.getByLabel('Detail').fill('Phoned mother at 11:05; she will collect him');
    await page.getByRole('button', { name: 'Record action' }).click();
    await page.getByRole('listitem').filter({ hasText: 'Phoned mother at 11:05' }).waitFor();
    await page.getByLabel('Action', { exact: true }).selectOption('support');
    await page.getByLabel('Detail').fill('Referred to the school counsellor; safety plan agreed');
    await page.getByRole('button', { name: 'Record action' }).click();
    await page.getByRole('listitem').filter({ hasText: 'Referred to the school counsellor' }).waitFor();
    await page
      .getByLabel('Add a dated note')
      .fill('Met with the pupil and his form tutor. He is safe at home tonight.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('He is safe at home tonight.').waitFor();
    expect(
      await page
        .getByRole('listitem')
        .filter({ hasText: 'Inform parents or carers as appropriate (done)' })
        .count(),
    ).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'workflow-incident.png'), fullPage: true });

    await page.getByLabel('Outcome').fill('Support plan in place; parents engaged; no referral needed');
    await page.getByRole('button', { name: 'Close incident' }).click();
    await page.getByRole('heading', { name: 'Closed', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Reopen incident' }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).click();
    const log = page.getByRole('table').last();
    await log.getByRole('cell', { name: 'Closed' }).waitFor();
    expect(await page.getByRole('heading', { name: /Escalated to you/ }).count()).toBe(0);

    const events = await h.storage.auditEvents.list({ limit: 5000 });
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'incident.opened',
        'incident.action.recorded',
        'incident.closed',
        'capture.viewed',
      ]),
    );
    await page.close();
  });

  it('shows the headteacher the week with charts, and a governor figures only', async () => {
    const page = await newPage();
    await signIn(page, must(users['headteacher']), /^This week at /);
    await page
      .getByRole('img', { name: 'Captures per week, the last eight weeks, this week on the right' })
      .waitFor();
    await page
      .getByRole('img', { name: 'Captures this week by category, with the previous weekly average' })
      .waitFor();
    expect(await page.getByText('captures this week').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'workflow-dashboard.png'), fullPage: true });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('link', { name: 'Full report (PDF)' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByText(/^Hash chain intact: \d+ events verified\.$/).waitFor();
    await page.getByLabel('Action starts with').fill('incident.');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('cell', { name: 'incident.closed' }).waitFor();
    expect(await page.getByRole('cell', { name: 'dashboard.viewed' }).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'workflow-audit.png'), fullPage: true });
    await page.close();

    const gov = await newPage();
    await signIn(gov, must(users['governor']), /^This week at /);
    await gov.getByText('Figures only: your role does not see names or incident details.').waitFor();
    expect(await gov.getByRole('link', { name: 'Incidents' }).count()).toBe(0);
    expect(await gov.getByRole('link', { name: 'Queue' }).count()).toBe(0);
    await gov.close();
  });

  it('lets the DSL try a phrase, add a term, change a severity and grant a research exemption', async () => {
    const page = await newPage();
    await signIn(page, must(users['dsl']), 'Moderation queue');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Lexicon' }).click();
    await page.getByRole('heading', { name: 'Lexicon', exact: true }).waitFor();
    await page.getByLabel('Phrase', { exact: true }).fill('you are such a zorblax');
    await page.getByRole('button', { name: 'Try', exact: true }).click();
    await page.getByText('No match: this phrase would not be captured.').waitFor();
    await page.getByLabel('Term', { exact: true }).fill('zorblax');
    await page.getByLabel('Category', { exact: true }).selectOption('bullying');
    await page.getByRole('button', { name: 'Add term' }).click();
    await page.getByText('Added: zorblax (Bullying, 3)').waitFor();
    // A shipped entry's severity, changed in place.
    await page.getByLabel('Find a term').fill('ladbrokes');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByLabel('Severity of ladbrokes').selectOption('4');
    await page.getByRole('button', { name: 'Set severity' }).click();
    await page.getByText('Severity 4: ladbrokes (Gambling)').waitFor();
    await page.getByLabel('Phrase', { exact: true }).fill('you are such a zorblax, put it on ladbrokes');
    await page.getByRole('button', { name: 'Try', exact: true }).click();
    await page.getByText('matches “zorblax”: Bullying, severity 3').waitFor();
    await page.getByText('matches “ladbrokes”: Gambling, severity 4').waitFor();
    await page.screenshot({ path: join(SHOTS, 'workflow-lexicon.png'), fullPage: true });
    await page.getByRole('button', { name: 'Publish to agents' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Published / })
      .waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exemptions' }).click();
    await page.getByRole('heading', { name: 'Research exemptions' }).waitFor();
    await page.getByLabel('Drugs').check();
    await page.getByLabel('Machines (hostname pattern, * for any characters)').fill('ICT-SUITE-*');
    await page
      .getByLabel('Until (at most eight weeks)')
      .fill(new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
    await page
      .getByLabel('Reason (recorded in the audit log)')
      .fill('Year 9 science: drugs and the nervous system');
    await page.getByRole('button', { name: 'Grant exemption' }).click();
    await page.getByRole('cell', { name: 'Year 9 science: drugs and the nervous system' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'workflow-exemptions.png'), fullPage: true });
    await page.close();
  });

  it('shows the technician stale devices first', async () => {
    const page = await newPage();
    await signIn(page, must(users['technician']), 'Devices');
    const first = page.getByRole('table').getByRole('row').nth(1);
    await expect.poll(() => first.textContent()).toContain('ICT-SUITE-PC06');
    expect(await first.textContent()).toContain('not seen for over a day');
    await page.screenshot({ path: join(SHOTS, 'workflow-devices.png'), fullPage: true });
    await page.close();
    expect(cspErrors).toEqual([]);
  });
});
