// `npm run bench -- NAME`: runs one benchmark (or all) and prints JSON. The last line of each
// benchmark's output is one JSON object; later issues add ledger, sync and tap.
import { argv } from 'node:process';

const benches: Record<string, () => Promise<Record<string, unknown>>> = {
  api: async () => (await import('./api-round-trip.js')).runApiRoundTrip(),
  ledger: async () => (await import('./ledger-bench.js')).runLedgerBench(),
  sync: async () => (await import('./sync-bench.js')).runSyncBench(),
  tap: async () => (await import('./tap-bench.js')).runTapBench(),
  day: async () => (await import('./day.js')).runDayBench(),
  operators: async () => (await import('./operators.js')).runOperatorsBench(),
};

const requested = argv.slice(2);
const names = requested.length > 0 ? requested : Object.keys(benches);
for (const name of names) {
  const bench = benches[name];
  if (!bench) {
    process.stderr.write(`unknown benchmark ${name}; known: ${Object.keys(benches).join(', ')}\n`);
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await bench())}\n`);
}
