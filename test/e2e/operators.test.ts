// End to end, in Debian's Chromium against a real `devpay serve --headless --sim`: operators at
// the counter. Nobody is signed in at first, so the sign-in screen takes the counter's place;
// the demo cashier signs in with the simulated finger; their day close is refused by role, the
// refusal said by role and permission in the language on screen; a supervisor's override (the
// demo admin, whose role holds the permission, by finger) lets the close go through; Lock shows the lock screen and the cashier resumes; after
// three unknown fingers the PIN is offered, a wrong one says the tries left, the right one signs
// in; Sign out leads back to the sign-in screen. In English, Turkish and Persian at 800×480,
// each state fits the viewport, passes axe-core with no serious or critical violation, and is
// kept as a screenshot in test-output/e2e-ui/. The admin reaches the operators screen; the
// cashier's nav does not offer it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Locale } from '../../core/api/preferences.js';
import { catalogues } from '../../renderer/i18n/catalogues.js';
import { requireTools } from '../harness/require-tool.js';
import { chromiumPath, launchChromium } from '../harness/chromium.js';
import { startDevpay, type DevpayProcess } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { Cleanup } from '../harness/cleanup.js';
import { assertFits } from './support/layout.js';
import { assertAccessible } from './support/axe.js';
import { simFingerIndex } from '../harness/operator-sign-in.js';
import { demoPins, sessionAction, signInByFinger, typePin } from './support/operator-ui.js';
import { chooseLocale, openUi, type UiPage } from './support/ui-session.js';

const kiosk = { width: 800, height: 480 };
const stateTimeoutMs = 20_000;
/** A simulated finger no demo operator is enrolled with. */
const unknownFinger = 3;

async function checkState(ui: UiPage, state: string, shots: string[]): Promise<void> {
  await assertFits(ui.page, state);
  await assertAccessible(ui.page, state);
  shots.push(await ui.shot(state));
}

/** ICU's plural for the tries left, as the catalogue words it (the count formatted as the language does). */
function message(locale: Locale, key: keyof (typeof catalogues)['en'], values: Record<string, string>): string {
  let text = catalogues[locale][key];
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`{${name}}`, value);
  return text;
}

async function drive(browser: Browser, server: DevpayProcess, locale: Locale, shots: string[]): Promise<void> {
  const pins = demoPins(server);
  const ui = await openUi(browser, server.url, kiosk, `operators-${locale}`);
  const { page } = ui;
  try {
    await chooseLocale(page, locale);
    // The session is the terminal's: whoever the last language's run left signed in signs out.
    await page.locator('[data-testid="sign-in-screen"], [data-testid="session-controls"], [data-testid="lock-screen"]').first().waitFor({ timeout: stateTimeoutMs });
    if ((await page.locator('[data-testid="session-controls"]').count()) > 0) await sessionAction(page, 'sign-out');
    // Signed out: the sign-in screen instead of the counter, the nav hidden.
    await page.locator('[data-testid="sign-in-screen"]').waitFor({ timeout: stateTimeoutMs });
    assert.equal(await page.locator('[data-testid="charge"]').count(), 0, 'no counter before sign-in');
    assert.equal(await page.locator('[data-testid="nav-day"]').count(), 0, 'no screens before sign-in');
    await checkState(ui, '1-sign-in', shots);

    // The cashier by finger: the counter, no operators screen in the nav.
    await signInByFinger(page, 'cashier');
    await page.locator('[data-testid="charge"]').waitFor();
    assert.equal(await page.locator('[data-testid="nav-operators"]').count(), 0, 'a cashier may not manage operators');
    await page.click('[data-testid="session-operator"]');
    await page.locator('[data-testid="session-menu"]').waitFor();
    await checkState(ui, '2-cashier-menu', shots);
    await page.click('[data-testid="session-operator"]');

    // The day close is refused by role; the refusal is said by role and permission.
    await page.click('[data-testid="nav-day"]');
    await page.click('[data-testid="day-close"]');
    await page.locator('[data-testid="day-close-needs-supervisor"]').waitFor();
    await page.click('[data-testid="day-close-confirm"]');
    const refusal = page.locator('[data-testid="override-dialog"][data-permission="day_close"] [data-testid="override-refusal"]');
    await refusal.waitFor({ timeout: stateTimeoutMs });
    const expectedRefusal = message(locale, 'override.refused', { role: catalogues[locale]['role.cashier'], permission: catalogues[locale]['permission.day_close'] });
    assert.ok((await refusal.innerText()).includes(expectedRefusal), `the refusal says ${expectedRefusal}: ${await refusal.innerText()}`);
    await checkState(ui, '3-refused', shots);

    // The supervisor's override: the admin's finger on the reader lets the close through.
    await page.click('[data-testid="override-start"]');
    await page.locator('[data-testid="override-auth"]').waitFor();
    await checkState(ui, '4-override', shots);
    await page.click(`[data-testid="sim-finger-${simFingerIndex.admin}"]`);
    await page.locator('[data-testid="override-dialog"]').waitFor({ state: 'detached', timeout: stateTimeoutMs });
    await page.locator('[data-testid="day-report"][data-kind="z"], [data-testid="day-close-panel"][data-state="refused"]').first().waitFor({ timeout: stateTimeoutMs });
    await checkState(ui, '5-closed-after-override', shots);

    // Lock, and the cashier resumes by finger.
    await sessionAction(page, 'lock');
    await page.locator('[data-testid="lock-screen"]').waitFor({ timeout: stateTimeoutMs });
    await page.locator('[data-testid="lock-operator"]').filter({ hasText: 'Demo cashier' }).waitFor();
    await checkState(ui, '6-locked', shots);
    await signInByFinger(page, 'cashier');

    // Signed out: three unknown fingers, then the PIN; a wrong one says the tries left.
    await sessionAction(page, 'sign-out');
    await page.locator('[data-testid="sign-in-screen"]').waitFor({ timeout: stateTimeoutMs });
    for (let attempt = 1; attempt <= 3 && (await page.locator('[data-testid="auth-use-pin"]').count()) === 0; attempt += 1) {
      await page.click(`[data-testid="sim-finger-${unknownFinger}"]`);
      await page.locator(`[data-testid="auth-said"][data-outcome="no_match"]`).waitFor({ timeout: stateTimeoutMs });
      await page.waitForTimeout(1200);
    }
    await page.locator('[data-testid="auth-use-pin"]').waitFor({ timeout: stateTimeoutMs });
    await page.click('[data-testid="auth-use-pin"]');
    await page.locator('[data-testid="operator-choice"][data-role="cashier"]').click();
    await typePin(page, pins.cashier === '000000' ? '111111' : '000000');
    const said = page.locator('[data-testid="auth-said"][data-outcome="pin_invalid"]');
    await said.waitFor({ timeout: stateTimeoutMs });
    assert.match(await said.innerText(), locale === 'fa' ? /[۰-۹]/ : /\d/, 'the tries left are said');
    await checkState(ui, '7-sign-in-wrong-pin', shots);
    await typePin(page, pins.cashier);
    await page.locator('[data-testid="session-controls"][data-role="cashier"]').waitFor({ timeout: stateTimeoutMs });

    // The admin sees the operators screen.
    await sessionAction(page, 'sign-out');
    await signInByFinger(page, 'admin');
    await page.click('[data-testid="nav-operators"]');
    await page.locator('[data-testid="operator-row"]').first().waitFor({ timeout: stateTimeoutMs });
    assert.ok((await page.locator('[data-testid="operator-row"]').count()) >= 2, 'the demo operators are listed');
    await page.locator('[data-testid="operator-row"][data-role="cashier"]').click();
    await page.locator('[data-testid="operator-actions"]').waitFor();
    await checkState(ui, '8-operators', shots);
    await page.click('[data-testid="operator-enrol"]');
    await page.locator('[data-testid="operator-enrol-form"]').waitFor();
    await checkState(ui, '9-enrol-form', shots);
    await sessionAction(page, 'sign-out');
    await page.locator('[data-testid="sign-in-screen"]').waitFor({ timeout: stateTimeoutMs });
    assert.deepEqual(ui.consoleErrors, [], 'no CSP violations or script errors in the page');
  } finally {
    await page.close();
  }
}

test('operators sign in, are refused by role, get a supervisor’s override, lock and sign out, in every language at 800×480', { timeout: 600_000 }, async (context) => {
  if (!requireTools(context, [chromiumPath])) return;
  const cleanup = new Cleanup();
  try {
    const server = await startDevpay(['serve', '--headless', '--sim', '--no-pcsc', '--data', freshDir('e2e-operators'), '--port', '0'], { timeoutMs: 40_000 });
    cleanup.add('devpay serve', () => server.stop('SIGINT'));
    const browser = await launchChromium();
    cleanup.add('chromium', () => browser.close());
    const shots: string[] = [];
    for (const locale of ['en', 'tr', 'fa'] as const) await context.test(locale, () => drive(browser, server, locale, shots));
    context.diagnostic(`screenshots: ${shots.join(', ')}`);
  } finally {
    await cleanup.run();
  }
});
