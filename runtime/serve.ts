// `devpay serve` and the headless half of `devpay start`: the terminal stack with its API, and
// optionally its UI, on a loopback port guarded by a session token. The token is the data
// folder's (session-token.ts), so a restart on the same folder and port serves the same URL and
// an open tab reconnects by itself.
import { fileURLToPath } from 'node:url';
import { systemRandom } from './system-clock.js';
import { startHeadlessServer } from './api/http-server.js';
import { loadSessionToken } from './api/session-token.js';
import { startTerminalStack, type TerminalStackOptions } from './terminal-stack.js';
import type { TerminalRuntime } from './terminal-runtime.js';

export const defaultUiRoot = fileURLToPath(new URL('../dist/renderer/', import.meta.url));

export interface ServeOptions extends TerminalStackOptions {
  port: number;
  /** Serve the UI too; without it only the API WebSocket is served. */
  headless: boolean;
  uiRoot?: string;
}

export interface ServeHandle {
  readonly url: string;
  readonly runtime: TerminalRuntime;
  close(): Promise<void>;
}

export async function serve(options: ServeOptions): Promise<ServeHandle> {
  const stack = await startTerminalStack(options);
  try {
    const server = await startHeadlessServer({
      api: stack.runtime.api,
      logger: options.logger,
      token: loadSessionToken(options.dataDir, systemRandom),
      port: options.port,
      uiRoot: options.headless ? (options.uiRoot ?? defaultUiRoot) : null,
    });
    stack.onClose(() => server.close());
    return { url: server.url, runtime: stack.runtime, close: stack.close };
  } catch (error) {
    await stack.close();
    throw error;
  }
}
