// The terminal's health as the UI shows it: link, broker, central and devices.
import { z } from 'zod';
import { offlineLimitsSchema } from '../ledger/limits.js';

export const terminalModes = ['counter', 'field', 'diagnostics'] as const;
export const terminalModeSchema = z.enum(terminalModes);
export type TerminalMode = z.infer<typeof terminalModeSchema>;

export const deviceKinds = ['card_reader', 'biometric_reader', 'receipt_printer', 'pin_pad'] as const;
export const deviceKindSchema = z.enum(deviceKinds);
export type DeviceKind = z.infer<typeof deviceKindSchema>;

export const deviceHealthSchema = z.enum(['ok', 'degraded', 'unavailable']);
export type DeviceHealth = z.infer<typeof deviceHealthSchema>;

/** Descriptors carry a scheme: pcsc:, hid:, serial:, sim:, replay:, and tcp: for a network receipt printer. */
export const deviceDescriptorSchema = z.string().regex(/^(pcsc|hid|serial|sim|replay|tcp):[^\s]{1,200}$/);

export const deviceStatusSchema = z.object({
  descriptor: deviceDescriptorSchema,
  kind: deviceKindSchema,
  name: z.string().max(200),
  health: deviceHealthSchema,
  detail: z.string().max(500),
  /** A printer's named problem from its DLE EOT status (paper out, cover open, …), for the status bar. */
  problem: z.enum(['paper_out', 'paper_near_end', 'cover_open', 'offline', 'unreachable', 'timeout', 'status_invalid']).nullable().optional(),
});
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

/**
 * online: central answered a heartbeat within the last heartbeat interval. degraded: the broker
 * is connected but central has not answered within the last interval (a stalled link).
 * offline: no broker. connecting: the first connection is being made.
 */
export const linkStateSchema = z.enum(['online', 'degraded', 'connecting', 'offline', 'not_configured']);
export type LinkState = z.infer<typeof linkStateSchema>;

export const linkStatusSchema = z.object({
  state: linkStateSchema,
  brokerReachable: z.boolean(),
  centralReachable: z.boolean(),
  /** Round trip of the last answered central heartbeat. */
  centralRoundTripMs: z.number().nonnegative().nullable(),
  /** ISO time of the last answered central heartbeat. */
  centralLastSeenAt: z.string().nullable(),
  /** Central's clock minus this terminal's, from the last heartbeat (half its round trip assumed). */
  clockOffsetMs: z.number().nullable(),
  /** How often the terminal asks central for a heartbeat; "online" means answered within one. */
  heartbeatIntervalMs: z.number().int().positive(),
  /** Since when (epoch ms) central has not answered; null while it answers. */
  centralUnreachableSinceMs: z.number().int().nonnegative().nullable(),
});
export type LinkStatus = z.infer<typeof linkStatusSchema>;

export const syncStatusSchema = z.object({
  /** Whether this terminal holds a sync key (provisioned by central). */
  provisioned: z.boolean(),
  unsyncedCount: z.number().int().nonnegative(),
  /** Per currency, the merchant-side amount central has not yet confirmed, in minor units. */
  unsyncedAmountsMinor: z.record(z.string(), z.string()),
  oldestUnsyncedAgeMs: z.number().nonnegative().nullable(),
  /** The offline limits central last sent (replicated settings), or null before the first pull. */
  offlineLimits: offlineLimitsSchema.nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/**
 * A named problem of the terminal itself that the status bar shows with its fix: today a native
 * module (nfc-pcsc, serialport, node-hid) that is not installed, so its devices cannot work.
 */
export const statusProblemSchema = z.object({
  code: z.enum(['native_module_missing']),
  /** What the problem is about: the module's package name. */
  subject: z.string().max(100),
  /** The fix in the operator's terms (a command); shown beside the localised message. */
  fix: z.string().max(300),
});
export type StatusProblem = z.infer<typeof statusProblemSchema>;

export const terminalStatusSchema = z.object({
  terminalId: z.string(),
  mode: terminalModeSchema,
  simulator: z.boolean(),
  runtimeVersion: z.string(),
  link: linkStatusSchema,
  devices: z.array(deviceStatusSchema),
  sync: syncStatusSchema,
  /** The ledger's health: failed once a commit failed (disk full, I/O error), with its cause. */
  ledger: z.object({ state: z.enum(['ok', 'failed']), cause: z.string().nullable() }),
  problems: z.array(statusProblemSchema),
});
export type TerminalStatus = z.infer<typeof terminalStatusSchema>;
