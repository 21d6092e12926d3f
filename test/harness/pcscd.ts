// pcscd with vsmartcard-vpcd, for the real PC/SC path. vpcd is a pcscd reader driver that
// listens on a TCP port (from /etc/reader.conf.d/vpcd) for a virtual card to connect. If a pcscd
// is already running it is used and left running; otherwise one is started in the foreground
// and stopped afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
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

export async function startPcscd(binary: string): Promise<Pcscd> {
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
