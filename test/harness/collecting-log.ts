// A log sink that keeps the named reason of every warning and error, for tests that assert
// which refusals were logged, in order.
import type { LogSink } from '../../core/log-sink.js';

export function collectingLog(): LogSink & { reasons: string[] } {
  const reasons: string[] = [];
  const record = (context: object): void => {
    const reason = (context as { reason?: unknown }).reason;
    if (typeof reason === 'string') reasons.push(reason);
  };
  return { reasons, info() {}, warn: record, error: record };
}
