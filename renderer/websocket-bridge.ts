// The headless transport seen from the page: a WebSocket to /api on the page's own origin,
// opened with the session token from the page URL, behind the same DevpayBridge shape the
// Electron preload provides. It reconnects with a capped backoff when the runtime goes away.
import { createBridgeCore, type DevpayBridge } from '../core/api/bridge.js';
import { maxMessageBytes } from '../core/api/envelope.js';

export function websocketBridge(location: Location, onConnectionChange: (connected: boolean) => void): DevpayBridge {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`;
  let socket: WebSocket;
  let retryMs = 250;
  const core = createBridgeCore((text) => {
    if (socket.readyState !== WebSocket.OPEN) return false;
    socket.send(text);
    return true;
  }, maxMessageBytes);

  const open = (): void => {
    socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      retryMs = 250;
      onConnectionChange(true);
      core.flush((text) => socket.send(text));
    });
    socket.addEventListener('message', (event) => {
      if (typeof event.data === 'string') core.deliver(event.data);
    });
    socket.addEventListener('close', () => {
      onConnectionChange(false);
      core.reset();
      setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    });
  };
  open();
  return core.bridge;
}
