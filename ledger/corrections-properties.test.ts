// Refund and void rules as properties: random sequences of refunds and voids of one payment,
// with client ids reused at random, run through the real ledger units, must answer exactly what
// an independent model of the rules answers, and leave the merchant's balance the model's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { defaultOfflineLimits, type OfflineLimits } from '../core/ledger/limits.js';
import { LedgerCorrections } from './corrections.js';
import { offlinePayment, openTestLedger, systemAccount } from './test-ledger.js';

type Operation = { kind: 'refund'; client: number; amountMinor: number } | { kind: 'void'; client: number; sameDay: boolean };

const generous: OfflineLimits = { ...defaultOfflineLimits, currencies: { ...defaultOfflineLimits.currencies, USD: { offlineFloatMinor: '100000000', offlineCountLimit: 1000, perPaymentCapMinor: '100000', offlineRefundFloatMinor: '100000000', offlineRefundCountLimit: 1000 } } };

/** The rules as a merchant would state them, kept apart from core/ledger/corrections.ts. */
class Model {
  private readonly refunds = new Map<number, number>();
  private voidClient: number | null = null;

  constructor(
    private readonly amountMinor: number,
    private readonly settled: boolean,
  ) {}

  get merchantMinor(): number {
    const refunded = [...this.refunds.values()].reduce((sum, amount) => sum + amount, 0);
    return this.voidClient !== null ? 0 : this.amountMinor - refunded;
  }

  apply(operation: Operation): string {
    if (operation.kind === 'refund') {
      if (this.voidClient === operation.client) return 'refund_client_id_conflict';
      const earlier = this.refunds.get(operation.client);
      if (earlier !== undefined) return earlier === operation.amountMinor ? 'repeated' : 'refund_client_id_conflict';
      if (this.voidClient !== null) return 'original_reversed';
      if (!this.settled) return 'original_not_settled';
      if (this.merchantMinor < operation.amountMinor) return 'refund_exceeds_remaining';
      this.refunds.set(operation.client, operation.amountMinor);
      return 'approved';
    }
    if (this.refunds.has(operation.client)) return 'refund_client_id_conflict';
    if (this.voidClient === operation.client) return 'repeated';
    if (this.voidClient !== null) return 'original_reversed';
    if (this.refunds.size > 0) return 'void_after_refund';
    if (this.settled && !operation.sameDay) return 'void_window_passed';
    this.voidClient = operation.client;
    return 'approved';
  }
}

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant('refund' as const), client: fc.integer({ min: 0, max: 4 }), amountMinor: fc.integer({ min: 1, max: 700 }) }),
  fc.record({ kind: fc.constant('void' as const), client: fc.integer({ min: 0, max: 4 }), sameDay: fc.boolean() }),
);

test('refunds and voids answer what an independent model of the rules answers', { timeout: 240_000 }, async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 1500 }), fc.boolean(), fc.array(operation, { minLength: 1, maxLength: 12 }), async (amountMinor, settled, operations) => {
      const handle = await openTestLedger(500 + run++);
      try {
        const paymentId = handle.nextId();
        const card = { cardId: '0011223344556677', atc: 1, panMasked: '123456******4321', cryptogram: '0'.repeat(32), terminalData: '0'.repeat(54), mode: 'offline' as const };
        assert.equal((await handle.ledger.engine.post({ ...offlinePayment(paymentId, 'USD', BigInt(amountMinor)), card })).result, 'ok');
        if (settled) await handle.ledger.engine.transition(paymentId, 'settled', handle.nextId(), 'settled');
        const corrections = new LedgerCorrections(handle.ledger, handle.nextId);
        const model = new Model(amountMinor, settled);
        for (const step of operations) {
          const clientId = `client-${step.client}-id`;
          let answer: string;
          if (step.kind === 'refund') {
            const begun = await corrections.beginRefund({ originalId: paymentId, clientId, amountMinor: BigInt(step.amountMinor), currency: 'USD', nowMs: 1 });
            const done = !begun.ok || begun.repeated ? begun : await corrections.postRefund(begun.request, 'offline', generous);
            answer = done.ok ? (done.repeated ? 'repeated' : 'approved') : done.reason;
          } else {
            const done = await corrections.void(paymentId, clientId, 1, () => step.sameDay);
            answer = done.ok ? (done.repeated ? 'repeated' : 'approved') : done.reason;
          }
          assert.equal(answer, model.apply(step), `${step.kind} by client ${step.client}`);
        }
        assert.equal(handle.ledger.engine.balanceOf(systemAccount('merchant', 'USD')), BigInt(model.merchantMinor));
      } finally {
        await handle.ledger.close();
      }
    }),
    { numRuns: 40, seed: 12 },
  );
});
