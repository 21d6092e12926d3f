// The counter screen: the amount keyed in like a cash register (digits fill from the smallest
// unit, so 1-2-5-0 in USD reads $12.50), the currency, the keypad with Charge, and beside them
// the payment (progress, then the result with its receipt) and, in simulator mode, the virtual
// cards. The amount is a bigint of minor units; only Intl turns it into text. A charge locks
// amount and currency; its result ends the sale: the amount resets, so Charge needs a new one
// and "Charge again" is the explicit way to reuse it. An amount over central's maximum for the
// currency cannot be charged, and says so before Charge. While the card asks for its PIN the
// cardholder's PIN pad covers the screen. An operator whose role may not charge sees no Charge.
import { useContext, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CurrencyCode } from '../../core/currency.js';
import { maxPaymentMinor, type OfflineLimits } from '../../core/ledger/limits.js';
import type { ApiClient } from '../api-client.js';
import { useI18n } from '../i18n/i18n-context.js';
import { homeCurrencies } from '../i18n/locales.js';
import { FocusHomeContext, restoreLostFocus } from '../hooks/focus-home.js';
import { useCounterKeys } from '../hooks/use-counter-keys.js';
import { isFinalState, usePayment } from '../hooks/use-payment.js';
import { AmountEntry } from './amount-entry.js';
import { CurrencyPicker } from './currency-picker.js';
import { Keypad, type KeypadKey } from './keypad.js';
import { PaymentPanel } from './payment-panel.js';
import { PinPad } from './pin-pad.js';
import { useCan } from '../hooks/session-context.js';
import { SimCardPanel } from './sim-card-panel.js';

/** Eighteen digits keep every amount inside a signed 64-bit integer. */
const maxDigits = 18;

export interface CounterScreenProps {
  client: ApiClient;
  /** The runtime runs simulated devices: show the virtual cards to tap. */
  simulator: boolean;
  /** The channel to the runtime is up; without it Charge and Cancel wait. */
  connected: boolean;
  /** Central's limits as last pulled (null: the defaults apply). */
  offlineLimits: OfflineLimits | null;
}

export function CounterScreen({ client, simulator, connected, offlineLimits }: CounterScreenProps) {
  const i18n = useI18n();
  const [digits, setDigits] = useState('');
  const [chosenCurrency, setChosenCurrency] = useState<CurrencyCode | null>(null);
  const currency = chosenCurrency ?? homeCurrencies[i18n.locale];
  // A result ends the sale: the amount resets with it, so Charge needs a new one.
  const controller = usePayment(client, () => setDigits(''));
  const { payment, inProgress, starting } = controller;
  const mayCharge = useCan()('charge');
  const amountMinor = digits === '' ? 0n : BigInt(digits);
  const maximumMinor = maxPaymentMinor(offlineLimits, currency);
  const canCharge = connected && !inProgress && amountMinor > 0n && amountMinor <= maximumMinor;
  const finished = payment !== null && isFinalState(payment.state);
  const stage = payment === null ? (starting ? 'starting' : 'idle') : finished ? 'result' : payment.state;

  const root = useRef<HTMLDivElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const panelFocusRef = useRef<HTMLElement>(null);
  const focusHome = useContext(FocusHomeContext);
  const homeElement = (): HTMLElement | null => (stage === 'idle' ? amountRef.current : (panelFocusRef.current ?? amountRef.current));
  focusHome.current = homeElement;

  // Each stage has its place for the focus; it moves there unless the merchant is elsewhere on
  // purpose (reading the details drawer, say). A layout effect, so it lands in the same task as
  // the render: a key pressed right after (Tab after New payment) finds the focus already moved.
  useLayoutEffect(() => {
    if (stage === 'starting') return;
    const active = document.activeElement;
    if (active === null || active === document.body || !active.isConnected || root.current?.contains(active)) homeElement()?.focus();
  }, [stage, payment?.attemptId]);
  useEffect(() => restoreLostFocus(focusHome));

  const press = (key: KeypadKey): void => {
    if (inProgress) return;
    if (key === 'clear') return setDigits('');
    if (key === 'back') return setDigits((current) => current.slice(0, -1));
    setDigits((current) => {
      const next = (current + key).replace(/^0+/, '');
      return next.length <= maxDigits ? next : current;
    });
  };
  const charge = (): void => {
    if (canCharge) controller.start(amountMinor, currency);
  };
  const chargeAgain = (): void => {
    if (payment && finished && connected) controller.start(BigInt(payment.amountMinor), payment.currency);
  };
  const newPayment = (): void => {
    controller.clear();
    amountRef.current?.focus();
  };

  useCounterKeys({
    digit: (digit) => press(digit as KeypadKey),
    back: () => press('back'),
    clear: () => press('clear'),
    charge,
    cancel: () => {
      if (payment?.state === 'waiting_for_card' && connected) controller.cancel();
    },
  });

  return (
    <div class="counter-screen" ref={root}>
      <section class="counter" aria-label={i18n.t('counter.label')}>
        <AmountEntry amountMinor={amountMinor} currency={currency} maximumMinor={maximumMinor} inputRef={amountRef} />
        <CurrencyPicker currency={currency} onChange={setChosenCurrency} disabled={inProgress} />
        <Keypad onKey={press} disabled={inProgress}>
          {mayCharge ? (
            <button type="button" class="key charge" data-testid="charge" aria-disabled={!canCharge} aria-describedby="amount-note" onClick={charge}>
              {i18n.t('charge.label')}
            </button>
          ) : null}
        </Keypad>
      </section>
      <div class="counter-side">
        <PaymentPanel controller={controller} connected={connected} focusRef={panelFocusRef} onNewPayment={newPayment} onChargeAgain={chargeAgain} />
        {payment?.state === 'waiting_for_pin' && payment.pinRequest ? <PinPad client={client} payment={payment} request={payment.pinRequest} /> : null}
        {simulator ? <SimCardPanel client={client} refreshKey={payment && finished ? payment.attemptId : ''} /> : null}
      </div>
    </div>
  );
}
