// API round trip through the headless transport: a status.get call over the loopback WebSocket
// to a simulator runtime in this process, against a bare ws echo on the same machine as the
// floor. Prints latency percentiles in milliseconds.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import { serve } from '../runtime/serve.js';
import { createLogger } from '../runtime/logger.js';

const calls = 5000;

function percentile(sorted: number[], fraction: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!.toFixed(3));
}

async function measure(url: string, message: () => string): Promise<number[]> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const latencies: number[] = [];
  for (let index = 0; index < calls; index += 1) {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const onMessage = (data: Buffer): void => {
        if (data.toString().includes('"type":"event"')) return;
        socket.off('message', onMessage);
        resolve();
      };
      socket.on('message', onMessage);
      socket.send(message());
    });
    latencies.push(performance.now() - started);
  }
  socket.close();
  return latencies.sort((left, right) => left - right);
}

export async function runApiRoundTrip(): Promise<Record<string, unknown>> {
  const handle = await serve({
    dataDir: mkdtempSync(join(tmpdir(), 'devpay-bench-')),
    port: 0,
    headless: false,
    simulator: true,
    pcsc: false,
    mode: 'counter',
    mqtt: null,
    logger: createLogger({ level: 'silent' }),
  });
  const echo = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  echo.on('connection', (socket) => socket.on('message', (data) => socket.send(data.toString())));
  await new Promise((resolve) => echo.once('listening', resolve));
  const echoPort = (echo.address() as { port: number }).port;
  let id = 0;
  const apiUrl = handle.url.replace(/^http:\/\/([^/]+)\/\?token=/, 'ws://$1/api?token=');
  const api = await measure(apiUrl, () => JSON.stringify({ v: 1, type: 'call', id: String(++id), method: 'status.get', params: {} }));
  const floor = await measure(`ws://127.0.0.1:${echoPort}`, () => JSON.stringify({ v: 1, type: 'call', id: String(++id), method: 'status.get', params: {} }));
  echo.close();
  await handle.close();
  return {
    bench: 'api',
    calls,
    status_get_p50_ms: percentile(api, 0.5),
    status_get_p99_ms: percentile(api, 0.99),
    ws_echo_p50_ms: percentile(floor, 0.5),
    ws_echo_p99_ms: percentile(floor, 0.99),
    rss_mb: Math.round(process.memoryUsage().rss / 1048576),
  };
}
