// Runs the real `devpay` command as a child process and waits for the line it prints when it
// is ready. Output is kept so a failing test can show it.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const devpayBin = join(process.cwd(), 'bin', 'devpay.js');

export interface DevpayProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** Sends the signal and resolves with the exit code (or signal name) once it exits. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export async function startDevpay(args: string[], options: { readyPattern?: RegExp; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<DevpayProcess> {
  const readyPattern = options.readyPattern ?? /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+|ws:\/\/127\.0\.0\.1:\d+\/api\?token=[0-9a-f]+)/;
  const child = spawn(process.execPath, [devpayBin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DEVPAY_LOG_LEVEL: 'warn', ...options.env },
  });
  let output = '';
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`devpay ${args.join(' ')} was not ready in time:\n${output}`)), options.timeoutMs ?? 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = readyPattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? match[0]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`devpay ${args.join(' ')} exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs `devpay` to completion and returns its exit code and output. */
export function runDevpay(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [devpayBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
