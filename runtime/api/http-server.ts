// The headless transport: a loopback HTTP server that serves the built UI and, at /api, a
// WebSocket carrying the API. The WebSocket is opened only with the session token printed in the
// URL, only from our own origin (a page elsewhere cannot drive the terminal through the user's
// browser), and only with a loopback Host header (no DNS rebinding).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
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
  let port = options.port;
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const server: Server = createServer((request, response) => {
    void serveStatic(request, response, options.uiRoot, allowedHosts()).catch((error: unknown) => {
      options.logger.warn({ err: error }, 'static request failed');
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
  server.on('upgrade', (request, socket, head) => {
    const refusal = refuseUpgrade(request, options.token, allowedHosts());
    if (refusal) {
      options.logger.warn({ reason: refusal }, 'api websocket refused');
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n${refusal}\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (webSocket) => options.api.attach(webSocketConnection(webSocket, request)));
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolvePromise());
  });
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

function webSocketConnection(webSocket: WebSocket, request: IncomingMessage): ApiConnection {
  return {
    label: `ws:${request.socket.remotePort ?? '?'}`,
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
  const url = new URL(request.url ?? '/', `http://${host}`);
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
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
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
