// Central as `devpay central` and the simulator run it: its own durable ledger (owner
// "central") in its data folder, the master sync key every terminal key derives from, the
// settlement of pushes, and the MQTT service answering terminals.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Clock, Random } from '../core/clock.js';
import type { LogSink } from '../core/log-sink.js';
import { createUlidFactory } from '../core/ids.js';
import { openLedger, type Ledger } from '../ledger/ledger.js';
import { loadSecretKey } from '../ledger/durable/data-key.js';
import { CentralService } from './central-service.js';
import { CentralSettlement } from './central-settlement.js';
import { TerminalSettingsSource } from './terminal-settings-source.js';

export const masterKeyFileName = 'sync-master.key';

export interface CentralNodeOptions {
  dataDir: string;
  brokerUrl: string;
  protocolVersion: 4 | 5;
  username?: string;
  password?: string;
  caPem?: string;
  clock: Clock;
  random: Random;
  log: LogSink;
  environment?: { dataKey?: string | undefined; masterKey?: string | undefined };
}

export interface CentralNode {
  readonly ledger: Ledger;
  readonly settlement: CentralSettlement;
  readonly settings: TerminalSettingsSource;
  readonly masterKey: Uint8Array;
  close(): Promise<void>;
}

/** The master sync key of a central data folder, created on first use. */
export function loadMasterKey(dataDir: string, random: Random, environmentKey?: string): Uint8Array {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return loadSecretKey({ path: join(dataDir, masterKeyFileName), environmentKey, environmentName: 'DEVPAY_SYNC_MASTER_KEY', random, mayCreate: true });
}

export async function startCentralNode(options: CentralNodeOptions): Promise<CentralNode> {
  const masterKey = loadMasterKey(options.dataDir, options.random, options.environment?.masterKey);
  const ledger = await openLedger({ dataDir: options.dataDir, owner: 'central', clock: options.clock, random: options.random, environmentKey: options.environment?.dataKey });
  try {
    const settlement = new CentralSettlement(ledger, masterKey, options.clock, createUlidFactory(options.clock, options.random), options.log);
    const settings = new TerminalSettingsSource(ledger, masterKey, options.clock, options.log);
    const service = new CentralService({
      brokerUrl: options.brokerUrl,
      protocolVersion: options.protocolVersion,
      clock: options.clock,
      log: options.log,
      handlers: { push: settlement.handlePush, pull: settings.handlePull },
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
      ...(options.caPem === undefined ? {} : { caPem: options.caPem }),
    });
    await service.start();
    settings.notify = (terminalId) => service.notify(terminalId);
    return {
      ledger,
      settlement,
      settings,
      masterKey,
      async close() {
        await service.stop();
        await ledger.close();
      },
    };
  } catch (error) {
    await ledger.close();
    throw error;
  }
}
