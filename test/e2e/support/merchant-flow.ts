// The merchant's day driven through the screen, as a merchant does it: a sale keyed in and paid
// with the simulator's card, a payment opened in the journal by typing its id and Enter (as a
// receipt's QR scanner types it), a refund keyed into the refund dialog. Each returns what the
// screen says, so the flow test can check it against the catalogues and the runtime.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { CurrencyCode } from '../../../core/currency.js';

const stateTimeoutMs = 20_000;

async function typeDigits(page: Page, digits: string): Promise<void> {
  for (const digit of digits) await page.keyboard.press(digit);
}

/** A sale on the counter: currency, digits, Enter, the simulator's card of that currency. */
export async function saleOnScreen(page: Page, currency: CurrencyCode, digits: string): Promise<{ paymentId: string; mode: string }> {
  await page.click('[data-testid="nav-counter"]');
  await page.locator('[data-testid="amount-input"]').waitFor();
  await page.click(`[data-testid="currency-${currency}"]`);
  await page.keyboard.press('Delete');
  await typeDigits(page, digits);
  assert.equal(await page.locator('[data-testid="amount"]').getAttribute('data-amount-minor'), digits);
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="payment-state"][data-state="waiting_for_card"]').waitFor({ timeout: stateTimeoutMs });
  await page.click(`[data-testid^="sim-card-"][data-currency="${currency}"]`);
  const result = page.locator('[data-testid="payment-result"]');
  await result.waitFor({ timeout: stateTimeoutMs });
  assert.equal(await result.getAttribute('data-outcome'), 'approved', `the sale is approved: ${await result.innerText()}`);
  const paymentId = (await result.getAttribute('data-payment-id')) ?? '';
  const mode = (await result.getAttribute('data-mode')) ?? '';
  await page.click('[data-testid="new-payment"]');
  return { paymentId, mode };
}

/** Opens a payment's detail from the journal's search box: the id typed, then Enter. */
export async function openPayment(page: Page, paymentId: string): Promise<void> {
  if ((await page.locator('[data-testid="journal-screen"]').count()) === 0) await page.click('[data-testid="nav-journal"]');
  if ((await page.locator('[data-testid="detail-back"]').count()) > 0) await page.click('[data-testid="detail-back"]');
  await page.focus('[data-testid="journal-search"]');
  await page.keyboard.type(paymentId);
  await page.keyboard.press('Enter');
  await page.locator(`[data-testid="payment-detail"][data-payment-id="${paymentId}"][data-loaded="true"]`).waitFor({ timeout: stateTimeoutMs });
}

export interface RefundOnScreen {
  outcome: string | null;
  mode: string | null;
  reason: string | null;
  remainingMinor: string | null;
  text: string;
  clientId: string | null;
}

/** A refund through the dialog: the digits keyed in, Enter (twice, if asked), the answer as the screen says it. */
export async function refundOnScreen(page: Page, digits: string, options: { doublePress?: boolean } = {}): Promise<RefundOnScreen> {
  await page.locator('[data-testid="detail-refund"][aria-disabled="false"]').waitFor({ timeout: stateTimeoutMs });
  await page.click('[data-testid="detail-refund"]');
  const dialog = page.locator('[data-testid="refund-dialog"][open]');
  await dialog.waitFor();
  await typeDigits(page, digits);
  await page.keyboard.press('Enter');
  // A merchant's double press: the second must not refund again.
  if (options.doublePress) await page.keyboard.press('Enter');
  const result = page.locator('[data-testid="refund-result"][data-state="answered"]');
  await result.waitFor({ timeout: stateTimeoutMs });
  const answer: RefundOnScreen = {
    outcome: await result.getAttribute('data-outcome'),
    mode: await result.getAttribute('data-mode'),
    reason: await result.getAttribute('data-reason'),
    remainingMinor: await result.getAttribute('data-remaining-minor'),
    text: (await result.innerText()).trim(),
    clientId: await dialog.getAttribute('data-client-id'),
  };
  return answer;
}

export async function closeRefundDialog(page: Page): Promise<void> {
  await page.click('[data-testid="refund-close"]');
  await page.locator('[data-testid="refund-dialog"]').waitFor({ state: 'detached' });
}

/** The journal's rows as the screen shows them: id, kind, sync state and its words. */
export async function journalRows(page: Page): Promise<{ id: string; kind: string; syncState: string; stateText: string; amountText: string }[]> {
  await page.locator('[data-testid="journal-list"][data-loading="false"]').waitFor({ timeout: stateTimeoutMs });
  return page.locator('[data-testid="journal-row"]').evaluateAll((rows) =>
    rows.map((row) => ({
      id: row.getAttribute('data-id') ?? '',
      kind: row.getAttribute('data-kind') ?? '',
      syncState: row.getAttribute('data-sync-state') ?? '',
      stateText: (row.querySelector('.cell-state')?.textContent ?? '').trim(),
      amountText: (row.querySelector('.cell-amount')?.textContent ?? '').trim(),
    })),
  );
}
