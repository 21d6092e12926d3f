// The terminal's link to central as its options configure it: an MqttLink to the broker, or
// none, whose status then says not_configured.
import type { Clock, Random } from '../core/clock.js';
import type { LinkStatus } from '../core/api/status.js';
import { defaultHeartbeatIntervalMs, MqttLink } from '../sync/mqtt-link.js';
import type { Logger } from './logger.js';

export interface BrokerOptions {
  url: string;
  protocolVersion: 4 | 5;
  username?: string;
  password?: string;
  caPem?: string;
}

export function createTerminalLink(options: { broker: BrokerOptions | null; terminalId: string; syncKey: Uint8Array | null; clock: Clock; random: Random; logger: Logger; heartbeatIntervalMs?: number | undefined }): MqttLink | null {
  const { broker } = options;
  if (!broker) return null;
  return new MqttLink({
    brokerUrl: broker.url,
    protocolVersion: broker.protocolVersion,
    ...(broker.username === undefined ? {} : { username: broker.username }),
    ...(broker.password === undefined ? {} : { password: broker.password }),
    ...(broker.caPem === undefined ? {} : { caPem: broker.caPem }),
    terminalId: options.terminalId,
    syncKey: options.syncKey,
    clock: options.clock,
    random: options.random,
    log: options.logger,
    ...(options.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
  });
}

/** The link without a broker: nothing to reach, and never a time central stopped answering. */
export function notConfiguredLink(heartbeatIntervalMs = defaultHeartbeatIntervalMs): LinkStatus {
  return {
    state: 'not_configured',
    brokerReachable: false,
    centralReachable: false,
    centralRoundTripMs: null,
    centralLastSeenAt: null,
    clockOffsetMs: null,
    heartbeatIntervalMs,
    centralUnreachableSinceMs: null,
  };
}
