// Seeded simulation of a fleet: five terminals, a broker and central; random payments,
// partitions (cuts and stalls), heals, terminal restarts and central restarts, all chosen by one
// seed. Afterwards the auditor's books must match every ledger: each acknowledged payment is
// settled once at central and at its terminal, merchant takings equal what was acknowledged,
// nothing is left in offline clearing, and every ledger verifies. CI runs fixed seeds; a
// failure names its seed (DEVPAY_SIM_SEEDS=... replays it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountId } from '../../core/ledger/accounts.js';
import { verifyLedger } from '../../ledger/verifier.js';
import { Fleet } from './fleet.js';

const seeds = (process.env.DEVPAY_SIM_SEEDS ?? '1,2,3').split(',').map(Number);
const steps = 120;

for (const seed of seeds) {
  test(`fleet simulation, seed ${seed}`, { timeout: 120_000 }, async () => {
    const fleet = new Fleet(seed);
    try {
      await fleet.start(5);
      for (let step = 0; step < steps; step += 1) {
        const terminal = fleet.terminals[fleet.draw(fleet.terminals.length)]!;
        const action = fleet.draw(100);
        if (action < 60) await fleet.pay(terminal);
        else if (action < 72) fleet.partition(terminal);
        else if (action < 86) fleet.heal(terminal);
        else if (action < 95) await fleet.restartTerminal(terminal);
        else await fleet.restartCentral();
        await new Promise((resolve) => setTimeout(resolve, fleet.draw(15)));
      }
      await fleet.settle(60_000);

      const centralIds = await fleet.central!.ledger.transactions.getMany(fleet.acknowledged.map((payment) => payment.id));
      for (const payment of fleet.acknowledged) {
        assert.equal(centralIds.get(payment.id)?.state, 'settled', `seed ${seed}: ${payment.id} settled at central`);
      }
      for (const terminal of fleet.terminals) {
        const mine = fleet.acknowledged.filter((payment) => payment.terminalId === terminal.id).map((payment) => payment.id);
        const keys = [...fleet.expected.keys()].filter((key) => key.startsWith(`${terminal.id}:`));
        const accounts = keys.flatMap((key) => {
          const currency = key.slice(key.lastIndexOf(':') + 1) as Parameters<typeof accountId>[2];
          return [accountId('merchant', terminal.id, currency), accountId('offline_clearing', terminal.id, currency), accountId('central', terminal.id, currency)];
        });
        const report = (await terminal.send({ op: 'report', ids: mine, accounts })) as { states: Array<string | null>; balances: string[]; violations: string[] };
        assert.ok(report.states.every((state) => state === 'settled'), `seed ${seed}: ${terminal.id} applied every verdict`);
        assert.deepEqual(report.violations, [], `seed ${seed}: ${terminal.id} verifies`);
        keys.forEach((key, index) => {
          const sum = fleet.expected.get(key)!;
          const expected = [sum, 0n, -sum];
          for (let which = 0; which < 3; which += 1) {
            const account = accounts[index * 3 + which]!;
            assert.equal(BigInt(report.balances[index * 3 + which]!), expected[which], `seed ${seed}: terminal ${account}`);
            assert.equal(fleet.central!.ledger.engine.balanceOf(account), expected[which], `seed ${seed}: central ${account}`);
          }
        });
      }
      const centralReport = await verifyLedger(fleet.central!.ledger);
      assert.deepEqual(centralReport.violations, [], `seed ${seed}: central verifies`);
      assert.ok(fleet.acknowledged.length > 20, `seed ${seed}: the run made payments (${fleet.acknowledged.length})`);
    } finally {
      await fleet.close();
    }
  });
}
