// Property: no sequence of taps (by the card or clones of it), retries of a payment, replays of
// a tap's data under a new payment id, online approvals and restarts approves one ATC twice on a
// terminal. The ledger on disk is the judge: after every run, each (card, ATC) appears in at most
// one approved payment, and a retry of an approved payment answers the same payment.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { manualClock, toHex } from '../../core/clock.js';
import { createUlidFactory } from '../../core/ids.js';
import { seededRandom } from '../../core/clock.js';
import { terminalIdHash } from '../../core/card/card-crypto.js';
import { encodeTerminalData, transactionDate } from '../../core/card/terminal-data.js';
import { generateCommand, parseGenerateResponse, parseSelectResponse, selectCommand } from '../../device/devpay-card-apdu.js';
import { DevpayCard } from '../../drivers/sim/devpay-card.js';
import { openTestLedger } from '../../ledger/test-ledger.js';
import { ReserveStore } from '../../ledger/reserve-store.js';
import { approveOffline, recordOnlineApproval, type CardPaymentRequest } from '../../ledger/card-payments.js';
import { generousLimits, issueTestReserve, testCardMaster } from './card-test-kit.js';

type Step = { type: 'tap'; cardIndex: number } | { type: 'clone'; cardIndex: number } | { type: 'retry' } | { type: 'replay' } | { type: 'online' } | { type: 'restart' };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ type: fc.constant('tap' as const), cardIndex: fc.nat(3) }),
  fc.record({ type: fc.constant('clone' as const), cardIndex: fc.nat(3) }),
  fc.constant({ type: 'retry' as const }),
  fc.constant({ type: 'replay' as const }),
  fc.constant({ type: 'online' as const }),
  fc.constant({ type: 'restart' as const }),
);

test('no sequence of taps, retries, replays, online approvals and restarts approves one ATC twice', { timeout: 240_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(stepArbitrary, { minLength: 5, maxLength: 30 }), fc.integer({ min: 1, max: 1_000_000 }), async (steps, seed) => {
      const handle = await openTestLedger(seed);
      const clock = manualClock(1_795_000_000_000);
      const nextId = createUlidFactory(clock, seededRandom(seed));
      const cardId = Uint8Array.from([1, 1, 2, 3, 5, 8, 13, 21]);
      const cards = [new DevpayCard(cardId, testCardMaster.cardKeyOf(cardId))];
      let reserve = new ReserveStore(handle.ledger, (await import('./card-test-kit.js')).testReserveKeys.publicKey);
      await reserve.load();
      await issueTestReserve(reserve, handle.ledger.owner, cards[0]!, 40, clock.nowMs());
      const approvedBy = new Map<string, string>();
      let last: CardPaymentRequest | null = null;
      const tap = (card: DevpayCard): CardPaymentRequest => {
        const terminalData = { amountMinor: 500n, currency: 'USD', terminalIdHash: terminalIdHash(handle.ledger.owner), unpredictableNumber: seededRandom(seed).bytes(4), date: transactionDate(clock.nowMs()) };
        card.reset();
        const selected = parseSelectResponse(card.respond(selectCommand()));
        const data = parseGenerateResponse(card.respond(generateCommand(terminalData)), selected.cardId);
        return { paymentId: nextId(), tap: data, amountMinor: 500n, currency: 'USD', terminalData: encodeTerminalData(terminalData), nowMs: clock.nowMs() };
      };
      const context = { limits: generousLimits, isRevoked: () => false, lastCentralContactMs: clock.nowMs() };
      const note = (request: CardPaymentRequest, approved: boolean, transactionId?: string): void => {
        if (!approved) return;
        const key = `${toHex(request.tap.cardId)}:${request.tap.atc}`;
        const earlier = approvedBy.get(key);
        assert.ok(earlier === undefined || earlier === transactionId, `ATC ${key} approved for ${earlier} and again for ${transactionId}`);
        approvedBy.set(key, transactionId!);
      };
      for (const step of steps) {
        clock.advance(1000);
        if (step.type === 'restart') {
          await handle.reopen();
          reserve = new ReserveStore(handle.ledger, reserve.centralPublicKey);
          await reserve.load();
          continue;
        }
        if (step.type === 'clone') {
          cards.push(cards[step.cardIndex % cards.length]!.clone());
          continue;
        }
        if (step.type === 'tap') last = tap(cards[step.cardIndex % cards.length]!);
        if (!last) continue;
        const request: CardPaymentRequest = step.type === 'replay' || step.type === 'online' ? { ...last, paymentId: nextId() } : last;
        const outcome = step.type === 'online' ? await recordOnlineApproval(handle.ledger, reserve, request) : await approveOffline(handle.ledger, reserve, request, context);
        note(request, outcome.outcome === 'approved', outcome.outcome === 'approved' ? outcome.transaction.id : undefined);
        if (step.type === 'retry' && outcome.outcome === 'approved') assert.equal(outcome.transaction.id, last.paymentId, 'a retry answers the same payment');
      }
      // The disk agrees: every approved payment's ATC is unique.
      await handle.reopen();
      const payments = (await handle.ledger.transactions.all()).filter((transaction) => transaction.kind === 'payment');
      const atcs = payments.map((payment) => `${payment.card!.cardId}:${payment.card!.atc}`);
      assert.equal(new Set(atcs).size, atcs.length, `each ATC approved once on disk: ${atcs.join(', ')}`);
      await handle.ledger.close();
    }),
    { numRuns: 25 },
  );
});
