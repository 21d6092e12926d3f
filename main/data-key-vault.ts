// Under Electron the ledger's data key is kept sealed by the operating system's keychain
// (safeStorage: DPAPI, Keychain, libsecret) in the user-data folder, and handed to the runtime
// process in its first message, never on a command line or in a file in clear.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export class DataKeyVaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataKeyVaultError';
  }
}

export const sealedKeyFileName = 'data-key.sealed';

/** Returns the data key as hex, creating and sealing a new one on first use. */
export function loadOrCreateSealedDataKey(userDataDir: string, safeStorage: SafeStorageLike): string {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new DataKeyVaultError('the operating system offers no secure storage for the ledger key (safeStorage is unavailable)');
  }
  const path = join(userDataDir, sealedKeyFileName);
  if (existsSync(path)) {
    let keyHex: string;
    try {
      keyHex = safeStorage.decryptString(readFileSync(path));
    } catch {
      throw new DataKeyVaultError(`${path} cannot be unsealed by this user's keychain; the ledger stays closed`);
    }
    if (!/^[0-9a-f]{64}$/.test(keyHex)) throw new DataKeyVaultError(`${path} does not hold a data key`);
    return keyHex;
  }
  const keyHex = randomBytes(32).toString('hex');
  writeFileSync(`${path}.tmp`, safeStorage.encryptString(keyHex), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
  return keyHex;
}
