// The part of nfc-pcsc's untyped API that the pcsc driver uses.
declare module 'nfc-pcsc' {
  import { EventEmitter } from 'node:events';

  export interface NfcCard {
    atr?: Buffer;
    standard?: string;
  }

  export class Reader extends EventEmitter {
    readonly name: string;
    autoProcessing: boolean;
    transmit(data: Buffer, responseMaxLength: number): Promise<Buffer>;
    close(): void;
  }

  export class NFC extends EventEmitter {
    constructor(logger?: unknown);
    close(): void;
  }
}
