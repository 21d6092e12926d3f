// The operators' part of the e2e tests: the demo operators' PINs as `devpay serve --sim` prints
// them beside its URL, and signing in on the screen with the simulated reader's finger panel.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { DevpayProcess } from '../../harness/devpay-process.js';
import { simFingerIndex, type SimOperator } from '../../harness/operator-sign-in.js';

const stateTimeoutMs = 20_000;

/** The demo operators' PINs from the console lines "Demo operator: Demo admin (admin), PIN 123456, …". */
export function demoPins(server: DevpayProcess): Record<SimOperator, string> {
  const pinOf = (role: SimOperator): string => {
    const match = new RegExp(`Demo operator: [^\\n]*\\(${role}\\), PIN (\\d+)`).exec(server.output());
    assert.ok(match, `devpay serve printed the demo ${role}'s PIN:\n${server.output()}`);
    return match[1]!;
  };
  return { admin: pinOf('admin'), cashier: pinOf('cashier') };
}

/** Places the operator's simulated finger from the sign-in (or lock) screen and waits until they are signed in. */
export async function signInByFinger(page: Page, as: SimOperator): Promise<void> {
  await page.locator('[data-testid="sim-fingers"]').waitFor({ timeout: stateTimeoutMs });
  await page.click(`[data-testid="sim-finger-${simFingerIndex[as]}"]`);
  await page.locator(`[data-testid="session-controls"][data-role="${as}"]`).waitFor({ timeout: stateTimeoutMs });
}

/** Opens the operator's menu on the status bar and presses Lock or Sign out. */
export async function sessionAction(page: Page, action: 'lock' | 'sign-out'): Promise<void> {
  if ((await page.locator('[data-testid="session-menu"]').count()) === 0) await page.click('[data-testid="session-operator"]');
  await page.click(`[data-testid="session-${action}"]`);
}

/** Types digits on the keyboard (the PIN keys take them wherever the focus is) and presses the keys' OK. */
export async function typePin(page: Page, pin: string, keysTestId = 'operator-pin'): Promise<void> {
  // The keypad is on screen (and so listening) before the first key, as a person would see it first.
  await page.locator(`[data-testid="${keysTestId}"]`).waitFor();
  for (const digit of pin) await page.keyboard.press(digit);
  assert.equal(await page.locator(`[data-testid="${keysTestId}"]`).getAttribute('data-length'), String(pin.length), 'every digit reached the PIN keys');
  await page.click(`[data-testid="${keysTestId}-ok"]`);
}
