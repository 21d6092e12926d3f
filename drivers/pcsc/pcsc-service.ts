// The pcsc: driver on nfc-pcsc. It watches pcscd's socket before touching the library, because
// nfc-pcsc's constructor blocks its thread and spins a core while pcscd is not running; while the
// socket is missing it reports the service unavailable and looks again every few seconds.
// Each reader pcscd announces becomes a CardReader; readers leaving or pcscd failing are
// reported, never thrown. nfc-pcsc is an optional dependency that npm skips when it cannot build
// it (no libpcsclite-dev at install time): that is said first, by name with its fix, since no
// retry can help until it is installed.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DeviceManager } from '../../device/device-manager.js';
import type { Device, HealthReport } from '../../device/capabilities.js';
import type { NFC as NfcType, Reader as NfcReader } from 'nfc-pcsc';
import { PcscCardReader } from './pcsc-card-reader.js';
import { nativeModuleMessage, nativeModuleProblems, nativeModules } from '../native-modules.js';

/** Why nfc-pcsc cannot be used here ("nfc-pcsc is not installed …; fix: …"), or null when it loads. */
export function nfcPcscProblem(): string | null {
  const problem = nativeModuleProblems().find((candidate) => candidate.subject === 'nfc-pcsc');
  return problem ? nativeModuleMessage(problem) : null;
}

/** The same message for a load that failed after the check said it would work. */
function nfcPcscLoadFailed(): string {
  const fix = nativeModules.find((module) => module.name === 'nfc-pcsc')?.fix ?? 'npm install';
  return nativeModuleMessage({ code: 'native_module_missing', subject: 'nfc-pcsc', fix });
}

export const pcscdSocketPath = '/run/pcscd/pcscd.comm';

export interface PcscServiceOptions {
  devices: DeviceManager;
  socketPath?: string;
  retryIntervalMs?: number;
  onWarning?: (message: string, error?: unknown) => void;
  /** Why nfc-pcsc cannot be used, or null; nfcPcscProblem by default (tests pass their own). */
  moduleProblem?: () => string | null;
}

/** A status entry for the PC/SC stack itself, so a technician sees why no reader shows up. */
class PcscStackDevice implements Device {
  readonly info = { descriptor: 'pcsc:pcscd', kind: 'card_reader', name: 'PC/SC service (pcscd)' } as const;
  report: HealthReport = { health: 'unavailable', detail: 'pcscd is not running' };
  health(): HealthReport {
    return this.report;
  }
  async close(): Promise<void> {}
}

export class PcscService {
  private nfc: NfcType | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly stack = new PcscStackDevice();
  private readonly readers = new Map<string, PcscCardReader>();
  private closed = false;

  constructor(private readonly options: PcscServiceOptions) {}

  start(): void {
    this.options.devices.add(this.stack);
    this.tryOpen();
  }

  private tryOpen(): void {
    if (this.closed) return;
    const missing = (this.options.moduleProblem ?? nfcPcscProblem)();
    if (missing) {
      this.setStack('unavailable', missing);
      this.options.onWarning?.(missing);
      return;
    }
    const socketPath = this.options.socketPath ?? pcscdSocketPath;
    if (!existsSync(socketPath)) {
      this.setStack('unavailable', `pcscd is not running (no ${socketPath}); retrying`);
      this.scheduleRetry();
      return;
    }
    let NFC: new () => NfcType;
    try {
      NFC = (createRequire(import.meta.url)('nfc-pcsc') as { NFC: new () => NfcType }).NFC;
    } catch (error) {
      this.setStack('unavailable', nfcPcscLoadFailed());
      this.options.onWarning?.(nfcPcscLoadFailed(), error);
      return;
    }
    const nfc = new NFC();
    this.nfc = nfc;
    this.setStack('ok', 'pcscd is running');
    nfc.on('reader', (reader: NfcReader) => this.addReader(reader));
    nfc.on('error', (error: unknown) => {
      // A closed service may still hear its monitor thread fail as pcscd goes away.
      if (this.closed || this.nfc !== nfc) return;
      // The library reports a lost pcscd here; drop everything and look for the socket again.
      this.options.onWarning?.('pcsc error', error);
      this.reset('pcscd connection failed; retrying');
    });
  }

  private addReader(reader: NfcReader): void {
    // A reader re-emits every failure of its PC/SC handle as 'error'; with no listener that
    // would end the runtime, so the listener goes on before anything else can fail.
    reader.on('error', (error: unknown) => this.options.onWarning?.(`reader ${reader.name} error`, error));
    // With automatic processing nfc-pcsc would send its own APDUs (GET UID, SELECT) to every card.
    reader.autoProcessing = false;
    const device = new PcscCardReader(reader, () => this.options.devices.changed());
    this.readers.set(device.info.descriptor, device);
    this.options.devices.add(device);
    reader.on('end', () => {
      this.readers.delete(device.info.descriptor);
      this.options.devices.remove(device.info.descriptor);
    });
  }

  private reset(detail: string): void {
    for (const descriptor of this.readers.keys()) this.options.devices.remove(descriptor);
    this.readers.clear();
    try {
      this.nfc?.close();
    } catch {
      // Closing a context whose daemon is gone can throw; the context is abandoned either way.
    }
    this.nfc = null;
    this.setStack('unavailable', detail);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.tryOpen();
    }, this.options.retryIntervalMs ?? 5000);
    this.retryTimer.unref();
  }

  private setStack(health: HealthReport['health'], detail: string): void {
    this.stack.report = { health, detail };
    this.options.devices.changed();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const reader of this.readers.values()) await reader.close();
    try {
      this.nfc?.close();
    } catch {
      // See reset().
    }
    this.nfc = null;
  }
}
