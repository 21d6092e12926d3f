// Alerts in the merchant's terms, through real processes: mosquitto with ACLs, `devpay central`
// and two `devpay serve --sim` terminals whose card 0 is one card and its clone. Both approve the
// same ATC offline; A syncs first; B's payment is rejected as a double spend. B's alert names the
// payment, its amount, currency and the masked PAN of its receipt; both terminals' card_revoked
// alerts name their own latest payment of the card and its masked PAN; no alert carries the card
// id. Alerts are kept until dismissed: alerts.list lists them newest first, alerts.dismiss keeps
// the dismissal, and after a restart the same alerts are there once each, none pushed again.
// B's own counter screen, in real Chromium at 800×480, shows both alerts in the merchant's terms
// (the amount and the receipt's last four digits, never the card id), keeps them across a reload,
// and its Dismiss button dismisses the rejected payment's alert in the ledger.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlertRecord } from '../../core/api/alerts.js';
import type { PaymentUpdate } from '../../core/api/payment.js';
import type { TerminalStatus } from '../../core/api/status.js';
import { requireTools } from '../harness/require-tool.js';
import { startDevpay, type DevpayProcess } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { openApiSession, type ApiSession } from '../harness/api-session.js';
import { cardKeys, Cleanup, relink, startCardBroker, startCardCentral, startProxy, terminalPassword, unlink, waitFor } from '../harness/card-rig.js';
import type { TcpProxy } from '../harness/tcp-proxy.js';
import { launchChromium } from '../harness/chromium.js';
import { signIn } from '../harness/operator-sign-in.js';

const keys = cardKeys('6b'.repeat(16) + 'd4'.repeat(16));
const card0 = keys.cardIdHex(0);
const startAtc = 5;
const finalStates = new Set(['approved', 'declined', 'cancelled']);

interface Terminal {
  id: string;
  dir: string;
  proxy: TcpProxy;
  process: DevpayProcess;
  api: ApiSession;
}

const status = (terminal: Terminal): Promise<TerminalStatus> => terminal.api.call<TerminalStatus>('status.get');
const list = async (terminal: Terminal, includeDismissed = false): Promise<AlertRecord[]> => (await terminal.api.call<{ alerts: AlertRecord[] }>('alerts.list', includeDismissed ? { includeDismissed } : {})).alerts;

async function pay(terminal: Terminal, amountMinor: string): Promise<PaymentUpdate> {
  const started = await terminal.api.call<PaymentUpdate>('payment.start', { amountMinor, currency: 'USD' });
  await terminal.api.call('sim.tap', { cardIndex: 0 });
  return terminal.api.nextEvent<PaymentUpdate>('payment.updated', (update) => update.attemptId === started.attemptId && finalStates.has(update.state), 15_000);
}

async function waitReachable(terminal: Terminal, reachable: boolean): Promise<void> {
  await waitFor(`${terminal.id} to see central ${reachable ? 'reachable' : 'unreachable'}`, 20_000, async () => (await status(terminal)).link.centralReachable === reachable);
}

function assertMerchantTerms(alert: AlertRecord): void {
  assert.match(alert.id, /^[0-9A-HJKMNP-TV-Z]{26}$/, 'a ULID');
  assert.doesNotMatch(JSON.stringify(alert), new RegExp(`${card0}|…|blocked:`), `no card id, old text or tail in ${JSON.stringify(alert)}`);
}

test('alerts name the payment, amount and masked PAN, are kept until dismissed and survive a restart once each', { timeout: 150_000 }, async (context) => {
  const tools = requireTools(context, ['mosquitto', 'mosquitto_passwd']);
  if (!tools) return;
  const cleanup = new Cleanup();
  try {
    const ids = ['t-alerts-a', 't-alerts-b'];
    const broker = await startCardBroker(tools[0]!, freshDir('alerts-mqtt'), ids, cleanup);
    await startCardCentral(freshDir('alerts-central'), broker.port, keys, cleanup);
    const launch = async (id: string, dir: string, proxy: TcpProxy): Promise<Terminal> => {
      const child = await startDevpay(['serve', '--no-pcsc', '--sim', '--headless', '--data', dir, '--port', '0', '--mqtt', `127.0.0.1:${proxy.port}`, '--mqtt-user', id], {
        env: {
          DEVPAY_MQTT_PASSWORD: terminalPassword(id),
          DEVPAY_SYNC_KEY: keys.syncKeyHex(id),
          DEVPAY_CENTRAL_PUBLIC_KEY: keys.centralPublicKeyHex,
          DEVPAY_SIM_CARD_MASTER_KEY: keys.cardMasterHex,
          DEVPAY_LOG_LEVEL: 'info',
        },
      });
      cleanup.add(`terminal ${id}`, () => child.stop());
      // Headless, the process prints the page's URL; the API is its WebSocket beside it.
      const page = new URL(child.url);
      const api = await openApiSession(`ws://${page.host}/api?token=${page.searchParams.get('token')}`);
      cleanup.add(`api session ${id}`, () => api.close());
      // Every start (a restart too) begins signed out; the counter screen needs an operator.
      await signIn(api);
      return { id, dir, proxy, process: child, api };
    };
    const [a, b] = (await Promise.all(
      ids.map(async (id) => {
        const dir = freshDir(`alerts-${id}`);
        writeFileSync(join(dir, 'terminal.json'), JSON.stringify({ terminalId: id, createdAt: '2026-11-24T00:00:00.000Z' }));
        writeFileSync(join(dir, 'sim-cards.json'), JSON.stringify({ [card0]: startAtc }));
        return launch(id, dir, await startProxy(broker.port, cleanup));
      }),
    )) as [Terminal, Terminal];
    for (const terminal of [a, b]) {
      await waitFor(`${terminal.id} to hold limits and reserve tokens`, 20_000, async () => (await status(terminal)).sync.offlineLimits !== null && /reserve tokens replenished/.test(terminal.process.output()));
    }

    unlink(a.proxy);
    unlink(b.proxy);
    await Promise.all([waitReachable(a, false), waitReachable(b, false)]);
    const atA = await pay(a, '1000');
    const atB = await pay(b, '700');
    assert.deepEqual([atA.state, atA.mode, atB.state, atB.mode], ['approved', 'offline', 'approved', 'offline'], JSON.stringify([atA, atB]));

    relink(a.proxy);
    await waitReachable(a, true);
    await waitFor("A's payment settled", 30_000, async () => (await status(a)).sync.unsyncedCount === 0);
    relink(b.proxy);
    const rejected = await b.api.nextEvent<AlertRecord>('alert', (alert) => alert.kind === 'payment_rejected', 20_000);
    assert.deepEqual({ ...rejected, id: '', atMs: 0 }, { id: '', atMs: 0, kind: 'payment_rejected', reason: 'double_spend', transactionId: atB.paymentId, amountMinor: '700', currency: 'USD', panMasked: atB.receipt!.panMasked, dismissedAtMs: null });
    assertMerchantTerms(rejected);
    const revoked = new Map<Terminal, AlertRecord>();
    for (const [terminal, payment] of [[a, atA], [b, atB]] as const) {
      const alert = await terminal.api.nextEvent<AlertRecord>('alert', (candidate) => candidate.kind === 'card_revoked', 20_000);
      assert.deepEqual([alert.reason, alert.transactionId, alert.panMasked, alert.amountMinor], ['double_spend', payment.paymentId, payment.receipt!.panMasked, null], `${terminal.id}: its own latest payment of the card`);
      assertMerchantTerms(alert);
      revoked.set(terminal, alert);
    }

    const atBAlerts = await list(b);
    assert.deepEqual(atBAlerts.map((alert) => alert.id).sort(), [rejected.id, revoked.get(b)!.id].sort(), 'both kept, once each');
    assert.deepEqual(atBAlerts.map((alert) => alert.atMs), atBAlerts.map((alert) => alert.atMs).sort((left, right) => right - left), 'newest first');
    // B's screen: both alerts, in merchant terms, kept across a reload; Dismiss on screen.
    const browser = await launchChromium();
    cleanup.add('chromium', () => browser.close());
    const page = await browser.newPage({ viewport: { width: 800, height: 480 } });
    await page.goto(b.process.url);
    const strip = page.locator('[data-testid="alerts"]');
    await strip.waitFor({ timeout: 20_000 });
    for (const reload of [false, true]) {
      if (reload) await page.reload();
      await page.locator('[data-testid="alerts"][data-count="2"]').waitFor({ timeout: 20_000 });
    }
    for (let step = 0; step < 2 && (await page.locator('[data-testid="alert"]').getAttribute('data-kind')) !== 'payment_rejected'; step += 1) await page.click('[data-testid="alert-next"]');
    const shown = page.locator('[data-testid="alert"]');
    assert.equal(await shown.getAttribute('data-alert-id'), rejected.id);
    const text = (await shown.innerText()).replace(/\s+/g, ' ');
    assert.match(text, new RegExp(atB.receipt!.panMasked.slice(-4)), `the receipt's last four digits in "${text}"`);
    assert.match(text, /7\.00/, `the amount in "${text}"`);
    assert.doesNotMatch(text, new RegExp(`${card0}|${rejected.transactionId}|double_spend`), `no card id, raw id or code as text in "${text}"`);
    await page.screenshot({ path: join(freshDir('alerts-ui'), 'terminal-b-alert-800x480.png') });
    await page.click('[data-testid="alert-dismiss"]');
    await page.locator('[data-testid="alerts"][data-count="1"]').waitFor({ timeout: 10_000 });
    assert.deepEqual((await list(b)).map((alert) => alert.id), [revoked.get(b)!.id], 'dismissed on screen, dismissed in the ledger');
    await page.reload();
    await page.locator('[data-testid="alerts"][data-count="1"]').waitFor({ timeout: 20_000 });
    await browser.close();

    assert.deepEqual(await b.api.call('alerts.dismiss', { id: rejected.id }), { dismissed: true }, 'dismissing again answers dismissed');
    assert.deepEqual(await b.api.call('alerts.dismiss', { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }), { dismissed: false }, 'an unknown id');
    assert.deepEqual((await list(b)).map((alert) => alert.id), [revoked.get(b)!.id], 'a dismissed alert leaves the list');

    // Restarted: the alerts are read back from the ledger, and nothing is raised again.
    await b.api.close();
    assert.equal(await b.process.stop(), 0);
    const restarted = await launch(b.id, b.dir, b.proxy);
    await waitReachable(restarted, true);
    await waitFor('the restarted terminal to pull and push', 10_000, async () => (await status(restarted)).sync.unsyncedCount === 0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(restarted.api.events('alert'), [], 'no alert pushed again');
    const kept = await list(restarted, true);
    assert.deepEqual(kept.map((alert) => alert.id).sort(), [rejected.id, revoked.get(b)!.id].sort(), 'the same alerts, once each');
    const dismissed = kept.find((alert) => alert.id === rejected.id)!;
    assert.equal(typeof dismissed.dismissedAtMs, 'number', 'the dismissal is kept');
    assert.deepEqual({ ...dismissed, dismissedAtMs: null }, rejected);
    assert.deepEqual((await list(restarted)).map((alert) => alert.id), [revoked.get(b)!.id]);
    assert.doesNotMatch(restarted.process.output() + a.process.output(), new RegExp(`"panMasked"`), 'no masked PAN in the log either');
  } finally {
    await cleanup.run();
  }
});
