// A gate between the page and the runtime's API WebSocket (Playwright's routeWebSocket), for UI
// states a real terminal reaches only briefly or only with a second terminal and central:
// holding a charge's result so "authorizing" stays on screen for its screenshot, pushing an
// alert exactly as the runtime would raise it (schema-checked by the page's own client), and
// dropping the connection to show "reconnecting". Everything else passes through unchanged to
// and from the real `devpay serve`.
import type { Page, WebSocketRoute } from 'playwright-core';
import { alertRecordSchema, type AlertRecord } from '../../../core/api/alerts.js';

interface Envelope {
  type?: string;
  id?: string;
  method?: string;
  name?: string;
  ok?: boolean;
  result?: unknown;
  payload?: { state?: string };
  params?: { id?: string };
}

const finalStates = new Set(['approved', 'declined', 'cancelled']);

export class ApiGate {
  private readonly routes = new Set<WebSocketRoute>();
  private holding = false;
  private held: { route: WebSocketRoute; text: string }[] = [];
  /** Alerts this gate raised: alerts.list answers include them until they are dismissed. */
  private readonly injected = new Map<string, AlertRecord>();
  private refusing = false;
  /** Method of each call in flight, by id, so answers can be recognised. */
  private readonly calls = new Map<string, string>();
  readonly dismissed: string[] = [];

  static async install(page: Page): Promise<ApiGate> {
    const gate = new ApiGate();
    await page.routeWebSocket(/\/api\?token=/, (route) => gate.attach(route));
    return gate;
  }

  /** Keeps a charge's final payment.updated events from the page until release(). */
  holdResults(): void {
    this.holding = true;
  }

  releaseResults(): void {
    this.holding = false;
    for (const { route, text } of this.held.splice(0)) route.send(text);
  }

  /** Pushes an alert to the page as the runtime's `alert` event, and lists it until dismissed. */
  raiseAlert(alert: AlertRecord): void {
    const checked = alertRecordSchema.parse(alert);
    this.injected.set(checked.id, checked);
    this.broadcast({ v: 1, type: 'event', name: 'alert', payload: checked });
  }

  /** Closes the page's sockets and refuses new ones until allowConnections(). */
  dropConnections(): void {
    this.refusing = true;
    for (const route of this.routes) void route.close({ code: 1012, reason: 'test drops the link' });
    this.routes.clear();
  }

  allowConnections(): void {
    this.refusing = false;
  }

  get connectionCount(): number {
    return this.routes.size;
  }

  private broadcast(message: unknown): void {
    const text = JSON.stringify(message);
    for (const route of this.routes) route.send(text);
  }

  private attach(route: WebSocketRoute): void {
    if (this.refusing) {
      void route.close({ code: 1013, reason: 'test refuses connections' });
      return;
    }
    this.routes.add(route);
    const server = route.connectToServer();
    route.onMessage((text) => {
      const call = parse(text);
      if (call?.type === 'call' && call.id && call.method) {
        if (call.method === 'alerts.dismiss' && call.params?.id && this.injected.has(call.params.id)) {
          this.injected.delete(call.params.id);
          this.dismissed.push(call.params.id);
          route.send(JSON.stringify({ v: 1, type: 'result', id: call.id, ok: true, result: { dismissed: true } }));
          return;
        }
        this.calls.set(call.id, call.method);
      }
      server.send(text);
    });
    server.onMessage((text) => {
      const message = parse(text);
      if (message?.type === 'result' && message.id) {
        const method = this.calls.get(message.id);
        this.calls.delete(message.id);
        if (method === 'alerts.list' && message.ok) {
          const result = message.result as { alerts: AlertRecord[] };
          route.send(JSON.stringify({ ...message, result: { alerts: [...this.injected.values(), ...result.alerts] } }));
          return;
        }
      }
      if (this.holding && message?.type === 'event' && message.name === 'payment.updated' && finalStates.has(message.payload?.state ?? '')) {
        this.held.push({ route, text: typeof text === 'string' ? text : text.toString() });
        return;
      }
      route.send(text);
    });
    route.onClose(() => {
      this.routes.delete(route);
      void server.close();
    });
  }
}

function parse(text: string | Buffer): Envelope | null {
  try {
    return JSON.parse(typeof text === 'string' ? text : text.toString()) as Envelope;
  } catch {
    return null;
  }
}
