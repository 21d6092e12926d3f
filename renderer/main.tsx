// Entry of the UI: picks the transport (Electron's window.devpay, else the headless WebSocket),
// builds the one API client and mounts the app.
import { render } from 'preact';
import type { DevpayBridge } from '../core/api/bridge.js';
import { ApiClient } from './api-client.js';
import { websocketBridge } from './websocket-bridge.js';
import { App } from './components/app.js';
import './styles.css';

declare global {
  interface Window {
    devpay?: DevpayBridge;
  }
}

const connectionListeners = new Set<(connected: boolean) => void>();
const bridge = window.devpay ?? websocketBridge(window.location, (connected) => connectionListeners.forEach((listener) => listener(connected)));
const client = new ApiClient(bridge);
const root = document.getElementById('app');
if (root) render(<App client={client} onConnectionChange={(listener) => connectionListeners.add(listener)} />, root);
