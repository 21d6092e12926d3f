// One implementation of the API contract, attached to any number of connections over either
// transport. Each raw message is parsed, checked against the envelope and the method's schema,
// and answered exactly once. Nothing a client sends can throw past this file: a malformed or
// unknown call gets a named error back and the runtime keeps serving everyone else.
import {
  ApiError,
  apiProtocolVersion,
  callEnvelopeSchema,
  maxMessageBytes,
  type ApiErrorCode,
  type EventEnvelope,
  type ResultEnvelope,
} from '../../core/api/envelope.js';
import {
  commandSchemas,
  eventSchemas,
  isCommandName,
  type CommandName,
  type CommandResult,
  type EventName,
  type EventPayload,
} from '../../core/api/contract.js';
import type { Logger } from '../logger.js';
import type { z } from 'zod';

/** A bidirectional text channel: a WebSocket or an Electron MessagePort. */
export interface ApiConnection {
  readonly label: string;
  send(text: string): void;
  onMessage(listener: (text: unknown) => void): void;
  onClose(listener: () => void): void;
}

export type CommandHandlers = {
  /** Params arrive already checked against the contract's schema. */
  [Name in CommandName]: (params: z.infer<(typeof commandSchemas)[Name]['params']>) => Promise<CommandResult<Name>> | CommandResult<Name>;
};

/**
 * Decides, before a handler runs, whether the call may run now (the operator session's access
 * guard); throws the named ApiError when not. Params arrive already checked.
 */
export type Authorize = (method: CommandName, params: unknown) => Promise<void> | void;

export class ApiServer {
  private readonly connections = new Set<ApiConnection>();
  private rejectedMessageCount = 0;

  constructor(
    private readonly handlers: CommandHandlers,
    private readonly logger: Logger,
    private readonly authorize: Authorize | null = null,
  ) {}

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Calls answered with an error since start; exported as a metric later. */
  get rejectedCount(): number {
    return this.rejectedMessageCount;
  }

  attach(connection: ApiConnection): void {
    this.connections.add(connection);
    connection.onClose(() => this.connections.delete(connection));
    connection.onMessage((raw) => {
      void this.handleMessage(raw).then((reply) => this.safeSend(connection, reply));
    });
  }

  /** Sends an event to every attached connection after checking it against its schema. */
  publish<Name extends EventName>(name: Name, payload: EventPayload<Name>): void {
    const checked = eventSchemas[name].parse(payload);
    const envelope: EventEnvelope = { v: apiProtocolVersion, type: 'event', name, payload: checked };
    const text = JSON.stringify(envelope);
    for (const connection of this.connections) this.safeSend(connection, text);
  }

  /** Turns one raw message into the text of its reply. Never throws. */
  async handleMessage(raw: unknown): Promise<string> {
    let id: string | null = null;
    try {
      if (typeof raw !== 'string') throw new ApiError('invalid_envelope', 'messages must be JSON text');
      if (raw.length > maxMessageBytes) {
        throw new ApiError('message_too_large', `messages are limited to ${maxMessageBytes} bytes`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw new ApiError('malformed_json', 'message is not valid JSON');
      }
      id = extractId(parsed);
      if (isObject(parsed) && 'v' in parsed && parsed.v !== apiProtocolVersion) {
        throw new ApiError('unsupported_version', `protocol version ${apiProtocolVersion} is the only one spoken`);
      }
      const envelope = callEnvelopeSchema.safeParse(parsed);
      if (!envelope.success) throw new ApiError('invalid_envelope', summarizeIssues(envelope.error.issues));
      const { method } = envelope.data;
      if (!isCommandName(method)) throw new ApiError('unknown_method', `unknown method ${JSON.stringify(method)}`);
      const params = commandSchemas[method].params.safeParse(envelope.data.params ?? {});
      if (!params.success) throw new ApiError('invalid_params', summarizeIssues(params.error.issues));
      const result = await this.invoke(method, params.data);
      return JSON.stringify({ v: apiProtocolVersion, type: 'result', id, ok: true, result } satisfies ResultEnvelope);
    } catch (error) {
      return this.errorReply(id, error);
    }
  }

  private async invoke(method: CommandName, params: unknown): Promise<unknown> {
    const handler = this.handlers[method] as (params: unknown) => unknown;
    try {
      await this.authorize?.(method, params);
      return await handler(params);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      this.logger.error({ method, err: error }, 'api handler failed');
      throw new ApiError('handler_failed', `${method} failed`);
    }
  }

  private errorReply(id: string | null, error: unknown): string {
    this.rejectedMessageCount += 1;
    const code: ApiErrorCode = error instanceof ApiError ? error.code : 'handler_failed';
    const message = error instanceof ApiError ? error.message : 'internal error';
    this.logger.warn({ code, callId: id }, 'api call rejected');
    return JSON.stringify({ v: apiProtocolVersion, type: 'result', id, ok: false, error: { code, message } } satisfies ResultEnvelope);
  }

  private safeSend(connection: ApiConnection, text: string): void {
    try {
      connection.send(text);
    } catch (error) {
      this.logger.warn({ connection: connection.label, err: error }, 'could not send to api connection');
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Echoes the caller's id when it is well-formed, so even a rejected call can be matched. */
function extractId(value: unknown): string | null {
  if (!isObject(value)) return null;
  const { id } = value;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : null;
}

function summarizeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
