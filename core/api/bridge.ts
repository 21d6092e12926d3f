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
