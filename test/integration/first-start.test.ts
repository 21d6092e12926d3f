// A newcomer's first start is quiet: `devpay serve --sim --no-pcsc` on a fresh data folder,
// logging at info, becomes ready, answers status.get with central reachable, and stops on
// SIGINT with exit code 0, and nothing it printed is a stack trace or an RxDB replication error
// (the settings pull waits for the broker instead of failing before it connects). Piped, the
// console gets JSON lines; the data folder's logs/devpay.log holds the same entries as JSON
// lines (mode 0600). On a terminal (a pseudo-TTY from util-linux's `script`) the console gets
// pino-pretty's human-readable lines instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TerminalStatus } from '../../core/api/status.js';
import { findExecutable } from '../harness/require-tool.js';
import { devpayBin, startDevpay } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { openApiSession } from '../harness/api-session.js';
import { until } from '../harness/until.js';

const stackTraceLine = /^\s+at /m;

test('a first start on a fresh folder prints no stack trace and no replication error', { timeout: 60_000 }, async () => {
  const dataDir = freshDir('first-start');
  const server = await startDevpay(['serve', '--sim', '--no-pcsc', '--data', dataDir, '--port', '0'], { env: { DEVPAY_LOG_LEVEL: 'info' } });
  let exit: number | string;
  try {
    const api = await openApiSession(server.url);
    try {
      await until('central reachable', 20_000, async () => (await api.call<TerminalStatus>('status.get')).link.centralReachable);
      const status = await api.call<TerminalStatus>('status.get');
      assert.equal(status.link.state, 'online');
      // The settings pull has happened too: central's offline limits are here.
      await until("central's offline limits", 20_000, async () => (await api.call<TerminalStatus>('status.get')).sync.offlineLimits !== null);
    } finally {
      await api.close();
    }
  } finally {
    exit = await server.stop('SIGINT');
  }
  const output = server.output();
  assert.equal(exit, 0, `exits cleanly on SIGINT:\n${output}`);
  assert.doesNotMatch(output, stackTraceLine, `no stack trace:\n${output}`);
  assert.doesNotMatch(output, /RC_PULL/, `no replication error:\n${output}`);
  assert.doesNotMatch(output, /"level":(40|50|60)/, `no warning or error on a healthy start:\n${output}`);
  // Piped, every log line is JSON (the other lines are the command's own: the URL, shutdown).
  const logLines = output.split('\n').filter((line) => line.startsWith('{'));
  assert.ok(logLines.some((line) => (JSON.parse(line) as { msg?: string }).msg === 'runtime started'), 'the console got JSON lines');
  const logFile = join(dataDir, 'logs', 'devpay.log');
  assert.equal(statSync(logFile).mode & 0o777, 0o600);
  const fileLines = readFileSync(logFile, 'utf8').trim().split('\n');
  assert.ok(fileLines.length > 0 && fileLines.every((line) => typeof (JSON.parse(line) as { msg?: unknown }).msg === 'string'), 'the log file holds JSON lines');
  assert.ok(fileLines.some((line) => line.includes('"runtime started"')));
});

test('on a terminal the console gets human-readable lines', { timeout: 60_000 }, async (context) => {
  const script = findExecutable('script');
  if (!script || !existsSync('/dev/ptmx')) {
    context.skip('needs util-linux script and a pseudo-terminal');
    return;
  }
  const dataDir = freshDir('first-start-tty');
  const command = [process.execPath, devpayBin, 'serve', '--sim', '--no-pcsc', '--data', dataDir, '--port', '0'].map((part) => `'${part}'`).join(' ');
  // script gives the command a pseudo-terminal for stdin, stdout and stderr and copies it here.
  const child = spawn(script, ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, DEVPAY_LOG_LEVEL: 'info', DEVPAY_LOG_FORMAT: '' } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await until('the runtime to start', 30_000, () => /runtime started/.test(output));
  } finally {
    // SIGINT reaches the command through script, as Ctrl-C would.
    child.stdin.write('\u0003');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  // pino-pretty colours what it prints on a terminal; the words are what is checked.
  const plain = output.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
  assert.match(plain, /INFO \(devpay\): runtime started/, `pretty lines on a terminal:\n${plain}`);
  assert.doesNotMatch(plain, /\{"level":/, 'no JSON lines on a terminal');
  assert.match(readFileSync(join(dataDir, 'logs', 'devpay.log'), 'utf8'), /"msg":"runtime started"/, 'the file stays JSON');
});
