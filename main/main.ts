// Electron main: hardens the session and every web contents, forks the runtime as a utility
// process under a supervisor, opens the mode's window, and relays a MessagePort between the
// page and the runtime when (and only when) our own page asks for one.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TerminalMode } from '../core/api/status.js';
import type { BrowserWindowOptionsLike, IpcEventLike, MessagePortMainLike, SessionLike, UtilityProcessLike, WebContentsLike } from './electron-api.js';
import { guardSession, guardWebContents, isTrustedIpcSender, windowOptionsFor } from './hardening.js';
import { RuntimeSupervisor } from './runtime-supervisor.js';
import { bridgeChannels } from './bridge-channels.js';
import { loadOrCreateSealedDataKey, type SafeStorageLike } from './data-key-vault.js';

interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): void;
  show(): void;
}

interface ElectronMain {
  app: {
    whenReady(): Promise<void>;
    on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): void;
    on(event: 'window-all-closed' | 'before-quit', listener: () => void): void;
    quit(): void;
    getPath(name: 'userData'): string;
    requestSingleInstanceLock(): boolean;
  };
  BrowserWindow: new (options: BrowserWindowOptionsLike) => BrowserWindowLike;
  session: { defaultSession: SessionLike };
  ipcMain: { on(channel: string, listener: (event: IpcEventLike) => void): void };
  utilityProcess: { fork(modulePath: string, args: string[], options: { serviceName: string; env: NodeJS.ProcessEnv; stdio: 'inherit' }): UtilityProcessLike };
  MessageChannelMain: new () => { port1: MessagePortMainLike; port2: MessagePortMainLike };
  safeStorage: SafeStorageLike;
}

const distDir = join(__dirname, '..');
const trustedIndexUrl = pathToFileURL(join(distDir, 'renderer', 'index.html')).href;
const preloadPath = join(distDir, 'main', 'preload.cjs');
const runtimeEntry = join(distDir, 'runtime', 'utility-entry.mjs');

async function main(): Promise<void> {
  const electron = (await import('electron')) as unknown as ElectronMain;
  const { app } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const mode = (process.env.DEVPAY_MODE ?? 'counter') as TerminalMode;
  const dataDir = process.env.DEVPAY_DATA_DIR ?? app.getPath('userData');
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, trustedIndexUrl));
  await app.whenReady();
  guardSession(electron.session.defaultSession);
  const dataKeyHex = loadOrCreateSealedDataKey(app.getPath('userData'), electron.safeStorage);

  const windows = new Set<WebContentsLike>();
  const supervisor = new RuntimeSupervisor({
    fork: () =>
      electron.utilityProcess.fork(runtimeEntry, [], {
        serviceName: 'devpay-runtime',
        stdio: 'inherit',
        env: { ...process.env, DEVPAY_DATA_DIR: dataDir, DEVPAY_MODE: mode, DEVPAY_SIMULATOR: process.env.DEVPAY_SIMULATOR ?? '1' },
      }),
    onStarted: (runtime) => {
      // The key travels in the runtime's first message, not in its environment or arguments.
      runtime.postMessage({ type: 'init', dataKeyHex });
      // Pages whose runtime died ask for a new channel when told to reset.
      for (const contents of windows) if (!contents.isDestroyed()) contents.postMessage(bridgeChannels.reset, null);
    },
    onExited: (code, restartInMs) => process.stderr.write(`runtime exited with code ${code}; restarting in ${restartInMs} ms\n`),
    nowMs: () => Date.now(),
    setTimer: (callback, delayMs) => {
      const timer = setTimeout(callback, delayMs);
      return { cancel: () => clearTimeout(timer) };
    },
  });

  electron.ipcMain.on(bridgeChannels.connect, (event) => {
    const runtime = supervisor.current;
    if (!isTrustedIpcSender(event, trustedIndexUrl) || !runtime) return;
    const { port1, port2 } = new electron.MessageChannelMain();
    runtime.postMessage({ type: 'connect' }, [port1]);
    windows.add(event.sender);
    event.sender.postMessage(bridgeChannels.port, null, [port2]);
  });

  supervisor.start();
  const window = new electron.BrowserWindow(windowOptionsFor(mode, preloadPath));
  window.once('ready-to-show', () => window.show());
  await window.loadURL(`${trustedIndexUrl}?mode=${mode}`);

  app.on('before-quit', () => supervisor.stop());
  app.on('window-all-closed', () => app.quit());
}

main().catch((error: unknown) => {
  process.stderr.write(`devpay main failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
