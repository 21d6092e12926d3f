// One writer per ledger: two processes with their own in-memory balances over one file would
// overwrite each other's balances. The lock is a file created exclusively with the owner's pid;
// a lock whose pid is gone (a SIGKILLed writer) is taken over, one held by a live process is a
// named error.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync, constants } from 'node:fs';
import { join } from 'node:path';

export class LedgerLockedError extends Error {
  constructor(
    readonly holderPid: number,
    path: string,
  ) {
    super(`the ledger is in use by process ${holderPid} (${path}); stop it first`);
    this.name = 'LedgerLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireFolderLock(dataDir: string): () => void {
  const path = join(dataDir, 'ledger.lock');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const descriptor = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      writeSync(descriptor, `${process.pid}\n`);
      closeSync(descriptor);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) throw new LedgerLockedError(holder, path);
      if (holder === process.pid) throw new LedgerLockedError(holder, path);
      // The holder died without releasing (SIGKILL, power loss): take the lock over.
      unlinkSync(path);
    }
  }
  throw new Error(`could not take the ledger lock ${path}`);
}
