// Secrets never reach a log line: each redacted field name is censored at the top level and
// nested, and the rest of the line is kept, on the console (JSON or pretty) and in the log file.
// The file holds JSON lines with mode 0600, survives a write failure (the line is dropped and
// said once, later lines are written again), and moves aside past its size limit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writable } from 'node:stream';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, redactedFieldNames } from './logger.js';
import { openLogFile } from './log-file.js';

function collector(): { destination: Writable; text: () => string } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { destination, text: () => lines.join('') };
}

const secrets = Object.fromEntries(redactedFieldNames.map((name, index) => [name, `SECRET-${index}-8991001234567890`]));
const entry = { ...secrets, nested: { ...secrets, deeper: { ...secrets } }, paymentId: '01KPAYMENT' };

function assertRedacted(text: string): void {
  assert.doesNotMatch(text, /SECRET-/);
  assert.doesNotMatch(text, /8991001234567890/);
  assert.match(text, /01KPAYMENT/);
  assert.match(text, /\[redacted\]/);
}

test('every secret field is redacted wherever it sits, the rest is kept', async () => {
  const { destination, text } = collector();
  const logger = createLogger({ level: 'info', destination });
  logger.info(entry, 'card payment');
  await new Promise((resolve) => setImmediate(resolve));
  assertRedacted(text());
  assert.equal((JSON.parse(text()) as { msg: string }).msg, 'card payment', 'a destination gets JSON lines unless pretty is asked for');
});

test('pretty console lines are human-readable and redacted too', async () => {
  const { destination, text } = collector();
  const logger = createLogger({ level: 'info', destination, pretty: true });
  logger.info(entry, 'card payment');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assertRedacted(text());
  assert.match(text(), /INFO.*card payment/);
  assert.doesNotMatch(text(), /^\{/);
});

test('the log file holds redacted JSON lines, mode 0600, beside the console', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'devpay-log-'));
  const path = join(dir, 'logs', 'devpay.log');
  const { destination, text } = collector();
  const logger = createLogger({ level: 'info', destination, logFile: path, pretty: false });
  logger.info(entry, 'card payment');
  logger.warn({ reason: 'example' }, 'second line');
  await new Promise((resolve) => setImmediate(resolve));
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  assert.deepEqual(lines.map((line) => (JSON.parse(line) as { msg: string }).msg), ['card payment', 'second line']);
  assertRedacted(lines[0]!);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'logs')).mode & 0o777, 0o700);
  assert.match(text(), /second line/, 'the console gets the same lines');
});

test('a log file that cannot be written is said once and written again once it can', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devpay-log-'));
  // A file where the logs folder should be: even root cannot create the log file under it.
  const blocker = join(dir, 'logs');
  writeFileSync(blocker, '');
  const path = join(blocker, 'devpay.log');
  const problems: string[] = [];
  const file = openLogFile(path, (sentence) => problems.push(sentence));
  file.write('one\n');
  file.write('two\n');
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0]!, /could not be opened \(E[A-Z]+\)/);
  rmSync(blocker);
  file.write('three\n');
  file.close();
  assert.equal(readFileSync(path, 'utf8'), 'three\n', 'the lines while it failed are dropped, later ones written');
});

test('past its size limit the file moves to .1 and a new one starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devpay-log-'));
  const path = join(dir, 'devpay.log');
  const file = openLogFile(path, (sentence) => assert.fail(sentence), 64);
  for (let index = 0; index < 10; index += 1) file.write(`line ${index} ${'x'.repeat(20)}\n`);
  file.close();
  assert.ok(existsSync(`${path}.1`));
  assert.ok(statSync(path).size <= 64 + 30);
  assert.match(readFileSync(path, 'utf8'), /line 9/);
});
