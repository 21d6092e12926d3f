// The accounts collection's version 1 (the agent's float and receivable among the kinds): an
// account written under version 0 (holder PII included) opens under the current schema intact,
// the new kinds can be opened beside it, and the ledger verifies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRxDatabase, type RxJsonSchema } from 'rxdb';
import { seededRandom } from '../core/clock.js';
import { DurableStorage } from './durable/durable-storage.js';
import { SqliteStore } from './durable/sqlite-store.js';
import { ledgerFileName } from './ledger-database.js';
import { accountSchema, type AccountDocument } from './schemas.js';
import { openTestLedger, testDataKey, testOwner } from './test-ledger.js';
import { verifyLedger } from './verifier.js';

/** Version 0 as it shipped: the seven kinds before the agent's accounts. */
const accountSchemaVersion0: RxJsonSchema<AccountDocument> = {
  ...accountSchema,
  version: 0,
  properties: { ...accountSchema.properties, kind: { type: 'string', enum: ['customer_wallet', 'merchant', 'offline_clearing', 'central', 'fx', 'test', 'test_sink'], maxLength: 20 } },
};

test('accounts written by schema version 0 open, migrate and verify under version 1', { timeout: 30_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'devpay-migrate-accounts-'));
  const store = new SqliteStore(join(dataDir, ledgerFileName), testDataKey, seededRandom(5));
  const storage = new DurableStorage(store);
  const old = await createRxDatabase({ name: storage.databaseName, storage, multiInstance: false });
  await old.addCollections({ accounts: { schema: accountSchemaVersion0 } });
  const walletId = `customer_wallet:${testOwner}:TRY`;
  await old.collections.accounts!.insert({ id: walletId, kind: 'customer_wallet', currency: 'TRY', createdAtMs: 7, holder: { name: 'Ayşe' } });
  await old.close();
  store.close();

  const handle = await openTestLedger(5, dataDir);
  try {
    const migrated = await handle.ledger.database.collections.accounts.findOne(walletId).exec();
    assert.deepEqual({ kind: migrated?.kind, currency: migrated?.currency, createdAtMs: migrated?.createdAtMs, holder: migrated?.holder?.name }, { kind: 'customer_wallet', currency: 'TRY', createdAtMs: 7, holder: 'Ayşe' });
    assert.equal(await handle.ledger.engine.openAccount({ id: `agent_float:${testOwner}:TRY`, kind: 'agent_float', currency: 'TRY', createdAtMs: 8 }), 'ok');
    await handle.reopen();
    assert.equal((await handle.ledger.database.collections.accounts.findOne(`agent_float:${testOwner}:TRY`).exec())?.kind, 'agent_float');
    assert.equal((await verifyLedger(handle.ledger)).ok, true);
  } finally {
    await handle.ledger.close();
  }
});
