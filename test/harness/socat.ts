// A pair of connected pseudo-terminals made by socat: a device simulator holds one end, the
// driver under test opens the other as if it were a USB serial adapter.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface PtyPair {
  readonly devicePath: string;
  readonly hostPath: string;
  stop(): Promise<void>;
}

export async function startPtyPair(socatBinary: string, dir: string): Promise<PtyPair> {
  const devicePath = join(dir, 'device-end');
  const hostPath = join(dir, 'host-end');
  const child = spawn(socatBinary, ['-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${hostPath}`], { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  while (!existsSync(devicePath) || !existsSync(hostPath)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('socat did not create the pty pair');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    devicePath,
    hostPath,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
