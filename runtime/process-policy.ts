// What a long-running DevPay process (the terminal runtime under `devpay serve`/`start` or
// Electron, and `devpay central`) does with an error nothing else caught. An unhandled
// rejection outside the money path is logged and the process keeps serving: the promise that
// failed is gone and nothing else depends on it. An uncaught exception, or a rejection carrying
// a failed ledger commit, leaves state in memory unknown: the process closes what it opened (the
// ledger first among them) within a bounded time and exits non-zero, so its supervisor (Electron
// main's or systemd) starts it afresh. Ledger commits are atomic, so nothing acknowledged is
// lost by the restart, and reopening is what a failed commit needs anyway.
import type { EventEmitter } from 'node:events';
import type { LogSink } from '../core/log-sink.js';
import { isLedgerFailure } from '../ledger/ledger-errors.js';

/** EX_SOFTWARE from sysexits.h: an internal error; any non-zero code makes supervisors restart. */
export const crashExitCode = 70;
export const defaultShutdownTimeoutMs = 5000;

/** The part of `process` the policy listens on; an EventEmitter in tests. */
export type ProcessEvents = Pick<EventEmitter, 'on' | 'off'>;

export interface ProcessPolicyOptions {
  process: ProcessEvents;
  log: LogSink;
  /** Ends the process; process.exit in production, a recorder in tests. */
  exit: (code: number) => void;
  shutdownTimeoutMs?: number;
}

export interface ProcessPolicy {
  /** What to close before a crash exit (the stack holding the ledger), once it is open. */
  setShutdown(shutdown: (() => Promise<void>) | null): void;
  uninstall(): void;
}

export function installProcessPolicy(options: ProcessPolicyOptions): ProcessPolicy {
  const { log, exit } = options;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? defaultShutdownTimeoutMs;
  let shutdown: (() => Promise<void>) | null = null;
  let crashing = false;

  const crash = async (): Promise<void> => {
    if (crashing) {
      // A second failure while closing means closing itself is in trouble: waiting for it to
      // finish helps nobody, so the process goes now.
      log.error({ reason: 'failure_during_crash_shutdown' }, 'second failure while shutting down; exiting now');
      exit(crashExitCode);
      return;
    }
    crashing = true;
    try {
      if (shutdown) await closeWithin(shutdown, shutdownTimeoutMs, log);
    } finally {
      exit(crashExitCode);
    }
  };

  const onRejection = (reason: unknown): void => {
    if (isLedgerFailure(reason)) {
      log.error({ reason: 'unhandled_ledger_failure', err: reason }, 'a failed ledger commit went unhandled; restarting');
      void crash();
      return;
    }
    log.error({ reason: 'unhandled_rejection', err: reason }, 'unhandled promise rejection; still running');
  };
  const onException = (error: unknown): void => {
    log.error({ reason: 'uncaught_exception', err: error }, 'uncaught exception; closing and exiting');
    void crash();
  };
  options.process.on('unhandledRejection', onRejection);
  options.process.on('uncaughtException', onException);
  return {
    setShutdown(next) {
      shutdown = next;
    },
    uninstall() {
      options.process.off('unhandledRejection', onRejection);
      options.process.off('uncaughtException', onException);
    },
  };
}

/** Runs the shutdown, logging (never throwing) if it fails or outlasts its time. */
async function closeWithin(shutdown: () => Promise<void>, timeoutMs: number, log: LogSink): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    const outcome = await Promise.race([Promise.resolve().then(shutdown), timeout]);
    if (outcome === 'timeout') log.error({ reason: 'crash_shutdown_timed_out', timeoutMs }, 'closing after a crash took too long');
  } catch (error) {
    log.error({ reason: 'crash_shutdown_failed', err: error }, 'closing after a crash failed');
  } finally {
    clearTimeout(timer);
  }
}

/** The policy for this process: `process` itself, ending with process.exit. */
export function installProcessPolicyForThisProcess(log: LogSink): ProcessPolicy {
  return installProcessPolicy({ process, log, exit: (code) => process.exit(code) });
}
