// PII never reaches the disk in clear: a wallet opened with a holder's name, phone and national
// id, payments referring to a card, and the audit entries about them leave no trace of those
// strings in any file of the data folder, while the ledger is open (WAL) and after it closes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { accountId } from '../../core/ledger/accounts.js';
import { openTestLedger, systemAccount } from '../../ledger/test-ledger.js';
import { freshDir } from '../harness/output-dir.js';

const pan = '5859831234567890';
const nationalId = '0012345678';
const phone = '+905321234567';
const holderName = 'Zeynep Yılmaz';

function filesContaining(dir: string, needles: string[]): string[] {
  const hits: string[] = [];
  for (const name of readdirSync(dir)) {
    const content = readFileSync(join(dir, name));
    for (const needle of needles) {
      for (const encoding of ['utf8', 'utf16le', 'latin1'] as const) {
        if (content.includes(Buffer.from(needle, encoding))) hits.push(`${name} holds ${needle} (${encoding})`);
      }
    }
  }
  return hits;
}

test('no PAN, national id, phone number or holder name is in clear in the data folder', async () => {
  const dataDir = freshDir('ledger-pii');
  const handle = await openTestLedger(3, dataDir);
  const { ledger } = handle;
  const wallet = accountId('customer_wallet', 'w-pii', 'TRY');
  await ledger.engine.openAccount({ id: wallet, kind: 'customer_wallet', currency: 'TRY', createdAtMs: 0 }, { name: holderName, phone, nationalId });
  for (let index = 0; index < 5; index += 1) {
    const result = await ledger.engine.post({
      id: handle.nextId(),
      kind: 'transfer',
      state: 'posted',
      memo: `card ${pan} top-up for ${phone}`,
      postings: [
        { accountId: systemAccount('central', 'TRY'), amountMinor: '-1000' },
        { accountId: wallet, amountMinor: '1000' },
      ],
    });
    assert.equal(result.result, 'ok');
  }
  const needles = [pan, nationalId, phone, holderName];
  // The strings do reach the ledger (so the check below is not vacuous)...
  const decrypted = JSON.stringify([await ledger.audit.all(), await ledger.transactions.all()]);
  for (const needle of needles) assert.ok(decrypted.includes(needle), `${needle} is in the decrypted ledger`);
  // ...but not the disk, neither in the WAL while open nor in the database after close.
  assert.deepEqual(filesContaining(dataDir, needles), []);
  await ledger.close();
  assert.deepEqual(filesContaining(dataDir, needles), []);
});
