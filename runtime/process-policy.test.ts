import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { crashExitCode, installProcessPolicy, type ProcessPolicy } from './process-policy.js';
import { isLedgerFailure } from '../ledger/ledger-errors.js';
import { createLogger } from './logger.js';
import { LedgerStorageFailedError } from '../ledger/durable/sqlite-store.js';
import { LedgerUnitAbortedError } from '../ledger/durable/durable-storage.js';

interface Rig {
  emitter: EventEmitter;
  policy: ProcessPolicy;
  /** Every log line's level, named reason and message, in order. */
  lines: Array<{ level: string; reason: unknown; message: string }>;
  exits: number[];
  exited: Promise<number>;
  /** What happened, in order: shutdown steps and exits. */
  steps: string[];
}

function rig(shutdownTimeoutMs = 1000): Rig {
  const emitter = new EventEmitter();
  const lines: Rig['lines'] = [];
  const exits: number[] = [];
  const steps: string[] = [];
  let onExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (onExit = resolve));
  const record = (level: string) => (context: object, message: string) => lines.push({ level, reason: (context as { reason?: unknown }).reason, message });
  const policy = installProcessPolicy({
    process: emitter,
    log: { info: record('info'), warn: record('warn'), error: record('error') },
    exit: (code) => {
      exits.push(code);
      steps.push(`exit ${code}`);
      onExit(code);
    },
    shutdownTimeoutMs,
  });
  return { emitter, policy, lines, exits, exited, steps };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('an unhandled rejection off the money path is logged by name and the process keeps running', async () => {
  const { emitter, lines, exits } = rig();
  emitter.emit('unhandledRejection', new Error('link timed out'), Promise.resolve());
  emitter.emit('unhandledRejection', 'a bare string', Promise.resolve());
  await tick();
  assert.deepEqual(lines.map((line) => line.reason), ['unhandled_rejection', 'unhandled_rejection']);
  assert.deepEqual(exits, []);
});

test('an uncaught exception closes the stack first, then exits non-zero', async () => {
  const { emitter, policy, lines, exited, steps } = rig();
  policy.setShutdown(async () => {
    steps.push('closing');
    await tick();
    steps.push('closed');
  });
  emitter.emit('uncaughtException', new TypeError('state unknown'));
  assert.equal(await exited, crashExitCode);
  assert.notEqual(crashExitCode, 0);
  assert.deepEqual(steps, ['closing', 'closed', `exit ${crashExitCode}`]);
  assert.deepEqual(lines.map((line) => line.reason), ['uncaught_exception']);
});

test('an uncaught exception before anything is open exits at once', async () => {
  const { emitter, exited } = rig();
  emitter.emit('uncaughtException', new Error('during start'));
  assert.equal(await exited, crashExitCode);
});

test('a failed ledger commit that goes unhandled is treated as a crash, even wrapped', async () => {
  assert.ok(isLedgerFailure(new LedgerStorageFailedError()));
  assert.ok(isLedgerFailure(new Error('payment failed', { cause: new LedgerUnitAbortedError() })));
  assert.ok(!isLedgerFailure(new Error('link down')));
  assert.ok(!isLedgerFailure({ name: 'LedgerStorageFailedError' }));
  const { emitter, policy, lines, exited, steps } = rig();
  policy.setShutdown(async () => void steps.push('closed'));
  emitter.emit('unhandledRejection', new Error('posting failed', { cause: new LedgerStorageFailedError() }), Promise.resolve());
  assert.equal(await exited, crashExitCode);
  assert.deepEqual(steps, ['closed', `exit ${crashExitCode}`]);
  assert.deepEqual(lines.map((line) => line.reason), ['unhandled_ledger_failure']);
});

test('a shutdown that hangs or fails still ends in a non-zero exit', async () => {
  const hanging = rig(50);
  hanging.policy.setShutdown(() => new Promise(() => undefined));
  hanging.emitter.emit('uncaughtException', new Error('boom'));
  assert.equal(await hanging.exited, crashExitCode);
  assert.deepEqual(hanging.lines.map((line) => line.reason), ['uncaught_exception', 'crash_shutdown_timed_out']);

  const failing = rig();
  failing.policy.setShutdown(() => {
    throw new Error('close threw');
  });
  failing.emitter.emit('uncaughtException', new Error('boom'));
  assert.equal(await failing.exited, crashExitCode);
  assert.deepEqual(failing.lines.map((line) => line.reason), ['uncaught_exception', 'crash_shutdown_failed']);
});

test('a second exception while closing exits at once', async () => {
  const { emitter, policy, lines, exits } = rig();
  policy.setShutdown(() => new Promise(() => undefined));
  emitter.emit('uncaughtException', new Error('first'));
  await tick();
  emitter.emit('uncaughtException', new Error('second'));
  assert.deepEqual(exits, [crashExitCode]);
  assert.deepEqual(lines.map((line) => line.reason), ['uncaught_exception', 'uncaught_exception', 'failure_during_crash_shutdown']);
  policy.uninstall();
});

test('uninstall removes both listeners', () => {
  const { emitter, policy } = rig();
  assert.equal(emitter.listenerCount('uncaughtException'), 1);
  assert.equal(emitter.listenerCount('unhandledRejection'), 1);
  policy.uninstall();
  assert.equal(emitter.listenerCount('uncaughtException'), 0);
  assert.equal(emitter.listenerCount('unhandledRejection'), 0);
});

test('through pino, each failure is one JSON line with its reason and secrets redacted', async () => {
  const written: string[] = [];
  const logger = createLogger({ destination: { write: (line: string) => void written.push(line) } });
  const emitter = new EventEmitter();
  const policy = installProcessPolicy({ process: emitter, log: logger, exit: () => undefined });
  const error = Object.assign(new Error('handler failed'), { sessionToken: 'a1b2c3d4e5f6', pan: '8991001234567890' });
  emitter.emit('unhandledRejection', error, Promise.resolve());
  policy.uninstall();
  assert.equal(written.length, 1);
  assert.equal(written[0]!.trim().split('\n').length, 1);
  const line = JSON.parse(written[0]!) as { reason: string; err: { message: string; sessionToken: string; pan: string } };
  assert.equal(line.reason, 'unhandled_rejection');
  assert.equal(line.err.message, 'handler failed');
  assert.equal(line.err.sessionToken, '[redacted]');
  assert.equal(line.err.pan, '[redacted]');
  assert.ok(!written[0]!.includes('a1b2c3d4e5f6') && !written[0]!.includes('8991001234567890'));
});
