// The payment part of the API contract: starting a charge, its progress and result (with the
// receipt's data), and, in simulator mode, the panel of virtual cards the merchant can tap.
import { z } from 'zod';
import { currencyCodes } from '../currency.js';
import { declineReasonCodes } from '../card/decline-reasons.js';

const minorString = z.string().regex(/^[1-9]\d{0,17}$/);

export const paymentStartParamsSchema = z.object({ amountMinor: minorString, currency: z.enum(currencyCodes) }).strict();

export const paymentStates = ['waiting_for_card', 'reading_card', 'waiting_for_pin', 'authorizing', 'approved', 'declined', 'cancelled'] as const;

/**
 * The PIN pad's request while a charge waits for the cardholder's PIN: the card's PIN key and
 * its fresh challenge, to which the PIN pad seals the PIN (core/card/pin-encipherment.ts).
 */
export const pinRequestSchema = z.object({
  cardPinKey: z.string().regex(/^[0-9a-f]{64}$/),
  challenge: z.string().regex(/^[0-9a-f]{16}$/),
  /** Tries the card has left before it blocks its PIN, as the card said. */
  triesLeft: z.number().int().min(0).max(15),
  /** Whether the previous try was wrong (the PIN pad says so and asks again). */
  previousWrong: z.boolean(),
  /** Why the PIN is asked: above central's CVM limit, or above the lower limit offline. */
  reason: z.enum(['above_cvm_limit', 'offline_above_cvm_limit']),
});
export type PinRequest = z.infer<typeof pinRequestSchema>;

export const receiptSchema = z.object({
  paymentId: z.string(),
  terminalId: z.string(),
  atMs: z.number().int(),
  amountMinor: z.string(),
  currency: z.enum(currencyCodes),
  /** The one-time PAN masked to its BIN and last four digits; the full PAN is never kept. */
  panMasked: z.string(),
  atc: z.number().int(),
  mode: z.enum(['online', 'offline']),
  /** The operator who took the payment (null for payments from before operators existed). */
  operatorId: z.string().nullable(),
  /** How the cardholder was verified: the card checked the PIN, or none was needed. */
  cvm: z.enum(['card_pin', 'none']),
});
export type Receipt = z.infer<typeof receiptSchema>;

export const paymentUpdateSchema = z.object({
  attemptId: z.string(),
  state: z.enum(paymentStates),
  amountMinor: z.string(),
  currency: z.enum(currencyCodes),
  paymentId: z.string().nullable(),
  mode: z.enum(['online', 'offline']).nullable(),
  reason: z.enum(declineReasonCodes).nullable(),
  /** The merchant-facing text of the reason. */
  message: z.string().nullable(),
  receipt: receiptSchema.nullable(),
  /** Set while state is waiting_for_pin. */
  pinRequest: pinRequestSchema.nullable(),
});
export type PaymentUpdate = z.infer<typeof paymentUpdateSchema>;

/** A simulated card; its PIN is shown on the simulator's panel (a demo card's, as a demo operator's PIN is printed). */
export const simCardSchema = z.object({ cardIndex: z.number().int().nonnegative(), label: z.string(), currency: z.enum(currencyCodes), atc: z.number().int(), pin: z.string().regex(/^\d{4,12}$/) });

export const paymentCommandSchemas = {
  /** Starts a charge; the result comes as payment.updated events (a tap may take a while). */
  'payment.start': { params: paymentStartParamsSchema, result: paymentUpdateSchema },
  /** The attempt in progress, if any (a reloaded screen picks it up). */
  'payment.current': { params: z.object({}).strict(), result: paymentUpdateSchema.nullable() },
  'payment.cancel': { params: z.object({ attemptId: z.string().max(40) }).strict(), result: z.object({ cancelled: z.boolean() }) },
  /** Simulator mode: the virtual cards, tapped on the simulated reader from the panel. */
  'sim.cards': { params: z.object({}).strict(), result: z.array(simCardSchema) },
  'sim.tap': { params: z.object({ cardIndex: z.number().int().nonnegative().max(63), clone: z.boolean().optional() }).strict(), result: z.object({ tapped: z.boolean() }) },
  /** The PIN pad's sealed PIN for the attempt waiting for it (hex of core/card/pin-encipherment's envelope). */
  'cvm.submitPin': { params: z.object({ attemptId: z.string().max(40), envelope: z.string().regex(/^[0-9a-f]{160}$/) }).strict(), result: z.object({ accepted: z.boolean() }) },
  /** The cardholder declined to enter a PIN: the charge is declined (pin_required, or pin_invalid after a wrong try). */
  'cvm.cancelPin': { params: z.object({ attemptId: z.string().max(40) }).strict(), result: z.object({ cancelled: z.boolean() }) },
  'sim.removeCard': { params: z.object({}).strict(), result: z.object({ removed: z.boolean() }) },
} as const;
