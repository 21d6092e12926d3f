// The counter screen: an amount keyed in like a cash register (digits fill from the smallest
// unit, so 1-2-5 in USD reads 1.25), a currency picker, the Charge button and the payment panel
// beside them (with the simulator's cards in simulator mode). The amount lives as a bigint of
// minor units; only formatMinor turns it into text. While a charge is under way the amount and
// currency are locked, so what the card pays is what the screen showed when Charge was pressed.
import { useState } from 'preact/hooks';
import { currencyCodes, formatMinor, type CurrencyCode } from '../../core/currency.js';
import type { ApiClient } from '../api-client.js';
import { PaymentPanel, isFinalState, usePayment } from './payment-panel.js';
import { SimCardPanel } from './sim-card-panel.js';

/** Eighteen digits keep every amount inside a signed 64-bit integer. */
const maxDigits = 18;

export interface CounterScreenProps {
  client: ApiClient;
  /** The runtime runs simulated devices: show the virtual cards to tap. */
  simulator: boolean;
}

export function CounterScreen({ client, simulator }: CounterScreenProps) {
  const [digits, setDigits] = useState('');
  const [currency, setCurrency] = useState<CurrencyCode>('TRY');
  const controller = usePayment(client);
  const { payment, inProgress } = controller;
  const amountMinor = digits === '' ? 0n : BigInt(digits);
  const finishedAttempt = payment && isFinalState(payment.state) ? payment.attemptId : '';

  const press = (key: string): void => {
    if (inProgress) return;
    if (key === 'clear') return setDigits('');
    if (key === 'back') return setDigits(digits.slice(0, -1));
    const next = (digits + key).replace(/^0+/, '');
    if (next.length <= maxDigits) setDigits(next);
  };

  const newPayment = (): void => {
    controller.clear();
    setDigits('');
  };

  return (
    <div class="counter-screen">
      <section class="counter" aria-label="Counter">
        <div class="amount" data-testid="amount" data-amount-minor={amountMinor.toString()} data-currency={currency}>
          <span class="currency-code">{currency}</span> {formatMinor(amountMinor, currency)}
        </div>
        <div class="currency-picker" role="radiogroup" aria-label="Currency">
          {currencyCodes.map((code) => (
            <button
              key={code}
              type="button"
              role="radio"
              aria-checked={code === currency}
              class={code === currency ? 'selected' : ''}
              data-testid={`currency-${code}`}
              disabled={inProgress}
              onClick={() => setCurrency(code)}
            >
              {code}
            </button>
          ))}
        </div>
        <div class="keypad" aria-label="Amount keypad">
          {['1', '2', '3', '4', '5', '6', '7', '8', '9', '00', '0'].map((key) => (
            <button key={key} type="button" data-testid={`key-${key}`} disabled={inProgress} onClick={() => press(key)}>
              {key}
            </button>
          ))}
          <button type="button" data-testid="key-back" aria-label="Delete last digit" disabled={inProgress} onClick={() => press('back')}>
            ⌫
          </button>
          <button type="button" class="wide" data-testid="key-clear" disabled={inProgress} onClick={() => press('clear')}>
            Clear
          </button>
        </div>
        <button
          type="button"
          class="charge"
          data-testid="charge"
          disabled={amountMinor === 0n || inProgress}
          onClick={() => controller.start(amountMinor, currency)}
        >
          Charge {currency} {formatMinor(amountMinor, currency)}
        </button>
      </section>
      <div class="counter-side">
        <PaymentPanel controller={controller} onNewPayment={newPayment} />
        {simulator ? <SimCardPanel client={client} refreshKey={finishedAttempt} /> : null}
      </div>
    </div>
  );
}
