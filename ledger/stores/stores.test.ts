// Each typed store reads back what it wrote, and a stored value of the wrong shape (damaged, or
// written by something else) is a named StoredValueInvalidError naming its key, never a crash
// or an unchecked value.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestLedger } from '../test-ledger.js';
import { upsertDocuments } from '../storage-writes.js';
import type { Ledger } from '../ledger.js';
import { CardRegistryStore, type IssuedCard } from './card-registry-store.js';
import { CentralSettingsStore, globalSettingKey, terminalSettingKey } from './central-settings-store.js';
import { CentralCorrectionsStore } from './central-corrections-store.js';
import { CentralKnowledgeStore } from './central-knowledge-store.js';
import { StoredValueInvalidError } from './stored-value.js';

const card: IssuedCard = { cardId: '0123456789abcdef', currency: 'TRY', offlineCapMinor: '4000', state: 'active', usedThroughAtc: 0 };

async function withLedger(run: (ledger: Ledger) => Promise<void>): Promise<void> {
  const handle = await openTestLedger(61);
  try {
    await run(handle.ledger);
  } finally {
    await handle.ledger.close();
  }
}

const damage = (ledger: Ledger, key: string, value: string) => ledger.engine.guarded(() => upsertDocuments(ledger.database.collections.settings, [{ key, value }], 'key'));

test('card registry: cards and claims round-trip; a damaged card or claim is a named error', async () => {
  await withLedger(async (ledger) => {
    const store = new CardRegistryStore(ledger);
    await store.saveCard(card);
    await store.saveClaim(card.cardId, 1, '01M8AAAAAAAAAAAAAAAAAAAAAA', { ...card, usedThroughAtc: 1 });
    assert.deepEqual(await store.loadAll(), { cards: [{ ...card, usedThroughAtc: 1 }], claims: [{ cardIdHex: card.cardId, atc: 1, paymentId: '01M8AAAAAAAAAAAAAAAAAAAAAA' }] });
    await assert.rejects(store.saveCard({ ...card, currency: 'XXX' } as unknown as IssuedCard), /currency/, 'a card of the wrong shape is never written');
    await damage(ledger, `card/${card.cardId}`, '{"cardId":"0123456789abcdef","state":"lost"}');
    await assert.rejects(store.loadAll(), (error: unknown) => error instanceof StoredValueInvalidError && error.key === `card/${card.cardId}`);
    await damage(ledger, `card/${card.cardId}`, JSON.stringify(card));
    await damage(ledger, `atc/${card.cardId}/2`, 'not a payment id');
    await assert.rejects(store.loadAll(), (error: unknown) => error instanceof StoredValueInvalidError && error.key === `atc/${card.cardId}/2`);
  });
});

test('central settings: documents round-trip; one that is not a pulled document is a named error', async () => {
  await withLedger(async (ledger) => {
    const store = new CentralSettingsStore(ledger);
    const limits = { key: 'limits', value: '{}', updatedAtMs: 5, deleted: false };
    await store.put(terminalSettingKey('t-store001', 'limits'), limits);
    await store.put(globalSettingKey('revocations'), { key: 'revocations', value: '{"cards":[]}', updatedAtMs: 6, deleted: false });
    assert.deepEqual(await store.get(terminalSettingKey('t-store001', 'limits')), limits);
    assert.deepEqual((await store.documentsFor('t-store001')).map((document) => document.key).sort(), ['limits', 'revocations']);
    assert.deepEqual(await store.documentsFor('t-other001').then((documents) => documents.map((document) => document.key)), ['revocations']);
    await damage(ledger, globalSettingKey('revocations'), '{"key":"revocations"}');
    await assert.rejects(store.get(globalSettingKey('revocations')), (error: unknown) => error instanceof StoredValueInvalidError && /stored_value_invalid: global\/revocations/.test(error.message));
    await damage(ledger, terminalSettingKey('t-store001', 'limits'), '{not json');
    await assert.rejects(store.documentsFor('t-store001'), StoredValueInvalidError);
  });
});

test('central corrections: refund claims add to their payment\u2019s total, voids are kept; a damaged claim, total or void is a named error', async () => {
  await withLedger(async (ledger) => {
    const store = new CentralCorrectionsStore(ledger);
    const original = '01M8BBBBBBBBBBBBBBBBBBBBBB';
    const [first, second] = ['01M8DDDDDDDDDDDDDDDDDDDDD1', '01M8DDDDDDDDDDDDDDDDDDDDD2'];
    // A total written by central before claims existed is read as it was, and claims add to it.
    await damage(ledger, `refunded/${original}`, '100');
    await ledger.engine.guarded(() => store.recordRefund(first, { originalId: original, amountMinor: '300', mode: 'online' }));
    await ledger.engine.guarded(() => store.recordRefund(second, { originalId: original, amountMinor: '150', mode: 'offline' }));
    assert.equal(await ledger.engine.guarded(() => store.refundedMinor(original)), 550n);
    assert.deepEqual(await ledger.engine.guarded(() => store.claimOf(first)), { originalId: original, amountMinor: '300', mode: 'online' });
    assert.equal(await ledger.engine.guarded(() => store.claimOf('01M8DDDDDDDDDDDDDDDDDDDDD3')), null);
    assert.equal(await ledger.engine.guarded(() => store.voidOf(original)), null);
    await ledger.engine.guarded(() => store.recordVoid(original, '01M8EEEEEEEEEEEEEEEEEEEEEE'));
    assert.equal(await ledger.engine.guarded(() => store.voidOf(original)), '01M8EEEEEEEEEEEEEEEEEEEEEE');
    await assert.rejects(
      ledger.engine.guarded(() => store.recordRefund('01M8DDDDDDDDDDDDDDDDDDDDD4', { originalId: original, amountMinor: '-5', mode: 'offline' })),
      /amountMinor|Invalid/,
      'a claim of the wrong shape is never written',
    );
    assert.equal(await ledger.engine.guarded(() => store.refundedMinor(original)), 550n, 'nor its amount added');
    await damage(ledger, `refunded/${original}`, '4.5');
    await assert.rejects(ledger.engine.guarded(() => store.refundedMinor(original)), (error: unknown) => error instanceof StoredValueInvalidError && error.key === `refunded/${original}`);
    await damage(ledger, `refund_claim/${first}`, '{"originalId":"x","amountMinor":"300","mode":"online"}');
    await assert.rejects(ledger.engine.guarded(() => store.claimOf(first)), (error: unknown) => error instanceof StoredValueInvalidError && error.key === `refund_claim/${first}`);
    await damage(ledger, `voided/${original}`, 'yesterday');
    await assert.rejects(ledger.engine.guarded(() => store.voidOf(original)), (error: unknown) => error instanceof StoredValueInvalidError && error.key === `voided/${original}`);
  });
});

test('central knowledge: limits, revocations and last contact round-trip; a damaged one is a named error', async () => {
  await withLedger(async (ledger) => {
    const store = new CentralKnowledgeStore(ledger);
    assert.equal(await store.limits(), null);
    assert.equal(await store.lastContactMs(), null);
    await store.saveLastContact(1_795_000_000_123);
    assert.equal(await store.lastContactMs(), 1_795_000_000_123);
    await damage(ledger, 'central/revocations', JSON.stringify({ cards: [{ cardId: '0123456789abcdef', reason: 'double_spend', atMs: 4 }] }));
    assert.deepEqual((await store.revocations())?.cards.map((card) => card.cardId), ['0123456789abcdef']);
    await damage(ledger, 'central/limits', '{"maxOfflineMs":-1,"currencies":{}}');
    await assert.rejects(store.limits(), (error: unknown) => error instanceof StoredValueInvalidError && error.key === 'central/limits');
    await damage(ledger, 'local/last_central_contact_ms', 'yesterday');
    await assert.rejects(store.lastContactMs(), (error: unknown) => error instanceof StoredValueInvalidError && error.key === 'local/last_central_contact_ms');
  });
});

test('terminal identity: created once and kept; a damaged file is a named error and stays untouched', async () => {
  const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { seededRandom } = await import('../../core/clock.js');
  const { IdentityFileError, loadOrCreateIdentity } = await import('./terminal-identity-store.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'devpay-identity-'));
  const created = loadOrCreateIdentity(dataDir, seededRandom(1), new Date(0));
  assert.deepEqual(loadOrCreateIdentity(dataDir, seededRandom(2), new Date(1)), created, 'kept, not made again');
  for (const damaged of ['{"terminalId": 42}', 'not json', '{"terminalId":"t-0011223344556677","createdAt":"x","extra":1}']) {
    writeFileSync(join(dataDir, 'terminal.json'), damaged);
    assert.throws(() => loadOrCreateIdentity(dataDir, seededRandom(3), new Date(2)), IdentityFileError);
    assert.equal(readFileSync(join(dataDir, 'terminal.json'), 'utf8'), damaged, 'left untouched');
  }
});

test('reserve tokens and batches: a stored token or batch header of the wrong shape is a named error', async () => {
  const { ReserveTokenTable } = await import('../reserve-token-table.js');
  const { ReserveStore } = await import('../reserve-store.js');
  await withLedger(async (ledger) => {
    const table = new ReserveTokenTable(ledger.database);
    const token = { id: 'aa:1', cardId: 'aa', atc: 1, commitment: '', capMinor: '0', currency: '', expiresAtMs: 0, batchId: 'b', leafIndex: 0, proof: '', state: 'spent' as const, spentByPaymentId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' };
    await ledger.engine.guarded(async () => table.put(token));
    assert.deepEqual(table.get('aa:1'), token, 'a token round-trips through the cold table');
    await ledger.engine.guarded(async () => table.put({ ...token, id: 'aa:2', state: 'lost' as never }));
    assert.throws(() => table.get('aa:2'), StoredValueInvalidError);
    await damage(ledger, 'reserve_batch/b', JSON.stringify({ header: { batchId: 'b' }, root: 'zz', signature: '' }));
    await assert.rejects(new ReserveStore(ledger, null).load(), (error: unknown) => error instanceof StoredValueInvalidError && error.key === 'reserve_batch/b');
  });
});

test('alerts: raised once per key, listed newest first, dismissed and kept; a damaged alert is a named error', async () => {
  const { AlertsStore } = await import('./alerts-store.js');
  await withLedger(async (ledger) => {
    const store = new AlertsStore(ledger);
    const alert = (id: string, atMs: number) => ({ id, kind: 'payment_rejected' as const, atMs, reason: 'double_spend', transactionId: '01M8CCCCCCCCCCCCCCCCCCCCCC', amountMinor: '1000', currency: 'USD' as const, panMasked: '899100******1234', dismissedAtMs: null });
    const first = alert('01M8AAAAAAAAAAAAAAAAAAAAA1', 10);
    assert.deepEqual(await store.raise(first, 'payment_rejected/01M8CCCCCCCCCCCCCCCCCCCCCC'), { alert: first, raised: true });
    assert.deepEqual(await store.raise(alert('01M8AAAAAAAAAAAAAAAAAAAAA2', 20), 'payment_rejected/01M8CCCCCCCCCCCCCCCCCCCCCC'), { alert: first, raised: false }, 'the same payment again is the alert kept');
    const later = { ...alert('01M8AAAAAAAAAAAAAAAAAAAAA3', 30), kind: 'card_revoked' as const, transactionId: null, amountMinor: null, currency: null };
    await store.raise(later, 'card_revoked/0123456789abcdef/30');
    assert.deepEqual((await store.list()).map((kept) => kept.id), [later.id, first.id], 'newest first');
    await assert.rejects(store.raise({ ...later, id: '01M8AAAAAAAAAAAAAAAAAAAAA4', panMasked: '8991001234561234' }, null), /panMasked|Invalid/, 'an unmasked PAN is never written');

    assert.deepEqual(await store.dismiss(first.id, 40), { ...first, dismissedAtMs: 40 });
    assert.deepEqual((await store.dismiss(first.id, 50))?.dismissedAtMs, 40, 'the first dismissal is kept');
    assert.equal(await store.dismiss('01M8ZZZZZZZZZZZZZZZZZZZZZZ', 50), null, 'an unknown id');
    assert.deepEqual((await store.list()).map((kept) => kept.id), [later.id], 'dismissed ones are left out');
    assert.deepEqual((await store.list({ includeDismissed: true })).map((kept) => kept.id), [later.id, first.id]);
    assert.equal((await store.raise(alert('01M8AAAAAAAAAAAAAAAAAAAAA5', 60), 'payment_rejected/01M8CCCCCCCCCCCCCCCCCCCCCC')).raised, false, 'dismissed is not forgotten');

    await damage(ledger, `alert/${later.id}`, '{"id":"01M8AAAAAAAAAAAAAAAAAAAAA3","kind":"lost"}');
    await assert.rejects(store.list(), (error: unknown) => error instanceof StoredValueInvalidError && error.key === `alert/${later.id}`);
    const refused: string[] = [];
    assert.deepEqual((await store.list({ includeDismissed: true, onInvalid: (error) => refused.push(error.key) })).map((kept) => kept.id), [first.id], 'the others still listed');
    assert.deepEqual(refused, [`alert/${later.id}`]);
    await assert.rejects(store.dismiss(later.id, 70), StoredValueInvalidError);
  });
});

test('preferences: only what was chosen is kept, changes merge; a damaged value is a named error a new choice replaces', async () => {
  const { PreferencesStore } = await import('./preferences-store.js');
  await withLedger(async (ledger) => {
    const store = new PreferencesStore(ledger);
    assert.deepEqual(await store.chosen(), {});
    assert.deepEqual(await store.choose({ locale: 'fa' }), { locale: 'fa' });
    assert.deepEqual(await store.choose({ timeZone: 'Asia/Tehran', irrDisplay: 'toman' }), { locale: 'fa', timeZone: 'Asia/Tehran', irrDisplay: 'toman' });
    await Promise.all([store.choose({ locale: 'tr' }), store.choose({ irrDisplay: 'rial' })]);
    assert.deepEqual(await store.chosen(), { locale: 'tr', timeZone: 'Asia/Tehran', irrDisplay: 'rial' }, 'two changes at once both land');
    await assert.rejects(store.choose({ timeZone: 'Mars/Olympus' }), /time zone/);
    await damage(ledger, 'local/preferences', '{"locale":"xx"}');
    await assert.rejects(store.chosen(), (error: unknown) => error instanceof StoredValueInvalidError && error.key === 'local/preferences');
    assert.deepEqual(await store.choose({ locale: 'en' }), { locale: 'en' }, 'a new choice replaces the damaged value');
  });
});
