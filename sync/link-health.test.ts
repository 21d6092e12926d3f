// The link's state rules on a manual clock: online only while central's last verified answer is
// at most one interval (plus the heartbeat's timeout as grace) old, degraded while the broker is
// up but central is silent, offline without a broker, and centralUnreachableSinceMs naming when
// central last answered. The expiry timer turns a silent link degraded by itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualClock } from '../core/clock.js';
import { LinkHealth } from './link-health.js';

const startMs = 1_800_000_000_000;
const intervalMs = 1000;
const graceMs = 500;

function rig(): { clock: ReturnType<typeof manualClock>; health: LinkHealth } {
  const clock = manualClock(startMs);
  const health = new LinkHealth({ clock, intervalMs, graceMs, onExpired: () => undefined });
  return { clock, health };
}

test('connecting, online on an answer, degraded one interval and the grace after the last one', () => {
  const { clock, health } = rig();
  try {
    assert.deepEqual(health.snapshot(), { state: 'connecting', brokerReachable: false, centralReachable: false, centralUnreachableSinceMs: startMs });
    health.brokerConnected();
    assert.equal(health.snapshot().state, 'connecting', 'the first heartbeat has not settled yet');
    clock.advance(20);
    health.answered(clock.monotonicMs() - 10);
    const answeredAtMs = clock.nowMs();
    assert.deepEqual(health.snapshot(), { state: 'online', brokerReachable: true, centralReachable: true, centralUnreachableSinceMs: null });
    clock.advance(intervalMs + graceMs);
    assert.equal(health.snapshot().state, 'online', 'still within the window');
    clock.advance(1);
    assert.deepEqual(health.snapshot(), { state: 'degraded', brokerReachable: true, centralReachable: false, centralUnreachableSinceMs: answeredAtMs });
    health.answered(clock.monotonicMs());
    assert.equal(health.snapshot().state, 'online');
  } finally {
    health.stop();
  }
});

test('a missed heartbeat degrades at once, unless a later one was answered', () => {
  const { clock, health } = rig();
  try {
    health.brokerConnected();
    const olderSentMs = clock.monotonicMs();
    clock.advance(100);
    health.answered(clock.monotonicMs());
    health.missed(olderSentMs);
    assert.equal(health.snapshot().state, 'online', 'an older heartbeat timing out says nothing new');
    clock.advance(100);
    const answeredAtMs = clock.nowMs() - 100;
    health.missed(clock.monotonicMs());
    assert.deepEqual(health.snapshot(), { state: 'degraded', brokerReachable: true, centralReachable: false, centralUnreachableSinceMs: answeredAtMs });
  } finally {
    health.stop();
  }
});

test('offline without a broker, degraded (not connecting) after a reconnect until central answers', () => {
  const { clock, health } = rig();
  try {
    health.brokerLost();
    assert.deepEqual(health.snapshot(), { state: 'offline', brokerReachable: false, centralReachable: false, centralUnreachableSinceMs: startMs }, 'a first attempt that failed');
    health.brokerConnected();
    clock.advance(50);
    health.answered(clock.monotonicMs());
    const answeredAtMs = clock.nowMs();
    clock.advance(50);
    health.brokerLost();
    assert.deepEqual(health.snapshot(), { state: 'offline', brokerReachable: false, centralReachable: false, centralUnreachableSinceMs: answeredAtMs });
    health.brokerConnected();
    assert.equal(health.snapshot().state, 'degraded');
    health.answered(clock.monotonicMs());
    assert.equal(health.snapshot().state, 'online');
  } finally {
    health.stop();
  }
});

test("central's presence saying offline keeps it unreachable whatever answers arrive", () => {
  const { clock, health } = rig();
  try {
    health.brokerConnected();
    health.answered(clock.monotonicMs());
    health.presence(false);
    assert.equal(health.snapshot().state, 'degraded');
    health.answered(clock.monotonicMs());
    assert.equal(health.snapshot().centralReachable, false);
    health.presence(true);
    health.answered(clock.monotonicMs());
    assert.equal(health.snapshot().state, 'online');
  } finally {
    health.stop();
  }
});

test('the expiry timer reports a silent central by itself', { timeout: 5000 }, async () => {
  let expired = 0;
  const realClock = { nowMs: () => startMs + performance.now(), monotonicMs: () => performance.now() };
  const health = new LinkHealth({ clock: realClock, intervalMs: 40, graceMs: 20, onExpired: () => (expired += 1) });
  try {
    health.brokerConnected();
    health.answered(realClock.monotonicMs());
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(expired, 0);
    assert.equal(health.snapshot().state, 'online');
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(expired, 1);
    assert.equal(health.snapshot().state, 'degraded');
  } finally {
    health.stop();
  }
});
