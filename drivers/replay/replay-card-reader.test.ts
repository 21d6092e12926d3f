// Record and replay: a tap of a virtual DevPay card recorded through the simulated reader replays
// to the same parsed data; a terminal that sends anything else fails naming the transcript line,
// and one that stops early fails assertDone(). The committed fixture is checked the same way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { fromHex, seededRandom, toHex } from '../../core/clock.js';
import { deriveCardKey, terminalIdHash, type TerminalData } from '../../core/card/card-crypto.js';
import { DeviceError, type CardEvent } from '../../device/capabilities.js';
import { encodeTerminalData, selectCommand } from '../../device/devpay-card-apdu.js';
import { sessionTokenValid } from '../../core/card/offline-checks.js';
import { readDevpayCard } from '../../device/devpay-card-reading.js';
import { DevpayCard } from '../sim/devpay-card.js';
import { quietSim } from '../sim/seeded-latency.js';
import { SimCardReader } from '../sim/sim-card-reader.js';
import { devpayAtr } from '../sim/virtual-card.js';
import { fixtureTerminalData, fixtureUrl, recordFixtureTap } from './record-fixture.js';
import { RecordingCardReader } from './recording-card-reader.js';
import { ReplayCardReader } from './replay-card-reader.js';
import { TranscriptError } from './transcript.js';

const cardId = fromHex('8000000000000042');
const cardKey = deriveCardKey(fromHex('42'.repeat(32)), cardId);
const terminalData: TerminalData = {
  amountMinor: 99_900n,
  currency: 'TRY',
  terminalIdHash: terminalIdHash('kiosk-7'),
  unpredictableNumber: fromHex('0badf00d'),
  date: '260101',
};
const call = { exchangeTimeoutMs: 1000 };

function isDeviceError(code: DeviceError['code'], messagePart: string) {
  return (error: unknown) => error instanceof DeviceError && error.code === code && error.message.includes(messagePart);
}

async function recordTap(): Promise<{ text: string; data: Awaited<ReturnType<typeof readDevpayCard>> }> {
  const sim = new SimCardReader(quietSim(seededRandom(5)));
  const recorder = new RecordingCardReader(sim);
  sim.tap(new DevpayCard(cardId, cardKey, 41));
  const data = await readDevpayCard(recorder, terminalData, call);
  return { text: recorder.text(), data };
}

test('a recorded tap replays to the same card data', async () => {
  const { text, data } = await recordTap();
  assert.equal(data.atc, 42);
  assert.ok(sessionTokenValid(data, encodeTerminalData(terminalData)));
  assert.equal(text.split('\n').filter((line) => line.startsWith('=>')).length, 2);
  const replay = new ReplayCardReader('recorded-tap', text);
  assert.equal(replay.info.descriptor, 'replay:recorded-tap');
  assert.equal(replay.info.kind, 'card_reader');
  replay.tap();
  assert.deepEqual(await readDevpayCard(replay, terminalData, call), data);
  replay.assertDone();
  assert.equal(replay.remaining, 0);
});

test('a different unpredictable number fails naming the GENERATE line', async () => {
  const { text } = await recordTap();
  const replay = new ReplayCardReader('recorded-tap', text);
  replay.tap();
  const changed = { ...terminalData, unpredictableNumber: fromHex('0badf00e') };
  await assert.rejects(readDevpayCard(replay, changed, call), isDeviceError('transport_failed', 'replay:recorded-tap: line 3 expects => 80ae'));
  // The SELECT was replayed; the GENERATE still waits.
  assert.throws(() => replay.assertDone(), (error: unknown) => error instanceof TranscriptError && error.code === 'unfinished_transcript' && error.lineNumber === 3);
});

test('stopping early fails assertDone; sending past the end fails naming the last line', async () => {
  const { text } = await recordTap();
  const early = new ReplayCardReader('early', text);
  early.tap();
  await early.transmit(selectCommand(), { timeoutMs: 100 });
  assert.throws(() => early.assertDone(), /replay:early: 1 exchange\(s\) not replayed, the next at line 3/);

  const past = new ReplayCardReader('past', text);
  past.tap();
  await readDevpayCard(past, terminalData, call);
  await assert.rejects(past.transmit(selectCommand(), { timeoutMs: 100 }), isDeviceError('transport_failed', 'transcript ended at line 4'));
});

test('the committed fixture is what the recorder records, and it replays', async () => {
  const committed = readFileSync(fixtureUrl, 'utf8');
  assert.equal(committed, await recordFixtureTap(), 'run: node --import tsx drivers/replay/record-fixture.ts');
  const replay = new ReplayCardReader('devpay-tap-usd', committed);
  replay.tap();
  const data = await readDevpayCard(replay, fixtureTerminalData, call);
  replay.assertDone();
  assert.equal(toHex(data.cardId), '0011223344556677');
  assert.equal(data.atc, 1);
  assert.equal(data.pan, '8991003655506580');
  assert.equal(data.cvv, '092');
  assert.equal(toHex(data.cryptogram), '8c1ad575dbf81a51be0a9a4b9306e7ae');
  assert.equal(toHex(data.sessionToken), '2ab18ab68f9bf4529be0cf315b69bb49');
  assert.equal(data.cvm, 'none');
  // Replayed with the terminal data it was recorded for, the answer passes the terminal's first check.
  assert.ok(sessionTokenValid(data, encodeTerminalData(fixtureTerminalData)));

  const other = new ReplayCardReader('devpay-tap-usd', committed);
  other.tap();
  await assert.rejects(readDevpayCard(other, { ...fixtureTerminalData, amountMinor: 1251n }, call), isDeviceError('transport_failed', 'line 8 expects'));
});

test('taps and removals are events; no card, an abort and a bad transcript are named errors', async () => {
  const replay = new ReplayCardReader('events', '=> 00a4040000\n<= 6a82\n');
  const events: CardEvent[] = [];
  const unsubscribe = replay.onCard((event) => events.push(event));
  await assert.rejects(replay.transmit(fromHex('00a4040000'), { timeoutMs: 100 }), isDeviceError('not_present', 'no card'));
  assert.equal(replay.hasCard(), false);
  replay.tap();
  assert.equal(replay.hasCard(), true);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(replay.transmit(fromHex('00a4040000'), { timeoutMs: 100, signal: controller.signal }), isDeviceError('aborted', 'aborted'));
  assert.equal(toHex(await replay.transmit(fromHex('00a4040000'), { timeoutMs: 100 })), '6a82');
  replay.removeCard();
  replay.removeCard();
  unsubscribe();
  replay.tap();
  assert.deepEqual(events, [{ type: 'card_present', atr: devpayAtr }, { type: 'card_removed' }]);
  assert.equal(replay.health().detail, '1 of 1 exchanges replayed');
  await replay.close();

  assert.throws(() => new ReplayCardReader('bad', '=> 00a4\n<= 9000\n=> 80\n'), (error: unknown) => error instanceof TranscriptError && error.lineNumber === 3);
  assert.throws(() => new ReplayCardReader('has space', ''), RangeError);
  assert.throws(() => new ReplayCardReader('', ''), RangeError);
});

test('the recorder passes everything through and keeps failed exchanges as comments', async () => {
  const sim = new SimCardReader(quietSim(seededRandom(9)));
  const recorder = new RecordingCardReader(sim);
  assert.equal(recorder.info.descriptor, sim.info.descriptor);
  const events: string[] = [];
  recorder.onCard((event) => events.push(event.type));
  await assert.rejects(recorder.transmit(selectCommand(), { timeoutMs: 100 }), isDeviceError('not_present', 'no card'));
  assert.equal(recorder.hasCard(), false);
  sim.tap(new DevpayCard(cardId, cardKey));
  assert.equal(recorder.hasCard(), true);
  const command = selectCommand();
  const response = await recorder.transmit(command, { timeoutMs: 100 });
  command.fill(0);
  recorder.comment('card removed here');
  sim.removeCard();
  assert.deepEqual(events, ['card_present', 'card_removed']);
  assert.equal(
    recorder.text(),
    `# => ${toHex(selectCommand())} failed (not_present)\n=> ${toHex(selectCommand())}\n<= ${toHex(response)}\n# card removed here\n`,
  );
  assert.deepEqual(recorder.health(), sim.health());
});
