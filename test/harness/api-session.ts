// A persistent API session, as the UI holds one: calls answered by id, and every event the
// runtime pushes kept in arrival order until a test takes it with nextEvent. Over a real
// WebSocket to a `devpay serve` process (openApiSession), or attached in-process to a runtime's
// ApiServer (attachApiSession), with the same interface, so tests read the same either way.
import { WebSocket } from 'ws';
import type { ApiServer } from '../../runtime/api/api-server.js';

export interface ApiEvent<Payload = unknown> {
  name: string;
  payload: Payload;
}

export class ApiCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    message: string,
  ) {
    super(`${method} failed with ${code}: ${message}`);
    this.name = 'ApiCallError';
  }
}

export interface ApiSession {
  /** Calls a method; resolves with its result, rejects with ApiCallError on an error answer. */
  call<Result = unknown>(method: string, params?: Record<string, unknown>): Promise<Result>;
  /**
   * Takes the first event with this name that matches the predicate: one already received and
   * not yet taken, or the next to arrive. Events it passes over stay for later calls.
   */
  nextEvent<Payload = unknown>(name: string, predicate?: (payload: Payload) => boolean, timeoutMs?: number): Promise<Payload>;
  /** Every event received so far (taken or not), for assertions and failure messages. */
  events(name?: string): ApiEvent[];
  /** Drops the events not yet taken, so later nextEvent calls see only new ones. */
  discardPending(): void;
  close(): Promise<void>;
}

interface Waiter {
  name: string;
  predicate: (payload: unknown) => boolean;
  resolve: (payload: unknown) => void;
}

/** The event half of a session: a buffer of events not yet taken and the waiters for new ones. */
class EventQueue {
  readonly all: ApiEvent[] = [];
  private pending: ApiEvent[] = [];
  private readonly waiters = new Set<Waiter>();

  push(event: ApiEvent): void {
    this.all.push(event);
    for (const waiter of this.waiters) {
      if (waiter.name === event.name && safeTest(waiter.predicate, event.payload)) {
        this.waiters.delete(waiter);
        waiter.resolve(event.payload);
        return;
      }
    }
    this.pending.push(event);
  }

  next<Payload>(name: string, predicate: (payload: Payload) => boolean, timeoutMs: number): Promise<Payload> {
    const test = predicate as (payload: unknown) => boolean;
    const index = this.pending.findIndex((event) => event.name === name && safeTest(test, event.payload));
    if (index >= 0) return Promise.resolve(this.pending.splice(index, 1)[0]!.payload as Payload);
    return new Promise<Payload>((resolve, reject) => {
      const waiter: Waiter = {
        name,
        predicate: test,
        resolve: (payload) => {
          clearTimeout(timer);
          resolve(payload as Payload);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.all.filter((event) => event.name === name).slice(-8);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for a matching ${name} event; last ${name} events: ${JSON.stringify(seen.map((event) => event.payload))}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  discard(): void {
    this.pending = [];
  }
}

function safeTest(predicate: (payload: unknown) => boolean, payload: unknown): boolean {
  try {
    return predicate(payload);
  } catch {
    return false;
  }
}

interface Envelope {
  type: string;
  id?: string | null;
  ok?: boolean;
  result?: unknown;
  error?: { code: string; message: string };
  name?: string;
  payload?: unknown;
}

function settle<Result>(method: string, reply: Envelope): Result {
  if (reply.ok) return reply.result as Result;
  throw new ApiCallError(method, reply.error?.code ?? 'unknown', reply.error?.message ?? '');
}

/** Opens a session over the WebSocket URL a `devpay serve` process prints. */
export async function openApiSession(url: string, callTimeoutMs = 10_000): Promise<ApiSession> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const queue = new EventQueue();
  const calls = new Map<string, (reply: Envelope) => void>();
  let nextId = 0;
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Envelope;
    if (message.type === 'event') queue.push({ name: message.name ?? '', payload: message.payload });
    else if (message.type === 'result' && typeof message.id === 'string') calls.get(message.id)?.(message);
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('close', () => {
    for (const answer of calls.values()) answer({ type: 'result', ok: false, error: { code: 'closed', message: 'the API connection closed' } });
    calls.clear();
  });
  return {
    call<Result>(method: string, params: Record<string, unknown> = {}): Promise<Result> {
      nextId += 1;
      const id = `c${nextId}`;
      return new Promise<Result>((resolve, reject) => {
        const timer = setTimeout(() => {
          calls.delete(id);
          reject(new Error(`${method} got no answer in ${callTimeoutMs} ms`));
        }, callTimeoutMs);
        calls.set(id, (reply) => {
          clearTimeout(timer);
          calls.delete(id);
          try {
            resolve(settle<Result>(method, reply));
          } catch (error) {
            reject(error as Error);
          }
        });
        socket.send(JSON.stringify({ v: 1, type: 'call', id, method, params }));
      });
    },
    nextEvent: (name, predicate = () => true, timeoutMs = 15_000) => queue.next(name, predicate, timeoutMs),
    events: (name) => queue.all.filter((event) => name === undefined || event.name === name),
    discardPending: () => queue.discard(),
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close();
      await closed;
    },
  };
}

/** Attaches a session to an in-process runtime's ApiServer, through its public attach() and handleMessage(). */
export function attachApiSession(api: ApiServer): ApiSession {
  const queue = new EventQueue();
  let closeListener: (() => void) | null = null;
  let open = true;
  let nextId = 0;
  api.attach({
    label: 'test-session',
    send(text) {
      if (!open) return;
      const message = JSON.parse(text) as Envelope;
      if (message.type === 'event') queue.push({ name: message.name ?? '', payload: message.payload });
    },
    onMessage() {
      // Calls go straight to handleMessage; nothing arrives this way.
    },
    onClose(listener) {
      closeListener = listener;
    },
  });
  return {
    async call<Result>(method: string, params: Record<string, unknown> = {}): Promise<Result> {
      nextId += 1;
      const reply = JSON.parse(await api.handleMessage(JSON.stringify({ v: 1, type: 'call', id: `c${nextId}`, method, params }))) as Envelope;
      return settle<Result>(method, reply);
    },
    nextEvent: (name, predicate = () => true, timeoutMs = 15_000) => queue.next(name, predicate, timeoutMs),
    events: (name) => queue.all.filter((event) => name === undefined || event.name === name),
    discardPending: () => queue.discard(),
    async close() {
      open = false;
      closeListener?.();
    },
  };
}
