// Proves the ledger's invariants from its entries alone: every transaction balances per
// currency, every maintained balance equals the sum of its account's postings, no wallet is
// below zero, every rejection has its reversal and every offline settlement its settlement
// entry, every transaction has its audit entry, and the audit chain is intact. It reads both
// sides of the store: the hot set in memory and the cold store on disk, whose file it checks
// whole with SQLite's integrity check, whose clear index columns must agree with the sealed
// bodies, and where no transaction may also be hot. Cold rows and audit entries are streamed,
// so a ledger of millions is verified in bounded memory per row. Used by `devpay ledger
// verify`, the crash tests and the property tests.
import { checkTransactionRules, type TransactionDraft } from '../core/ledger/transaction.js';
import { kindOfAccount, mayGoNegative } from '../core/ledger/accounts.js';
import { addChecked, parseMinorUnits } from '../core/money.js';
import { journalFactsOf } from '../core/ledger/journal.js';
import { auditHash, genesisHash, sequenceId } from './audit-journal.js';
import type { Ledger } from './ledger.js';
import type { AuditDocument, TransactionDocument } from './schemas.js';
import { isFinalState } from './transaction-store.js';
import { ReserveTokenTable } from './reserve-token-table.js';

export interface VerifyReport {
  ok: boolean;
  transactions: number;
  /** Of which in the cold store (final: settled, rejected, posted). */
  coldTransactions: number;
  accounts: number;
  auditEntries: number;
  reserveTokens: number;
  violations: string[];
}

export async function verifyLedger(ledger: Ledger): Promise<VerifyReport> {
  const { collections, store } = ledger.database;
  const violations: string[] = [];
  const integrity = store.integrityCheck();
  if (integrity !== 'ok') violations.push(`sqlite integrity check: ${integrity.slice(0, 300)}`);

  const sums = new Map<string, bigint>();
  const counts = new Map<string, number>();
  const states = new Map<string, TransactionDocument['state']>();
  const references: Array<[id: string, referencesId: string, kind: string]> = [];
  const check = (transaction: TransactionDocument): void => {
    if (states.has(transaction.id)) violations.push(`transaction ${transaction.id}: both hot and cold`);
    states.set(transaction.id, transaction.state);
    const ruleError = checkTransactionRules({ ...transaction, state: 'posted' } as unknown as TransactionDraft);
    if (ruleError) violations.push(`transaction ${transaction.id}: ${ruleError.code}`);
    for (const posting of transaction.postings) {
      sums.set(posting.accountId, addChecked(sums.get(posting.accountId) ?? 0n, parseMinorUnits(posting.amountMinor)));
      counts.set(posting.accountId, (counts.get(posting.accountId) ?? 0) + 1);
    }
    if (transaction.referencesId) references.push([transaction.id, transaction.referencesId, transaction.kind]);
  };
  for (const transaction of await ledger.engine.transactions.hot()) {
    if (isFinalState(transaction.state)) violations.push(`transaction ${transaction.id}: ${transaction.state} but still hot`);
    check(transaction);
  }
  let coldTransactions = 0;
  for (const { transaction, columns } of ledger.engine.transactions.cold()) {
    coldTransactions += 1;
    if (!isFinalState(transaction.state)) violations.push(`transaction ${transaction.id}: ${transaction.state} but cold`);
    const facts = journalFactsOf(transaction);
    if (facts.state !== columns.state || facts.kind !== columns.kind || facts.currency !== columns.currency || facts.createdAtMs !== columns.createdAtMs) violations.push(`transaction ${transaction.id}: index columns disagree with its body`);
    check(transaction);
  }

  const reversals = new Map<string, number>();
  for (const [id, referencesId, kind] of references) {
    if (!states.has(referencesId)) violations.push(`transaction ${id}: references missing ${referencesId}`);
    if (kind === 'reversal') reversals.set(referencesId, (reversals.get(referencesId) ?? 0) + 1);
  }
  for (const [id, state] of states) {
    const reversed = reversals.get(id) ?? 0;
    if (state === 'rejected' && reversed !== 1) violations.push(`transaction ${id}: rejected with ${reversed} reversals`);
    if (state !== 'rejected' && reversed > 0) violations.push(`transaction ${id}: reversed but ${state}`);
  }

  const seen = new Set<string>();
  for (const balance of await collections.balances.find().exec()) {
    seen.add(balance.accountId);
    const expected = sums.get(balance.accountId) ?? 0n;
    if (parseMinorUnits(balance.balanceMinor) !== expected) violations.push(`account ${balance.accountId}: balance ${balance.balanceMinor} but entries sum to ${expected}`);
    if (balance.entryCount !== (counts.get(balance.accountId) ?? 0)) violations.push(`account ${balance.accountId}: entry count ${balance.entryCount} but ${counts.get(balance.accountId) ?? 0} entries`);
    if (ledger.engine.balanceOf(balance.accountId) !== expected) violations.push(`account ${balance.accountId}: engine holds ${ledger.engine.balanceOf(balance.accountId)}`);
    if (expected < 0n && !mayGoNegative(kindOfAccount(balance.accountId))) violations.push(`account ${balance.accountId}: below zero`);
  }
  for (const accountId of sums.keys()) if (!seen.has(accountId)) violations.push(`account ${accountId}: entries but no maintained balance`);

  // The audit chain, streamed: each entry links to the one before and hashes to its own hash.
  const posted = new Map<string, number>();
  let auditEntries = 0;
  let previousHash = genesisHash;
  let chainBroken = false;
  for (const json of store.readAudit()) {
    auditEntries += 1;
    const entry = JSON.parse(json) as AuditDocument;
    if (!chainBroken) {
      const reason = entry.seq !== sequenceId(auditEntries) ? 'sequence_gap' : entry.prevHash !== previousHash ? 'link_mismatch' : auditHash(entry) !== entry.hash ? 'hash_mismatch' : null;
      if (reason) {
        violations.push(`audit entry ${entry.seq}: ${reason}`);
        chainBroken = true;
      }
      previousHash = entry.hash;
    }
    if (entry.kind === 'transaction_posted') {
      const id = String(entry.payload.transactionId);
      posted.set(id, (posted.get(id) ?? 0) + 1);
    }
  }
  let reserveTokens = 0;
  for (const { token, columns } of new ReserveTokenTable(ledger.database).all()) {
    reserveTokens += 1;
    if (token.state !== columns.state || token.cardId !== columns.cardId || token.batchId !== columns.batchId) violations.push(`reserve token ${token.id}: index columns disagree with its body`);
  }
  for (const id of states.keys()) {
    if (posted.get(id) !== 1) violations.push(`transaction ${id}: ${posted.get(id) ?? 0} audit entries`);
  }

  return {
    ok: violations.length === 0,
    transactions: states.size,
    coldTransactions,
    accounts: await collections.accounts.count().exec(),
    auditEntries,
    reserveTokens,
    violations,
  };
}
