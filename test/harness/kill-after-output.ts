// Runs a command until its first line of output, then SIGKILLs it after a given delay, and
// answers the complete lines it printed: each is an acknowledgement the process made before the
// kill (a line cut by the kill is not). Any other exit is an error naming the process's stderr.
import { spawn } from 'node:child_process';

export function runUntilKilled(args: string[], killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // Start the clock at the first acknowledgement, so every kill lands mid-work.
      timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`${args.join(' ')} exited ${code} ${signal} before the kill:\n${stderr}`));
      const lines = stdout.split('\n');
      lines.pop();
      resolve(lines);
    });
  });
}
