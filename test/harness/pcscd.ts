// pcscd with vsmartcard-vpcd, for the real PC/SC path. vpcd is a pcscd reader driver that
// listens on a TCP port (from /etc/reader.conf.d/vpcd) for a virtual card to connect. If a pcscd
// is already running it is used and left running; otherwise one is started in the foreground
// and stopped afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { pcscdSocketPath } from '../../drivers/pcsc/pcsc-service.js';
import { vpcdPortFromConfig } from '../../drivers/sim/vpcd-card-bridge.js';

export const vpcdDriverPath = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';

export interface Pcscd {
  readonly vpcdPort: number;
  readonly startedHere: boolean;
  log(): string;
  stop(): Promise<void>;
}

function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (!existsSync(path)) return resolve(false);
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * vpcd has one card slot on one port, so test files using the PC/SC stack take turns: a lock
 * directory (mkdir is atomic) held from start to stop; a lock left by a dead process is taken
 * over after its owner is gone.
 */
const lockPath = join(tmpdir(), 'devpay-pcscd-test.lock');
async function acquirePcscLock(): Promise<() => void> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      mkdirSync(lockPath);
      writeFileSync(join(lockPath, 'pid'), String(process.pid));
      return () => rmSync(lockPath, { recursive: true, force: true });
    } catch {
      let owner = Number.NaN;
      try {
        owner = Number(readFileSync(join(lockPath, 'pid'), 'utf8'));
      } catch {
        // Being created or removed right now.
      }
      let alive = true;
      try {
        if (Number.isInteger(owner) && owner > 0) process.kill(owner, 0);
      } catch {
        alive = false;
      }
      if (!alive) rmSync(lockPath, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for the PC/SC test lock');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export async function startPcscd(binary: string): Promise<Pcscd> {
  const release = await acquirePcscLock();
  try {
    const started = await startPcscdLocked(binary);
    return { ...started, stop: async () => { await started.stop(); release(); } };
  } catch (error) {
    release();
    throw error;
  }
}

async function startPcscdLocked(binary: string): Promise<Pcscd> {
  const vpcdPort = vpcdPortFromConfig();
  if (await socketAnswers(pcscdSocketPath)) {
    return { vpcdPort, startedHere: false, log: () => '', stop: async () => {} };
  }
  let log = '';
  const child: ChildProcess = spawn(binary, ['--foreground', '--error'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 10_000;
  while (!(await socketAnswers(pcscdSocketPath))) {
    if (child.exitCode !== null) throw new Error(`pcscd exited with ${child.exitCode}:\n${log}`);
    if (Date.now() > deadline) throw new Error(`pcscd did not open ${pcscdSocketPath}:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // vpcd's port is not probed: vpcd takes any connection on it for a virtual card.
  return {
    vpcdPort,
    startedHere: true,
    log: () => log,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
