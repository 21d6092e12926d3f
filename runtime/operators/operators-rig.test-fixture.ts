// The operator parts over a real ledger in a temporary folder and the simulated R30x reader (the
// real driver over an in-memory link): a manual clock for the session's times, a first admin
// created with the setup code, and operators enrolled with a finger the way a person gives it.
// PINs are hashed with cheap scrypt parameters here so the tests run in seconds; the real
// parameters are pin-hash.test.ts's, and each hash carries its own.
import { manualClock, seededRandom } from '../../core/clock.js';
import type { OperatorSession } from '../../core/api/operators.js';
import type { OperatorRole } from '../../core/operators/roles.js';
import { setupCodeFor } from '../../core/operators/setup-code.js';
import { createUlidFactory } from '../../core/ids.js';
import type { EnrolStep } from '../../device/capabilities.js';
import { DeviceManager } from '../../device/device-manager.js';
import { createSimFingerprintReader } from '../../drivers/sim/sim-fingerprint.js';
import { openTestLedger, testOwner, type TestLedger } from '../../ledger/test-ledger.js';
import { createLogger } from '../logger.js';
import { AccessGuard } from './access-guard.js';
import { OperatorAdmin } from './operator-admin.js';
import { OperatorSessions } from './operator-sessions.js';
import { createFirstAdmin, type SetupAdminOptions } from './setup-admin.js';

export const fastPinHash = { N: 1024, r: 8, p: 1 };
export const syncKey = new Uint8Array(32).fill(0x17);
export const setupCode = setupCodeFor(syncKey, testOwner);

export async function operatorsRig(seed: number, options: { syncKey?: Uint8Array | null } = {}) {
  const handle: TestLedger = await openTestLedger(seed);
  const clock = manualClock(1_800_000_000_000);
  const random = seededRandom(seed);
  const logger = createLogger({ level: 'silent' });
  const devices = new DeviceManager();
  const sim = createSimFingerprintReader({ random });
  devices.add(sim.reader);
  const published: OperatorSession[] = [];
  const steps: Array<{ enrolmentId: string; step: EnrolStep }> = [];
  const sessions = new OperatorSessions({ currentLedger: () => handle.ledger, devices, clock, logger, publish: (session) => published.push(session), fingerprintWaitMs: 400 });
  const nextId = createUlidFactory(clock, random);
  let enrolFinger = 0;
  const admin = new OperatorAdmin({
    sessions,
    random,
    nowMs: () => clock.nowMs(),
    nextId,
    logger,
    pinHashParameters: fastPinHash,
    enrolmentTimeoutMs: 3000,
    onEnrolStep: (enrolmentId, step) => {
      steps.push({ enrolmentId, step });
      if (step === 'remove_finger') sim.fingers.place(null);
      if (step === 'place_again') setTimeout(() => sim.fingers.place(enrolFinger), 20);
    },
  });
  const guard = new AccessGuard({ sessions, paymentCurrency: async () => null });
  const setupOptions: Omit<SetupAdminOptions, 'sessions'> = { terminalId: testOwner, syncKey: options.syncKey === undefined ? syncKey : options.syncKey, random, nowMs: () => clock.nowMs(), nextId, logger, pinHashParameters: fastPinHash };
  await sessions.start();
  return {
    handle,
    clock,
    sim,
    devices,
    sessions,
    admin,
    guard,
    published,
    steps,
    setup: (params: { setupCode: string; name: string; pin: string }) => createFirstAdmin({ ...setupOptions, sessions }, params),
    /** Enrols an operator (with finger `finger` when given) as the signed-in admin `byId`. */
    async enrol(byId: string, name: string, role: OperatorRole, pin: string, finger: number | null, clientId = `enrol-${name.toLowerCase()}`) {
      enrolFinger = finger ?? 0;
      if (finger !== null) sim.fingers.place(finger);
      try {
        return await admin.enrol({ clientId, name, role, pin, fingerprint: finger !== null }, byId);
      } finally {
        sim.fingers.place(null);
      }
    },
    /** Puts a finger on the reader and asks the session to sign its operator in. */
    async fingerprintSignIn(finger: number | null) {
      sim.fingers.place(finger);
      try {
        return await sessions.fingerprint();
      } finally {
        sim.fingers.place(null);
      }
    },
    async auditKinds(): Promise<string[]> {
      return (await handle.ledger.audit.all()).map((entry) => entry.kind);
    },
    async close() {
      sessions.stop();
      await devices.closeAll();
      await handle.ledger.close();
    },
  };
}

export type OperatorsRig = Awaited<ReturnType<typeof operatorsRig>>;

/** The admin created with the setup code and signed in, with a cashier and a supervisor enrolled with fingers 1 and 2. */
export async function staffedRig(seed: number) {
  const rig = await operatorsRig(seed);
  const created = await rig.setup({ setupCode, name: 'Ada Admin', pin: '1111' });
  if (created.outcome !== 'signed_in' || !created.session.operator) throw new Error(`setup answered ${created.outcome}`);
  const adminId = created.session.operator.id;
  const cashier = await rig.enrol(adminId, 'Cem Cashier', 'cashier', '2222', 1);
  const supervisor = await rig.enrol(adminId, 'Sia Supervisor', 'supervisor', '3333', 2);
  return { ...rig, adminId, cashierId: cashier.id, supervisorId: supervisor.id };
}
