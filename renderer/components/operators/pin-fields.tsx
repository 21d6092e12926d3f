// A new PIN typed twice, as password fields; the digits stay in the caller's state only and are
// ASCII whatever keyboard typed them.
import { useI18n } from '../../i18n/i18n-context.js';
import { asciiDigits } from './ascii-digits.js';

export interface PinFieldsProps {
  pin: string;
  pinAgain: string;
  onPin(pin: string): void;
  onPinAgain(pin: string): void;
}

export function PinFields({ pin, pinAgain, onPin, onPinAgain }: PinFieldsProps) {
  const i18n = useI18n();
  return (
    <>
      <label>
        <span>{i18n.t('operators.pin')}</span>
        <input data-testid="operator-pin-input" type="password" inputMode="numeric" autocomplete="off" dir="ltr" value={pin} onInput={(event) => onPin(asciiDigits(event.currentTarget.value))} />
      </label>
      <label>
        <span>{i18n.t('operators.pinAgain')}</span>
        <input data-testid="operator-pin-again" type="password" inputMode="numeric" autocomplete="off" dir="ltr" value={pinAgain} onInput={(event) => onPinAgain(asciiDigits(event.currentTarget.value))} />
      </label>
    </>
  );
}
