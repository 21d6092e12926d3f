// Opens the ledger replica: the SQLite file under the data folder, the durable RxStorage over
// it, and the RxDB database with its collections. A wrong key or a damaged file is a named
// LedgerOpenError and the files are left as they were.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import type { Random } from '../core/clock.js';
import { DurableStorage } from './durable/durable-storage.js';
import { SqliteStore } from './durable/sqlite-store.js';
import { acquireFolderLock } from './durable/folder-lock.js';
import {
  accountSchema,
  balanceSchema,
  outboxSchema,
  settingSchema,
  transactionSchema,
  type AccountDocument,
  type BalanceDocument,
  type OutboxDocument,
  type SettingDocument,
  type TransactionDocument,
} from './schemas.js';
import { migrationStrategies, moveLegacyReserveTokens } from './migrations.js';

addRxPlugin(RxDBMigrationSchemaPlugin);

export interface LedgerCollections {
  accounts: RxCollection<AccountDocument>;
  transactions: RxCollection<TransactionDocument>;
  balances: RxCollection<BalanceDocument>;
  outbox: RxCollection<OutboxDocument>;
  settings: RxCollection<SettingDocument>;
}

export interface LedgerDatabase {
  readonly database: RxDatabase<LedgerCollections>;
  readonly collections: LedgerCollections;
  readonly storage: DurableStorage;
  readonly store: SqliteStore;
  close(): Promise<void>;
}

export const ledgerFileName = 'ledger.sqlite';

export async function openLedgerDatabase(options: { dataDir: string; dataKey: Uint8Array; random: Random }): Promise<LedgerDatabase> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const release = acquireFolderLock(options.dataDir);
  let store: SqliteStore;
  try {
    store = new SqliteStore(join(options.dataDir, ledgerFileName), options.dataKey, options.random);
  } catch (error) {
    release();
    throw error;
  }
  try {
    await moveLegacyReserveTokens(store);
    const storage = new DurableStorage(store);
    const database = await createRxDatabase<LedgerCollections>({
      name: storage.databaseName,
      storage,
      multiInstance: false,
      eventReduce: true,
    });
    const collections = await database.addCollections({
      accounts: { schema: accountSchema, migrationStrategies: migrationStrategies.accounts },
      transactions: { schema: transactionSchema, migrationStrategies: migrationStrategies.transactions },
      balances: { schema: balanceSchema, migrationStrategies: migrationStrategies.balances },
      outbox: { schema: outboxSchema, migrationStrategies: migrationStrategies.outbox },
      settings: { schema: settingSchema, migrationStrategies: migrationStrategies.settings },
    });
    return {
      database,
      collections: collections as unknown as LedgerCollections,
      storage,
      store,
      async close() {
        // The lock goes whatever happens: a failed ledger is closed to be reopened in-process.
        try {
          await database.close();
        } finally {
          store.close();
          release();
        }
      },
    };
  } catch (error) {
    store.close();
    release();
    throw error;
  }
}
