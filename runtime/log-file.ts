// The log file in the data folder: JSON lines, one per entry, appended with a synchronous write
// so the lines before a crash are on disk when the process exits. The file is 0600 in a 0700
// folder (entries are redacted, but name terminals and payments). A write that fails (a full
// disk, a folder that went read-only) drops that line and is said once on the console; writing
// resumes by itself when the fault clears, so a full disk never stops the terminal. Past
// maxBytes the file moves to devpay.log.1 (replacing the one before) and a new one starts, so
// the folder holds at most twice that.
import { closeSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const logFolderName = 'logs';
export const defaultLogFileMaxBytes = 10 * 1024 * 1024;

export interface LogFile {
  write(line: string): void;
  close(): void;
}

/** Opens (creating) the log file; problems go to onProblem as a short sentence, never thrown. */
export function openLogFile(path: string, onProblem: (sentence: string) => void, maxBytes = defaultLogFileMaxBytes): LogFile {
  let descriptor: number | null = null;
  let sizeBytes = 0;
  let failing = false;
  const problem = (what: string, error: unknown): void => {
    if (failing) return;
    failing = true;
    const code = (error as NodeJS.ErrnoException | null)?.code ?? (error instanceof Error ? error.message : String(error));
    onProblem(`the log file ${path} could not be ${what} (${code}); log lines go to the console only until it can`);
  };
  const open = (): boolean => {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      descriptor = openSync(path, 'a', 0o600);
      sizeBytes = statSync(path).size;
      return true;
    } catch (error) {
      problem('opened', error);
      return false;
    }
  };
  const rotate = (): void => {
    if (descriptor !== null) closeSync(descriptor);
    descriptor = null;
    try {
      renameSync(path, `${path}.1`);
    } catch (error) {
      problem('rotated', error);
    }
  };
  if (open() && sizeBytes > maxBytes) {
    rotate();
    open();
  }
  return {
    write(line) {
      if (descriptor === null && !open()) return;
      try {
        writeSync(descriptor!, line);
        sizeBytes += Buffer.byteLength(line);
        failing = false;
      } catch (error) {
        problem('written', error);
        return;
      }
      if (sizeBytes > maxBytes) rotate();
    },
    close() {
      if (descriptor !== null) closeSync(descriptor);
      descriptor = null;
    },
  };
}
