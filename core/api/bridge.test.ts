import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBridgeCore } from './bridge.js';

test('messages sent while the channel is down are queued and flushed in order; listeners unsubscribe', () => {
  let connected = false;
  const sent: string[] = [];
  const core = createBridgeCore((text) => connected && (sent.push(text), true), 10);
  core.bridge.send('a');
  core.bridge.send('b');
  assert.equal(sent.length, 0);
  connected = true;
  core.flush((text) => sent.push(text));
  core.bridge.send('c');
  assert.deepEqual(sent, ['a', 'b', 'c']);
  const received: string[] = [];
  const stop = core.bridge.onMessage((text) => received.push(text));
  core.deliver('x');
  stop();
  core.deliver('y');
  assert.deepEqual(received, ['x']);
  let resets = 0;
  core.bridge.onReset(() => (resets += 1));
  core.reset();
  assert.equal(resets, 1);
});

test('the bridge refuses anything but a string within the size limit', () => {
  const core = createBridgeCore(() => true, 10);
  assert.throws(() => core.bridge.send({ evil: true } as unknown as string), TypeError);
  assert.throws(() => core.bridge.send('x'.repeat(11)), TypeError);
});
