import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiServer, type ApiConnection, type Authorize, type CommandHandlers } from './api-server.js';
import { createLogger } from '../logger.js';
import { ApiError } from '../../core/api/envelope.js';

const silent = createLogger({ level: 'silent' });
const status = {
  terminalId: 't-test',
  mode: 'counter' as const,
  simulator: true,
  runtimeVersion: '0.0.0',
  link: { state: 'offline' as const, brokerReachable: false, centralReachable: false, centralRoundTripMs: null, centralLastSeenAt: null, clockOffsetMs: null, heartbeatIntervalMs: 2000, centralUnreachableSinceMs: 1_795_000_000_000 },
  devices: [],
  sync: { provisioned: false, unsyncedCount: 0, unsyncedAmountsMinor: {}, oldestUnsyncedAgeMs: null, offlineLimits: null },
  ledger: { state: 'ok' as const, cause: null },
  problems: [{ code: 'native_module_missing' as const, subject: 'node-hid', fix: 'apt-get install -y libusb-1.0-0, then npm install' }],
};

const signedOut = {
  state: 'signed_out' as const,
  operator: null,
  permissions: [],
  overrides: [],
  signedInAtMs: null,
  idleExpiresAtMs: null,
  absoluteExpiresAtMs: null,
  freshUntilMs: null,
  fingerprint: { available: false, failedMatches: 0 },
  pinAllowed: true,
};

function server(overrides: Partial<CommandHandlers> = {}, authorize: Authorize | null = null): ApiServer {
  return new ApiServer(
    {
      'system.ping': () => ({ pong: true, runtimeVersion: '0.0.0' }),
      'status.get': () => status,
      'link.checkNow': () => ({ centralReachable: false, roundTripMs: null }),
      'ledger.summary': () => ({ transactionCount: 0, pendingOutboxCount: 0, currencies: [] }),
      'sync.now': () => status.sync,
      'payment.start': () => {
        throw new Error('no payments in this test');
      },
      'payment.cancel': () => ({ cancelled: false }),
      'payment.current': () => null,
      'sim.cards': () => [],
      'sim.tap': () => ({ tapped: false }),
      'sim.removeCard': () => ({ removed: false }),
      'journal.list': () => ({ entries: [], nextCursor: null }),
      'alerts.list': () => ({ alerts: [] }),
      'alerts.dismiss': () => ({ dismissed: false }),
      'preferences.get': () => ({ locale: 'en', timeZone: 'Europe/Istanbul', irrDisplay: 'rial', printCustomerCopy: true }),
      'preferences.set': () => ({ locale: 'en', timeZone: 'Europe/Istanbul', irrDisplay: 'rial', printCustomerCopy: true }),
      'refund.start': () => {
        throw new Error('not used here');
      },
      'void.start': () => {
        throw new Error('not used here');
      },
      'journal.detail': () => {
        throw new Error('not used here');
      },
      'day.report': () => {
        throw new Error('not used here');
      },
      'day.close': () => ({ outcome: 'refused', reason: 'nothing_to_close', unsyncedCount: 0 }),
      'day.list': () => ({ reports: [] }),
      'receipt.print': () => ({ printed: false, failure: 'printer_not_configured', unmappableCount: 0 }),
      'report.print': () => ({ printed: false, failure: 'printer_not_configured', unmappableCount: 0 }),
      'cvm.submitPin': () => ({ accepted: false }),
      'cvm.cancelPin': () => ({ cancelled: false }),
      'session.get': () => signedOut,
      'session.operators': () => [],
      'session.fingerprint': () => ({ outcome: 'no_finger' }),
      'session.pin': () => ({ outcome: 'pin_invalid', attemptsLeft: 4 }),
      'session.reauth': () => ({ outcome: 'no_finger' }),
      'session.override': () => ({ outcome: 'not_permitted' }),
      'session.touch': () => signedOut,
      'session.lock': () => signedOut,
      'session.signOut': () => signedOut,
      'setup.createAdmin': () => ({ outcome: 'setup_code_invalid', attemptsLeft: 4 }),
      'operators.list': () => [],
      'operators.enrol': () => {
        throw new Error('not used here');
      },
      'operators.enrolFingerprint': () => {
        throw new Error('not used here');
      },
      'operators.setPin': () => {
        throw new Error('not used here');
      },
      'operators.unlock': () => {
        throw new Error('not used here');
      },
      'operators.remove': () => ({ removed: false }),
      'sim.fingers': () => [],
      'sim.placeFinger': () => ({ placed: false }),
      ...overrides,
    },
    silent,
    authorize,
  );
}

async function reply(api: ApiServer, raw: unknown): Promise<Record<string, unknown>> {
  return JSON.parse(await api.handleMessage(raw)) as Record<string, unknown>;
}

test('a well-formed call gets its result with the same id', async () => {
  const answer = await reply(server(), JSON.stringify({ v: 1, type: 'call', id: 'a1', method: 'system.ping', params: {} }));
  assert.deepEqual(answer, { v: 1, type: 'result', id: 'a1', ok: true, result: { pong: true, runtimeVersion: '0.0.0' } });
});

test('each kind of bad message gets its named error', async () => {
  const api = server();
  const cases: Array<[unknown, string]> = [
    ['{', 'malformed_json'],
    [Buffer.from('{}'), 'invalid_envelope'],
    ['"just a string"', 'invalid_envelope'],
    ['x'.repeat(70_000), 'message_too_large'],
    [JSON.stringify({ v: 2, type: 'call', id: 'a', method: 'system.ping', params: {} }), 'unsupported_version'],
    [JSON.stringify({ v: 1, type: 'call', id: 'a', method: 'ledger.drop', params: {} }), 'unknown_method'],
    [JSON.stringify({ v: 1, type: 'call', id: 'a', method: '__proto__', params: {} }), 'unknown_method'],
    [JSON.stringify({ v: 1, type: 'call', id: 'a', method: 'status.get', params: { evil: true } }), 'invalid_params'],
    [JSON.stringify({ v: 1, type: 'call', id: '', method: 'status.get', params: {} }), 'invalid_envelope'],
    [JSON.stringify({ v: 1, type: 'call', id: 'a', method: 'status.get', params: {}, extra: 1 }), 'invalid_envelope'],
  ];
  for (const [raw, code] of cases) {
    const answer = await reply(api, raw);
    assert.equal(answer.ok, false, String(raw).slice(0, 40));
    assert.equal((answer.error as { code: string }).code, code, String(raw).slice(0, 40));
  }
  assert.equal(api.rejectedCount, cases.length);
});

test('a throwing handler is answered handler_failed without its internals; ApiErrors keep their code', async () => {
  const api = server({
    'status.get': () => {
      throw new Error('secret internal detail');
    },
    'link.checkNow': () => {
      throw new ApiError('timeout', 'central did not answer');
    },
  });
  const failed = await reply(api, JSON.stringify({ v: 1, type: 'call', id: 'b', method: 'status.get', params: {} }));
  assert.deepEqual(failed.error, { code: 'handler_failed', message: 'status.get failed' });
  const named = await reply(api, JSON.stringify({ v: 1, type: 'call', id: 'c', method: 'link.checkNow', params: {} }));
  assert.deepEqual(named.error, { code: 'timeout', message: 'central did not answer' });
});

test('events reach every attached connection; a failing connection does not stop the others', () => {
  const api = server();
  const received: string[] = [];
  const connection = (label: string, send: (text: string) => void): ApiConnection => ({ label, send, onMessage() {}, onClose() {} });
  api.attach(connection('broken', () => {
    throw new Error('socket gone');
  }));
  api.attach(connection('ok', (text) => received.push(text)));
  api.publish('status.changed', status);
  assert.equal(received.length, 1);
  assert.equal((JSON.parse(received[0]!) as { name: string }).name, 'status.changed');
});

test('the authorize hook runs before the handler: its named refusal is the answer and the handler never runs', async () => {
  const ran: string[] = [];
  const api = server(
    {
      'ledger.summary': () => {
        ran.push('ledger.summary');
        return { transactionCount: 0, pendingOutboxCount: 0, currencies: [] };
      },
    },
    (method) => {
      if (method === 'ledger.summary') throw new ApiError('not_signed_in', 'ledger.summary needs a signed-in operator; sign in first');
    },
  );
  const refused = await reply(api, JSON.stringify({ v: 1, type: 'call', id: 'g1', method: 'ledger.summary', params: {} }));
  assert.deepEqual(refused.error, { code: 'not_signed_in', message: 'ledger.summary needs a signed-in operator; sign in first' });
  assert.deepEqual(ran, []);
  const allowed = await reply(api, JSON.stringify({ v: 1, type: 'call', id: 'g2', method: 'system.ping', params: {} }));
  assert.equal(allowed.ok, true);
});
