// A payment flow wired as the runtime wires it, with a real ledger and reserve store and a
// DevPay card on a simulated reader, for tests of what the flow decides: central's answer comes
// from `authorize`, the offline limits from `limits`, the clock is manual.
import { manualClock, seededRandom } from '../../core/clock.js';
import { createUlidFactory } from '../../core/ids.js';
import type { OfflineLimits } from '../../core/ledger/limits.js';
import type { PaymentUpdate } from '../../core/api/payment.js';
import { DeviceManager } from '../../device/device-manager.js';
import { DevpayCard } from '../../drivers/sim/devpay-card.js';
import { SimCardReader } from '../../drivers/sim/sim-card-reader.js';
import type { Ledger } from '../../ledger/ledger.js';
import { ReserveStore } from '../../ledger/reserve-store.js';
import type { CardSync } from '../../sync/card-sync.js';
import { createLogger } from '../../runtime/logger.js';
import { PaymentFlow } from '../../runtime/payment/payment-flow.js';
import { generousLimits, issueTestReserve, testCardMaster, testReserveKeys } from './card-test-kit.js';

export async function startPaymentFlowRig(options: { ledger: Ledger; authorize: CardSync['authorize']; limits?: OfflineLimits; cardId: Uint8Array; onlineTimeoutMs?: number }) {
  const { ledger } = options;
  const clock = manualClock(1_795_000_000_000);
  const reserve = new ReserveStore(ledger, testReserveKeys.publicKey);
  await reserve.load();
  const card = new DevpayCard(options.cardId, testCardMaster.cardKeyOf(options.cardId));
  await issueTestReserve(reserve, ledger.owner, card, 8, clock.nowMs());
  const devices = new DeviceManager();
  const reader = new SimCardReader({ random: seededRandom(1), minLatencyMs: 0, maxLatencyMs: 0, faultPerMille: 0 });
  devices.add(reader);
  const asked: string[] = [];
  const updates: PaymentUpdate[] = [];
  const flow = new PaymentFlow({
    terminalId: ledger.owner,
    devices,
    ledger,
    reserve,
    cardSync: { authorize: (request, timeoutMs) => (asked.push(request.paymentId), options.authorize(request, timeoutMs)) } as CardSync,
    clock,
    random: seededRandom(2),
    nextId: createUlidFactory(clock, seededRandom(3)),
    logger: createLogger({ level: 'silent' }),
    limits: () => options.limits ?? generousLimits,
    isRevoked: () => false,
    lastCentralContactMs: () => clock.nowMs(),
    centralReachable: () => true,
    publish: (update) => updates.push(update),
    currentOperatorId: () => null,
    onlineTimeoutMs: options.onlineTimeoutMs ?? 50,
  });
  /** Starts a charge, taps the card (unless told not to), and resolves with how it ended. */
  const pay = async (tap = true): Promise<PaymentUpdate> => {
    flow.start(1500n, 'USD');
    if (tap) reader.tap(card);
    while (flow.inProgress()) await new Promise((resolve) => setTimeout(resolve, 2));
    reader.removeCard();
    return updates.at(-1)!;
  };
  return { flow, reader, card, reserve, updates, asked, pay };
}
