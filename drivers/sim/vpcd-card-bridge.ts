// Serves a VirtualCard to pcscd through vsmartcard-vpcd: vpcd listens on a TCP port (35963 by
// default, from /etc/reader.conf.d/vpcd) and the card connects to it, as a real vicc does. The
// bridge reconnects if pcscd restarts, and answers malformed frames by dropping the connection
// rather than guessing.
import { connect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { decodeVpcdMessage, encodeVpcdFrame, VpcdFrameReader } from '../../device/vpcd-frame.js';
import type { VirtualCard } from './virtual-card.js';

export const defaultVpcdPort = 35963;

/** Reads vpcd's port from its reader.conf entry (DEVICENAME /dev/null:PORT). */
export function vpcdPortFromConfig(path = '/etc/reader.conf.d/vpcd'): number {
  try {
    const match = /DEVICENAME\s+\S*:(0x[0-9a-fA-F]+|\d+)/.exec(readFileSync(path, 'utf8'));
    if (match?.[1]) return Number(match[1]);
  } catch {
    // No config installed: vpcd's compiled-in default applies.
  }
  return defaultVpcdPort;
}

export interface VpcdBridgeOptions {
  host?: string;
  port?: number;
  reconnectMs?: number;
  onError?: (error: Error) => void;
}

export class VpcdCardBridge {
  private socket: Socket | null = null;
  private card: VirtualCard | null;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  /** Resolves the first time vpcd accepts the connection. */
  readonly connected: Promise<void>;
  private markConnected!: () => void;

  constructor(card: VirtualCard | null, private readonly options: VpcdBridgeOptions = {}) {
    this.card = card;
    this.connected = new Promise((resolve) => (this.markConnected = resolve));
    this.open();
  }

  /**
   * vpcd sees a card for as long as the socket is connected, so inserting and removing a card
   * means connecting and disconnecting.
   */
  insert(card: VirtualCard): void {
    this.card = card;
    if (!this.socket) this.open();
  }

  remove(): void {
    this.card = null;
    this.socket?.destroy();
    this.socket = null;
  }

  private open(): void {
    if (this.closed || !this.card) return;
    const socket = connect({ host: this.options.host ?? '127.0.0.1', port: this.options.port ?? vpcdPortFromConfig() });
    this.socket = socket;
    const reader = new VpcdFrameReader();
    socket.setNoDelay(true);
    socket.on('connect', () => this.markConnected());
    socket.on('data', (chunk) => {
      try {
        for (const payload of reader.push(chunk)) this.handle(socket, payload);
      } catch (error) {
        this.options.onError?.(error as Error);
        socket.destroy();
      }
    });
    socket.on('error', (error) => this.options.onError?.(error));
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      if (!this.closed && this.card) {
        this.timer = setTimeout(() => this.open(), this.options.reconnectMs ?? 500);
      }
    });
  }

  private handle(socket: Socket, payload: Uint8Array): void {
    const card = this.card;
    if (!card) return;
    const message = decodeVpcdMessage(payload);
    switch (message.type) {
      case 'get_atr':
        socket.write(encodeVpcdFrame(card.atr));
        return;
      case 'power_on':
      case 'reset':
        card.reset();
        return;
      case 'power_off':
        return;
      case 'apdu':
        socket.write(encodeVpcdFrame(card.respond(message.apdu)));
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.destroy();
    this.socket = null;
  }
}
