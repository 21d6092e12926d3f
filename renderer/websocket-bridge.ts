// The headless transport seen from the page: a WebSocket to /api on the page's own origin,
// opened with the session token from the page URL, behind the same DevpayBridge shape the
// Electron preload provides. It reconnects with a capped backoff when the runtime goes away.
import type { DevpayBridge } from '../core/api/bridge.js';

export function websocketBridge(location: Location, onConnectionChange: (connected: boolean) => void): DevpayBridge {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`;
  const messageListeners = new Set<(text: string) => void>();
  const resetListeners = new Set<() => void>();
  const queued: string[] = [];
  let socket: WebSocket;
  let retryMs = 250;

  const open = (): void => {
    socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      retryMs = 250;
      onConnectionChange(true);
      for (const text of queued.splice(0)) socket.send(text);
    });
    socket.addEventListener('message', (event) => {
      if (typeof event.data === 'string') for (const listener of messageListeners) listener(event.data);
    });
    socket.addEventListener('close', () => {
      onConnectionChange(false);
      for (const listener of resetListeners) listener();
      setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    });
  };
  open();

  return {
    send(text) {
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else queued.push(text);
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onReset(listener) {
      resetListeners.add(listener);
      return () => resetListeners.delete(listener);
    },
  };
}
