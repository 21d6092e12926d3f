// The renderer's one API client, the same over Electron IPC and the headless WebSocket. Calls
// are matched to answers by id; answers are checked against the contract before the UI sees
// them; a call the runtime never answers fails with a named timeout. When the transport loses
// the runtime (a dropped socket, a restarted utility process) every call in flight fails at once
// with runtime_unavailable, as does a call the transport cannot send now, so nothing on screen
// waits on an answer that cannot come. Event listeners stay registered across reconnections:
// the runtime sends every event to every connection, so there is nothing to subscribe again.
import { commandSchemas, eventSchemas, type CommandName, type CommandParams, type CommandResult, type EventName, type EventPayload } from '../core/api/contract.js';
import { ApiError, apiProtocolVersion, serverEnvelopeSchema } from '../core/api/envelope.js';
import type { DevpayBridge } from '../core/api/bridge.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  method: CommandName;
}

export class ApiClient {
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private readonly eventListeners = new Map<string, Set<(payload: unknown) => void>>();

  constructor(
    private readonly bridge: DevpayBridge,
    private readonly callTimeoutMs = 10_000,
  ) {
    bridge.onMessage((text) => this.receive(text));
    bridge.onReset(() => this.failAll(new ApiError('runtime_unavailable', 'the connection to the runtime was lost')));
  }

  /** `timeoutMs` is longer for calls that wait on a person (a finger on the reader, an enrolment). */
  call<Name extends CommandName>(method: Name, params: CommandParams<Name>, timeoutMs = this.callTimeoutMs): Promise<CommandResult<Name>> {
    const id = String(this.nextId++);
    return new Promise<CommandResult<Name>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ApiError('timeout', `${method} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer, method });
      try {
        this.bridge.send(JSON.stringify({ v: apiProtocolVersion, type: 'call', id, method, params }));
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new ApiError('runtime_unavailable', error instanceof Error ? error.message : 'send failed'));
      }
    });
  }

  on<Name extends EventName>(name: Name, listener: (payload: EventPayload<Name>) => void): () => void {
    const listeners = this.eventListeners.get(name) ?? new Set();
    this.eventListeners.set(name, listeners);
    const untyped = listener as (payload: unknown) => void;
    listeners.add(untyped);
    return () => listeners.delete(untyped);
  }

  private receive(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    const envelope = serverEnvelopeSchema.safeParse(parsed);
    if (!envelope.success) return;
    const message = envelope.data;
    if (message.type === 'event') {
      if (!Object.hasOwn(eventSchemas, message.name)) return;
      const payload = eventSchemas[message.name as EventName].safeParse(message.payload);
      if (!payload.success) return;
      for (const listener of this.eventListeners.get(message.name) ?? []) listener(payload.data);
      return;
    }
    const waiting = message.id === null ? undefined : this.pending.get(message.id);
    if (!waiting || message.id === null) return;
    this.pending.delete(message.id);
    clearTimeout(waiting.timer);
    if (!message.ok) {
      waiting.reject(new ApiError(message.error.code, message.error.message));
      return;
    }
    const result = commandSchemas[waiting.method].result.safeParse(message.result);
    if (result.success) waiting.resolve(result.data);
    else waiting.reject(new ApiError('invalid_envelope', `${waiting.method} answered outside its schema`));
  }

  private failAll(error: Error): void {
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(error);
      this.pending.delete(id);
    }
  }
}
