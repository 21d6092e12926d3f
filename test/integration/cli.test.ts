// The real `devpay` command: help, usage errors with exit code 2, and clean shutdown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runDevpay, startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { fromHex } from '../../core/clock.js';
import { setupCodeFor } from '../../core/operators/setup-code.js';

test('devpay --help lists the subcommands and exits 0', async () => {
  const result = await runDevpay(['--help']);
  assert.equal(result.code, 0);
  for (const command of ['start', 'serve', 'central']) assert.match(result.stdout, new RegExp(`\\b${command}\\b`));
});

test('unknown flags, commands and bad values exit 2 with a message naming the problem', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['serve', '--data', '/tmp/x', '--bogus'], /unknown option '--bogus'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['serve', '--data', '/tmp/x', '--port', '70000'], /expected a TCP port between 0 and 65535/],
    [['serve', '--data', '/tmp/x', '--port', 'abc'], /expected a TCP port/],
    [['serve', '--port', '0'], /required option '--data <dir>'/],
    [['serve', '--data', '/tmp/x', '--mode', 'casino'], /expected one of counter, field, diagnostics/],
    [['central', '--data', '/tmp/x', '--mqtt', 'localhost'], /expected HOST:PORT/],
    [['central', '--data', '/tmp/x', '--mqtt', '127.0.0.1:0'], /expected HOST:PORT/],
    [['central', '--data', '/tmp/x', '--mqtt', '127.0.0.1:1883', '--mqtt-version', '3'], /expected 4 \(MQTT 3\.1\.1\) or 5/],
  ];
  for (const [args, message] of cases) {
    const result = await runDevpay(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, message, args.join(' '));
  }
});

test('devpay start without Electron serves the UI headless, and Ctrl-C stops it cleanly', { timeout: 60_000 }, async () => {
  const dataDir = freshDir('start-data');
  const started = await startDevpay(['start', '--data', dataDir], { env: { DEVPAY_NO_ELECTRON: '1' } });
  assert.match(started.output(), /Electron is not available here: DEVPAY_NO_ELECTRON=1 is set/);
  const page = await fetch(started.url);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(await started.stop('SIGINT'), 0);
  assert.match(started.output(), /SIGINT received: shutting down/);
});

test('a corrupt terminal identity is a named error and is left untouched', async () => {
  const { writeFileSync, readFileSync } = await import('node:fs');
  const dataDir = freshDir('bad-identity');
  writeFileSync(`${dataDir}/terminal.json`, '{"terminalId": 42}');
  const result = await runDevpay(['serve', '--data', dataDir, '--port', '0', '--no-pcsc']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /terminal identity .* is unusable: .*left untouched/);
  assert.equal(readFileSync(`${dataDir}/terminal.json`, 'utf8'), '{"terminalId": 42}');
});

test("devpay provision --setup-code prints the terminal's one-time setup code, derived from its sync key", async () => {
  const centralDir = freshDir('provision-setup-code');
  const terminalId = 't-setupcode1';
  const syncKey = await runDevpay(['provision', '--data', centralDir, '--terminal', terminalId]);
  assert.equal(syncKey.code, 0, syncKey.stderr);
  const code = await runDevpay(['provision', '--data', centralDir, '--terminal', terminalId, '--setup-code']);
  assert.equal(code.code, 0, code.stderr);
  assert.match(code.stdout.trim(), /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  assert.equal(code.stdout.trim(), setupCodeFor(fromHex(syncKey.stdout.trim()), terminalId));
  const both = await runDevpay(['provision', '--data', centralDir, '--terminal', terminalId, '--setup-code', '--central-public-key']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /option '--setup-code' cannot be used with option '--central-public-key'/);
});
