// Asks central what its books hold for a period's transactions (core/wire/day-messages.ts), a
// page of ids at a time, over the MQTT link with a timeout per page. Requests and answers are
// signed with the terminal's key; an answer that does not name this terminal, fails its tag, or
// answers ids that were not asked is refused, and the page waits on for central's own answer.
import { signMessage, verifyMessage } from '../core/wire/auth-tag.js';
import { dayTotalsResultSchema, maxDayTotalsIds, type DayTotalsEntry } from '../core/wire/day-messages.js';
import { requestKinds } from '../core/wire/topics.js';
import type { MqttLink } from './mqtt-link.js';

/** Ids per request: half the wire's maximum keeps an answer far under the payload cap. */
const idsPerPage = maxDayTotalsIds / 2;

export class DayTotalsClient {
  constructor(
    private readonly link: MqttLink,
    private readonly terminalId: string,
    private readonly key: Uint8Array,
    private readonly onCentralContact?: () => void,
  ) {}

  /** Central's entry for every id asked; rejects with a LinkError when the link is down or central is silent. */
  async totals(ids: readonly string[], timeoutMsPerPage: number): Promise<Map<string, DayTotalsEntry>> {
    const entries = new Map<string, DayTotalsEntry>();
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += idsPerPage) {
      const page = unique.slice(start, start + idsPerPage);
      const asked = new Set(page);
      const answer = await this.link.request(requestKinds.dayTotals, { terminalId: this.terminalId, ids: page }, dayTotalsResultSchema, timeoutMsPerPage, (message) => signMessage(this.key, message), (value) => {
        if (value.terminalId !== this.terminalId) return 'terminal_mismatch';
        if (!verifyMessage(this.key, value as unknown as Record<string, unknown>)) return 'bad_tag';
        return value.entries.every((entry) => asked.has(entry.id)) ? null : 'unasked_entry';
      });
      this.onCentralContact?.();
      for (const entry of answer.entries) entries.set(entry.id, entry);
    }
    return entries;
  }
}
