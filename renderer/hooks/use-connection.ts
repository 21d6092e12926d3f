// Whether the page's channel to the runtime is up, as main.tsx reports it (the WebSocket bridge
// reconnects with backoff; Electron's resets). Assumed up until told otherwise: the bridge
// queues calls made before it opened.
import { useEffect, useState } from 'preact/hooks';

export type ConnectionSubscriber = (listener: (connected: boolean) => void) => void;

export function useConnection(onConnectionChange: ConnectionSubscriber): boolean {
  const [connected, setConnected] = useState(true);
  // The subscriber offers no way to unsubscribe; the app subscribes once for its lifetime.
  useEffect(() => {
    onConnectionChange(setConnected);
  }, []);
  return connected;
}
