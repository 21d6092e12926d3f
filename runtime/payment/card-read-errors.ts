// Maps what can go wrong while reading a card to the merchant's decline reasons: a card leaving
// the field, a reader timing out, a card that answers with a status word or with bytes that do
// not parse. Unknown errors count as a failed read, never as an approval.
import { DeviceError } from '../../device/capabilities.js';
import { CardProtocolError, cardStatusWords } from '../../device/devpay-card-apdu.js';
import type { DeclineReason } from '../../core/card/decline-reasons.js';

export function declineReasonOf(error: unknown): DeclineReason {
  if (error instanceof DeviceError) {
    if (error.code === 'card_removed' || error.code === 'not_present') return 'card_removed';
    if (error.code === 'timeout') return 'card_read_timeout';
    return 'card_read_failed';
  }
  if (error instanceof CardProtocolError) {
    if (error.code === 'card_status' && error.statusWord === cardStatusWords.applicationNotFound) return 'card_not_devpay';
    return 'card_protocol_error';
  }
  return 'card_read_failed';
}
