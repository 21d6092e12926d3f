// Secrets never reach a log line: each redacted field name is censored at the top level and
// nested, and the rest of the line is kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writable } from 'node:stream';
import { createLogger, redactedFieldNames } from './logger.js';

test('every secret field is redacted wherever it sits, the rest is kept', async () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  const secrets = Object.fromEntries(redactedFieldNames.map((name, index) => [name, `SECRET-${index}-8991001234567890`]));
  logger.info({ ...secrets, nested: { ...secrets, deeper: { ...secrets } }, paymentId: '01KPAYMENT' }, 'card payment');
  await new Promise((resolve) => setImmediate(resolve));
  const line = lines.join('');
  assert.doesNotMatch(line, /SECRET-/);
  assert.doesNotMatch(line, /8991001234567890/);
  assert.match(line, /01KPAYMENT/);
  assert.match(line, /\[redacted\]/);
});
