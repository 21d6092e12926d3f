// Chooses the receipt printer a runtime prints on: the one named by `--printer` (network or
// serial), or in simulator mode without one a simulated ESC/POS printer on a loopback TCP port,
// reached through the real network driver so the demo prints the same bytes a shop's printer
// gets. The simulated printer keeps each receipt it prints as a file in the data folder
// (sim-printer/, the newest 50), where a technician can read the bytes.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NetworkPrinter } from '../../drivers/printer/network-printer.js';
import { SerialPrinter } from '../../drivers/printer/serial-printer.js';
import { SimEscPosPrinter } from '../../drivers/sim/sim-escpos-printer.js';
import type { Logger } from '../logger.js';
import { printerDescriptor, type PrinterAddress } from './printer-address.js';
import type { PrinterDriver } from './printer-device.js';

export interface ConfiguredPrinter {
  driver: PrinterDriver;
  descriptor: string;
  close(): Promise<void>;
}

/** One receipt operation (status, receipt, status) must finish within this. */
export const printerTimeoutMs = 5000;
export const simPrinterFolderName = 'sim-printer';
const keptSimReceipts = 50;

export async function setUpPrinter(options: { address: PrinterAddress | null; simulator: boolean; dataDir: string; logger: Logger }): Promise<ConfiguredPrinter | null> {
  const { address, logger } = options;
  if (address?.transport === 'tcp') {
    const driver = new NetworkPrinter({ host: address.host, port: address.port, timeoutMs: printerTimeoutMs });
    return { driver, descriptor: printerDescriptor(address), close: () => driver.close() };
  }
  if (address?.transport === 'serial') {
    const driver = new SerialPrinter({ path: address.path, baudRate: address.baudRate, timeoutMs: printerTimeoutMs });
    return { driver, descriptor: printerDescriptor(address), close: () => driver.close() };
  }
  if (!options.simulator) return null;
  const sim = await SimEscPosPrinter.start();
  const folder = join(options.dataDir, simPrinterFolderName);
  mkdirSync(folder, { recursive: true });
  sim.engine.onReceipt((receipt) => keepReceipt(folder, receipt, logger));
  const driver = new NetworkPrinter({ host: '127.0.0.1', port: sim.port, timeoutMs: printerTimeoutMs });
  logger.info({ port: sim.port, folder }, 'simulated receipt printer started');
  return { driver, descriptor: `sim:printer/tcp-${sim.port}`, close: () => sim.close() };
}

/** Writes a printed receipt as NNNNNN.escpos and drops the oldest beyond the newest 50. */
function keepReceipt(folder: string, receipt: Uint8Array, logger: Logger): void {
  try {
    const existing = readdirSync(folder).filter((name) => /^\d{6}\.escpos$/.test(name)).sort();
    const next = existing.length === 0 ? 1 : Number(existing.at(-1)!.slice(0, 6)) + 1;
    writeFileSync(join(folder, `${String(next).padStart(6, '0')}.escpos`), receipt);
    for (const old of existing.slice(0, Math.max(0, existing.length + 1 - keptSimReceipts))) rmSync(join(folder, old), { force: true });
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'simulated printer could not keep a receipt file');
  }
}
