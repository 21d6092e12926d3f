// One simulated terminal in a worker thread: its own ledger, link and outbox sync. RxDB's free
// edition allows thirteen open collections per JavaScript realm, so a fleet of terminals with
// six collections each needs a realm apiece. Commands arrive as messages; answers carry results.
import { parentPort, workerData } from 'node:worker_threads';
import { fromHex, seededRandom } from '../../core/clock.js';
import { createUlidFactory } from '../../core/ids.js';
import { silentLog } from '../../core/log-sink.js';
import { openLedger, type Ledger } from '../../ledger/ledger.js';
import { verifyLedger } from '../../ledger/verifier.js';
import { MqttLink } from '../../sync/mqtt-link.js';
import { OutboxSync } from '../../sync/outbox-sync.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';

interface Setup {
  id: string;
  dataDir: string;
  brokerPort: number;
  keyHex: string;
  seed: number;
}

import type { TransactionDraft } from '../../core/ledger/transaction.js';

export type WorkerCommand =
  | { op: 'pay'; payment: TransactionDraft }
  | { op: 'restart' }
  | { op: 'drain'; timeoutMs: number }
  | { op: 'report'; ids: string[]; accounts: string[] }
  | { op: 'close' };

const setup = workerData as Setup;
const port = parentPort!;
let ledger: Ledger;
let link: MqttLink;
let sync: OutboxSync;

async function open(): Promise<void> {
  ledger = await openLedger({ dataDir: setup.dataDir, owner: setup.id, clock: systemClock, random: systemRandom, dataKey: new Uint8Array(32).fill(7) });
  link = new MqttLink({ brokerUrl: `mqtt://127.0.0.1:${setup.brokerPort}`, protocolVersion: 4, terminalId: setup.id, clock: systemClock, random: systemRandom, log: silentLog, heartbeatIntervalMs: 60_000 });
  sync = new OutboxSync({
    link, ledger, terminalId: setup.id, key: fromHex(setup.keyHex), clock: systemClock, random: seededRandom(setup.seed), log: silentLog,
    nextId: createUlidFactory(systemClock, systemRandom), batchSize: 8, requestTimeoutMs: 1000, initialBackoffMs: 20, maxBackoffMs: 200, breakerOpenMs: 300,
  });
  link.start();
  sync.start();
}

async function close(): Promise<void> {
  await sync.stop();
  await link.stop();
  await ledger.close();
}

async function handle(command: WorkerCommand): Promise<unknown> {
  switch (command.op) {
    case 'pay':
      return (await ledger.engine.post(command.payment)).result;
    case 'restart':
      await close();
      await open();
      return 'ok';
    case 'drain': {
      const deadline = Date.now() + command.timeoutMs;
      while ((await ledger.database.collections.outbox.count().exec()) > 0) {
        if (Date.now() > deadline) return 'timeout';
        await sync.syncNow().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return 'drained';
    }
    case 'report': {
      const found = await ledger.transactions.getMany(command.ids);
      return {
        states: command.ids.map((id) => found.get(id)?.state ?? null),
        balances: command.accounts.map((account) => ledger.engine.balanceOf(account).toString()),
        violations: (await verifyLedger(ledger)).violations,
      };
    }
    case 'close':
      await close();
      return 'closed';
  }
}

port.on('message', (message: { sequence: number; command: WorkerCommand }) => {
  handle(message.command).then(
    (result) => port.postMessage({ sequence: message.sequence, result }),
    (error: unknown) => port.postMessage({ sequence: message.sequence, error: error instanceof Error ? error.message : String(error) }),
  );
});

await open();
port.postMessage({ ready: true });
