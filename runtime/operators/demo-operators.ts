// Simulator mode's demo operators, so a newcomer is never locked out of the demo: a demo admin
// and a demo cashier, created at the first start, whose PINs are derived from the terminal's
// sync key and id (HMAC, six digits), never stored in clear: the same each start, so the console
// can print them beside the URL without anything keeping them. Their fingers (simulated finger 0
// for the admin, 1 for the cashier) are enrolled on the simulated reader at every start, since
// its library lives in memory. The PINs go to the console only, never to the log.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Random } from '../../core/clock.js';
import type { OperatorRole } from '../../core/operators/roles.js';
import type { FingerprintReader } from '../../device/capabilities.js';
import type { OperatorRecord, StoredFingerprint } from '../../ledger/stores/operators-store.js';
import type { Logger } from '../logger.js';
import type { OperatorSessions } from './operator-sessions.js';
import { hashPin, type PinHashParameters } from './pin-hash.js';

/** What the simulated reader's panel offers: fingers to place and lift (drivers/sim/sim-fingerprint.ts). */
export interface SimFingers {
  list(): Array<{ fingerIndex: number; label: string }>;
  place(fingerIndex: number | null): void;
}

export interface DemoOperator {
  name: string;
  role: OperatorRole;
  pin: string;
  /** The simulated finger enrolled for them, as the panel labels it; null when none could be. */
  finger: string | null;
}

const demos: ReadonlyArray<{ name: string; role: OperatorRole; clientId: string; fingerIndex: number }> = [
  { name: 'Demo admin', role: 'admin', clientId: 'demo-admin-v1', fingerIndex: 0 },
  { name: 'Demo cashier', role: 'cashier', clientId: 'demo-cashier-v1', fingerIndex: 1 },
];

/** The console's lines for the demo operators, one each: name, role, PIN and simulated finger. */
export function demoOperatorLines(demos: readonly DemoOperator[]): string {
  return demos.map((demo) => `Demo operator: ${demo.name} (${demo.role}), PIN ${demo.pin}${demo.finger ? `, or ${demo.finger} on the simulated reader` : ''}\n`).join('');
}

/** Six digits from HMAC-SHA256(key, 'devpay-demo-pin-v1' ‖ role ‖ terminal id). */
export function demoPin(key: Uint8Array, role: OperatorRole, terminalId: string): string {
  const mac = hmac(sha256, key, new TextEncoder().encode(`devpay-demo-pin-v1\u0000${role}\u0000${terminalId}`));
  const value = ((mac[0]! << 24) | (mac[1]! << 16) | (mac[2]! << 8) | mac[3]!) >>> 0;
  return String(value % 1_000_000).padStart(6, '0');
}

export interface DemoOperatorOptions {
  sessions: OperatorSessions;
  terminalId: string;
  /** The key the PINs derive from: the terminal's sync key in simulator mode. */
  key: Uint8Array;
  reader: FingerprintReader | null;
  fingers: SimFingers | null;
  random: Random;
  nowMs: () => number;
  nextId: () => string;
  logger: Logger;
  pinHashParameters?: PinHashParameters;
}

/** Creates the demo operators when the terminal has none, and enrols their fingers; answers them for the console. */
export async function prepareDemoOperators(options: DemoOperatorOptions): Promise<DemoOperator[]> {
  const { sessions, logger } = options;
  const ledger = sessions.ledgerOperators();
  if ((await ledger.list()).length === 0) {
    for (const demo of demos) {
      const id = options.nextId();
      const record: OperatorRecord = {
        id,
        name: demo.name,
        role: demo.role,
        pinHash: await hashPin(demoPin(options.key, demo.role, options.terminalId), options.random, options.pinHashParameters),
        fingerprint: { storage: 'none' },
        failedPinCount: 0,
        lockedOut: false,
        createdAtMs: options.nowMs(),
        enrolClientId: demo.clientId,
      };
      if (demo.role === 'admin') await ledger.createFirstAdmin(record);
      else await ledger.enrol(record, null);
    }
    logger.info({}, 'simulator: demo admin and cashier created');
  }
  const result: DemoOperator[] = [];
  for (const demo of demos) {
    // Read for each: the slot the one before took must count as held.
    const operators = await ledger.list();
    const operator = operators.find((each) => each.enrolClientId === demo.clientId);
    if (!operator) continue;
    const finger = await enrolDemoFinger(options, operator, demo.fingerIndex, operators).catch((error: unknown) => {
      logger.warn({ err: error, operatorId: operator.id }, 'simulator: demo finger not enrolled');
      return null;
    });
    result.push({ name: operator.name, role: operator.role, pin: demoPin(options.key, demo.role, options.terminalId), finger });
  }
  await sessions.operatorsChanged();
  return result;
}

/** Places the finger, lifts it and places it again as the enrolment asks; answers the finger's label. */
async function enrolDemoFinger(options: DemoOperatorOptions, operator: OperatorRecord, fingerIndex: number, operators: readonly OperatorRecord[]): Promise<string | null> {
  const { reader, fingers } = options;
  if (!reader || !fingers) return null;
  const label = fingers.list().find((finger) => finger.fingerIndex === fingerIndex)?.label ?? `finger ${fingerIndex}`;
  // The operator's own slot when they have one (the ledger already says so), else the lowest free one.
  const held = new Set(operators.flatMap((each) => (each.fingerprint.storage === 'on_device' && each.id !== operator.id ? [each.fingerprint.slot] : [])));
  let slot = operator.fingerprint.storage === 'on_device' ? operator.fingerprint.slot : 0;
  while (operator.fingerprint.storage !== 'on_device' && held.has(slot)) slot += 1;
  if (reader.templateStorage === 'on_device') await reader.deleteTemplate(slot, { timeoutMs: 5000 });
  fingers.place(fingerIndex);
  try {
    const enrolled = await reader.enrol(slot, {
      timeoutMs: 10_000,
      onStep: (step) => {
        if (step === 'remove_finger') fingers.place(null);
        if (step === 'place_again') fingers.place(fingerIndex);
      },
    });
    if (enrolled.type !== 'enrolled') throw new Error(`demo enrolment answered ${enrolled.type}`);
    const fingerprint: StoredFingerprint =
      reader.templateStorage === 'host' && enrolled.template ? { storage: 'host', template: Buffer.from(enrolled.template).toString('hex') } : { storage: 'on_device', slot: enrolled.slot ?? slot };
    if (JSON.stringify(fingerprint) !== JSON.stringify(operator.fingerprint)) await options.sessions.ledgerOperators().setFingerprint(operator.id, fingerprint, operator.id);
  } finally {
    fingers.place(null);
  }
  return label;
}
