// The preload: exposes window.devpay (send text, receive text, learn of resets) and nothing else.
// It forwards only strings within the API's size limit over the MessagePort main relayed, so
// the page can reach the runtime's API and no other IPC channel.
import { contextBridge, ipcRenderer, type RendererPortLike } from 'electron';
import { createBridgeCore } from '../core/api/bridge.js';
import { maxMessageBytes } from '../core/api/envelope.js';
import { bridgeChannels } from './bridge-channels.js';

let port: RendererPortLike | null = null;
const core = createBridgeCore((text) => {
  if (!port) return false;
  port.postMessage(text);
  return true;
}, maxMessageBytes);

ipcRenderer.on(bridgeChannels.port, (event) => {
  const received = event.ports[0];
  if (!received) return;
  port = received;
  received.onmessage = (message) => {
    if (typeof message.data === 'string') core.deliver(message.data);
  };
  core.flush((text) => received.postMessage(text));
});

ipcRenderer.on(bridgeChannels.reset, () => {
  port?.close();
  port = null;
  core.reset();
  ipcRenderer.send(bridgeChannels.connect);
});

contextBridge.exposeInMainWorld('devpay', core.bridge);
ipcRenderer.send(bridgeChannels.connect);
