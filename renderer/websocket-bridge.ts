// The headless transport seen from the page: a WebSocket to /api on the page's own origin,
// opened with the session token from the page URL, behind the same DevpayBridge shape the
// Electron preload provides. When the socket drops (the runtime stopped or restarted) every call
// in flight fails at once with runtime_unavailable (the bridge's reset), calls made while it is
// down fail the same way instead of waiting, and the bridge dials again with a backoff (250 ms
// doubling to 5 s). The runtime keeps its session token in its data folder, so a restarted
// runtime accepts the same URL and the tab comes back by itself; events need no re-subscription
// (the runtime sends every event to every connection and the API client keeps its listeners),
// and the app reloads the status when told the connection is back.
import { createBridgeCore, type DevpayBridge } from '../core/api/bridge.js';
import { maxMessageBytes } from '../core/api/envelope.js';

/** connecting: before the first connection; reconnecting: after a drop, until one is back. */
export type RuntimeConnectionState = 'connecting' | 'connected' | 'reconnecting';

export interface WebsocketBridgeOptions {
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Told of every state change, with the finer state; onConnectionChange hears connected or not. */
  onStateChange?: (state: RuntimeConnectionState) => void;
}

/** Where the state is shown for tests and styles: `<html data-runtime-connection="…">`. */
export const connectionStateAttribute = 'data-runtime-connection';

export function websocketBridge(location: Location, onConnectionChange: (connected: boolean) => void, options: WebsocketBridgeOptions = {}): DevpayBridge {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`;
  const retryMinMs = options.retryMinMs ?? 250;
  const retryMaxMs = options.retryMaxMs ?? 5000;
  let socket: WebSocket | null = null;
  let retryMs = retryMinMs;
  let state: RuntimeConnectionState | null = null;
  let everConnected = false;

  const setState = (next: RuntimeConnectionState): void => {
    if (next === state) return;
    const wasConnected = state === 'connected';
    state = next;
    document.documentElement.setAttribute(connectionStateAttribute, next);
    options.onStateChange?.(next);
    if (wasConnected !== (next === 'connected')) onConnectionChange(next === 'connected');
  };

  const core = createBridgeCore((text) => {
    // While dialling, a message waits for the socket to open (or fails with it); while down it
    // fails now, so no call waits on a runtime that is not there (a Cancel never hangs).
    if (socket?.readyState === WebSocket.OPEN) {
      socket.send(text);
      return true;
    }
    if (socket?.readyState === WebSocket.CONNECTING) return false;
    throw new Error('the runtime is not connected; reconnecting');
  }, maxMessageBytes);

  const open = (): void => {
    const current = new WebSocket(url);
    socket = current;
    current.addEventListener('open', () => {
      retryMs = retryMinMs;
      everConnected = true;
      setState('connected');
      core.flush((text) => current.send(text));
    });
    current.addEventListener('message', (event) => {
      if (typeof event.data === 'string') core.deliver(event.data);
    });
    // A failed dial or a dropped connection is followed by 'close', which handles both.
    current.addEventListener('error', () => undefined);
    current.addEventListener('close', () => {
      // Messages queued for a socket that never opened are dropped: their calls fail below and
      // must not run later behind the caller's back (a charge the screen no longer waits for).
      core.flush(() => undefined);
      core.reset();
      setState(everConnected ? 'reconnecting' : 'connecting');
      setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, retryMaxMs);
    });
  };
  setState('connecting');
  open();
  return core.bridge;
}
