// A terminal's offline backlog of virtual card payments, written into its data folder before
// `devpay serve` starts there: money central can prove (each payment a tap of one of the
// simulator's cards, issued by a central started with `--sim-cards 5` on `centralDir`), so the
// sync tests through real processes drain what central settles, not test money it refuses.
import { createUlidFactory } from '../../core/ids.js';
import { currencyCodes } from '../../core/currency.js';
import { openLedger } from '../../ledger/ledger.js';
import { loadMasterKey } from '../../central/central-node.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { VirtualCardPayments } from './virtual-card-payments.js';

/** Posts `count` offline card payments (every currency in turn); resolves with their ids, each durable. */
export async function writeCardBacklog(options: { terminalDir: string; terminalId: string; centralDir: string; count: number }): Promise<string[]> {
  const cards = new VirtualCardPayments(loadMasterKey(options.centralDir, systemRandom), systemClock, systemRandom);
  const ledger = await openLedger({ dataDir: options.terminalDir, owner: options.terminalId, clock: systemClock, random: systemRandom });
  const nextId = createUlidFactory(systemClock, systemRandom);
  const ids: string[] = [];
  try {
    let issued = 0;
    // Sixteen at a time, as a busy terminal's payments share group commits.
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (issued < options.count) {
          const index = issued++;
          const id = nextId();
          const posted = await ledger.engine.post(cards.offlinePayment(id, options.terminalId, currencyCodes[index % currencyCodes.length]!, BigInt((index % 997) + 1)));
          if (posted.result !== 'ok') throw new Error(`backlog payment ${id} was not posted: ${posted.result}`);
          ids.push(id);
        }
      }),
    );
  } finally {
    await ledger.close();
  }
  return ids;
}
