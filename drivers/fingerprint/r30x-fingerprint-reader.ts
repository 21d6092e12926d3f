// A fingerprint reader built on an R30x/ZFM module (R305, R307, R503, ZFM-20, AS608) over a
// FingerprintLink: a serial line in production, an in-memory link to the simulated module in
// simulator mode. Templates stay in the module's library, by slot; none ever crosses the link.
// Calls take turns (the module holds one conversation). The link is opened lazily and verified
// with VfyPwd (every R30x/ZFM firmware has it, unlike HandShake 0x40) and ReadSysPara (the
// library's size, which Search needs). A link that fails is dropped: while the device is gone,
// health says unavailable and each call fails not_present; a timer (unref'd, so it never holds
// the process) and every call try to reopen, so a replugged module works again by itself. The
// same timer handshakes with an idle module now and then, so an unplug between calls shows too.
import {
  DeviceError,
  type CallOptions,
  type DeviceInfo,
  type EnrolOptions,
  type FingerprintDeviceInfo,
  type FingerprintEnrolment,
  type FingerprintMatch,
  type FingerprintReader,
  type HealthReport,
} from '../../device/capabilities.js';
import { defaultR30xAddress } from '../../device/fingerprint/r30x-codec.js';
import { R30xConfirmation } from '../../device/fingerprint/r30x-confirmation-codes.js';
import { decodeSearchResult, decodeSystemParameters, type R30xSystemParameters } from '../../device/fingerprint/r30x-replies.js';
import type { FingerprintLink, OpenFingerprintLink } from './fingerprint-link.js';
import { faultFor, R30xConversation, type ConversationTiming } from './r30x-conversation.js';

export interface R30xReaderOptions {
  /** `serial:/dev/ttyUSB0`, `sim:fingerprint/0`. */
  descriptor: string;
  name?: string;
  openLink: OpenFingerprintLink;
  address?: number;
  /** The module's VfyPwd password; 0 unless someone set one. */
  password?: number;
  replyTimeoutMs?: number;
  pollIntervalMs?: number;
  /** How often an unref'd timer tries reopening a lost module; 0 leaves it to the next call. */
  reconnectIntervalMs?: number;
  /** After this long without a call, the timer sends a handshake to see the module is still there. */
  idleProbeMs?: number;
}

interface Connection {
  link: FingerprintLink;
  parameters: R30xSystemParameters;
}

export class R30xFingerprintReader implements FingerprintReader {
  readonly templateStorage = 'on_device' as const;
  readonly info: DeviceInfo;
  private connection: Connection | null = null;
  private report: HealthReport = { health: 'unavailable', detail: 'not opened yet' };
  private turn: Promise<unknown> = Promise.resolve();
  private readonly watchTimer: NodeJS.Timeout | null = null;
  /** Calls and probes queued or running; the timer stays out of the way while there are any. */
  private busy = 0;
  private lastAnswerMs = 0;
  private closed = false;
  private readonly timing: ConversationTiming;
  private readonly address: number;

  constructor(private readonly options: R30xReaderOptions) {
    this.info = { descriptor: options.descriptor, kind: 'biometric_reader', name: options.name ?? `R30x fingerprint module (${options.descriptor})` };
    this.address = options.address ?? defaultR30xAddress;
    this.timing = { replyTimeoutMs: options.replyTimeoutMs ?? 1500, pollIntervalMs: options.pollIntervalMs ?? 40 };
    const watchIntervalMs = options.reconnectIntervalMs ?? 1000;
    if (watchIntervalMs > 0) {
      this.watchTimer = setInterval(() => this.watch(), watchIntervalMs);
      this.watchTimer.unref();
    }
    // The first open starts at once, so health says ready (or why not) before the first call.
    this.watch();
  }

  health(): HealthReport {
    return { ...this.report };
  }

  readInfo(options: CallOptions): Promise<FingerprintDeviceInfo> {
    return this.operation('readInfo', options, async (conversation, connection) => {
      // Read afresh: the library size and security level are settings a tool may have changed.
      connection.parameters = decodeSystemParameters(await conversation.expectOk({ type: 'read_sys_para' }));
      return {
        model: `R30x/ZFM (system id 0x${connection.parameters.systemId.toString(16).padStart(4, '0')})`,
        templateStorage: 'on_device',
        templateCapacity: connection.parameters.libraryCapacity,
        securityLevel: connection.parameters.securityLevel,
      };
    });
  }

  enrol(slot: number, options: EnrolOptions): Promise<FingerprintEnrolment> {
    return this.operation('enrol', options, async (conversation, connection) => {
      if (!Number.isInteger(slot) || slot < 0 || slot >= connection.parameters.libraryCapacity) {
        throw new DeviceError('storage_full', `slot ${slot} is outside the module's library of ${connection.parameters.libraryCapacity}`);
      }
      const deadlineMs = performance.now() + options.timeoutMs;
      options.onStep?.('place_finger');
      const first = await conversation.waitForFinger(deadlineMs);
      if (first !== 'captured') return { type: first };
      if (!(await conversation.extractFeatures(1))) return { type: 'poor_image' };
      options.onStep?.('remove_finger');
      if (!(await conversation.waitForLift(deadlineMs))) throw new DeviceError('timeout', 'the finger was not lifted before the enrolment deadline');
      options.onStep?.('place_again');
      const second = await conversation.waitForFinger(deadlineMs);
      if (second !== 'captured') return { type: second };
      if (!(await conversation.extractFeatures(2))) return { type: 'poor_image' };
      const merged = await conversation.send({ type: 'reg_model' });
      if (merged.code === R30xConfirmation.merge_failed) return { type: 'mismatch' };
      if (merged.code !== R30xConfirmation.ok) throw faultFor('reg_model', merged.code);
      await conversation.expectOk({ type: 'store', bufferId: 1, pageId: slot });
      return { type: 'enrolled', slot, template: null };
    });
  }

  /** Candidates are ignored: the module searches its own library. */
  identify(_candidates: readonly Uint8Array[], options: CallOptions): Promise<FingerprintMatch> {
    return this.operation('identify', options, async (conversation, connection) => {
      const captured = await conversation.waitForFinger(performance.now() + options.timeoutMs);
      if (captured !== 'captured') return { type: captured };
      if (!(await conversation.extractFeatures(1))) return { type: 'poor_image' };
      const pageCount = connection.parameters.libraryCapacity;
      const found = await conversation.send({ type: 'search', bufferId: 1, startPage: 0, pageCount });
      if (found.code === R30xConfirmation.finger_not_found || found.code === R30xConfirmation.finger_does_not_match) return { type: 'no_match' };
      if (found.code !== R30xConfirmation.ok) throw faultFor('search', found.code);
      const result = decodeSearchResult(found.data);
      return { type: 'matched', slot: result.pageId, score: result.matchScore };
    });
  }

  deleteTemplate(slot: number, options: CallOptions): Promise<void> {
    return this.operation('deleteTemplate', options, async (conversation) => {
      await conversation.expectOk({ type: 'delete_char', pageId: slot, count: 1 });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.watchTimer) clearInterval(this.watchTimer);
    await this.turn.catch(() => undefined);
    await this.dropConnection();
    this.report = { health: 'unavailable', detail: 'closed' };
  }

  /** Runs one call after the previous one, on an open, verified connection. */
  private operation<T>(what: string, options: CallOptions, body: (conversation: R30xConversation, connection: Connection) => Promise<T>): Promise<T> {
    this.busy += 1;
    const run = this.turn.catch(() => undefined).then(async () => {
      if (this.closed) throw new DeviceError('not_present', `fingerprint reader ${this.info.descriptor} is closed`);
      if (options.signal?.aborted) throw new DeviceError('aborted', `${what} was aborted`);
      const connection = await this.connect(options.signal);
      try {
        const result = await body(new R30xConversation(connection.link, this.address, this.timing, options.signal), connection);
        this.markHealthy();
        return result;
      } catch (error) {
        throw await this.afterFailure(error, what);
      }
    }).finally(() => (this.busy -= 1));
    this.turn = run;
    return run;
  }

  /** The open connection, or a new one: opened, password verified, system parameters read. */
  private async connect(signal?: AbortSignal): Promise<Connection> {
    if (this.connection) return this.connection;
    let link: FingerprintLink;
    try {
      link = await this.options.openLink();
    } catch (error) {
      const named = error instanceof DeviceError ? error : new DeviceError('not_present', `cannot open ${this.info.descriptor}`, { cause: error });
      this.markUnavailable(named.message);
      throw named;
    }
    try {
      const conversation = new R30xConversation(link, this.address, this.timing, signal);
      const verified = await conversation.send({ type: 'verify_password', password: this.options.password ?? 0 });
      if (verified.code !== R30xConfirmation.ok) throw faultFor('verify_password', verified.code);
      const parameters = decodeSystemParameters(await conversation.expectOk({ type: 'read_sys_para' }));
      this.connection = { link, parameters };
      this.markHealthy();
      return this.connection;
    } catch (error) {
      await link.close().catch(() => undefined);
      const named = error instanceof DeviceError ? error : new DeviceError('transport_failed', String(error), { cause: error });
      this.markUnavailable(`${this.info.descriptor} opened but the module did not answer: ${named.message}`);
      throw named;
    }
  }

  /** Decides what a failed call leaves behind, and which error the caller sees. */
  private async afterFailure(error: unknown, what: string): Promise<DeviceError> {
    const named = error instanceof DeviceError ? error : new DeviceError('transport_failed', `${what} failed: ${String(error)}`, { cause: error });
    if (named.code === 'timeout') {
      // A silent module may have reset or lost power; the reconnect timer verifies it afresh,
      // so health turns ok again only once it answers the handshake.
      await this.dropConnection();
      this.markUnavailable(`module did not answer: ${named.message}`);
      return named;
    }
    if (named.code !== 'transport_failed') return named;
    // The link broke under the call: drop it and look once whether the device is still there,
    // so a pulled module is named not_present at once rather than at the following call.
    await this.dropConnection();
    try {
      await this.connect();
    } catch (reopenError) {
      if (reopenError instanceof DeviceError && reopenError.code === 'not_present') return reopenError;
    }
    return named;
  }

  private async dropConnection(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    await connection?.link.close().catch(() => undefined);
  }

  private markHealthy(): void {
    this.report = { health: 'ok', detail: `ready, library of ${this.connection?.parameters.libraryCapacity ?? 0} templates` };
    this.lastAnswerMs = performance.now();
  }

  private markUnavailable(detail: string): void {
    this.report = { health: 'unavailable', detail };
  }

  /**
   * The timer's turn: reopen a lost module, or handshake with an idle one. A pty, and some
   * USB-serial adapters, report nothing when the device goes away until something is written,
   * so without the probe an idle reader would say ready with nothing behind it.
   */
  private watch(): void {
    if (this.closed || this.busy > 0) return;
    const idleProbeMs = this.options.idleProbeMs ?? 5000;
    if (this.connection && performance.now() - this.lastAnswerMs < idleProbeMs) return;
    this.busy += 1;
    this.turn = this.turn
      .catch(() => undefined)
      .then(async () => {
        if (this.closed) return;
        const connection = this.connection;
        if (!connection) {
          await this.connect().catch(() => undefined);
          return;
        }
        try {
          const conversation = new R30xConversation(connection.link, this.address, this.timing, undefined);
          await conversation.expectOk({ type: 'verify_password', password: this.options.password ?? 0 });
          this.markHealthy();
        } catch (error) {
          await this.afterFailure(error, 'idle handshake');
        }
      })
      .finally(() => (this.busy -= 1));
  }
}
