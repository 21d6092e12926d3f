// Central's side of sync: checks a terminal's push (schema, the terminal it names, its
// authentication tag), records each transaction in central's own durable ledger exactly once
// (a repeated id answers with the verdict already given), settles it, and answers with a signed
// verdict per transaction, only after central's ledger has committed it.
import type { Clock } from '../core/clock.js';
import { deriveTerminalSyncKey, signMessage, verifyMessage } from '../core/wire/auth-tag.js';
import { decodeWire } from '../core/wire/messages.js';
import { pushRequestSchema, type PushResult, type WireTransaction } from '../core/wire/sync-messages.js';
import { wireProtocolVersion } from '../core/wire/topics.js';
import type { LogSink } from '../core/log-sink.js';
import { accountKinds, currencyOfAccount, kindOfAccount, type AccountKind } from '../core/ledger/accounts.js';
import type { TransactionDraft } from '../core/ledger/transaction.js';
import type { Ledger } from '../ledger/ledger.js';

type Verdict = PushResult['results'][number];

export class CentralSettlement {
  /** Pushes refused for a bad tag or a terminal mismatch, for tests and metrics. */
  refusedCount = 0;

  constructor(
    private readonly ledger: Ledger,
    private readonly masterKey: Uint8Array,
    private readonly clock: Clock,
    private readonly nextId: () => string,
    private readonly log: LogSink,
  ) {}

  /** The push handler for CentralService: answers a signed push_result, or null to refuse. */
  handlePush = async (terminalId: string, payload: Buffer): Promise<Record<string, unknown> | null> => {
    const decoded = decodeWire(pushRequestSchema, payload);
    if (!decoded.ok) return this.refuse(terminalId, decoded.reason, decoded.detail);
    const push = decoded.value;
    if (push.terminalId !== terminalId) return this.refuse(terminalId, 'terminal_mismatch', `payload names ${push.terminalId}`);
    const key = deriveTerminalSyncKey(this.masterKey, terminalId);
    if (!verifyMessage(key, push as unknown as Record<string, unknown>)) return this.refuse(terminalId, 'bad_tag', 'forged or altered push');
    // Settled side by side so the batch shares group commits; answers keep the push's order.
    const results: Verdict[] = await Promise.all(push.transactions.map((transaction) => this.settle(terminalId, transaction)));
    return signMessage(key, { v: wireProtocolVersion, kind: 'push_result', correlationId: push.correlationId, terminalId, results });
  };

  private async settle(terminalId: string, transaction: WireTransaction): Promise<Verdict> {
    const { engine } = this.ledger;
    for (const posting of transaction.postings) {
      const owner = posting.accountId.split(':')[1];
      if (owner !== terminalId) return { id: transaction.id, outcome: 'rejected', reason: 'foreign_account' };
      const kind = kindOfAccount(posting.accountId);
      if (!(accountKinds as readonly string[]).includes(kind)) return { id: transaction.id, outcome: 'rejected', reason: 'unknown_account_kind' };
      const currency = currencyOfAccount(posting.accountId);
      await engine.openAccount({ id: posting.accountId, kind: kind as AccountKind, currency, createdAtMs: this.clock.nowMs() });
      // Settling an offline approval moves it to the terminal's central account.
      if (kind === 'offline_clearing') await engine.openAccount({ id: `central:${terminalId}:${currency}`, kind: 'central', currency, createdAtMs: this.clock.nowMs() });
    }
    const draft = {
      id: transaction.id,
      kind: transaction.kind,
      state: transaction.state === 'approved_offline' || transaction.state === 'approved_online' ? transaction.state : 'posted',
      postings: transaction.postings,
      ...(transaction.referencesId ? { referencesId: transaction.referencesId } : {}),
      ...(transaction.fx ? { fx: transaction.fx } : {}),
      ...(transaction.memo ? { memo: transaction.memo } : {}),
    } satisfies TransactionDraft;
    const posted = await engine.post(draft, { toOutbox: false });
    if (posted.result === 'exists_with_different_content') return { id: transaction.id, outcome: 'rejected', reason: 'conflicting_content' };
    if (posted.result !== 'ok' && posted.result !== 'exists') return { id: transaction.id, outcome: 'rejected', reason: posted.result };
    const recorded = posted.transaction;
    if (recorded.state === 'rejected') return { id: transaction.id, outcome: 'rejected', reason: 'rejected_earlier' };
    if (recorded.state === 'approved_offline' || recorded.state === 'approved_online') {
      const settled = await engine.transition(transaction.id, 'settled', this.nextId(), 'settled by central');
      if (settled.result !== 'ok' && settled.result !== 'exists') return { id: transaction.id, outcome: 'rejected', reason: settled.result };
    }
    return { id: transaction.id, outcome: 'settled', reason: 'settled by central' };
  }

  private refuse(terminalId: string, reason: string, detail: string): null {
    this.refusedCount += 1;
    this.log.warn({ terminalId, reason, detail }, 'central refused a push');
    return null;
  }
}
