// The figures of a day report (X or Z), pure: from the transactions of a period, per currency,
// the sales, refunds, voids and reversals the merchant sees, and what central has not decided.
//
// Classification, by kind, of the transactions created in [fromMs, toMs):
// - sales: kind 'payment'. Online or offline by the card's mode; a payment without a card (a
//   wallet's) by its state: approved_online is online, anything else offline (a settled wallet
//   payment no longer says how it was approved, and the terminal approves wallets itself).
// - refunds: kind 'refund'; online when its memo says 'online' (central approved it), otherwise
//   offline (approved here within the offline refund limits).
// - voids: kind 'void'.
// - reversals: kind 'reversal', central's rejections reversed here.
// Only transactions that move the merchant's account are figures: settlements, card funding,
// transfers, test payments and top-ups (and the reversal of a top-up) are not the merchant's.
// Every total is what the line moved on the merchant's account, with the sign the line's name
// implies: a sale adds, a refund, a void and a reversal take away. A reversal of a refund gives
// back, so its total is negative. netMinor is the period's change of the merchant account from
// these lines: sales − refunds − voids − reversals. A payment central later rejected is still
// counted as a sale (in its period) and its reversal as a reversal (in the period the rejection
// arrived), so each period's net and the sum over periods are right.
// unsynced: the period's transactions of any kind that central has not decided (approved_offline
// or approved_online), with the amount each moves (journalFactsOf), unsigned.
import { currencyCodes, type CurrencyCode } from '../currency.js';
import type { DayReportCurrency } from '../api/day-reports.js';
import { parseMinorUnits } from '../money.js';
import { currencyOfAccount, kindOfAccount } from './accounts.js';
import { journalFactsOf } from './journal.js';
import type { CardDetails, Posting, TransactionKind, TransactionState } from './transaction.js';

/** What the report needs of a transaction: its journal facts' sources, the memo and the card's mode. */
export interface DayTransaction {
  id: string;
  createdAtMs: number;
  state: TransactionState;
  kind: TransactionKind;
  postings: readonly Posting[];
  memo?: string | undefined;
  card?: Pick<CardDetails, 'mode' | 'panMasked'> | undefined;
}

export interface DayPeriod {
  /** Inclusive. */
  fromMs: number;
  /** Exclusive. */
  toMs: number;
}

/** The kinds that may be merchant figures; the ledger reads only these (and the undecided) for a report. */
export const dayFigureKinds = ['payment', 'refund', 'void', 'reversal'] as const satisfies readonly TransactionKind[];

export type DayLine = 'sales' | 'refunds' | 'voids' | 'reversals';

export interface DayFigure {
  line: DayLine;
  /** Sales and refunds are online or offline; voids and reversals are neither. */
  channel: 'online' | 'offline' | null;
  currency: CurrencyCode;
  /** The signed change of the merchant account (sales positive, the rest usually negative). */
  merchantMinor: bigint;
}

export function isUndecided(state: TransactionState): boolean {
  return state === 'approved_offline' || state === 'approved_online';
}

export function inPeriod(transaction: { createdAtMs: number }, period: DayPeriod): boolean {
  return transaction.createdAtMs >= period.fromMs && transaction.createdAtMs < period.toMs;
}

const lineOfKind: Partial<Record<TransactionKind, DayLine>> = { payment: 'sales', refund: 'refunds', void: 'voids', reversal: 'reversals' };

/** The figure a transaction adds to a report, or null when it is none of the merchant's. */
export function classifyDayTransaction(transaction: DayTransaction): DayFigure | null {
  const line = lineOfKind[transaction.kind];
  if (!line) return null;
  let currency: CurrencyCode | null = null;
  let merchantMinor = 0n;
  for (const posting of transaction.postings) {
    if (kindOfAccount(posting.accountId) !== 'merchant') continue;
    const postingCurrency = currencyOfAccount(posting.accountId);
    currency ??= postingCurrency;
    if (postingCurrency === currency) merchantMinor += parseMinorUnits(posting.amountMinor);
  }
  if (currency === null || merchantMinor === 0n) return null;
  return { line, channel: channelOf(transaction, line), currency, merchantMinor };
}

function channelOf(transaction: DayTransaction, line: DayLine): DayFigure['channel'] {
  if (line === 'sales') {
    if (transaction.card) return transaction.card.mode;
    return transaction.state === 'approved_online' ? 'online' : 'offline';
  }
  if (line === 'refunds') return transaction.memo === 'online' ? 'online' : 'offline';
  return null;
}

interface Tally {
  count: number;
  totalMinor: bigint;
}

type CurrencyTally = Record<'sales' | 'salesOnline' | 'salesOffline' | 'refunds' | 'refundsOnline' | 'refundsOffline' | 'voids' | 'reversals' | 'unsynced', Tally> & { netMinor: bigint };

function emptyTally(): CurrencyTally {
  const zero = (): Tally => ({ count: 0, totalMinor: 0n });
  return {
    sales: zero(),
    salesOnline: zero(),
    salesOffline: zero(),
    refunds: zero(),
    refundsOnline: zero(),
    refundsOffline: zero(),
    voids: zero(),
    reversals: zero(),
    unsynced: zero(),
    netMinor: 0n,
  };
}

function add(tally: Tally, amountMinor: bigint): void {
  tally.count += 1;
  tally.totalMinor += amountMinor;
}

/** The per-currency figures of a period, in the currency table's order; currencies with nothing are left out. */
export function computeDayFigures(transactions: Iterable<DayTransaction>, period: DayPeriod): DayReportCurrency[] {
  const byCurrency = new Map<CurrencyCode, CurrencyTally>();
  const tallyOf = (currency: CurrencyCode): CurrencyTally => {
    let tally = byCurrency.get(currency);
    if (!tally) byCurrency.set(currency, (tally = emptyTally()));
    return tally;
  };
  const seen = new Set<string>();
  for (const transaction of transactions) {
    // A source may give one transaction twice (hot and cold during its move): it counts once.
    if (!inPeriod(transaction, period) || seen.has(transaction.id)) continue;
    seen.add(transaction.id);
    if (isUndecided(transaction.state)) {
      const facts = journalFactsOf(transaction);
      add(tallyOf(facts.currency).unsynced, facts.amountMinor);
    }
    const figure = classifyDayTransaction(transaction);
    if (!figure) continue;
    const tally = tallyOf(figure.currency);
    // The line's total carries the sign its name implies: sales add, the others take away.
    const lineMinor = figure.line === 'sales' ? figure.merchantMinor : -figure.merchantMinor;
    add(tally[figure.line], lineMinor);
    if (figure.line === 'sales') add(figure.channel === 'online' ? tally.salesOnline : tally.salesOffline, lineMinor);
    if (figure.line === 'refunds') add(figure.channel === 'online' ? tally.refundsOnline : tally.refundsOffline, lineMinor);
    tally.netMinor += figure.merchantMinor;
  }
  return currencyCodes.flatMap((currency) => {
    const tally = byCurrency.get(currency);
    if (!tally) return [];
    const out = (line: Tally) => ({ count: line.count, totalMinor: line.totalMinor.toString() });
    return [
      {
        currency,
        sales: out(tally.sales),
        salesOnline: out(tally.salesOnline),
        salesOffline: out(tally.salesOffline),
        refunds: out(tally.refunds),
        refundsOnline: out(tally.refundsOnline),
        refundsOffline: out(tally.refundsOffline),
        voids: out(tally.voids),
        reversals: out(tally.reversals),
        netMinor: tally.netMinor.toString(),
        unsynced: out(tally.unsynced),
      },
    ];
  });
}

/** How many of the period's transactions central has not decided. */
export function countUndecided(transactions: Iterable<DayTransaction>, period: DayPeriod): number {
  const ids = new Set<string>();
  for (const transaction of transactions) if (inPeriod(transaction, period) && isUndecided(transaction.state)) ids.add(transaction.id);
  return ids.size;
}
