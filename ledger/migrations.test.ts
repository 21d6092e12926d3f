// Every collection's schema history: a ledger file written under each shipped schema version
// (ledger/shipped-schemas.test-fixture.ts) through the durable storage directly, as the code of
// that time wrote it, opens under the current code, migrates, keeps what it must and verifies.
// The collections still at version 0 are written and reopened too: RxDB refuses a schema changed
// at the same version, so a change without a version bump fails here, not on a terminal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRxDatabase, type MigrationStrategies, type RxCollectionCreator, type RxDatabase, type RxDocument } from 'rxdb';
import { manualClock, seededRandom, toHex } from '../core/clock.js';
import { createUlidFactory } from '../core/ids.js';
import { commitmentOf, computeCryptogram, cryptogramInput, deriveAtcSecret, deriveCardKey, oneTimeCvv, oneTimePan, terminalIdHash } from '../core/card/card-crypto.js';
import { deriveReserveSigningKey, openReserveBatch, reservePublicKey, reserveTokenId, signReserveBatch } from '../core/card/reserve-token.js';
import { encodeTerminalData, transactionDate } from '../core/card/terminal-data.js';
import { defaultOfflineLimits } from '../core/ledger/limits.js';
import type { CardDetails } from '../core/ledger/transaction.js';
import { AuditJournal } from './audit-journal.js';
import { approveOffline } from './card-payments.js';
import { DurableStorage } from './durable/durable-storage.js';
import { SqliteStore } from './durable/sqlite-store.js';
import { ledgerFileName } from './ledger-database.js';
import { ReserveStore } from './reserve-store.js';
import { ReserveTokenTable } from './reserve-token-table.js';
import type { ReserveTokenDocument } from './schemas.js';
import * as shipped from './shipped-schemas.test-fixture.js';
import { offlinePayment, openTestLedger, systemAccount, testDataKey, testOwner, type TestLedger } from './test-ledger.js';
import { verifyLedger } from './verifier.js';

/** openTestLedger's clock starts here; the old code wrote its documents a minute earlier. */
const nowMs = 1_795_000_000_000;
const writtenAtMs = nowMs - 60_000;
const cardId = Uint8Array.from([3, 1, 4, 1, 5, 9, 2, 6]);
const cardKey = deriveCardKey(new Uint8Array(32).fill(0x5a), cardId);
const reserveSigningKey = deriveReserveSigningKey(new Uint8Array(32).fill(0x33));
const walletId = `customer_wallet:${testOwner}:TRY`;

interface OldLedger {
  db: RxDatabase;
  audit: AuditJournal;
  nextId: () => string;
}

/** A collection at a version above 0 needs a strategy per earlier version even when empty. */
function at(schema: RxCollectionCreator['schema']): RxCollectionCreator {
  const migrationStrategies: MigrationStrategies = {};
  for (let version = 1; version <= schema.version; version += 1) migrationStrategies[version] = (document: unknown) => document;
  return { schema, migrationStrategies };
}

/** Writes a ledger file as the code of an older schema did, in one unit with its audit entries. */
async function writeOldLedger(collections: Record<string, RxCollectionCreator>, fill: (old: OldLedger) => Promise<void>): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'devpay-migrate-'));
  const clock = manualClock(writtenAtMs);
  const store = new SqliteStore(join(dataDir, ledgerFileName), testDataKey, seededRandom(5));
  const storage = new DurableStorage(store);
  const db = await createRxDatabase({ name: storage.databaseName, storage, multiInstance: false });
  await db.addCollections(collections);
  const audit = new AuditJournal(storage, store, clock);
  await storage.runUnit(() => fill({ db, audit, nextId: createUlidFactory(clock, seededRandom(11)) }));
  await db.close();
  store.close();
  return dataDir;
}

async function writeAccounts(old: OldLedger): Promise<void> {
  const accounts = [
    { id: systemAccount('merchant', 'USD'), kind: 'merchant', currency: 'USD', createdAtMs: writtenAtMs },
    { id: systemAccount('offline_clearing', 'USD'), kind: 'offline_clearing', currency: 'USD', createdAtMs: writtenAtMs },
    { id: walletId, kind: 'customer_wallet', currency: 'TRY', createdAtMs: 7, holder: { name: 'Ayşe' } },
  ];
  await old.db.collections.accounts!.bulkInsert(accounts);
  for (const { id, kind, holder } of accounts) await old.audit.append('account_opened', { accountId: id, kind, ...(holder ? { holder } : {}) });
}

/** An offline payment with its balances, outbox entry and audit entry, as the engine wrote it. */
async function writePayment(old: OldLedger, amountMinor: bigint, card?: CardDetails): Promise<Record<string, unknown>> {
  const { id, kind, state, postings } = offlinePayment(old.nextId(), 'USD', amountMinor);
  const transaction = { id, kind, state, postings, ...(card ? { card } : {}), createdAtMs: writtenAtMs, updatedAtMs: writtenAtMs };
  await old.db.collections.transactions!.insert(transaction);
  await old.db.collections.balances!.bulkInsert(postings.map((posting) => ({ accountId: posting.accountId, balanceMinor: posting.amountMinor, entryCount: 1, lastTransactionId: id })));
  await old.db.collections.outbox!.insert({ id, transactionId: id, state: 'pending', attempts: 0, createdAtMs: writtenAtMs });
  await old.audit.append('transaction_posted', { transactionId: id, kind, state, postings });
  return transaction;
}

/** A tap of the card at an ATC, with the one-time secrets the card reveals offline. */
function tapAt(atc: number, amountMinor: bigint) {
  const atcSecret = deriveAtcSecret(cardKey, atc);
  const [pan, cvv] = [oneTimePan(atcSecret), oneTimeCvv(atcSecret)];
  const terminalData = encodeTerminalData({ amountMinor, currency: 'USD', terminalIdHash: terminalIdHash(testOwner), unpredictableNumber: Uint8Array.of(1, 2, 3, 4), date: transactionDate(nowMs) });
  const cryptogram = computeCryptogram(cardKey, cryptogramInput(cardId, atc, pan, cvv, terminalData));
  const card: CardDetails = { cardId: toHex(cardId), atc, panMasked: `${pan.slice(0, 6)}******${pan.slice(-4)}`, cryptogram: toHex(cryptogram), terminalData: toHex(terminalData), mode: 'offline' };
  return { tap: { cardId, atc, pan, cvv, atcSecret, cryptogram }, terminalData, card };
}

/** Posts a new card payment through the engine, as the payment flow does. */
async function postCardPayment(handle: TestLedger, atc: number): Promise<string> {
  const draft = { ...offlinePayment(handle.nextId(), 'USD', 300n), card: tapAt(atc, 300n).card };
  assert.equal((await handle.ledger.engine.post(draft)).result, 'ok');
  return draft.id;
}

async function assertVerifies(handle: TestLedger): Promise<void> {
  assert.deepEqual((await verifyLedger(handle.ledger)).violations, []);
}

/**
 * A document as the current code holds it, without RxDB's meta fields. Reserve tokens left RxDB
 * for a sealed table of the ledger file, and a final transaction lives in the cold store: both are
 * read through the ledger's own stores.
 */
async function findJson(handle: TestLedger, collection: 'accounts' | 'transactions' | 'balances' | 'outbox' | 'reserve_tokens' | 'settings', id: string): Promise<unknown> {
  if (collection === 'reserve_tokens') return new ReserveTokenTable(handle.ledger.database).get(id);
  if (collection === 'transactions') return handle.ledger.transactions.get(id);
  const found = (await (handle.ledger.database.collections[collection].findOne(id).exec() as Promise<RxDocument<object> | null>)) ?? null;
  return found?.toJSON() ?? null;
}

test('accounts v0 -> v1: accounts open intact (holder included), the agent kinds open beside them, the ledger verifies', { timeout: 30_000 }, async () => {
  const dataDir = await writeOldLedger({ accounts: at(shipped.accountsV0) }, writeAccounts);
  const handle = await openTestLedger(5, dataDir);
  try {
    assert.deepEqual(await findJson(handle, 'accounts', walletId), { id: walletId, kind: 'customer_wallet', currency: 'TRY', createdAtMs: 7, holder: { name: 'Ayşe' } });
    assert.equal(await handle.ledger.engine.openAccount({ id: `agent_float:${testOwner}:TRY`, kind: 'agent_float', currency: 'TRY', createdAtMs: 8 }), 'ok');
    await handle.reopen();
    assert.equal((await handle.ledger.database.collections.accounts.findOne(`agent_float:${testOwner}:TRY`).exec())?.kind, 'agent_float');
    await assertVerifies(handle);
  } finally {
    await handle.ledger.close();
  }
});

test('accounts v1 -> v2: accounts open intact, a card\u2019s funds and the issuer open beside them and may go below zero, the ledger verifies', { timeout: 30_000 }, async () => {
  const dataDir = await writeOldLedger({ accounts: at(shipped.accountsV1) }, async (old) => {
    await writeAccounts(old);
    const float = { id: `agent_float:${testOwner}:TRY`, kind: 'agent_float', currency: 'TRY', createdAtMs: writtenAtMs };
    await old.db.collections.accounts!.insert(float);
    await old.audit.append('account_opened', { accountId: float.id, kind: float.kind });
  });
  const handle = await openTestLedger(12, dataDir);
  try {
    assert.deepEqual(await findJson(handle, 'accounts', walletId), { id: walletId, kind: 'customer_wallet', currency: 'TRY', createdAtMs: 7, holder: { name: 'Ayşe' } });
    assert.equal((await handle.ledger.database.collections.accounts.findOne(`agent_float:${testOwner}:TRY`).exec())?.kind, 'agent_float');
    const cardFunds = `card_funds:${toHex(cardId)}:USD`;
    assert.equal(await handle.ledger.engine.openAccount({ id: cardFunds, kind: 'card_funds', currency: 'USD', createdAtMs: 8 }), 'ok');
    assert.equal(await handle.ledger.engine.openAccount({ id: 'issuer:central:USD', kind: 'issuer', currency: 'USD', createdAtMs: 8 }), 'ok');
    const paymentId = await postCardPayment(handle, 1);
    const funding = { id: handle.nextId(), kind: 'card_funding', state: 'posted', referencesId: paymentId, postings: [{ accountId: cardFunds, amountMinor: '-300' }, { accountId: 'issuer:central:USD', amountMinor: '300' }] };
    assert.equal((await handle.ledger.engine.post(funding, { toOutbox: false })).result, 'ok');
    await handle.reopen();
    assert.equal((await handle.ledger.database.collections.accounts.findOne(cardFunds).exec())?.kind, 'card_funds');
    assert.equal(handle.ledger.engine.balanceOf(cardFunds), -300n, 'a card\u2019s funds go below zero as it spends');
    await assertVerifies(handle);
  } finally {
    await handle.ledger.close();
  }
});

test('transactions v0 -> v1: a payment and its balances open unchanged, a card payment posts after it, the ledger verifies', { timeout: 30_000 }, async () => {
  let payment: Record<string, unknown> = {};
  const dataDir = await writeOldLedger({ transactions: at(shipped.transactionsV0), balances: at(shipped.balancesV0), outbox: at(shipped.outboxV0) }, async (old) => {
    payment = await writePayment(old, 500n);
  });
  const handle = await openTestLedger(6, dataDir);
  try {
    assert.deepEqual(await findJson(handle, 'transactions', String(payment.id)), payment);
    assert.equal(handle.ledger.engine.balanceOf(systemAccount('merchant', 'USD')), 500n);
    assert.equal(handle.ledger.engine.unsettledOfflineCount('USD'), 1);
    const cardPaymentId = await postCardPayment(handle, 1);
    await handle.reopen();
    assert.equal((await handle.ledger.transactions.get(cardPaymentId))?.card?.atc, 1);
    assert.equal(handle.ledger.engine.balanceOf(systemAccount('merchant', 'USD')), 800n);
    await assertVerifies(handle);
  } finally {
    await handle.ledger.close();
  }
});

test('transactions v1 -> v2: a card payment opens unchanged and without an operator, the ledger verifies', { timeout: 30_000 }, async () => {
  let payment: Record<string, unknown> = {};
  const dataDir = await writeOldLedger({ transactions: at(shipped.transactionsV1), balances: at(shipped.balancesV0), outbox: at(shipped.outboxV0) }, async (old) => {
    payment = await writePayment(old, 300n, tapAt(2, 300n).card);
  });
  const handle = await openTestLedger(7, dataDir);
  try {
    assert.deepEqual(await findJson(handle, 'transactions', String(payment.id)), payment);
    const stored = await handle.ledger.transactions.get(String(payment.id));
    assert.equal(stored?.operatorId, undefined);
    assert.equal(handle.ledger.engine.balanceOf(systemAccount('merchant', 'USD')), 300n);
    await assertVerifies(handle);
  } finally {
    await handle.ledger.close();
  }
});

test('reserve_tokens v0 -> v2: v0 tokens (no proof, never issued) are dropped at open', { timeout: 30_000 }, async () => {
  const dataDir = await writeOldLedger({ reserve_tokens: at(shipped.reserveTokensV0) }, async (old) => {
    const token = { cardId: toHex(cardId), atc: 1, commitment: 'ab'.repeat(32), capMinor: '10000', currency: 'USD', expiresAtMs: nowMs + 1e9, state: 'available', batchSignature: 'cd'.repeat(64) };
    await old.db.collections.reserve_tokens!.insert({ id: reserveTokenId(toHex(cardId), 1), ...token });
  });
  const handle = await openTestLedger(7, dataDir);
  try {
    assert.equal(new ReserveTokenTable(handle.ledger.database).count(), 0);
    await assertVerifies(handle);
  } finally {
    await handle.ledger.close();
  }
});

test('reserve_tokens v1 -> v2: tokens keep their content, recheck against central\u2019s signature and approve a tap', { timeout: 30_000 }, async () => {
  const fields = [1, 2, 3].map((atc) => ({ cardId: toHex(cardId), atc, commitment: toHex(commitmentOf(cardId, atc, deriveAtcSecret(cardKey, atc))), capMinor: '10000', currency: 'USD' as const, expiresAtMs: nowMs + 365 * 86_400_000 }));
  const batch = signReserveBatch(reserveSigningKey, { batchId: 'batch-migrate-01', terminalId: testOwner, issuedAtMs: writtenAtMs }, fields);
  const opened = openReserveBatch(reservePublicKey(reserveSigningKey), batch, testOwner);
  assert.ok(opened.ok);
  const { header } = opened.tokens[0]!;
  const tokens: ReserveTokenDocument[] = opened.tokens.map((token) => ({ ...fields[token.leafIndex]!, id: reserveTokenId(token.cardId, token.atc), batchId: token.header.batchId, leafIndex: token.leafIndex, proof: token.proof.join(''), state: 'available' }));
  const dataDir = await writeOldLedger({ reserve_tokens: at(shipped.reserveTokensV1), settings: at(shipped.settingsV0) }, async (old) => {
    await old.db.collections.reserve_tokens!.bulkInsert(tokens);
    // The batch's header and signature, kept once per batch under the reserve store's key.
    await old.db.collections.settings!.insert({ key: `reserve_batch/${batch.batchId}`, value: JSON.stringify({ header, root: batch.root, signature: batch.signature }) });
  });
  const handle = await openTestLedger(8, dataDir);
  try {
    for (const token of tokens) assert.deepEqual(await findJson(handle, 'reserve_tokens', token.id), token);
    const reserve = new ReserveStore(handle.ledger, reservePublicKey(reserveSigningKey));
    await reserve.load();
    assert.equal(reserve.availableFor(toHex(cardId)), 3);
    const { tap, terminalData } = tapAt(2, 2_500n);
    const context = { limits: defaultOfflineLimits, isRevoked: () => false, lastCentralContactMs: nowMs };
    const outcome = await approveOffline(handle.ledger, reserve, { paymentId: handle.nextId(), tap, amountMinor: 2_500n, currency: 'USD', terminalData, nowMs }, context);
    assert.equal(outcome.outcome, 'approved');
    assert.equal(await reserve.isSpent(toHex(cardId), 2), true);
    await assertVerifies(handle);
  } finally {
    await handle.ledger.close();
  }
});

test('every collection at its current shipped version reopens unchanged (a schema change needs a version bump)', { timeout: 30_000 }, async () => {
  const written: Array<['accounts' | 'transactions' | 'balances' | 'outbox' | 'reserve_tokens' | 'settings', string, unknown]> = [];
  const collections = {
    accounts: at(shipped.accountsV2),
    transactions: at(shipped.transactionsV2),
    balances: at(shipped.balancesV0),
    outbox: at(shipped.outboxV0),
    reserve_tokens: at(shipped.reserveTokensV2),
    settings: at(shipped.settingsV0),
  };
  const dataDir = await writeOldLedger(collections, async (old) => {
    await writeAccounts(old);
    const payment = await writePayment(old, 700n, tapAt(4, 700n).card);
    const marker = { id: reserveTokenId(toHex(cardId), 4), cardId: toHex(cardId), atc: 4, commitment: '', capMinor: '0', currency: '', expiresAtMs: 0, batchId: '', leafIndex: 0, proof: '', state: 'spent', spentByPaymentId: String(payment.id) };
    await old.db.collections.reserve_tokens!.insert(marker);
    await old.db.collections.settings!.insert({ key: 'owner', value: testOwner });
    for (const name of Object.keys(collections) as Array<(typeof written)[number][0]>) {
      for (const document of await old.db.collections[name]!.find().exec()) written.push([name, String(document.primary), document.toJSON()]);
    }
  });
  const handle = await openTestLedger(9, dataDir);
  try {
    assert.equal(written.length, 3 + 1 + 2 + 1 + 1 + 1);
    for (const [collection, id, document] of written) assert.deepEqual(await findJson(handle, collection, id), document, `${collection} ${id}`);
    await assertVerifies(handle);
  } finally {
    await handle.ledger.close();
  }
});

test('a ledger with every collection at its oldest shipped version opens under the current code in one go', { timeout: 30_000 }, async () => {
  let payment: Record<string, unknown> = {};
  const collections = {
    accounts: at(shipped.accountsV0),
    transactions: at(shipped.transactionsV0),
    balances: at(shipped.balancesV0),
    outbox: at(shipped.outboxV0),
    reserve_tokens: at(shipped.reserveTokensV0),
    settings: at(shipped.settingsV0),
  };
  const dataDir = await writeOldLedger(collections, async (old) => {
    await writeAccounts(old);
    payment = await writePayment(old, 500n);
    const token = { cardId: toHex(cardId), atc: 9, commitment: 'ab'.repeat(32), capMinor: '10000', currency: 'USD', expiresAtMs: nowMs + 1e9, state: 'available', batchSignature: 'cd'.repeat(64) };
    await old.db.collections.reserve_tokens!.insert({ id: reserveTokenId(toHex(cardId), 9), ...token });
    await old.db.collections.settings!.insert({ key: 'owner', value: testOwner });
  });
  const handle = await openTestLedger(10, dataDir);
  try {
    assert.deepEqual(await findJson(handle, 'accounts', walletId), { id: walletId, kind: 'customer_wallet', currency: 'TRY', createdAtMs: 7, holder: { name: 'Ayşe' } });
    assert.deepEqual(await findJson(handle, 'transactions', String(payment.id)), payment);
    assert.deepEqual(await findJson(handle, 'outbox', String(payment.id)), { id: payment.id, transactionId: payment.id, state: 'pending', attempts: 0, createdAtMs: writtenAtMs });
    assert.equal(new ReserveTokenTable(handle.ledger.database).count(), 0);
    assert.equal(handle.ledger.owner, testOwner);
    await postCardPayment(handle, 1);
    await handle.reopen();
    assert.equal(handle.ledger.engine.balanceOf(systemAccount('merchant', 'USD')), 800n);
    await assertVerifies(handle);
  } finally {
    await handle.ledger.close();
  }
});

test('before the cold store: settled and posted transactions kept in RxDB move to the cold store at the first open, once', { timeout: 30_000 }, async () => {
  const ids: string[] = [];
  const dataDir = await writeOldLedger({ transactions: at(shipped.transactionsV1), balances: at(shipped.balancesV0), outbox: at(shipped.outboxV0) }, async (old) => {
    // A payment central settled (its verdict applied: state settled, outbox entry gone), as the
    // code before the cold store kept it in RxDB.
    const settled = await writePayment(old, 700n);
    await old.db.collections.transactions!.findOne(String(settled.id)).exec().then((document: RxDocument | null) => document!.incrementalPatch({ state: 'settled' }));
    await old.db.collections.outbox!.findOne(String(settled.id)).exec().then((document: RxDocument | null) => document!.remove());
    ids.push(String(settled.id));
  });
  const handle = await openTestLedger(9, dataDir);
  try {
    const hot = (await handle.ledger.engine.transactions.hot()).map((transaction) => transaction.id);
    assert.deepEqual(hot, [], 'nothing final stays hot');
    // A payment posted now is hot beside it, and the ledger verifies with both sides.
    const cardPaymentId = await postCardPayment(handle, 1);
    assert.deepEqual((await handle.ledger.engine.transactions.hot()).map((transaction) => transaction.id), [cardPaymentId]);
    assert.equal((await handle.ledger.transactions.get(ids[0]!))?.state, 'settled', 'the settled one is in the cold store');
    const report = await verifyLedger(handle.ledger);
    assert.deepEqual(report.violations, []);
    assert.equal(report.coldTransactions, 1);
    await handle.reopen();
    assert.equal((await verifyLedger(handle.ledger)).coldTransactions, 1, 'moved once');
  } finally {
    await handle.ledger.close();
  }
});
