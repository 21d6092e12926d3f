// core/ is compiled without Node and DOM types so nothing platform-specific leaks in. These few
// globals exist identically in Node, Electron and every browser we target.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
