// Proves the ledger's invariants from its entries alone: every transaction balances per
// currency, every maintained balance equals the sum of its account's postings, no wallet is
// below zero, every rejection has its reversal and every offline settlement its settlement
// entry, every transaction has its audit entry, and the audit chain is intact. Used by
// `devpay ledger verify`, the crash test and the property tests.
import { checkTransactionRules, type TransactionDraft } from '../core/ledger/transaction.js';
import { kindOfAccount, mayGoNegative } from '../core/ledger/accounts.js';
import { addChecked, parseMinorUnits } from '../core/money.js';
import { verifyChain } from './audit-journal.js';
import type { Ledger } from './ledger.js';
import type { TransactionDocument } from './schemas.js';

export interface VerifyReport {
  ok: boolean;
  transactions: number;
  accounts: number;
  auditEntries: number;
  violations: string[];
}

export async function verifyLedger(ledger: Ledger): Promise<VerifyReport> {
  const { collections } = ledger.database;
  const violations: string[] = [];
  const transactions = (await collections.transactions.find().exec()).map((document) => document.toMutableJSON() as TransactionDocument);
  const byId = new Map(transactions.map((transaction) => [transaction.id, transaction]));
  const sums = new Map<string, bigint>();
  const counts = new Map<string, number>();

  for (const transaction of transactions) {
    const draft = { ...transaction, state: 'posted' } as unknown as TransactionDraft;
    const ruleError = checkTransactionRules(draft);
    if (ruleError) violations.push(`transaction ${transaction.id}: ${ruleError.code}`);
    for (const posting of transaction.postings) {
      sums.set(posting.accountId, addChecked(sums.get(posting.accountId) ?? 0n, parseMinorUnits(posting.amountMinor)));
      counts.set(posting.accountId, (counts.get(posting.accountId) ?? 0) + 1);
    }
    if (transaction.referencesId && !byId.has(transaction.referencesId)) violations.push(`transaction ${transaction.id}: references missing ${transaction.referencesId}`);
  }
  const followUps = new Map<string, TransactionDocument[]>();
  for (const transaction of transactions) {
    if (!transaction.referencesId) continue;
    followUps.set(transaction.referencesId, [...(followUps.get(transaction.referencesId) ?? []), transaction]);
  }
  for (const transaction of transactions) {
    const reversals = (followUps.get(transaction.id) ?? []).filter((followUp) => followUp.kind === 'reversal');
    if (transaction.state === 'rejected' && reversals.length !== 1) violations.push(`transaction ${transaction.id}: rejected with ${reversals.length} reversals`);
    if (transaction.state !== 'rejected' && reversals.length > 0) violations.push(`transaction ${transaction.id}: reversed but ${transaction.state}`);
  }

  const balances = await collections.balances.find().exec();
  const seen = new Set<string>();
  for (const balance of balances) {
    seen.add(balance.accountId);
    const expected = sums.get(balance.accountId) ?? 0n;
    if (parseMinorUnits(balance.balanceMinor) !== expected) violations.push(`account ${balance.accountId}: balance ${balance.balanceMinor} but entries sum to ${expected}`);
    if (balance.entryCount !== (counts.get(balance.accountId) ?? 0)) violations.push(`account ${balance.accountId}: entry count ${balance.entryCount} but ${counts.get(balance.accountId) ?? 0} entries`);
    if (ledger.engine.balanceOf(balance.accountId) !== expected) violations.push(`account ${balance.accountId}: engine holds ${ledger.engine.balanceOf(balance.accountId)}`);
    if (expected < 0n && !mayGoNegative(kindOfAccount(balance.accountId))) violations.push(`account ${balance.accountId}: below zero`);
  }
  for (const accountId of sums.keys()) if (!seen.has(accountId)) violations.push(`account ${accountId}: entries but no maintained balance`);

  const audit = await ledger.audit.all();
  const chainBreak = verifyChain(audit);
  if (chainBreak) violations.push(`audit entry ${chainBreak.seq}: ${chainBreak.reason}`);
  const posted = new Map<string, number>();
  for (const entry of audit) {
    if (entry.kind !== 'transaction_posted') continue;
    const id = String(entry.payload.transactionId);
    posted.set(id, (posted.get(id) ?? 0) + 1);
  }
  for (const transaction of transactions) {
    if (posted.get(transaction.id) !== 1) violations.push(`transaction ${transaction.id}: ${posted.get(transaction.id) ?? 0} audit entries`);
  }

  return {
    ok: violations.length === 0,
    transactions: transactions.length,
    accounts: await collections.accounts.count().exec(),
    auditEntries: audit.length,
    violations,
  };
}
