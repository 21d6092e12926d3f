// Reserve tokens over sync, through a real broker (the embedded aedes) and central's node with
// its durable ledger: a full walk brings every active card's next eight ATCs in signed pages; a
// card running low is topped up alone (one page, that card), past the ATCs central has seen
// used, whose tokens the terminal retires; a quiet card's tokens get central's later expiry; a
// blocked card gets no new tokens; a batch altered on its way is refused and stores nothing; the
// purge drops batch headers no token refers to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '../../core/clock.js';
import { silentLog } from '../../core/log-sink.js';
import { deriveTerminalSyncKey } from '../../core/wire/auth-tag.js';
import { deriveReserveSigningKey, reservePublicKey } from '../../core/card/reserve-token.js';
import { startEmbeddedBroker } from '../../central/embedded-broker.js';
import { startCentralNode } from '../../central/central-node.js';
import { simCardId } from '../../central/central-cards.js';
import { MqttLink } from '../../sync/mqtt-link.js';
import { CardSync } from '../../sync/card-sync.js';
import { ReserveStore } from '../../ledger/reserve-store.js';
import { openTestLedger, testOwner } from '../../ledger/test-ledger.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { until } from '../harness/until.js';

test('reserve tokens: full walk in pages, a low card topped up alone, blocked cards skipped, altered batches refused', { timeout: 60_000 }, async () => {
  const broker = await startEmbeddedBroker();
  const masterHex = '6b'.repeat(32);
  const central = await startCentralNode({
    dataDir: mkdtempSync(join(tmpdir(), 'devpay-central-reserve-')),
    brokerUrl: broker.url,
    protocolVersion: 4,
    clock: systemClock,
    random: systemRandom,
    log: silentLog,
    environment: { dataKey: '11'.repeat(32), masterKey: masterHex },
    simCards: 40,
  });
  const terminal = await openTestLedger(3);
  const reserve = new ReserveStore(terminal.ledger, reservePublicKey(deriveReserveSigningKey(central.masterKey)));
  await reserve.load();
  const link = new MqttLink({ brokerUrl: broker.url, protocolVersion: 4, terminalId: testOwner, syncKey: deriveTerminalSyncKey(central.masterKey, testOwner), clock: systemClock, random: systemRandom, log: silentLog, heartbeatIntervalMs: 60_000 });
  const cardSync = new CardSync({ link, terminalId: testOwner, key: deriveTerminalSyncKey(central.masterKey, testOwner), reserve, log: silentLog, replenishIntervalMs: 3_600_000 });
  try {
    link.start();
    await until('central to be reachable', 10_000, async () => link.status().centralReachable);
    const before = central.reserve.issuedCount;
    await cardSync.replenishSoon();
    // 40 cards × 8 ATCs, in two signed pages of 32 and 8 cards.
    assert.equal(reserve.totalAvailable(), 320);
    assert.equal(central.reserve.issuedCount - before, 320);

    const card0 = toHex(simCardId(central.cards.cardMasterKey, 0));
    const card1 = toHex(simCardId(central.cards.cardMasterKey, 1));
    for (let atc = 1; atc <= 6; atc += 1) assert.equal((await central.cards.claim(card0, atc, `01KCLAIM${String(atc).padStart(18, '0')}`)).result, 'claimed');
    const issuedBefore = central.reserve.issuedCount;
    await cardSync.replenishCard(card0);
    assert.equal(central.reserve.issuedCount - issuedBefore, 8, 'one card, one page: ATCs 7 to 14');
    // Central has seen ATCs 1 to 6 used: the terminal retires those tokens, keeps 7 and 8 and adds 9 to 14.
    assert.equal(reserve.availableFor(card0), 8, 'ATCs 7 to 14');
    assert.equal(await reserve.isSpent(card0, 3), false);
    assert.equal(reserve.tokens.get(`${card0}:3`), null, 'a token central has seen used is gone');
    assert.equal(reserve.totalAvailable(), 320 - 6 + 6);

    // A later walk reissues the same windows with a later expiry: the held tokens take it.
    const card2 = toHex(simCardId(central.cards.cardMasterKey, 2));
    const expiryBefore = reserve.tokens.get(`${card2}:1`)!.expiresAtMs;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await cardSync.replenishSoon();
    const expiryAfter = reserve.tokens.get(`${card2}:1`)!.expiresAtMs;
    assert.ok(expiryAfter > expiryBefore, `the expiry moved on (${expiryBefore} → ${expiryAfter})`);
    assert.equal(reserve.totalAvailable(), 320, 'nothing added twice');
    const batchRows = async () => (await terminal.ledger.database.collections.settings.find({ selector: { key: { $regex: '^reserve_batch/' } } }).exec()).length;
    const rowsBefore = await batchRows();
    await reserve.purge(systemClock.nowMs());
    assert.ok((await batchRows()) < rowsBefore, 'batch headers no token refers to are dropped');
    assert.ok((await batchRows()) >= 1);

    await central.cards.block(card1, 'lost');
    const issuedBeforeBlocked = central.reserve.issuedCount;
    await cardSync.replenishCard(card1);
    assert.equal(central.reserve.issuedCount - issuedBeforeBlocked, 0, 'a blocked card gets no tokens');

    // A batch altered after central signed it: refused whole.
    const altered = { batchId: 'forged-batch-01', terminalId: testOwner, issuedAtMs: 1, root: '00'.repeat(32), signature: '00'.repeat(64), tokens: [{ cardId: card1, atc: 99, commitment: 'ab'.repeat(32), capMinor: '999999', currency: 'USD', expiresAtMs: 9e12 }] };
    assert.deepEqual(await reserve.ingest(altered), { ok: false, reason: 'bad_signature' });
    assert.equal(reserve.availableFor(card1), 8);
  } finally {
    await cardSync.stop();
    await link.stop();
    await central.close();
    await terminal.ledger.close();
    await broker.close();
  }
});
