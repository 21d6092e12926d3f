// The operators part of the API contract: who is signed in at the terminal (one operator at a
// time: the terminal is one counter), signing in by fingerprint with the PIN as fallback,
// locking, re-authentication and a supervisor's override for sensitive actions, the first
// admin's creation with the setup code, and operator management. PINs travel only inside these
// calls' params, are checked against a salted scrypt hash and are never stored, echoed or logged.
import { z } from 'zod';
import { operatorRoleSchema, permissionSchema } from '../operators/roles.js';
import { ulidPattern } from '../ids.js';

const operatorId = z.string().regex(ulidPattern);
/** Operator PINs: 4 to 8 digits. */
export const operatorPinSchema = z.string().regex(/^\d{4,8}$/);
const clientId = z.string().min(8).max(40);

export const operatorSchema = z.object({ id: operatorId, name: z.string().min(1).max(60), role: operatorRoleSchema });
export type OperatorIdentity = z.infer<typeof operatorSchema>;

export const operatorSummarySchema = operatorSchema.extend({
  /** Where the operator's fingerprint is kept: none enrolled, in the reader's library, or sealed in the ledger. */
  fingerprint: z.enum(['none', 'on_device', 'host']),
  /** Locked out after too many wrong PINs, until a supervisor lifts it. */
  lockedOut: z.boolean(),
  createdAtMs: z.number().int().nonnegative(),
});
export type OperatorSummary = z.infer<typeof operatorSummarySchema>;

export const sessionStates = [
  /** A fresh terminal with no operator: the admin is created with the setup code. */
  'setup_required',
  'signed_out',
  /** Locked for want of activity (or by the operator): the same operator resumes, another signs in afresh. */
  'locked',
  'signed_in',
] as const;

export const sessionSchema = z.object({
  state: z.enum(sessionStates),
  /** The signed-in (or locked) operator. */
  operator: operatorSchema.nullable(),
  /** What the operator may do now (the role's permissions); empty unless signed in. */
  permissions: z.array(permissionSchema),
  /** Overrides a supervisor granted this session, each good for one use. */
  overrides: z.array(permissionSchema),
  signedInAtMs: z.number().int().nonnegative().nullable(),
  /** When the session locks without activity, and when it ends in any case. */
  idleExpiresAtMs: z.number().int().nonnegative().nullable(),
  absoluteExpiresAtMs: z.number().int().nonnegative().nullable(),
  /** Until when the last authentication counts as fresh for sensitive actions. */
  freshUntilMs: z.number().int().nonnegative().nullable(),
  fingerprint: z.object({
    /** Whether a fingerprint reader is ready now. */
    available: z.boolean(),
    /** Failed matches in a row at this terminal since the last sign-in. */
    failedMatches: z.number().int().nonnegative(),
  }),
  /** Whether a PIN is accepted now: after enough failed matches, or when no reader is ready. */
  pinAllowed: z.boolean(),
});
export type OperatorSession = z.infer<typeof sessionSchema>;

/** The answer to every way of proving who one is: sign-in, re-authentication, override, setup. */
export const authResultSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('signed_in'), session: sessionSchema }),
  /** Fingerprint: captured, but it matches no enrolled operator (or not the one expected). */
  z.object({ outcome: z.literal('no_match'), failedMatches: z.number().int().nonnegative(), pinAllowed: z.boolean() }),
  z.object({ outcome: z.literal('no_finger') }),
  z.object({ outcome: z.literal('poor_image') }),
  z.object({ outcome: z.literal('reader_unavailable'), pinAllowed: z.boolean() }),
  /** The PIN is not offered yet: fingerprint first while a reader is ready. */
  z.object({ outcome: z.literal('pin_not_allowed') }),
  z.object({ outcome: z.literal('pin_invalid'), attemptsLeft: z.number().int().nonnegative() }),
  /** Too many wrong PINs: only a supervisor can lift it. */
  z.object({ outcome: z.literal('locked_out') }),
  /** Override: the one who proved themselves does not hold the permission asked for. */
  z.object({ outcome: z.literal('not_permitted') }),
  /** Setup: the code is wrong, already used, or this terminal is not provisioned yet. */
  z.object({ outcome: z.literal('setup_code_invalid'), attemptsLeft: z.number().int().nonnegative() }),
]);
export type AuthResult = z.infer<typeof authResultSchema>;

const pinProof = z.object({ method: z.literal('pin'), operatorId, pin: operatorPinSchema }).strict();
const fingerprintProof = z.object({ method: z.literal('fingerprint') }).strict();

export const operatorCommandSchemas = {
  'session.get': { params: z.object({}).strict(), result: sessionSchema },
  /** Who may sign in here, for the PIN picker: names and roles, nothing else. */
  'session.operators': { params: z.object({}).strict(), result: z.array(operatorSchema) },
  /** Waits for a finger on the reader and signs its operator in (or resumes a locked session). */
  'session.fingerprint': { params: z.object({}).strict(), result: authResultSchema },
  'session.pin': { params: z.object({ operatorId, pin: operatorPinSchema }).strict(), result: authResultSchema },
  /** The signed-in operator proves themselves again, making the session fresh for sensitive actions. */
  'session.reauth': { params: z.discriminatedUnion('method', [fingerprintProof, z.object({ method: z.literal('pin'), pin: operatorPinSchema }).strict()]), result: authResultSchema },
  /** A supervisor (or anyone holding the permission) grants this session one use of it. */
  'session.override': { params: z.object({ permission: permissionSchema, supervisor: z.discriminatedUnion('method', [fingerprintProof, pinProof]) }).strict(), result: authResultSchema },
  /** Activity the runtime cannot see (typing an amount) that keeps the session from idling. */
  'session.touch': { params: z.object({}).strict(), result: sessionSchema },
  'session.lock': { params: z.object({}).strict(), result: sessionSchema },
  'session.signOut': { params: z.object({}).strict(), result: sessionSchema },
  /** A fresh terminal's first admin, with the one-time code `devpay provision --setup-code` printed; signs the admin in. */
  'setup.createAdmin': { params: z.object({ setupCode: z.string().min(1).max(40), name: z.string().trim().min(1).max(60), pin: operatorPinSchema }).strict(), result: authResultSchema },
  'operators.list': { params: z.object({}).strict(), result: z.array(operatorSummarySchema) },
  /**
   * Enrols an operator: the PIN, and with `fingerprint` a finger captured twice on the reader
   * (progress as operators.enrolStep events). All or nothing; the same clientId enrols once.
   */
  'operators.enrol': {
    params: z.object({ clientId, name: z.string().trim().min(1).max(60), role: operatorRoleSchema, pin: operatorPinSchema, fingerprint: z.boolean() }).strict(),
    result: operatorSummarySchema,
  },
  /** Enrols (or replaces) an existing operator's fingerprint. */
  'operators.enrolFingerprint': { params: z.object({ operatorId }).strict(), result: operatorSummarySchema },
  'operators.setPin': { params: z.object({ operatorId, pin: operatorPinSchema }).strict(), result: operatorSummarySchema },
  'operators.unlock': { params: z.object({ operatorId }).strict(), result: operatorSummarySchema },
  /** Removes an operator and their template from the reader; the last admin cannot be removed. */
  'operators.remove': { params: z.object({ operatorId }).strict(), result: z.object({ removed: z.boolean() }) },
  /** Simulator mode: the virtual fingers the panel can place on the simulated reader. */
  'sim.fingers': { params: z.object({}).strict(), result: z.array(z.object({ fingerIndex: z.number().int().nonnegative(), label: z.string() })) },
  'sim.placeFinger': { params: z.object({ fingerIndex: z.number().int().nonnegative().max(63).nullable() }).strict(), result: z.object({ placed: z.boolean() }) },
} as const;

export const enrolStepSchema = z.object({
  /** The enrolment's clientId, or the operator's id for operators.enrolFingerprint. */
  enrolmentId: z.string(),
  step: z.enum(['place_finger', 'remove_finger', 'place_again']),
});

export const operatorEventSchemas = {
  'session.changed': sessionSchema,
  'operators.enrolStep': enrolStepSchema,
} as const;
