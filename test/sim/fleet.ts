// A seeded fleet for simulation: terminals in worker threads (each with its durable ledger, link
// and outbox, its link through its own loopback proxy so it can be partitioned), an in-process
// broker and central. One seed drives every decision: which terminal pays what, partitions,
// heals, restarts of terminals and of central. The auditor records every acknowledged payment
// to rebuild the books the ledgers must show.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { seededRandom, toHex, type Random } from '../../core/clock.js';
import { createUlidFactory } from '../../core/ids.js';
import { silentLog } from '../../core/log-sink.js';
import { currencyCodes, type CurrencyCode } from '../../core/currency.js';
import { cvmLimitMinor } from '../../core/ledger/limits.js';
import { deriveTerminalSyncKey } from '../../core/wire/auth-tag.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../central/embedded-broker.js';
import { startCentralNode, type CentralNode } from '../../central/central-node.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.js';
import type { WorkerCommand } from './terminal-worker.js';
import { simCardsForEveryCurrency, VirtualCardPayments } from '../harness/virtual-card-payments.js';

export class SimTerminal {
  private sequence = 0;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(
    readonly id: string,
    readonly proxy: TcpProxy,
    private readonly worker: Worker,
  ) {
    worker.on('message', (message: { sequence?: number; result?: unknown; error?: string }) => {
      if (message.sequence === undefined) return;
      const waiting = this.waiting.get(message.sequence);
      this.waiting.delete(message.sequence);
      if (message.error !== undefined) waiting?.reject(new Error(`${id}: ${message.error}`));
      else waiting?.resolve(message.result);
    });
  }

  static async start(setup: { id: string; dataDir: string; proxy: TcpProxy; keyHex: string; seed: number }): Promise<SimTerminal> {
    // The entry registers tsx in the worker and then loads the TypeScript worker.
    const worker = new Worker(new URL('./terminal-worker-entry.mjs', import.meta.url), {
      workerData: { id: setup.id, dataDir: setup.dataDir, brokerPort: setup.proxy.port, keyHex: setup.keyHex, seed: setup.seed },
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', function onReady(message: { ready?: boolean }) {
        if (!message.ready) return;
        worker.off('message', onReady);
        resolve();
      });
    });
    return new SimTerminal(setup.id, setup.proxy, worker);
  }

  send(command: WorkerCommand): Promise<unknown> {
    const sequence = ++this.sequence;
    return new Promise((resolve, reject) => {
      this.waiting.set(sequence, { resolve, reject });
      this.worker.postMessage({ sequence, command });
    });
  }

  async close(): Promise<void> {
    await this.send({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
    await this.proxy.close();
  }
}

export class Fleet {
  readonly terminals: SimTerminal[] = [];
  /** The auditor's record: what each terminal's merchant account must hold, per currency. */
  readonly expected = new Map<string, bigint>();
  readonly acknowledged: Array<{ terminalId: string; id: string }> = [];
  central: CentralNode | null = null;
  private broker: EmbeddedBroker | null = null;
  private readonly centralDir = mkdtempSync(join(tmpdir(), 'devpay-sim-central-'));
  readonly random: Random;
  private readonly nextId = createUlidFactory(systemClock, systemRandom);
  private cards: VirtualCardPayments | null = null;

  constructor(readonly seed: number) {
    this.random = seededRandom(seed);
  }

  draw(bound: number): number {
    const bytes = this.random.bytes(4);
    return (((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0) % bound;
  }

  async start(terminalCount: number): Promise<void> {
    const broker = await startEmbeddedBroker();
    this.broker = broker;
    const central = await this.startCentral();
    for (let index = 0; index < terminalCount; index += 1) {
      const id = `t-sim${this.seed}-${index}`;
      const proxy = await startTcpProxy(broker.port);
      const keyHex = toHex(deriveTerminalSyncKey(central.masterKey, id));
      try {
        this.terminals.push(await SimTerminal.start({ id, dataDir: mkdtempSync(join(tmpdir(), `devpay-sim-${index}-`)), proxy, keyHex, seed: this.seed * 100 + index }));
      } catch (error) {
        await proxy.close();
        throw error;
      }
    }
  }

  private async startCentral(): Promise<CentralNode> {
    if (!this.broker) throw new Error('the broker is not running');
    this.central = await startCentralNode({ dataDir: this.centralDir, brokerUrl: this.broker.url, protocolVersion: 4, clock: systemClock, random: systemRandom, log: silentLog, environment: { dataKey: '11'.repeat(32) }, simCards: simCardsForEveryCurrency });
    // The master key survives central's restarts (its data folder), and so do the cards' ATCs here.
    this.cards ??= new VirtualCardPayments(this.central.masterKey, systemClock, systemRandom);
    return this.central;
  }

  async pay(terminal: SimTerminal): Promise<void> {
    const currency: CurrencyCode = currencyCodes[this.draw(currencyCodes.length)]!;
    // Within the offline CVM limit: these taps carry no PIN, and central rejects a PIN-less
    // offline payment above it (cvm_missing).
    const amountMinor = BigInt(1 + this.draw(Math.min(100_000, Number(cvmLimitMinor(null, currency, 'offline')))));
    const id = this.nextId();
    // Every payment is a virtual card's tap, so central settles it on the card's proof.
    const result = await terminal.send({ op: 'pay', payment: this.cards!.offlinePayment(id, terminal.id, currency, amountMinor) });
    if (result !== 'ok') throw new Error(`seed ${this.seed}: payment at ${terminal.id} answered ${String(result)}`);
    this.acknowledged.push({ terminalId: terminal.id, id });
    const key = `${terminal.id}:${currency}`;
    this.expected.set(key, (this.expected.get(key) ?? 0n) + amountMinor);
  }

  partition(terminal: SimTerminal): void {
    if (this.draw(2) === 0) terminal.proxy.cut();
    terminal.proxy.stall();
  }

  heal(terminal: SimTerminal): void {
    terminal.proxy.resume();
  }

  async restartTerminal(terminal: SimTerminal): Promise<void> {
    await terminal.send({ op: 'restart' });
  }

  async restartCentral(): Promise<void> {
    await this.central?.close();
    this.central = null;
    await this.startCentral();
  }

  /** Heals everything and drains every outbox, within a bound. */
  async settle(timeoutMs: number): Promise<void> {
    for (const terminal of this.terminals) this.heal(terminal);
    for (const terminal of this.terminals) {
      const outcome = await terminal.send({ op: 'drain', timeoutMs });
      if (outcome !== 'drained') throw new Error(`seed ${this.seed}: ${terminal.id} did not drain in ${timeoutMs} ms`);
    }
  }

  /** Stops whatever was started, even after a failure part-way through start(). */
  async close(): Promise<void> {
    for (const terminal of this.terminals) await terminal.close();
    await this.central?.close();
    await this.broker?.close();
  }
}
