// Asks central to approve a refund online (core/wire/correction-messages.ts): the refund's id,
// saved by the terminal before asking, the payment it refers to, the amount and currency. The
// request and the answer are signed with the terminal's key; an answer that does not name this
// terminal and this refund, or fails its tag, is refused and the request waits on for central's
// own. Central claims the refund under its id before approving, so asking again after a lost
// answer or a crash gets the same approval, counted once.
import { signMessage, verifyMessage } from '../core/wire/auth-tag.js';
import { refundAuthorizeResultSchema, type RefundAuthorizeResult } from '../core/wire/correction-messages.js';
import type { CurrencyCode } from '../core/currency.js';
import type { MqttLink } from './mqtt-link.js';

export interface RefundAuthorizeAsk {
  refundId: string;
  originalId: string;
  amountMinor: bigint;
  currency: CurrencyCode;
}

export class RefundClient {
  constructor(
    private readonly link: MqttLink,
    private readonly terminalId: string,
    private readonly key: Uint8Array,
    private readonly onCentralContact?: () => void,
  ) {}

  /** Central's answer; rejects with a LinkError when the link is down or central is silent. */
  async authorize(ask: RefundAuthorizeAsk, timeoutMs: number): Promise<RefundAuthorizeResult> {
    const body = { terminalId: this.terminalId, refundId: ask.refundId, originalId: ask.originalId, amountMinor: ask.amountMinor.toString(), currency: ask.currency };
    const answer = await this.link.request('refund', body, refundAuthorizeResultSchema, timeoutMs, (message) => signMessage(this.key, message), (value) => {
      if (value.terminalId !== this.terminalId || value.refundId !== ask.refundId) return 'terminal_mismatch';
      return verifyMessage(this.key, value as unknown as Record<string, unknown>) ? null : 'bad_tag';
    });
    this.onCentralContact?.();
    return answer;
  }
}
