// The API handlers of payments and of the simulator's card panel: start, cancel and follow a
// charge and answer its PIN pad; list the virtual cards and tap one (or a clone of it) on the
// simulated reader. The runtime serves them from whichever ledger session is open
// (openSessionPaymentHandlers).
import { ApiError } from '../../core/api/envelope.js';
import type { PaymentUpdate } from '../../core/api/payment.js';
import { parseMinorUnits } from '../../core/money.js';
import { fromHex } from '../../core/clock.js';
import type { SimCardReader } from '../../drivers/sim/sim-card-reader.js';
import type { CommandHandlers } from '../api/api-server.js';
import { PaymentInProgressError, type PaymentFlow } from './payment-flow.js';
import type { SimCardWallet } from './sim-card-wallet.js';

type PaymentCommands = 'payment.start' | 'payment.cancel' | 'payment.current' | 'cvm.submitPin' | 'cvm.cancelPin' | 'sim.cards' | 'sim.tap' | 'sim.removeCard';
export type PaymentHandlers = Pick<CommandHandlers, PaymentCommands>;

export function paymentHandlers(payments: PaymentFlow, simCards: SimCardWallet | null, simCardReader: SimCardReader | null): PaymentHandlers {
  return {
    'payment.start': (params) => {
      try {
        return payments.start(parseMinorUnits(params.amountMinor), params.currency);
      } catch (error) {
        if (error instanceof PaymentInProgressError) throw new ApiError('payment_in_progress', error.message);
        throw new ApiError('invalid_params', error instanceof Error ? error.message : String(error));
      }
    },
    'payment.cancel': (params) => ({ cancelled: payments.cancel(params.attemptId) }),
    'payment.current': () => payments.current(),
    // The PIN pad's answer: the sealed envelope goes to the card as it is; the PIN is never here.
    'cvm.submitPin': (params) => ({ accepted: payments.submitPin(params.attemptId, fromHex(params.envelope)) }),
    'cvm.cancelPin': (params) => ({ cancelled: payments.cancelPin(params.attemptId) }),
    'sim.cards': () => (simCards?.entries ?? []).map((entry, cardIndex) => ({ cardIndex, label: entry.label, currency: entry.currency, atc: entry.card.atc, pin: entry.pin })),
    'sim.tap': (params) => {
      const entry = simCards?.entries[params.cardIndex];
      if (!entry || !simCardReader) throw new ApiError('invalid_params', `no simulated card ${params.cardIndex}`);
      simCardReader.tap(params.clone ? entry.card.clone() : entry.card);
      // A tap is brief: with no charge waiting for it the card is ignored (the runtime said so)
      // and leaves the field at once, so it cannot pay a charge started later. A card read by a
      // charge leaves when that charge ends (TerminalRuntime.onPaymentUpdate).
      if (!payments.waitingForCard()) simCardReader.removeCard();
      return { tapped: true };
    },
    'sim.removeCard': () => {
      const had = simCardReader?.hasCard() ?? false;
      simCardReader?.removeCard();
      return { removed: had };
    },
  };
}

/**
 * The payment commands of the open session (`open()`); while none is open (the ledger is being
 * reopened) a charge is answered by `declineWhileReopening` at once, and the simulator's panel,
 * which needs no ledger, keeps working on the last session's commands.
 */
export function openSessionPaymentHandlers(
  open: () => PaymentHandlers | null,
  latest: () => PaymentHandlers,
  declineWhileReopening: (params: Parameters<PaymentHandlers['payment.start']>[0]) => PaymentUpdate,
): PaymentHandlers {
  const simulator = (): PaymentHandlers => open() ?? latest();
  return {
    'payment.start': (params) => open()?.['payment.start'](params) ?? declineWhileReopening(params),
    'payment.cancel': (params) => open()?.['payment.cancel'](params) ?? { cancelled: false },
    'payment.current': (params) => {
      const handlers = open();
      return handlers ? handlers['payment.current'](params) : null;
    },
    'cvm.submitPin': (params) => open()?.['cvm.submitPin'](params) ?? { accepted: false },
    'cvm.cancelPin': (params) => open()?.['cvm.cancelPin'](params) ?? { cancelled: false },
    'sim.cards': (params) => simulator()['sim.cards'](params),
    'sim.tap': (params) => simulator()['sim.tap'](params),
    'sim.removeCard': (params) => simulator()['sim.removeCard'](params),
  };
}
