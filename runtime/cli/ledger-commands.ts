// `devpay ledger verify|load` and `devpay audit export`: the technician's and the auditor's
// tools over a terminal's (or central's) data folder.
import { closeSync, openSync, writeSync, fsyncSync } from 'node:fs';
import { createUlidFactory } from '../../core/ids.js';
import { currencyCodes, type CurrencyCode } from '../../core/currency.js';
import { accountId } from '../../core/ledger/accounts.js';
import { openLedger, type Ledger } from '../../ledger/ledger.js';
import { verifyLedger } from '../../ledger/verifier.js';
import { systemClock, systemRandom } from '../system-clock.js';
import { loadOrCreateIdentity } from '../../ledger/stores/terminal-identity-store.js';

async function openExisting(dataDir: string): Promise<Ledger> {
  return openLedger({ dataDir, clock: systemClock, random: systemRandom, mustExist: true, environmentKey: process.env.DEVPAY_DATA_KEY });
}

export async function runLedgerVerify(flags: { data: string }): Promise<void> {
  const ledger = await openExisting(flags.data);
  try {
    const report = await verifyLedger(ledger);
    process.stdout.write(`${JSON.stringify({ ok: report.ok, transactions: report.transactions, coldTransactions: report.coldTransactions, reserveTokens: report.reserveTokens, accounts: report.accounts, auditEntries: report.auditEntries, violations: report.violations.length })}\n`);
    for (const violation of report.violations.slice(0, 50)) process.stdout.write(`violation: ${violation}\n`);
    if (!report.ok) process.exitCode = 1;
  } finally {
    await ledger.close();
  }
}

/**
 * Posts `count` test payments between two test accounts, `concurrency` at a time, and prints
 * each id once it is durable: the disk soak test and the crash test's driver.
 */
export async function runLedgerLoad(flags: { data: string; count: number; concurrency: number }): Promise<void> {
  const owner = loadOrCreateIdentity(flags.data, systemRandom, new Date(systemClock.nowMs())).terminalId;
  const ledger = await openLedger({ dataDir: flags.data, owner, clock: systemClock, random: systemRandom, environmentKey: process.env.DEVPAY_DATA_KEY });
  const nextId = createUlidFactory(systemClock, systemRandom);
  try {
    // Test payments stay on this terminal: they are not money central can prove, and a central
    // refuses their kind (central/push-rules.ts), so they never enter the outbox.
    for (const currency of currencyCodes) {
      for (const kind of ['test', 'test_sink'] as const) {
        await ledger.engine.openAccount({ id: accountId(kind, owner, currency), kind, currency, createdAtMs: systemClock.nowMs() });
      }
    }
    let issued = 0;
    const worker = async (): Promise<void> => {
      while (issued < flags.count) {
        const index = issued++;
        const currency: CurrencyCode = currencyCodes[index % currencyCodes.length]!;
        const amountMinor = BigInt((index % 997) + 1);
        const id = nextId();
        const result = await ledger.engine.post(
          {
            id,
            kind: 'test_payment',
            state: 'posted',
            postings: [
              { accountId: accountId('test', owner, currency), amountMinor: (-amountMinor).toString() },
              { accountId: accountId('test_sink', owner, currency), amountMinor: amountMinor.toString() },
            ],
          },
          { toOutbox: false },
        );
        if (result.result !== 'ok') throw new Error(`test payment ${id} was not posted: ${result.result}`);
        process.stdout.write(`${id}\n`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, flags.concurrency) }, worker));
  } finally {
    await ledger.close();
  }
}

/** Writes the audit journal as JSON lines, each with its hash and link, for a regulator. */
export async function runAuditExport(flags: { data: string; out: string }): Promise<void> {
  const ledger = await openExisting(flags.data);
  try {
    const entries = await ledger.audit.all();
    const descriptor = openSync(flags.out, 'w', 0o600);
    try {
      for (const entry of entries) writeSync(descriptor, `${JSON.stringify(entry)}\n`);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    process.stdout.write(`exported ${entries.length} audit entries to ${flags.out}\n`);
  } finally {
    await ledger.close();
  }
}
