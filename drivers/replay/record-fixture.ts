// Records test/fixtures/transcripts/devpay-tap-usd.transcript: one tap of a virtual DevPay card
// (the worked example of docs/card-protocol.md) on the simulated reader, through the recorder.
// The inputs are fixed test values, so recording again gives the same bytes, and a test checks
// that the committed file is still what this records. Run it after a deliberate protocol change:
//   node --import tsx drivers/replay/record-fixture.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromHex, seededRandom } from '../../core/clock.js';
import { deriveCardKey, terminalIdHash, type TerminalData } from '../../core/card/card-crypto.js';
import { readDevpayCard } from '../../device/devpay-card-reading.js';
import { DevpayCard } from '../sim/devpay-card.js';
import { quietSim } from '../sim/seeded-latency.js';
import { SimCardReader } from '../sim/sim-card-reader.js';
import { RecordingCardReader } from './recording-card-reader.js';
import { serializeTranscript } from './transcript.js';

export const fixtureUrl = new URL('../../test/fixtures/transcripts/devpay-tap-usd.transcript', import.meta.url);

/** A test master key and card id; never a production value. */
export const fixtureMasterKey = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
export const fixtureCardId = fromHex('0011223344556677');
/**
 * The PIN challenge the fixture card answers in SELECT. A real card draws it at random for each
 * selection; the fixture fixes it so that recording again gives the same bytes.
 */
export const fixtureChallenge = fromHex('0f1e2d3c4b5a6978');

/** 12.50 USD at terminal t-alpha001 on 14 March 2025. */
export const fixtureTerminalData: TerminalData = {
  amountMinor: 1250n,
  currency: 'USD',
  terminalIdHash: terminalIdHash('t-alpha001'),
  unpredictableNumber: fromHex('a1b2c3d4'),
  date: '250314',
};

export function fixtureCard(): DevpayCard {
  return new DevpayCard(fixtureCardId, deriveCardKey(fixtureMasterKey, fixtureCardId), 0, { randomBytes: () => fixtureChallenge.slice() });
}

/** Taps a fresh fixture card once and answers the transcript's text. */
export async function recordFixtureTap(): Promise<string> {
  const sim = new SimCardReader(quietSim(seededRandom(1)));
  const recorder = new RecordingCardReader(sim);
  recorder.comment('One tap of a virtual DevPay card, recorded by drivers/replay/record-fixture.ts.');
  recorder.comment('Card 0011223344556677 under the test master key 000102...1f, first tap (ATC 1).');
  recorder.comment('Terminal data: 12.50 USD, terminal t-alpha001, unpredictable number a1b2c3d4, date 250314.');
  recorder.comment('SELECT by AID f044455650415901:');
  sim.tap(fixtureCard());
  await readDevpayCard(recorder, fixtureTerminalData, { exchangeTimeoutMs: 1000 });
  await recorder.close();
  const transcript = recorder.transcript();
  const generate = transcript.exchanges[1];
  if (transcript.exchanges.length !== 2 || !generate) throw new Error('a tap is two exchanges: SELECT and GENERATE');
  generate.comments.push('GENERATE with the 27 bytes of terminal data:');
  return serializeTranscript(transcript);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(fixtureUrl, await recordFixtureTap());
  process.stdout.write(`wrote ${fileURLToPath(fixtureUrl)}\n`);
}
