// Keeps the runtime utility process alive: when it exits (a crash in a native device library,
// say) it is started again after a backoff that doubles up to a cap and resets once a process
// has stayed up for a while. Windows are told so they reconnect their bridge.
import type { UtilityProcessLike } from './electron-api.js';

export interface SupervisorOptions {
  fork: () => UtilityProcessLike;
  /** Called with each new process once it is started. */
  onStarted: (child: UtilityProcessLike) => void;
  /** Called when a process exited unexpectedly. */
  onExited: (code: number, restartInMs: number) => void;
  nowMs: () => number;
  setTimer: (callback: () => void, delayMs: number) => { cancel(): void };
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  stableAfterMs?: number;
}

export class RuntimeSupervisor {
  private child: UtilityProcessLike | null = null;
  private startedAtMs = 0;
  private backoffMs: number;
  private pendingRestart: { cancel(): void } | null = null;
  private stopped = false;
  restartCount = 0;

  constructor(private readonly options: SupervisorOptions) {
    this.backoffMs = options.initialBackoffMs ?? 500;
  }

  get current(): UtilityProcessLike | null {
    return this.child;
  }

  start(): void {
    if (this.stopped) return;
    const child = this.options.fork();
    this.child = child;
    this.startedAtMs = this.options.nowMs();
    child.on('exit', (code) => this.onExit(child, code));
    this.options.onStarted(child);
  }

  private onExit(child: UtilityProcessLike, code: number): void {
    if (child !== this.child || this.stopped) return;
    this.child = null;
    const initial = this.options.initialBackoffMs ?? 500;
    if (this.options.nowMs() - this.startedAtMs >= (this.options.stableAfterMs ?? 60_000)) this.backoffMs = initial;
    const delayMs = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 30_000);
    this.options.onExited(code, delayMs);
    this.pendingRestart = this.options.setTimer(() => {
      this.pendingRestart = null;
      this.restartCount += 1;
      this.start();
    }, delayMs);
  }

  stop(): void {
    this.stopped = true;
    this.pendingRestart?.cancel();
    this.child?.kill();
    this.child = null;
  }
}
