// Reopening a ledger whose commit failed (disk full, I/O error). A failed store refuses every
// later write, since memory may be ahead of disk, and only a fresh open makes the two agree
// again: it reloads what the disk holds, which is everything that was acknowledged, because
// nothing is acknowledged before its commit. Each attempt opens the ledger, commits a small
// write probe (an open alone writes nothing once the system accounts exist, so it proves
// nothing about a full disk) and then hands the ledger to the caller to build on; any step that
// fails closes what was opened, releasing the folder lock, and the next attempt waits twice as
// long, up to a cap. One terminal reopening its own disk contends with no one, so the delays
// carry no jitter. Here too: the ledger's health as the status shows it, and the answer to a
// charge asked for while no ledger is open.
import { setTimeout as sleep } from 'node:timers/promises';
import type { TerminalStatus } from '../core/api/status.js';
import type { PaymentUpdate } from '../core/api/payment.js';
import type { CurrencyCode } from '../core/currency.js';
import { declineReasons } from '../core/card/decline-reasons.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Logger } from './logger.js';

export interface ReopenBackoff {
  /** The wait before the first attempt after the failure. */
  firstDelayMs: number;
  /** The longest wait between two attempts. */
  maxDelayMs: number;
}

export const defaultReopenBackoff: ReopenBackoff = { firstDelayMs: 1000, maxDelayMs: 30_000 };

/** Waits delayMs, or until the signal aborts; never rejects. Tests pass one that records the delays. */
export type Wait = (delayMs: number, signal: AbortSignal) => Promise<void>;

/** A timer that does not keep the process alive on its own: the runtime's servers do. */
export const timerWait: Wait = (delayMs, signal) => sleep(delayMs, undefined, { signal, ref: false }).catch(() => undefined);

export interface ReopenLedgerOptions {
  /** Opens the ledger again: the same folder, owner and data key. */
  open: () => Promise<Ledger>;
  /** Commits a small write; rejects if the ledger still cannot commit. */
  probe: (ledger: Ledger) => Promise<void>;
  /** Builds on the reopened, probed ledger (the runtime's session); a throw fails the attempt. */
  use: (ledger: Ledger) => Promise<void>;
  logger: Logger;
  /** Ends the attempts (the runtime stopping); whatever an attempt in flight opened is closed. */
  signal: AbortSignal;
  backoff?: Partial<ReopenBackoff>;
  wait?: Wait;
}

/**
 * A failure's cause for the log and the status: its own message, never the data it was writing.
 * A ledger that failed names the commit's cause; the error thrown at the caller only says that
 * a commit failed.
 */
export function failureCause(error: unknown, ledger: Ledger | null = null): string {
  const cause = ledger?.failure() ?? error;
  return (cause instanceof Error ? cause.message : String(cause)).slice(0, 200);
}

/** The ledger's health for the status: the cause is the failed commit's own message, never data. */
export function ledgerHealth(ledger: Ledger): TerminalStatus['ledger'] {
  const failure = ledger.failure();
  return failure ? { state: 'failed', cause: failureCause(failure) } : { state: 'ok', cause: null };
}

/** The answer to a charge asked for while no ledger is open: declined by name, no card read. */
export function declinedWhileReopening(attemptId: string, amountMinor: string, currency: CurrencyCode): PaymentUpdate {
  const reason = 'terminal_storage_failed';
  return { attemptId, state: 'declined', amountMinor, currency, paymentId: null, mode: null, reason, message: declineReasons[reason], receipt: null, pinRequest: null };
}

/** Closes a ledger, logging (never throwing) if closing fails: the caller is already recovering. */
export async function closeQuietly(ledger: Ledger, logger: Logger): Promise<void> {
  try {
    await ledger.close();
  } catch (error) {
    logger.warn({ cause: failureCause(error) }, 'closing the failed ledger failed');
  }
}

/**
 * Attempts to reopen until one succeeds (resolves true, the ledger handed to `use`) or the
 * signal aborts (resolves false, nothing left open). Never rejects.
 */
export async function reopenLedgerWithBackoff(options: ReopenLedgerOptions): Promise<boolean> {
  const { logger, signal } = options;
  const backoff = { ...defaultReopenBackoff, ...options.backoff };
  const wait = options.wait ?? timerWait;
  let delayMs = backoff.firstDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    await wait(delayMs, signal);
    if (signal.aborted) return false;
    let ledger: Ledger | null = null;
    try {
      ledger = await options.open();
      await options.probe(ledger);
      // Stopped while opening: the runtime is shutting down and wants nothing left open.
      if (signal.aborted) {
        await closeQuietly(ledger, logger);
        return false;
      }
      await options.use(ledger);
      logger.info({ attempts: attempt }, 'ledger reopened; payments resume');
      return true;
    } catch (error) {
      const cause = failureCause(error, ledger);
      if (ledger) await closeQuietly(ledger, logger);
      if (signal.aborted) return false;
      delayMs = Math.min(backoff.maxDelayMs, delayMs * 2);
      logger.warn({ attempt, cause, retryInMs: delayMs }, 'ledger reopen failed');
    }
  }
}
