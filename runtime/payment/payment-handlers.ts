// The API handlers of payments and of the simulator's card panel: start, cancel and follow a
// charge; list the virtual cards and tap one (or a clone of it) on the simulated reader.
import { ApiError } from '../../core/api/envelope.js';
import { parseMinorUnits } from '../../core/money.js';
import type { SimCardReader } from '../../drivers/sim/sim-card-reader.js';
import type { CommandHandlers } from '../api/api-server.js';
import { PaymentInProgressError, type PaymentFlow } from './payment-flow.js';
import type { SimCardWallet } from './sim-card-wallet.js';

/** How long a simulated tap stays in the field when no payment is waiting for it. */
const simTapHoldMs = 3000;

type PaymentCommands = 'payment.start' | 'payment.cancel' | 'payment.current' | 'sim.cards' | 'sim.tap' | 'sim.removeCard';

export function paymentHandlers(payments: PaymentFlow, simCards: SimCardWallet | null, simCardReader: SimCardReader | null): Pick<CommandHandlers, PaymentCommands> {
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
    'sim.cards': () => (simCards?.entries ?? []).map((entry, cardIndex) => ({ cardIndex, label: entry.label, currency: entry.currency, atc: entry.card.atc })),
    'sim.tap': (params) => {
      const entry = simCards?.entries[params.cardIndex];
      if (!entry || !simCardReader) throw new ApiError('invalid_params', `no simulated card ${params.cardIndex}`);
      simCardReader.tap(params.clone ? entry.card.clone() : entry.card);
      // A tap is brief: with no payment to read it, the card leaves the field again.
      setTimeout(() => {
        if (!payments.inProgress()) simCardReader.removeCard();
      }, simTapHoldMs).unref();
      return { tapped: true };
    },
    'sim.removeCard': () => {
      const had = simCardReader?.hasCard() ?? false;
      simCardReader?.removeCard();
      return { removed: had };
    },
  };
}
