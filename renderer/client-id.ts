// Idempotency keys the screen makes for a correction or a day close: a ULID (48 bits of the
// page's clock, 80 bits from crypto.getRandomValues, Crockford base32), so it matches the
// contract's clientIdSchema and sorts by when it was made. A screen makes one per offer (a
// refund dialog opening, a void, a close attempt) and sends the same one on every retry of that
// offer, so a double press or a lost answer never refunds, voids or closes twice.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newClientId(nowMs: number = Date.now()): string {
  let timePart = '';
  let remaining = nowMs;
  for (let index = 0; index < 10; index += 1) {
    timePart = alphabet[remaining % 32]! + timePart;
    remaining = Math.floor(remaining / 32);
  }
  const random = crypto.getRandomValues(new Uint8Array(16));
  return timePart + Array.from(random, (byte) => alphabet[byte & 31]).join('');
}
