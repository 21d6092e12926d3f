import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RuntimeSupervisor } from './runtime-supervisor.js';
import type { UtilityProcessLike } from './electron-api.js';

function harness() {
  let nowMs = 0;
  const timers: Array<{ atMs: number; callback: () => void; cancelled: boolean }> = [];
  const children: Array<UtilityProcessLike & { exit(code: number): void; killed: boolean }> = [];
  const exits: Array<[number, number]> = [];
  const supervisor = new RuntimeSupervisor({
    fork: () => {
      let onExit: ((code: number) => void) | null = null;
      const child = {
        pid: children.length + 100,
        killed: false,
        postMessage() {},
        on: (_event: 'exit', listener: (code: number) => void) => void (onExit = listener),
        kill() {
          child.killed = true;
          return true;
        },
        exit: (code: number) => onExit?.(code),
      };
      children.push(child);
      return child;
    },
    onStarted: () => {},
    onExited: (code, delayMs) => exits.push([code, delayMs]),
    nowMs: () => nowMs,
    setTimer: (callback, delayMs) => {
      const timer = { atMs: nowMs + delayMs, callback, cancelled: false };
      timers.push(timer);
      return { cancel: () => void (timer.cancelled = true) };
    },
    initialBackoffMs: 500,
    maxBackoffMs: 4000,
    stableAfterMs: 60_000,
  });
  const advance = (deltaMs: number): void => {
    nowMs += deltaMs;
    for (const timer of timers.splice(0)) {
      if (timer.cancelled) continue;
      if (timer.atMs <= nowMs) timer.callback();
      else timers.push(timer);
    }
  };
  return { supervisor, children, exits, advance };
}

test('a crashed runtime is restarted with a doubling, capped backoff', () => {
  const { supervisor, children, exits, advance } = harness();
  supervisor.start();
  for (let crash = 0; crash < 5; crash += 1) {
    children.at(-1)!.exit(139);
    advance(10_000);
  }
  assert.deepEqual(exits.map(([, delayMs]) => delayMs), [500, 1000, 2000, 4000, 4000]);
  assert.equal(children.length, 6);
  assert.equal(supervisor.restartCount, 5);
});

test('the backoff resets after a runtime stayed up, and stop() kills without restarting', () => {
  const { supervisor, children, exits, advance } = harness();
  supervisor.start();
  children.at(-1)!.exit(1);
  advance(1000);
  children.at(-1)!.exit(1);
  advance(1000);
  // The third runtime stays up two minutes before it dies: the backoff starts over.
  advance(120_000);
  children.at(-1)!.exit(1);
  assert.deepEqual(exits.map(([, delayMs]) => delayMs), [500, 1000, 500]);
  advance(1000);
  supervisor.stop();
  assert.equal(children.at(-1)!.killed, true);
  children.at(-1)!.exit(0);
  advance(60_000);
  assert.equal(children.length, 4, 'no restart after stop');
});
