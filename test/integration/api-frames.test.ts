// A real `devpay serve` process survives every kind of malformed WebSocket frame and malformed
// HTTP request, written byte by byte over a raw TCP socket after a proper upgrade handshake:
// each closes that connection only, and afterwards a fresh authenticated connection still
// answers status.get. The frames are written by hand because the ws client refuses to send
// them. Every wait is bounded in time; every loop in count.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { startDevpay, type DevpayProcess } from '../harness/devpay-process.js';
import { freshDir } from '../harness/output-dir.js';
import { openApiSession } from '../harness/api-session.js';

const waitMs = 5000;
const maxPayloadBytes = 1024 * 1024;

interface FrameParts {
  opcode: number;
  payload?: Buffer;
  fin?: boolean;
  /** Reserved bits as they sit in the first byte: 0x40 RSV1, 0x20 RSV2, 0x10 RSV3. */
  rsvBits?: number;
  masked?: boolean;
  /** A length to declare in the header instead of the payload's real one. */
  declaredLength?: number;
}

/** One client frame, as RFC 6455 section 5.2 lays it out. */
function frame(parts: FrameParts): Buffer {
  const payload = parts.payload ?? Buffer.alloc(0);
  const length = parts.declaredLength ?? payload.length;
  const masked = parts.masked ?? true;
  const first = ((parts.fin ?? true) ? 0x80 : 0) | (parts.rsvBits ?? 0) | parts.opcode;
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, (masked ? 0x80 : 0) | length]);
  else if (length < 65536) header = Buffer.from([first, (masked ? 0x80 : 0) | 126, length >> 8, length & 0xff]);
  else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, index) => byte ^ mask[index % 4]!));
  return Buffer.concat([header, mask, body]);
}

const text = (value: string): Buffer => Buffer.from(value, 'utf8');
const closePayload = (code: number, reason = Buffer.alloc(0)): Buffer => Buffer.concat([Buffer.from([code >> 8, code & 0xff]), reason]);
const statusCall = (id: string): Buffer => frame({ opcode: 0x1, payload: text(JSON.stringify({ v: 1, type: 'call', id, method: 'status.get', params: {} })) });

/** A WebSocket spoken by hand: the bytes the server sent after its 101, and whether it closed. */
interface RawWebSocket {
  readonly socket: Socket;
  received(): Buffer;
  readonly closed: Promise<void>;
}

async function openRawWebSocket(url: string): Promise<RawWebSocket> {
  const { port, pathname, search } = new URL(url);
  const socket = connect({ host: '127.0.0.1', port: Number(port) });
  socket.on('error', () => {
    // A reset by the server is one of the outcomes under test; 'close' reports it.
  });
  let buffered = Buffer.alloc(0);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('data', (chunk: Buffer) => (buffered = Buffer.concat([buffered, chunk])));
  socket.write(
    `GET ${pathname}${search} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await until(() => buffered.includes('\r\n\r\n'), 'the upgrade answer');
  const headerEnd = buffered.indexOf('\r\n\r\n') + 4;
  const head = buffered.subarray(0, headerEnd).toString('latin1');
  assert.match(head, /^HTTP\/1\.1 101 /, `upgrade refused: ${head}`);
  buffered = buffered.subarray(headerEnd);
  return { socket, received: () => buffered, closed };
}

/** Server frames (never masked) found in the bytes, as opcode and payload. */
function serverFrames(bytes: Buffer): Array<{ opcode: number; payload: Buffer }> {
  const frames: Array<{ opcode: number; payload: Buffer }> = [];
  let offset = 0;
  for (let guard = 0; guard < 1000 && offset + 2 <= bytes.length; guard += 1) {
    let length = bytes[offset + 1]! & 0x7f;
    let start = offset + 2;
    if (length === 126) [length, start] = [bytes.readUInt16BE(offset + 2), offset + 4];
    else if (length === 127) [length, start] = [Number(bytes.readBigUInt64BE(offset + 2)), offset + 10];
    if (start + length > bytes.length) break;
    frames.push({ opcode: bytes[offset]! & 0x0f, payload: bytes.subarray(start, start + length) });
    offset = start + length;
  }
  return frames;
}

async function until(condition: () => boolean, what: string, timeoutMs = waitMs): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function withTimeout<T>(promise: Promise<T>, what: string, timeoutMs = waitMs): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let server: DevpayProcess;

before(async () => {
  server = await startDevpay(['serve', '--sim', '--no-pcsc', '--data', freshDir('frames-data'), '--port', '0']);
});

after(async () => {
  await server?.stop();
});

/** The process is running and a fresh authenticated connection answers status.get. */
async function assertStillServing(what: string): Promise<void> {
  try {
    assert.equal(server.child.exitCode, null, 'the runtime is still running');
    const session = await openApiSession(server.url, waitMs);
    try {
      const status = await session.call<{ terminalId: string }>('status.get');
      assert.ok(status.terminalId, 'status.get names the terminal');
    } finally {
      await session.close();
    }
  } catch (error) {
    // Give a dying process a moment to report its exit, so the failure shows why.
    if (server.child.exitCode === null && server.child.signalCode === null) {
      await withTimeout(new Promise((resolve) => server.child.once('exit', resolve)), 'an exit', 1000).catch(() => undefined);
    }
    const exit = server.child.exitCode ?? server.child.signalCode ?? 'still running';
    throw new Error(`the runtime stopped serving after ${what} (exit: ${exit}):\n${server.output().slice(-3000)}`, { cause: error });
  }
}

function logLines(): Array<Record<string, unknown>> {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function assertTokenNeverLogged(): void {
  const token = new URL(server.url).searchParams.get('token')!;
  const leaks = server.output().split('\n').filter((line) => line.includes(token) && !line.startsWith('DevPay Edge API at '));
  assert.deepEqual(leaks, [], 'the session token appears only in the URL printed at start');
}

interface FrameCase {
  name: string;
  bytes: Buffer;
  /** The close code the server answers with, or null when it just ends the connection. */
  closeCode: number | null;
  endAfter?: boolean;
}

const frameCases: FrameCase[] = [
  { name: 'invalid UTF-8 in a text frame', bytes: frame({ opcode: 0x1, payload: Buffer.from([0x7b, 0xc3, 0x28, 0xff]) }), closeCode: 1007 },
  { name: 'invalid UTF-8 split across fragments', bytes: Buffer.concat([frame({ opcode: 0x1, fin: false, payload: Buffer.from([0x22, 0xe2]) }), frame({ opcode: 0x0, payload: Buffer.from([0x28, 0xa1]) })]), closeCode: 1007 },
  { name: 'a frame over the maxPayload limit', bytes: frame({ opcode: 0x1, declaredLength: maxPayloadBytes + 1, payload: text('{"v":1') }), closeCode: 1009 },
  { name: 'a 64-bit length beyond 2^53', bytes: Buffer.concat([Buffer.from([0x81, 0xff]), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), randomBytes(4)]), closeCode: 1009 },
  { name: 'fragments that add up to more than maxPayload', bytes: Buffer.concat([frame({ opcode: 0x2, fin: false, payload: Buffer.alloc(maxPayloadBytes - 10) }), frame({ opcode: 0x0, payload: Buffer.alloc(100) })]), closeCode: 1009 },
  { name: 'an unmasked client frame', bytes: frame({ opcode: 0x1, masked: false, payload: text('{}') }), closeCode: 1002 },
  { name: 'RSV1 set without an extension', bytes: frame({ opcode: 0x1, rsvBits: 0x40, payload: text('{}') }), closeCode: 1002 },
  { name: 'RSV2 set', bytes: frame({ opcode: 0x1, rsvBits: 0x20, payload: text('{}') }), closeCode: 1002 },
  { name: 'RSV3 set', bytes: frame({ opcode: 0x1, rsvBits: 0x10, payload: text('{}') }), closeCode: 1002 },
  ...[0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf].map((opcode) => ({ name: `unknown opcode 0x${opcode.toString(16)}`, bytes: frame({ opcode, payload: text('x') }), closeCode: 1002 })),
  { name: 'a fragmented ping (control frame without FIN)', bytes: frame({ opcode: 0x9, fin: false, payload: text('p') }), closeCode: 1002 },
  { name: 'a fragmented close', bytes: frame({ opcode: 0x8, fin: false, payload: closePayload(1000) }), closeCode: 1002 },
  { name: 'a continuation frame without a start', bytes: frame({ opcode: 0x0, payload: text('{}') }), closeCode: 1002 },
  { name: 'a new text frame inside a fragmented message', bytes: Buffer.concat([frame({ opcode: 0x1, fin: false, payload: text('{') }), frame({ opcode: 0x1, payload: text('}') })]), closeCode: 1002 },
  ...[0, 999, 1004, 1005, 1006, 1015, 2999, 5000].map((code) => ({ name: `a close frame with invalid code ${code}`, bytes: frame({ opcode: 0x8, payload: closePayload(code) }), closeCode: 1002 })),
  { name: 'a close frame with a one-byte payload', bytes: frame({ opcode: 0x8, payload: Buffer.from([0x03]) }), closeCode: 1002 },
  { name: 'a close frame with an invalid UTF-8 reason', bytes: frame({ opcode: 0x8, payload: closePayload(1000, Buffer.from([0xff, 0xfe])) }), closeCode: 1007 },
  { name: 'a ping with 126 bytes of payload', bytes: frame({ opcode: 0x9, payload: Buffer.alloc(126, 0x70) }), closeCode: 1002 },
  { name: 'a pong with 200 bytes of payload', bytes: frame({ opcode: 0xa, payload: Buffer.alloc(200, 0x70) }), closeCode: 1002 },
  { name: 'a truncated frame, then the socket ends', bytes: frame({ opcode: 0x1, declaredLength: 100, payload: text('{"v":1,"type"') }), closeCode: null, endAfter: true },
  { name: 'a truncated header, then the socket ends', bytes: Buffer.from([0x81, 0xfe, 0x01]), closeCode: null, endAfter: true },
];

test('every kind of malformed WebSocket frame closes only its own connection', { timeout: 180_000 }, async () => {
  for (const frameCase of frameCases) {
    const raw = await openRawWebSocket(server.url);
    // The connection is authenticated and answering before the bad frame arrives.
    raw.socket.write(statusCall('before'));
    await until(() => serverFrames(raw.received()).some((found) => found.opcode === 0x1 && found.payload.includes('"id":"before"')), `status.get answer before ${frameCase.name}`);
    raw.socket.write(frameCase.bytes);
    if (frameCase.endAfter) raw.socket.end();
    await withTimeout(raw.closed, `close after ${frameCase.name}`);
    const close = serverFrames(raw.received()).find((found) => found.opcode === 0x8);
    const closeCode = close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : null;
    if (frameCase.closeCode !== null) assert.equal(closeCode, frameCase.closeCode, `close code after ${frameCase.name}`);
    await assertStillServing(frameCase.name);
  }
  // One warning per refused frame, each with its named reason, and none carrying the token.
  const protocolErrors = logLines().filter((line) => line.reason === 'websocket_protocol_error');
  assert.equal(protocolErrors.length, frameCases.filter((frameCase) => frameCase.closeCode !== null).length);
  assertTokenNeverLogged();
});

test('a client that vanishes mid-call or mid-handshake crashes nothing', { timeout: 60_000 }, async () => {
  for (let round = 0; round < 20; round += 1) {
    const raw = await openRawWebSocket(server.url);
    raw.socket.write(statusCall(`vanish-${round}`));
    if (round % 2 === 0) raw.socket.resetAndDestroy();
    else raw.socket.destroy();
    await withTimeout(raw.closed, 'the socket to close');
  }
  const { port, pathname, search } = new URL(server.url);
  for (let round = 0; round < 20; round += 1) {
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    socket.on('error', () => {
      // Resetting is the point of this round.
    });
    await withTimeout(new Promise((resolve) => socket.once('connect', resolve)), 'a connection');
    socket.write(`GET ${pathname}${search} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    socket.resetAndDestroy();
  }
  await assertStillServing('clients vanished');
});

/** Raw HTTP requests that break the grammar, the size limits or the upgrade rules. */
const httpCases = (port: string): Array<{ name: string; bytes: string; reset?: boolean; status?: RegExp }> => [
  { name: 'a garbage request line', bytes: 'GARBAGE\r\n\r\n' },
  { name: 'a binary request line', bytes: '\u0000\u0001\u0002\u00ff\r\n\r\n' },
  { name: 'an unknown HTTP version', bytes: 'GET / HTTP/9.9\r\n\r\n' },
  { name: 'a header without a colon', bytes: `GET / HTTP/1.1\r\nHost 127.0.0.1:${port}\r\n\r\n` },
  { name: 'a header with a NUL byte', bytes: `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Bad: a\u0000b\r\n\r\n` },
  { name: 'headers over the size limit', bytes: `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n` },
  { name: 'a non-numeric Content-Length', bytes: `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: abc\r\n\r\n` },
  { name: 'Content-Length with chunked encoding', bytes: `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n` },
  { name: 'a bad chunk size', bytes: `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n` },
  // Well-formed HTTP with a bad target: answered (503 while the UI is not served), then closed.
  { name: 'a path with broken percent-encoding', bytes: `GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`, status: /^HTTP\/1\.1 [45]\d\d / },
  { name: 'an unparseable URL', bytes: `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`, status: /^HTTP\/1\.1 [45]\d\d / },
  { name: 'an upgrade to an unparseable URL', bytes: `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n` },
  { name: 'an upgrade without a key', bytes: `GET /api HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n` },
  { name: 'a refused upgrade whose client resets at once', bytes: `GET /api?token=wrong HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`, reset: true },
  { name: 'a page request whose client resets at once', bytes: `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, reset: true },
];

test('malformed HTTP requests are refused and the runtime keeps serving', { timeout: 120_000 }, async () => {
  const { port } = new URL(server.url);
  for (const httpCase of httpCases(port)) {
    // Resets race the server's answer; repeating them makes the race likely to be lost.
    const rounds = httpCase.reset ? 30 : 1;
    for (let round = 0; round < rounds; round += 1) {
      const socket = connect({ host: '127.0.0.1', port: Number(port) });
      socket.on('error', () => {
        // The server may reset a connection it refuses; 'close' reports it.
      });
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await withTimeout(new Promise((resolve) => socket.once('connect', resolve)), 'a connection');
      socket.write(Buffer.from(httpCase.bytes, 'latin1'));
      if (httpCase.reset) {
        socket.resetAndDestroy();
      } else {
        await withTimeout(closed, `the server to close after ${httpCase.name}`);
        assert.match(answer, httpCase.status ?? /^HTTP\/1\.1 4\d\d /, `${httpCase.name} answered: ${answer.slice(0, 80)}`);
      }
      await closed;
    }
    await assertStillServing(httpCase.name);
  }
  assert.ok(logLines().some((line) => line.reason === 'http_client_error'), 'malformed requests are logged by name');
  assertTokenNeverLogged();
});
