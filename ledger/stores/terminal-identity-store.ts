// The terminal's identity in its data folder: created once, on first start, and kept. Its id is
// the terminal's name on the wire and in every topic, and the owner the ledger records. It is
// the one piece of state read before the ledger opens (the ledger needs its owner), so it lives
// in its own file, owned here like every other kind of state: checked against its schema on the
// way in, a damaged file a named error, written whole or not at all.
import { mkdirSync, readFileSync, writeFileSync, renameSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Random } from '../../core/clock.js';
import { toHex } from '../../core/clock.js';
import { terminalIdPattern } from '../../core/wire/topics.js';

const identitySchema = z.object({ terminalId: z.string().regex(terminalIdPattern), createdAt: z.string() }).strict();
export type TerminalIdentity = z.infer<typeof identitySchema>;

export class IdentityFileError extends Error {
  constructor(path: string, reason: string) {
    super(`terminal identity ${path} is unusable: ${reason}; it was left untouched`);
    this.name = 'IdentityFileError';
  }
}

export function loadOrCreateIdentity(dataDir: string, random: Random, now: Date): TerminalIdentity {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'terminal.json');
  let text: string | null = null;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new IdentityFileError(path, 'not JSON');
    }
    const identity = identitySchema.safeParse(parsed);
    if (!identity.success) throw new IdentityFileError(path, identity.error.issues[0]?.message ?? 'invalid');
    return identity.data;
  }
  const identity: TerminalIdentity = { terminalId: `t-${toHex(random.bytes(8))}`, createdAt: now.toISOString() };
  // Written to a temporary file, synced and renamed so a crash never leaves half an identity.
  const temporaryPath = `${path}.tmp`;
  writeFileSync(temporaryPath, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
  const descriptor = openSync(temporaryPath, 'r');
  fsyncSync(descriptor);
  closeSync(descriptor);
  renameSync(temporaryPath, path);
  return identity;
}
