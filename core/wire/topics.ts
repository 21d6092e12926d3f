// MQTT topic layout, versioned in the first levels. Every terminal publishes only under its own
// requests subtree and reads only its own responses; central answers on the terminal's fixed
// response topic, never on a topic named inside a message, so a message cannot redirect answers.
export const wireProtocolVersion = 1;

const root = `devpay/v${wireProtocolVersion}`;

export const terminalIdPattern = /^[A-Za-z0-9_-]{3,64}$/;

/**
 * The kinds of request a terminal publishes, each on `requests/<kind>`: the heartbeat, sync's
 * push and pull, card authorization and reserve tokens, the online authorization of a refund,
 * and the day close's reconciliation with central's books.
 */
export const requestKinds = { heartbeat: 'heartbeat', push: 'push', pull: 'pull', authorize: 'authorize', reserve: 'reserve', refund: 'refund', dayTotals: 'day_totals' } as const;

export const topics = {
  centralPresence: `${root}/central/presence`,
  terminalRequest: (terminalId: string, kind: string) => `${root}/terminals/${terminalId}/requests/${kind}`,
  terminalResponses: (terminalId: string) => `${root}/terminals/${terminalId}/responses`,
  allTerminalRequests: `${root}/terminals/+/requests/+`,
} as const;

/** Extracts the terminal id and request kind from a request topic, or null if it is not one. */
export function parseRequestTopic(topic: string): { terminalId: string; kind: string } | null {
  const parts = topic.split('/');
  if (parts.length !== 6 || `${parts[0]}/${parts[1]}` !== root || parts[2] !== 'terminals' || parts[4] !== 'requests') {
    return null;
  }
  const terminalId = parts[3]!;
  const kind = parts[5]!;
  return terminalIdPattern.test(terminalId) && /^[a-z_]{1,32}$/.test(kind) ? { terminalId, kind } : null;
}

/** Who a broker client is: central, or one terminal. The broker's ACL follows from it. */
export type BrokerRole = { role: 'central' } | { role: 'terminal'; terminalId: string };

/** The topic rules every broker enforces (aedes authorizers here, a Mosquitto ACL file in production). */
export function mayPublish(who: BrokerRole, topic: string): boolean {
  if (who.role === 'central') return topic === topics.centralPresence || /^devpay\/v1\/terminals\/[A-Za-z0-9_-]{3,64}\/responses$/.test(topic);
  const route = parseRequestTopic(topic);
  return route !== null && route.terminalId === who.terminalId;
}

export function maySubscribe(who: BrokerRole, filter: string): boolean {
  if (who.role === 'central') return filter === topics.allTerminalRequests || filter === topics.centralPresence;
  return filter === topics.terminalResponses(who.terminalId) || filter === topics.centralPresence;
}
