// The process the enrolment crash test kills: a terminal runtime on the test's data folder whose
// fingerprint reader is the R30x driver on the host end of a socat pty (the simulated module, on
// the device end, lives in the test process, so like a real module it outlives the terminal's
// crash). It signs the admin in (creating it with the setup code on the first run) and then:
//   enrol CLIENT_ID: prints "ready", enrols a cashier with a finger under CLIENT_ID, printing
//     "step <step>" for each operators.enrolStep and "enrolled <operator id>" once answered;
//   check CLIENT_ID: prints "operators <json>", tries the finger on the sensor ("fingerprint
//     <json>"), retries the enrolment as the admin's screen would ("enrolled <id> <repeated>")
//     and prints "operators <json>" again;
//   pins: with no reader (HOST_PATH "-"), signs each cashier in by PIN ("pin <id> <outcome>").
import type { AuthResult, OperatorSession, OperatorSummary } from '../../core/api/operators.js';
import { setupCodeFor } from '../../core/operators/setup-code.js';
import { serialFingerprintLink } from '../../drivers/fingerprint/fingerprint-link.js';
import { R30xFingerprintReader } from '../../drivers/fingerprint/r30x-fingerprint-reader.js';
import { openLedger } from '../../ledger/ledger.js';
import { createLogger } from '../../runtime/logger.js';
import { systemClock, systemRandom } from '../../runtime/system-clock.js';
import { TerminalRuntime } from '../../runtime/terminal-runtime.js';
import { attachApiSession, type ApiSession } from '../harness/api-session.js';
import { crashAdminPin, crashCashierPin, crashSyncKey, crashTerminalId } from './enrolment-crash-setup.js';


const [dataDir, hostPath, mode, clientId] = process.argv.slice(2);
if (!dataDir || !hostPath || !mode) throw new Error('usage: enrolment-crash-worker.ts DATA_DIR HOST_PATH|- enrol|check|pins [CLIENT_ID]');

const print = (line: string): void => void process.stdout.write(`${line}\n`);

const ledger = await openLedger({ dataDir, owner: crashTerminalId, clock: systemClock, random: systemRandom });
const reader = hostPath === '-' ? null : new R30xFingerprintReader({ descriptor: `serial:${hostPath}`, openLink: serialFingerprintLink(hostPath), replyTimeoutMs: 1500, reconnectIntervalMs: 100 });
const runtime = new TerminalRuntime({
  dataDir,
  mode: 'counter',
  simulator: false,
  pcsc: false,
  broker: null,
  clock: systemClock,
  random: systemRandom,
  logger: createLogger({ level: 'silent' }),
  ledger,
  terminalId: crashTerminalId,
  syncKey: crashSyncKey,
  centralPublicKey: null,
  ...(reader ? { fingerprintReader: reader } : {}),
});
await runtime.start();
const api = attachApiSession(runtime.api);

async function signInAdmin(session: ApiSession): Promise<void> {
  const state = (await session.call<OperatorSession>('session.get')).state;
  const result =
    state === 'setup_required'
      ? await session.call<AuthResult>('setup.createAdmin', { setupCode: setupCodeFor(crashSyncKey, crashTerminalId), name: 'Crash admin', pin: crashAdminPin })
      : await session.call<AuthResult>('session.pin', { operatorId: (await session.call<Array<{ id: string; role: string }>>('session.operators')).find((operator) => operator.role === 'admin')!.id, pin: crashAdminPin });
  if (result.outcome !== 'signed_in') throw new Error(`the admin did not sign in: ${JSON.stringify(result)}`);
}

/** Prints every enrolment step as it is asked for, so the test can move the finger (and kill). */
async function printSteps(session: ApiSession): Promise<never> {
  for (;;) print(`step ${(await session.nextEvent<{ step: string }>('operators.enrolStep', () => true, 600_000)).step}`);
}

const enrol = (id: string): Promise<OperatorSummary> =>
  api.call<OperatorSummary>('operators.enrol', { clientId: id, name: `Cashier ${id}`, role: 'cashier', pin: crashCashierPin, fingerprint: true });

const listed = async (): Promise<string> => JSON.stringify((await api.call<OperatorSummary[]>('operators.list')).map(({ id, name, role, fingerprint }) => ({ id, name, role, fingerprint })));

await signInAdmin(api);
void printSteps(api).catch(() => undefined);
if (mode === 'enrol') {
  print('ready');
  print(`enrolled ${(await enrol(clientId!)).id}`);
} else if (mode === 'check') {
  print(`operators ${await listed()}`);
  await api.call('session.signOut');
  print(`fingerprint ${JSON.stringify(await api.call<AuthResult>('session.fingerprint'))}`);
  await api.call('session.signOut');
  await signInAdmin(api);
  const before = new Set((await api.call<OperatorSummary[]>('operators.list')).map((operator) => operator.id));
  const retried = await enrol(clientId!);
  print(`enrolled ${retried.id} ${before.has(retried.id)}`);
  print(`operators ${await listed()}`);
} else if (mode === 'pins') {
  for (const operator of await api.call<OperatorSummary[]>('operators.list')) {
    if (operator.role !== 'cashier') continue;
    await api.call('session.signOut');
    print(`pin ${operator.id} ${(await api.call<AuthResult>('session.pin', { operatorId: operator.id, pin: crashCashierPin })).outcome}`);
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
await api.close();
await runtime.stop();
await runtime.currentLedger()?.close();
process.exit(0);
