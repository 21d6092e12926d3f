// Fuzzing the driver's status reading and the receipt codec: 10,000 arbitrary four-byte replies
// either decode or are printer_status_invalid, and arbitrary receipt lines and blocks either
// encode or are a named EscPosError; nothing else is ever thrown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EscPosError } from '../../device/escpos/escpos-error.js';
import { encodeReceipt, type ReceiptBlock } from '../../device/escpos/receipt.js';
import { typesetReceipt, type ReceiptLine } from '../../device/escpos/receipt-typesetter.js';
import { readPrinterStatus, refusalFor, type PrinterLink } from './escpos-session.js';
import { PrinterError } from './printer-error.js';

/** A link whose printer answers the given bytes, as a byte stream would. */
function answering(reply: Uint8Array): PrinterLink {
  return { discardPending: () => undefined, read: async () => reply, write: async () => undefined };
}

test('10,000 fuzzed status replies: a status or printer_status_invalid', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 4, maxLength: 4 }), async (reply) => {
      try {
        const status = await readPrinterStatus(answering(reply), 'fuzz');
        const refusal = refusalFor(status, 'fuzz', 'after');
        assert.ok(refusal === null || refusal instanceof PrinterError);
      } catch (error) {
        assert.ok(error instanceof PrinterError && error.code === 'printer_status_invalid', String(error));
      }
    }),
    { seed: 9100, numRuns: 10_000 },
  );
});

const anyValue = fc.oneof(fc.string(), fc.integer({ min: -5, max: 3000 }), fc.constant(null), fc.constant(undefined), fc.double(), fc.boolean());
const anyBlock = fc.oneof(
  fc.record({ type: fc.constant('text'), text: fc.string({ unit: 'binary' }), align: fc.oneof(fc.constantFrom('left', 'center', 'right'), fc.string()) }),
  fc.record({ type: fc.constant('feed'), lines: anyValue }),
  fc.record({ type: fc.constant('qr'), data: fc.string({ maxLength: 3000 }), moduleSize: anyValue, errorCorrection: fc.oneof(fc.constantFrom('L', 'M', 'Q', 'H'), fc.string()) }),
  fc.record({ type: fc.constant('raster'), image: fc.record({ widthDots: anyValue, heightDots: anyValue, data: fc.uint8Array({ maxLength: 64 }) }) }),
  fc.record({ type: fc.constant('cut'), feedUnits: anyValue }),
  fc.record({ type: fc.string() }),
  anyValue,
);

test('malformed receipt blocks are named EscPosErrors, never crashes', () => {
  fc.assert(
    fc.property(fc.array(anyBlock, { maxLength: 6 }), (blocks) => {
      try {
        const encoded = encodeReceipt({ blocks: blocks as unknown as ReceiptBlock[] });
        assert.ok(encoded.bytes instanceof Uint8Array);
      } catch (error) {
        assert.ok(error instanceof EscPosError, `not an EscPosError: ${String(error)}`);
      }
    }),
    { seed: 12, numRuns: 3000 },
  );
});

test('malformed receipt lines are named EscPosErrors, never crashes', () => {
  const anyLine = fc.oneof(
    fc.record({ type: fc.constantFrom('title', 'center', 'text'), text: fc.string({ unit: 'grapheme' }) }),
    fc.record({ type: fc.constant('pair'), label: fc.string(), value: fc.string({ unit: 'binary' }) }),
    fc.record({ type: fc.constant('qr'), data: fc.string({ maxLength: 2500 }) }),
    fc.record({ type: fc.constant('feed'), lines: anyValue }),
    fc.record({ type: fc.string() }),
  );
  fc.assert(
    fc.property(fc.array(anyLine, { maxLength: 6 }), (lines) => {
      try {
        encodeReceipt(typesetReceipt(lines as unknown as ReceiptLine[], { direction: 'ltr' }));
      } catch (error) {
        assert.ok(error instanceof EscPosError, `not an EscPosError: ${String(error)}`);
      }
    }),
    { seed: 13, numRuns: 3000 },
  );
});
