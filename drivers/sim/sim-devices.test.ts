import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom, fromHex, toHex } from '../../core/clock.js';
import { DeviceError } from '../../device/capabilities.js';
import { quietSim } from './seeded-latency.js';
import { SimCardReader } from './sim-card-reader.js';
import { blankCard } from './virtual-card.js';

test('a tapped card answers APDUs; without a card the call is a named error', async () => {
  const reader = new SimCardReader(quietSim(seededRandom(7)));
  await assert.rejects(reader.transmit(fromHex('00a4040000'), { timeoutMs: 100 }), (error: unknown) => error instanceof DeviceError && error.code === 'not_present');
  const events: string[] = [];
  reader.onCard((event) => events.push(event.type));
  reader.tap(blankCard());
  assert.equal(toHex(await reader.transmit(fromHex('00a4040000'), { timeoutMs: 100 })), '6d00');
  reader.removeCard();
  assert.deepEqual(events, ['card_present', 'card_removed']);
});

test('removing the card mid-exchange gives card_removed', async () => {
  const reader = new SimCardReader({ random: seededRandom(1), minLatencyMs: 30, maxLatencyMs: 30, faultPerMille: 0 });
  reader.tap(blankCard());
  const exchange = reader.transmit(fromHex('00b0000000'), { timeoutMs: 500 });
  reader.removeCard();
  await assert.rejects(exchange, (error: unknown) => error instanceof DeviceError && error.code === 'card_removed');
});

test('a slow card hits the timeout, an abort is named', async () => {
  const reader = new SimCardReader({ random: seededRandom(1), minLatencyMs: 200, maxLatencyMs: 200, faultPerMille: 0 });
  reader.tap(blankCard());
  await assert.rejects(reader.transmit(fromHex('00b0000000'), { timeoutMs: 20 }), (error: unknown) => error instanceof DeviceError && error.code === 'timeout');
  const controller = new AbortController();
  const exchange = reader.transmit(fromHex('00b0000000'), { timeoutMs: 1000, signal: controller.signal });
  controller.abort();
  await assert.rejects(exchange, (error: unknown) => error instanceof DeviceError && error.code === 'aborted');
});
