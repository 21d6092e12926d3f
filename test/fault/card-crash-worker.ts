// The process the card crash test kills: a terminal approving offline card taps as fast as it
// can, four in flight, printing "<payment id> <atc>" for each approval once it is durable. On its
// first run it takes 3,000 reserve tokens for the card; on every run the card resumes after the
// highest ATC the ledger has spent (a card never repeats an ATC), and every fifth tap is also
// retried under the same payment id, which must answer the same approval.
import { toHex } from '../../core/clock.js';
import { seededRandom } from '../../core/clock.js';
import { createUlidFactory } from '../../core/ids.js';
import { terminalIdHash } from '../../core/card/card-crypto.js';
import { encodeTerminalData, transactionDate } from '../../core/card/terminal-data.js';
import { generateCommand, parseGenerateResponse, parseSelectResponse, selectCommand } from '../../device/devpay-card-apdu.js';
import { DevpayCard } from '../../drivers/sim/devpay-card.js';
import { openLedger } from '../../ledger/ledger.js';
import { ReserveStore } from '../../ledger/reserve-store.js';
import { approveOffline, type CardPaymentRequest } from '../../ledger/card-payments.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { generousLimits, issueTestReserve, testCardMaster, testReserveKeys } from '../property/card-test-kit.js';

const crashTerminalId = 't-crash001';
const crashCardId = Uint8Array.from([0xc4, 0xa5, 0x40, 0x00, 0x00, 0x00, 0x00, 0x01]);
const crashDataKey = new Uint8Array(32).fill(0x77);

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: card-crash-worker.ts DATA_DIR');
const ledger = await openLedger({ dataDir, owner: crashTerminalId, clock: systemClock, random: systemRandom, dataKey: crashDataKey });
const reserve = new ReserveStore(ledger, testReserveKeys.publicKey);
await reserve.load();
const card = new DevpayCard(crashCardId, testCardMaster.cardKeyOf(crashCardId));
if (reserve.tokens.count() === 0) {
  await issueTestReserve(reserve, crashTerminalId, card, 3000, systemClock.nowMs());
  process.stderr.write('reserve issued\n');
}
const spent = [...reserve.tokens.all()].map((row) => row.token).filter((token) => token.state === 'spent');
card.atc = spent.reduce((highest, token) => Math.max(highest, token.atc), 0);
const nextId = createUlidFactory(systemClock, systemRandom);
const context = { limits: generousLimits, isRevoked: () => false, lastCentralContactMs: systemClock.nowMs() };
const random = seededRandom(Number(process.argv[3] ?? 1));

function tap(): CardPaymentRequest {
  const terminalData = { amountMinor: 100n + BigInt(random.bytes(1)[0]!), currency: 'USD', terminalIdHash: terminalIdHash(crashTerminalId), unpredictableNumber: random.bytes(4), date: transactionDate(systemClock.nowMs()) };
  card.reset();
  const selected = parseSelectResponse(card.respond(selectCommand()));
  const data = parseGenerateResponse(card.respond(generateCommand(terminalData)), selected.cardId);
  return { paymentId: nextId(), tap: data, amountMinor: terminalData.amountMinor, currency: 'USD', terminalData: encodeTerminalData(terminalData), nowMs: systemClock.nowMs() };
}

async function lane(): Promise<void> {
  for (;;) {
    const request = tap();
    const outcome = await approveOffline(ledger, reserve, request, context);
    if (outcome.outcome !== 'approved') throw new Error(`tap at ATC ${request.tap.atc} declined: ${outcome.reason}`);
    process.stdout.write(`${outcome.transaction.id} ${request.tap.atc} ${toHex(request.tap.cardId)}\n`);
    if (request.tap.atc % 5 === 0) {
      const again = await approveOffline(ledger, reserve, request, context);
      if (again.outcome !== 'approved' || again.transaction.id !== request.paymentId || !again.repeated) throw new Error(`retry of ${request.paymentId} did not answer the same approval`);
    }
  }
}

await Promise.all([lane(), lane(), lane(), lane()]);
