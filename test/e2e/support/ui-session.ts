// One browser page on the counter UI of a real `devpay serve --headless --sim`: viewport size,
// the API gate, console errors collected (CSP violations and script errors fail the tests),
// the language chosen through the on-screen switcher, and screenshots under test-output/e2e-ui/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Locale } from '../../../core/api/preferences.js';
import { testOutputDir } from '../../harness/output-dir.js';
import { ApiGate } from './api-gate.js';

export interface UiPage {
  page: Page;
  gate: ApiGate;
  consoleErrors: string[];
  /** Saves a screenshot named for the state and returns its path. */
  shot(name: string): Promise<string>;
}

export const screenshotDir = (): string => testOutputDir('e2e-ui');

export async function openUi(
  browser: Browser,
  url: string,
  size: { width: number; height: number },
  prefix: string,
  beforeLoad: (page: Page) => Promise<void> = async () => undefined,
): Promise<UiPage> {
  const page = await browser.newPage({ viewport: size });
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  const gate = await ApiGate.install(page);
  await beforeLoad(page);
  await page.goto(url);
  await page.locator('[data-testid="app"]').waitFor({ timeout: 20_000 });
  return {
    page,
    gate,
    consoleErrors,
    async shot(name) {
      const path = join(screenshotDir(), `${prefix}-${size.width}x${size.height}-${name}.png`);
      await page.screenshot({ path });
      return path;
    },
  };
}

/** Chooses a language on the switcher (preferences.set) and waits until the page follows. */
export async function chooseLocale(page: Page, locale: Locale): Promise<void> {
  if ((await page.locator('[data-testid="app"]').getAttribute('data-locale')) !== locale) await page.click(`[data-testid="language-${locale}"]`);
  await page.locator(`[data-testid="app"][data-locale="${locale}"]`).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), locale);
}

/** The element that has the focus, described; fails when the focus fell to <body>. */
export async function focused(page: Page): Promise<string> {
  const description = await page.evaluate(() => {
    const active = document.activeElement;
    if (!active || active === document.body) return 'body';
    return active.getAttribute('data-testid') ?? `${active.tagName.toLowerCase()}#${active.id}`;
  });
  assert.notEqual(description, 'body', 'the focus fell to <body>');
  return description;
}

/** Persian digits only (U+06F0–U+06F9): none of 0–9 in the text, at least one of ۰–۹. */
export function hasPersianDigitsOnly(text: string): boolean {
  return /[۰-۹]/.test(text) && !/[0-9]/.test(text);
}
