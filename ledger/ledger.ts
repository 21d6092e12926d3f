// The ledger replica as the runtime and the CLI use it: the database, the audit journal and the
// posting engine, opened together with the terminal's system accounts in every currency.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock, Random } from '../core/clock.js';
import { currencyCodes } from '../core/currency.js';
import { accountId, type AccountKind } from '../core/ledger/accounts.js';
import { AuditJournal } from './audit-journal.js';
import { openLedgerDatabase, ledgerFileName, type LedgerDatabase } from './ledger-database.js';
import { PostingEngine } from './posting-engine.js';
import { loadDataKey } from './durable/data-key.js';
import { Journal } from './journal.js';
import type { TransactionStore } from './transaction-store.js';

export const systemAccountKinds: readonly AccountKind[] = ['merchant', 'offline_clearing', 'central', 'fx'];

export interface Ledger {
  readonly database: LedgerDatabase;
  readonly audit: AuditJournal;
  readonly engine: PostingEngine;
  /** Every transaction by id, hot (undecided) or cold (final); written only by the engine. */
  readonly transactions: TransactionStore;
  /** Pages of transactions, newest first, filtered (`journal.list`). */
  readonly journal: Journal;
  readonly owner: string;
  /**
   * Why the ledger stopped accepting writes (a commit failed: disk full, I/O error), or null
   * while it works. Only reopening clears it; nothing acknowledged is lost.
   */
  failure(): Error | null;
  close(): Promise<void>;
}

export interface OpenLedgerOptions {
  dataDir: string;
  /**
   * The owner part of system account ids: the terminal id, or "central". Recorded at creation;
   * when absent the recorded one is used, and a different one is refused.
   */
  owner?: string;
  /** Refuse to create a ledger where none exists (verify and export only read). */
  mustExist?: boolean;
  clock: Clock;
  random: Random;
  /** The data key; when absent it is loaded from DEVPAY_DATA_KEY or the data folder's key file. */
  dataKey?: Uint8Array;
  environmentKey?: string | undefined;
}

export class LedgerNotFoundError extends Error {
  constructor(dataDir: string) {
    super(`no ledger in ${dataDir}`);
    this.name = 'LedgerNotFoundError';
  }
}

export class LedgerOwnerError extends Error {
  constructor(recorded: string | null, requested: string | undefined) {
    super(recorded === null ? 'the ledger has no recorded owner and none was given' : `the ledger belongs to ${recorded}, not ${requested}`);
    this.name = 'LedgerOwnerError';
  }
}

export async function openLedger(options: OpenLedgerOptions): Promise<Ledger> {
  if (options.mustExist && !existsSync(join(options.dataDir, ledgerFileName))) throw new LedgerNotFoundError(options.dataDir);
  const dataKey = options.dataKey ?? loadDataKey({ dataDir: options.dataDir, ledgerFile: ledgerFileName, random: options.random, environmentKey: options.environmentKey });
  const database = await openLedgerDatabase({ dataDir: options.dataDir, dataKey, random: options.random });
  try {
    const audit = new AuditJournal(database.storage, database.store, options.clock);
    const engine = new PostingEngine(database, audit, options.clock);
    await engine.load();
    const recorded = (await database.collections.settings.findOne('owner').exec())?.value ?? null;
    const owner = options.owner ?? recorded;
    if (owner === null || (recorded !== null && recorded !== owner)) throw new LedgerOwnerError(recorded, options.owner);
    if (recorded === null) await database.storage.runUnit(async () => void (await database.collections.settings.insert({ key: 'owner', value: owner })));
    for (const kind of systemAccountKinds) {
      for (const currency of currencyCodes) {
        await engine.openAccount({ id: accountId(kind, owner, currency), kind, currency, createdAtMs: options.clock.nowMs() });
      }
    }
    return {
      database,
      audit,
      engine,
      transactions: engine.transactions,
      journal: new Journal(database, engine.transactions),
      owner,
      failure: () => database.store.failureCause,
      close: () => database.close(),
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
