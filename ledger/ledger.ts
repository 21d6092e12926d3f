// The ledger replica as the runtime and the CLI use it: the database, the audit journal and the
// posting engine, opened together with the terminal's system accounts in every currency.
import type { Clock, Random } from '../core/clock.js';
import { currencyCodes } from '../core/currency.js';
import { accountId, type AccountKind } from '../core/ledger/accounts.js';
import { AuditJournal } from './audit-journal.js';
import { openLedgerDatabase, ledgerFileName, type LedgerDatabase } from './ledger-database.js';
import { PostingEngine } from './posting-engine.js';
import { loadDataKey } from './durable/data-key.js';

export const systemAccountKinds: readonly AccountKind[] = ['merchant', 'offline_clearing', 'central', 'fx'];

export interface Ledger {
  readonly database: LedgerDatabase;
  readonly audit: AuditJournal;
  readonly engine: PostingEngine;
  readonly owner: string;
  close(): Promise<void>;
}

export interface OpenLedgerOptions {
  dataDir: string;
  /** The owner part of system account ids: the terminal id, or "central". */
  owner: string;
  clock: Clock;
  random: Random;
  /** The data key; when absent it is loaded from DEVPAY_DATA_KEY or the data folder's key file. */
  dataKey?: Uint8Array;
  environmentKey?: string | undefined;
}

export async function openLedger(options: OpenLedgerOptions): Promise<Ledger> {
  const dataKey = options.dataKey ?? loadDataKey({ dataDir: options.dataDir, ledgerFile: ledgerFileName, random: options.random, environmentKey: options.environmentKey });
  const database = await openLedgerDatabase({ dataDir: options.dataDir, dataKey, random: options.random });
  try {
    const audit = new AuditJournal(database.collections.audit, options.clock);
    const engine = new PostingEngine(database, audit, options.clock);
    await engine.load();
    for (const kind of systemAccountKinds) {
      for (const currency of currencyCodes) {
        await engine.openAccount({ id: accountId(kind, options.owner, currency), kind, currency, createdAtMs: options.clock.nowMs() });
      }
    }
    return { database, audit, engine, owner: options.owner, close: () => database.close() };
  } catch (error) {
    await database.close();
    throw error;
  }
}
