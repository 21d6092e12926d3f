// Every reason a tap can end without an approval, named once. The merchant sees the message;
// logs, the audit journal and tests use the code. A new way to decline gets a new code here.

export const declineReasons = {
  // Reading the card.
  reader_unavailable: 'No card reader is ready',
  card_removed: 'Card was removed too early; tap again and hold it still',
  card_read_timeout: 'Card did not answer in time; tap again',
  card_read_failed: 'Card could not be read; tap again',
  card_protocol_error: 'Card gave an invalid answer',
  card_not_devpay: 'Not a DevPay card',
  session_token_invalid: 'Card answer failed its integrity check; tap again',
  // Offline approval against reserve tokens.
  no_reserve_token: 'This card cannot be approved offline here (no reserve token)',
  token_already_used: 'This card tap was already used',
  token_expired: 'Offline approval for this card has expired',
  token_signature_invalid: 'Offline token failed its check',
  commitment_mismatch: 'Card failed its offline check',
  pan_cvv_mismatch: 'Card number or security code failed its check',
  card_revoked: 'Card is blocked',
  wrong_currency: 'Card cannot pay in this currency',
  over_token_cap: 'Amount is over this card\u2019s offline limit',
  over_payment_cap: 'Amount is over the offline limit per payment',
  offline_float_exceeded: 'Offline total for this currency is reached; sync first',
  offline_count_exceeded: 'Offline payment count is reached; sync first',
  offline_too_long: 'Terminal has been offline too long; reconnect first',
  offline_not_allowed: 'Offline payments are not allowed for this currency',
  // Cardholder verification (CVM): the card checks the PIN (VERIFY) and binds the result into its cryptogram.
  pin_required: 'This amount needs the card\u2019s PIN',
  pin_invalid: 'Wrong PIN',
  pin_blocked: 'The card\u2019s PIN is blocked after too many wrong tries',
  cvm_failed: 'The card did not confirm the PIN check',
  // Online authorization by central.
  cryptogram_invalid: 'Card failed its online check',
  atc_replayed: 'This card tap was already used',
  card_blocked: 'Card is blocked',
  card_unknown: 'Card is not known to DevPay',
  central_unavailable: 'Central did not answer and offline approval is not allowed',
  amount_invalid: 'Amount is not valid',
  amount_above_maximum: 'Amount is above the maximum central allows for this currency',
  // The terminal itself.
  terminal_storage_failed: 'This terminal cannot record payments now (storage failed); the card was not charged',
  storage_failed_after_approval: 'Central approved this payment but the terminal could not record it; call support before handing over goods',
} as const;

export type DeclineReason = keyof typeof declineReasons;
export const declineReasonCodes = Object.keys(declineReasons) as [DeclineReason, ...DeclineReason[]];
