// The process the day close crash test kills: a terminal that takes card payments (online, each
// posted and settled in one unit, several lanes at once) and closes the day with the client id
// it is given, retrying as the merchant's screen would after a crash. It prints "ready" once
// open, "closed <report id> <sequence> <repeated>" once the close is durable, and keeps taking
// payments until it is killed, so kills land before, during and after the close's unit.
import { createUlidFactory } from '../../core/ids.js';
import { accountId } from '../../core/ledger/accounts.js';
import { openLedger } from '../../ledger/ledger.js';
import { createLogger } from '../../runtime/logger.js';
import { DayCloseService } from '../../runtime/day-close/day-close-service.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';

const [dataDir, clientId] = process.argv.slice(2);
if (!dataDir || !clientId) throw new Error('usage: day-close-worker.ts DATA_DIR CLIENT_ID');
export const dayCloseOwner = 't-test0001';
const ledger = await openLedger({ dataDir, owner: dayCloseOwner, clock: systemClock, random: systemRandom, dataKey: new Uint8Array(32).fill(0x42) });
const nextId = createUlidFactory(systemClock, systemRandom);
const service = new DayCloseService({ ledger, terminalId: dayCloseOwner, clock: systemClock, nextId, logger: createLogger({ level: 'silent' }), totals: null, centralReachable: () => false, onCompleted: () => undefined });
let atc = 0;

async function payOnline(): Promise<void> {
  atc += 1;
  const amountMinor = 100n + BigInt(atc % 90);
  await ledger.engine.guarded(async (unit) => {
    const posted = await unit.post({
      id: nextId(),
      kind: 'payment',
      state: 'approved_online',
      postings: [
        { accountId: accountId('central', dayCloseOwner, 'TRY'), amountMinor: (-amountMinor).toString() },
        { accountId: accountId('merchant', dayCloseOwner, 'TRY'), amountMinor: amountMinor.toString() },
      ],
      card: { cardId: '00000000000000c1', atc, panMasked: '627412******0042', cryptogram: '0'.repeat(32), terminalData: '0'.repeat(54), mode: 'online' },
    });
    if (posted.result !== 'ok') throw new Error(`post: ${posted.result}`);
    const settled = await unit.settle(posted.transaction.id, nextId(), 'settled');
    if (settled.result !== 'ok') throw new Error(`settle: ${settled.result}`);
  });
}

async function lane(): Promise<void> {
  for (;;) await payOnline();
}

// One payment before anything else, so every run has something of its own to close.
await payOnline();
process.stdout.write('ready\n');
const lanes = [lane(), lane(), lane()];
const closed = await service.close(clientId, false);
if (closed.outcome !== 'closed') throw new Error(`close refused: ${closed.reason}`);
process.stdout.write(`closed ${closed.report.id} ${closed.report.sequence} ${closed.repeated}\n`);
await Promise.all(lanes);
