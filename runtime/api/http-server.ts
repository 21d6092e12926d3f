// The headless transport: a loopback HTTP server that serves the built UI and, at /api, a
// WebSocket carrying the API. The WebSocket is opened only with the session token printed in the
// URL, only from our own origin (a page elsewhere cannot drive the terminal through the user's
// browser), and only with a loopback Host header (no DNS rebinding).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiConnection, ApiServer } from './api-server.js';
import type { Logger } from '../logger.js';
import { contentSecurityPolicy } from '../../core/api/content-security-policy.js';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Frames larger than this close the socket; smaller oversize messages get a named API error. */
const maxFrameBytes = 1024 * 1024;

export interface HeadlessServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export interface HeadlessServerOptions {
  api: ApiServer;
  logger: Logger;
  token: string;
  port: number;
  /** Folder of the built renderer; null serves the API only. */
  uiRoot: string | null;
}

export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const { logger } = options;
  let port = options.port;
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const server: Server = createServer((request, response) => {
    // A client that vanishes mid-request or mid-response affects only its own exchange.
    request.on('error', (error) => logger.debug({ reason: 'http_request_error', code: errorCode(error) }, 'http request stream failed'));
    response.on('error', (error) => logger.debug({ reason: 'http_response_error', code: errorCode(error) }, 'http response stream failed'));
    void serveStatic(request, response, options.uiRoot, allowedHosts()).catch((error: unknown) => {
      logger.warn({ reason: 'static_request_failed', err: error }, 'static request failed');
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  // Bytes that are not HTTP (a bad request line, headers, chunk sizes or oversized headers)
  // close that connection with a 4xx; the request URL, which may hold the token, is never logged.
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      // The client left; there is no one to answer and nothing worth a warning.
      logger.debug({ reason: 'http_client_gone', code: errorCode(error) }, 'http client went away');
      socket.destroy();
      return;
    }
    logger.warn({ reason: 'http_client_error', code: errorCode(error) }, 'malformed http request refused');
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
  // With noServer the WebSocketServer has no listening socket of its own; a handler still
  // guarantees that nothing it ever reports can end the process.
  sockets.on('error', (error) => logger.warn({ reason: 'websocket_server_error', code: errorCode(error) }, 'api websocket server error'));
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node takes its own error handler off an upgraded socket: until ws owns it, this one keeps
    // a reset (say, during the 403 below) from becoming an uncaught 'error' event.
    const onSocketError = (error: Error): void => {
      logger.debug({ reason: 'upgrade_socket_error', code: errorCode(error) }, 'api upgrade socket failed');
      socket.destroy();
    };
    socket.on('error', onSocketError);
    const refusal = refuseUpgrade(request, options.token, allowedHosts());
    if (refusal) {
      logger.warn({ reason: refusal }, 'api websocket refused');
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n${refusal}\n`, () => socket.destroy());
      return;
    }
    sockets.handleUpgrade(request, socket, head, (webSocket) => {
      socket.off('error', onSocketError);
      options.api.attach(webSocketConnection(webSocket, request, logger));
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  // After listening, a server error (running out of file descriptors on accept) is logged; the
  // connections already open keep working.
  server.on('error', (error) => logger.error({ reason: 'http_server_error', code: errorCode(error) }, 'api http server error'));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('headless server has no TCP address');
  port = address.port;
  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${options.token}`,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    },
  };
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown';
}

function webSocketConnection(webSocket: WebSocket, request: IncomingMessage, logger: Logger): ApiConnection {
  const label = `ws:${request.socket.remotePort ?? '?'}`;
  // ws reports a frame that breaks RFC 6455 (invalid UTF-8, over maxPayload, unmasked, reserved
  // bits, unknown opcode, bad close code, oversized control frame) here, after it has already
  // sent the close frame for it: only this connection ends, with one log line.
  webSocket.on('error', (error: Error & { code?: string }) => {
    logger.warn({ reason: 'websocket_protocol_error', code: errorCode(error), detail: error.message, connection: label }, 'api websocket closed on a protocol error');
  });
  return {
    label,
    send: (text) => {
      if (webSocket.readyState === webSocket.OPEN) webSocket.send(text);
    },
    // Binary frames arrive as Buffers and are answered invalid_envelope by the API server.
    onMessage: (listener) => webSocket.on('message', (data, isBinary) => listener(isBinary ? data : data.toString('utf8'))),
    onClose: (listener) => webSocket.on('close', listener),
  };
}

/** Returns why an upgrade must be refused, or null when it may proceed. */
export function refuseUpgrade(request: IncomingMessage, token: string, allowedHosts: string[]): string | null {
  const host = request.headers.host ?? '';
  if (!allowedHosts.includes(host)) return 'host_not_loopback';
  const origin = request.headers.origin;
  // Browsers always send Origin on WebSocket upgrades; local tools (tests, diagnostics) may not.
  if (origin !== undefined && !allowedHosts.some((allowed) => origin === `http://${allowed}`)) return 'foreign_origin';
  // The request target is whatever the client wrote: one that is no URL is refused, not thrown.
  const url = URL.canParse(request.url ?? '/', `http://${host}`) ? new URL(request.url ?? '/', `http://${host}`) : null;
  if (url === null) return 'bad_url';
  if (url.pathname !== '/api') return 'unknown_path';
  const offered = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  if (offered.length !== expected.length || !timingSafeEqual(offered, expected)) return 'bad_token';
  return null;
}

async function serveStatic(request: IncomingMessage, response: ServerResponse, uiRoot: string | null, allowedHosts: string[]): Promise<void> {
  response.setHeader('Content-Security-Policy', contentSecurityPolicy);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  // The token travels in the page URL; no Referer may carry it elsewhere.
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cache-Control', 'no-store');
  if (!allowedHosts.includes(request.headers.host ?? '')) {
    response.writeHead(421).end('misdirected request\n');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  if (!uiRoot || !existsSync(join(uiRoot, 'index.html'))) {
    response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The UI is not built: run `npm run build`.\n');
    return;
  }
  const pathname = requestPath(request.url ?? '/');
  if (pathname === null) {
    response.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('bad request path\n');
    return;
  }
  const relative = pathname === '/' ? 'index.html' : normalize(pathname).replace(/^[/\\]+/, '');
  const root = resolve(uiRoot);
  const filePath = resolve(root, relative);
  const type = contentTypes[extname(filePath)];
  if (!filePath.startsWith(root + sep) || !type || !existsSync(filePath)) {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  const body = await readFile(filePath);
  response.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** The decoded path of a request target, or null when it is no URL or its escapes are broken. */
function requestPath(target: string): string | null {
  if (!URL.canParse(target, 'http://localhost')) return null;
  try {
    return decodeURIComponent(new URL(target, 'http://localhost').pathname);
  } catch {
    return null;
  }
}
