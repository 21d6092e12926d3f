// The preload: exposes window.devpay (send text, receive text, learn of resets) and nothing else.
// It forwards only strings within the API's size limit over the MessagePort main relayed, so
// the page can reach the runtime's API and no other IPC channel.
import { contextBridge, ipcRenderer, type RendererPortLike } from 'electron';
import type { DevpayBridge } from '../core/api/bridge.js';
import { maxMessageBytes } from '../core/api/envelope.js';
import { bridgeChannels } from './bridge-channels.js';

let port: RendererPortLike | null = null;
const queued: string[] = [];
const messageListeners = new Set<(text: string) => void>();
const resetListeners = new Set<() => void>();

ipcRenderer.on(bridgeChannels.port, (event) => {
  const received = event.ports[0];
  if (!received) return;
  port = received;
  received.onmessage = (message) => {
    if (typeof message.data === 'string') for (const listener of messageListeners) listener(message.data);
  };
  for (const text of queued.splice(0)) received.postMessage(text);
});

ipcRenderer.on(bridgeChannels.reset, () => {
  port?.close();
  port = null;
  for (const listener of resetListeners) listener();
  ipcRenderer.send(bridgeChannels.connect);
});

const bridge: DevpayBridge = {
  send(text) {
    if (typeof text !== 'string' || text.length > maxMessageBytes) throw new TypeError('devpay.send takes one API message as text');
    if (port) port.postMessage(text);
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

contextBridge.exposeInMainWorld('devpay', bridge);
ipcRenderer.send(bridgeChannels.connect);
