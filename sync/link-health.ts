// The link's state in the honest sense the status bar shows. Central counts as reachable only
// while its last verified heartbeat answer is recent, so a link whose broker connection is up but
// carries nothing (central stopped, packets black-holed, a stalled mobile link) turns "degraded"
// within one heartbeat interval instead of waiting for MQTT's keepalive to drop the connection.
//
// The window is one heartbeat interval plus a grace, the heartbeat's own timeout. The grace is
// needed because answers arrive one interval apart only on average: the next answer comes one
// interval after the previous one plus the difference of their round trips and the timers'
// jitter, so a window of exactly one interval would flip the link to degraded for an instant
// whenever a heartbeat is a little slower than the one before. An answer within the heartbeat's
// timeout is on time by definition, so that timeout (half the interval by default) is the grace.
import type { Clock } from '../core/clock.js';
import type { LinkStatus } from '../core/api/status.js';

export type LinkHealthSnapshot = Pick<LinkStatus, 'state' | 'brokerReachable' | 'centralReachable' | 'centralUnreachableSinceMs'>;

export interface LinkHealthOptions {
  clock: Clock;
  intervalMs: number;
  graceMs: number;
  /** Told when central's window closes without a new answer (the snapshot changed by itself). */
  onExpired: () => void;
}

export class LinkHealth {
  /** Monotonic time until which central counts as answering; 0 when it does not. */
  private reachableUntilMs = 0;
  /** Monotonic send time of the newest heartbeat answered, so an older one's failure is ignored. */
  private newestAnsweredSentMs = Number.NEGATIVE_INFINITY;
  /** Wall-clock time of central's last answer, or when the link was made if it never answered. */
  private lastAnswerAtMs: number;
  private expiryTimer: NodeJS.Timeout | null = null;
  private brokerUp = false;
  /** No connection attempt has ended yet: the state is "connecting" until one does. */
  private firstAttempt = true;
  /** The first connection's first heartbeat has not settled: "connecting", not yet "degraded". */
  private firstHeartbeatPending = false;
  /** Central's retained presence (its last will says offline when it dies). */
  private centralPresent = true;

  constructor(private readonly options: LinkHealthOptions) {
    this.lastAnswerAtMs = options.clock.nowMs();
  }

  snapshot(): LinkHealthSnapshot {
    const centralReachable = this.brokerUp && this.centralPresent && this.reachableUntilMs > 0 && this.options.clock.monotonicMs() <= this.reachableUntilMs;
    const brokerState = this.firstHeartbeatPending ? 'connecting' : 'degraded';
    const state = centralReachable ? 'online' : this.brokerUp ? brokerState : this.firstAttempt ? 'connecting' : 'offline';
    return { state, brokerReachable: this.brokerUp, centralReachable, centralUnreachableSinceMs: centralReachable ? null : this.lastAnswerAtMs };
  }

  brokerConnected(): void {
    this.firstHeartbeatPending = this.firstAttempt;
    this.firstAttempt = false;
    this.brokerUp = true;
  }

  brokerLost(): void {
    this.brokerUp = false;
    this.firstAttempt = false;
    this.firstHeartbeatPending = false;
    this.expire();
  }

  /** Whether central's presence says it is online; while it says offline no answer counts. */
  presence(online: boolean): void {
    this.centralPresent = online;
    if (!online) this.expire();
  }

  /** Central answered the heartbeat sent at sentMonotonicMs (verified) at answeredAtMs (epoch): the window reopens. */
  answered(sentMonotonicMs: number, answeredAtMs = this.options.clock.nowMs()): void {
    this.settled();
    if (!this.centralPresent) return;
    const { clock, intervalMs, graceMs } = this.options;
    this.newestAnsweredSentMs = Math.max(this.newestAnsweredSentMs, sentMonotonicMs);
    this.lastAnswerAtMs = answeredAtMs;
    this.reachableUntilMs = clock.monotonicMs() + intervalMs + graceMs;
    this.schedule(intervalMs + graceMs);
  }

  /**
   * The heartbeat sent at sentMonotonicMs got no acceptable answer in time (or could not be sent
   * or checked): central is not answering now, unless a heartbeat sent later was answered.
   */
  missed(sentMonotonicMs: number): void {
    this.settled();
    if (sentMonotonicMs >= this.newestAnsweredSentMs) this.expire();
  }

  stop(): void {
    this.clearTimer();
  }

  private settled(): void {
    if (this.brokerUp) this.firstHeartbeatPending = false;
  }

  private expire(): void {
    this.reachableUntilMs = 0;
    this.clearTimer();
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = null;
      // A timer may fire a hair before the clock says the window closed: look again then.
      const remainingMs = this.reachableUntilMs - this.options.clock.monotonicMs();
      if (this.reachableUntilMs > 0 && remainingMs >= 0) return this.schedule(remainingMs);
      this.reachableUntilMs = 0;
      this.options.onExpired();
    }, delayMs + 1);
    // The link's heartbeat timer keeps the process alive; this one only flips a state.
    this.expiryTimer.unref();
  }

  private clearTimer(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
  }
}
