// A blocked card must reach the fleet even if central stopped between the block and its
// revocation list: the block commits the card, the list and the audit entry together, and at
// start central rewrites a list that disagrees with its blocked cards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '../../core/clock.js';
import { silentLog } from '../../core/log-sink.js';
import { revocationListSchema } from '../../core/wire/card-messages.js';
import { startEmbeddedBroker } from '../../central/embedded-broker.js';
import { startCentralNode } from '../../central/central-node.js';
import { simCardId } from '../../central/central-cards.js';
import { upsertDocuments } from '../../ledger/storage-writes.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';

test('a block commits with its revocation list and audit entry; a stale list is rewritten at start', { timeout: 60_000 }, async () => {
  const broker = await startEmbeddedBroker();
  const dataDir = mkdtempSync(join(tmpdir(), 'devpay-central-revoke-'));
  const options = { dataDir, brokerUrl: broker.url, protocolVersion: 4 as const, clock: systemClock, random: systemRandom, log: silentLog, environment: { dataKey: '14'.repeat(32), masterKey: '9e'.repeat(32) }, simCards: 2 };
  const storedList = async (central: Awaited<ReturnType<typeof startCentralNode>>) => {
    const value = await central.settings.globalValue('revocations');
    return value === null ? null : revocationListSchema.parse(JSON.parse(value));
  };
  let central = await startCentralNode(options);
  try {
    const card0 = toHex(simCardId(central.cards.cardMasterKey, 0));
    assert.equal(await storedList(central), null, 'no list while no card is blocked');
    await central.cards.block(card0, 'double_spend');
    assert.deepEqual((await storedList(central))?.cards.map((card) => card.cardId), [card0]);
    assert.equal((await central.ledger.audit.all()).filter((entry) => entry.kind === 'card_blocked').length, 1);

    // As if central had stopped after blocking the card but before its list: an empty list stored.
    await central.ledger.engine.guarded(() => central.settings.writeGlobal('revocations', JSON.stringify({ cards: [] })));
    assert.deepEqual((await storedList(central))?.cards, []);
    await central.close();
    central = await startCentralNode(options);
    assert.deepEqual((await storedList(central))?.cards.map((card) => card.cardId), [card0], 'the list is rewritten from the blocked cards at start');

    // A damaged list (it fails its schema) is a named warning at start and is rewritten too.
    await central.ledger.engine.guarded(() => upsertDocuments(central.ledger.database.collections.settings, [{ key: 'global/revocations', value: '{"key":"revocations","value":"{not json","updatedAtMs":1,"deleted":false}' }], 'key'));
    await central.close();
    central = await startCentralNode(options);
    assert.deepEqual((await storedList(central))?.cards.map((card) => card.cardId), [card0], 'a damaged list is rewritten from the blocked cards at start');
    assert.equal(central.cards.card(card0)?.state, 'blocked');
  } finally {
    await central.close();
    await broker.close();
  }
});
