// PINs are ASCII digits on the wire whatever keyboard typed them: Persian and Arabic-Indic digits
// become 0–9, and anything that is not a digit is dropped.
import { latinDigit } from '../../hooks/use-counter-keys.js';

export function asciiDigits(text: string): string {
  return Array.from(text, (character) => latinDigit(character) ?? '').join('');
}
