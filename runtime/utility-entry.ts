// Entry of the runtime when Electron main forks it as a utility process: the same terminal
// stack as `devpay serve`, reached through MessagePorts that main relays from each window.
import { createLogger } from './logger.js';
import { startTerminalStack } from './terminal-stack.js';
import { demoOperatorLines } from './operators/demo-operators.js';
import type { ApiConnection } from './api/api-server.js';
import { parseMode } from './cli/arguments.js';
import { installProcessPolicyForThisProcess } from './process-policy.js';
import { logFolderName } from './log-file.js';
import { join } from 'node:path';

interface PortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
}

interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown; ports: PortLike[] }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (!parentPort) throw new Error('utility-entry runs only as an Electron utility process');

const dataDir = process.env.DEVPAY_DATA_DIR ?? '.devpay-data';
// Under Electron too, the runtime's log goes to JSON lines in the data folder (log-file.ts).
const logger = createLogger({ name: 'devpay-runtime', logFile: join(dataDir, logFolderName, 'devpay-runtime.log') });
// A crash exits non-zero after closing the ledger; main's supervisor then starts a fresh runtime.
const policy = installProcessPolicyForThisProcess(logger);
// Main sends the data key first (from safeStorage), then a port per window.
const pendingPorts: PortLike[] = [];
let keyReceived = false;
const dataKeyHex = await new Promise<string>((resolve) => {
  parentPort.on('message', (event) => {
    if (keyReceived) return;
    const data = event.data as { type?: unknown; dataKeyHex?: unknown };
    pendingPorts.push(...event.ports);
    if (data.type === 'init' && typeof data.dataKeyHex === 'string') {
      keyReceived = true;
      resolve(data.dataKeyHex);
    }
  });
});
const stack = await startTerminalStack({
  dataKeyHex,
  dataDir,
  simulator: process.env.DEVPAY_SIMULATOR === '1',
  pcsc: true,
  mode: parseMode(process.env.DEVPAY_MODE ?? 'counter'),
  mqtt: null,
  logger,
});
policy.setShutdown(() => stack.close());
// The simulator's demo operators, on the console only (never the log, which is scanned for PINs).
process.stdout.write(demoOperatorLines(stack.runtime.operators.demoOperators));

let connectionCount = 0;
const attach = (ports: PortLike[]): void => {
  for (const port of ports) {
    connectionCount += 1;
    const connection: ApiConnection = {
      label: `ipc:${connectionCount}`,
      send: (text) => port.postMessage(text),
      onMessage: (listener) => port.on('message', (message) => listener(message.data)),
      onClose: (listener) => port.on('close', listener),
    };
    stack.runtime.api.attach(connection);
    port.start();
  }
};
attach(pendingPorts.splice(0));
parentPort.on('message', (event) => attach(event.ports));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void stack.close().then(() => process.exit(0)));
}
