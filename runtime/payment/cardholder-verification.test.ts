// The PIN pad's mailbox of a charge: a sealed PIN, the cardholder's cancel, silence past the PIN
// entry timeout and the charge being stopped each end the wait by name, and nothing is accepted
// while no charge waits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PinEntryMailbox } from './cardholder-verification.js';

test('the PIN pad mailbox: submit, cancel, timeout and abort end the wait by name', async () => {
  const mailbox = new PinEntryMailbox();
  const never = new AbortController().signal;
  assert.equal(mailbox.submit(new Uint8Array(80)), false, 'nothing waits yet');
  assert.equal(mailbox.cancel(), false);

  const submitted = mailbox.next(5_000, never);
  assert.equal(mailbox.submit(Uint8Array.of(1, 2, 3)), true);
  assert.deepEqual(await submitted, { type: 'envelope', envelope: Uint8Array.of(1, 2, 3) });
  assert.equal(mailbox.submit(Uint8Array.of(1)), false, 'one answer per request');

  const cancelled = mailbox.next(5_000, never);
  assert.equal(mailbox.cancel(), true);
  assert.deepEqual(await cancelled, { type: 'cancelled' });

  // The mailbox's timer does not hold the process open (the runtime does); this test does.
  const keepAlive = setTimeout(() => undefined, 1_000);
  const startedMs = performance.now();
  assert.deepEqual(await mailbox.next(50, never), { type: 'timeout' });
  clearTimeout(keepAlive);
  assert.ok(performance.now() - startedMs >= 45, 'the timeout waits its time');
  assert.equal(mailbox.submit(Uint8Array.of(1)), false, 'a timed-out wait takes nothing');

  const abort = new AbortController();
  const aborted = mailbox.next(5_000, abort.signal);
  abort.abort();
  assert.deepEqual(await aborted, { type: 'cancelled' });
  assert.deepEqual(await mailbox.next(5_000, abort.signal), { type: 'cancelled' }, 'already stopped');
});
