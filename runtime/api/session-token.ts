// The headless UI's session token, kept in the data folder so a restarted runtime on the same
// folder accepts the URL (and the open tab) it printed before: the page reconnects by itself
// instead of needing a new URL. The file is made like data.key: 32 random bytes in hex, created
// with O_EXCL and mode 0600, and refused when others may read it. The token guards a loopback
// port only (the server binds 127.0.0.1 and checks Host and Origin); whoever can read the data
// folder could read the ledger's key as well, so keeping the token there widens nothing.
import { join } from 'node:path';
import type { Random } from '../../core/clock.js';
import { toHex } from '../../core/clock.js';
import { loadSecretKey } from '../../ledger/durable/data-key.js';

export const sessionTokenFileName = 'session.token';

/** The folder's session token, made at the first start; the same one at every later start. */
export function loadSessionToken(dataDir: string, random: Random): string {
  const options = { path: join(dataDir, sessionTokenFileName), environmentName: 'the session token', random };
  try {
    return toHex(loadSecretKey({ ...options, mayCreate: true }));
  } catch (error) {
    // Another process made the file between the look and the create: read the one it made.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return toHex(loadSecretKey({ ...options, mayCreate: true }));
  }
}
