// What the Electron preload exposes to the page as window.devpay, and what the headless
// WebSocket transport imitates: a text channel to the runtime, nothing more. Every message is a
// JSON envelope from envelope.ts; the preload refuses anything that is not a string of
// acceptable size, so a compromised page cannot push arbitrary objects into main.
export interface DevpayBridge {
  send(text: string): void;
  /** Registers a listener for messages from the runtime; returns a function that removes it. */
  onMessage(listener: (text: string) => void): () => void;
  /** Registers a listener told when the runtime restarted and in-flight calls were lost. */
  onReset(listener: () => void): () => void;
}

/**
 * The part every transport shares: listener sets, and a queue for messages sent while the
 * channel is down. `trySend` returns false when the channel cannot take a message now.
 */
export interface BridgeCore {
  readonly bridge: DevpayBridge;
  /** Hands a message from the runtime to every listener. */
  deliver(text: string): void;
  /** Tells every listener that the runtime was lost and in-flight calls with it. */
  reset(): void;
  /** Sends what was queued while the channel was down. */
  flush(send: (text: string) => void): void;
}

export function createBridgeCore(trySend: (text: string) => boolean, maxMessageLength: number): BridgeCore {
  const messageListeners = new Set<(text: string) => void>();
  const resetListeners = new Set<() => void>();
  const queued: string[] = [];
  return {
    bridge: {
      send(text) {
        if (typeof text !== 'string' || text.length > maxMessageLength) throw new TypeError('devpay.send takes one API message as text');
        if (!trySend(text)) queued.push(text);
      },
      onMessage(listener) {
        messageListeners.add(listener);
        return () => messageListeners.delete(listener);
      },
      onReset(listener) {
        resetListeners.add(listener);
        return () => resetListeners.delete(listener);
      },
    },
    deliver: (text) => messageListeners.forEach((listener) => listener(text)),
    reset: () => resetListeners.forEach((listener) => listener()),
    flush: (send) => queued.splice(0).forEach(send),
  };
}
