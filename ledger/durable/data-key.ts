// Where the ledger's 32-byte data key comes from, in order: DEVPAY_DATA_KEY (64 hex digits;
// under Electron, main passes the key it keeps sealed with safeStorage this way), else a key
// file in the data folder created with mode 0600. A new key is made only for a new ledger: if
// ledger data exists without its key, that is an error, never a silent fresh start.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, statSync, writeSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { Random } from '../../core/clock.js';
import { fromHex, toHex } from '../../core/clock.js';
import { dataKeyBytes } from './sealed-codec.js';

export const dataKeyFileName = 'data.key';

export class DataKeyError extends Error {
  constructor(
    readonly code: 'malformed_environment_key' | 'malformed_key_file' | 'key_file_permissions' | 'key_missing_for_existing_ledger',
    message: string,
  ) {
    super(message);
    this.name = 'DataKeyError';
  }
}

function parseKeyHex(text: string): Uint8Array | null {
  const trimmed = text.trim();
  return /^[0-9a-fA-F]{64}$/.test(trimmed) ? fromHex(trimmed) : null;
}

export interface SecretKeyOptions {
  /** The key file, created with mode 0600 when allowed and absent. */
  path: string;
  environmentKey?: string | undefined;
  environmentName: string;
  random: Random;
  /** Whether a missing key may be created; when not, a missing key returns null. */
  mayCreate: boolean;
}

/** A 32-byte secret from an environment variable (hex) or a 0600 key file. */
export function loadSecretKey(options: SecretKeyOptions & { mayCreate: true }): Uint8Array;
export function loadSecretKey(options: SecretKeyOptions): Uint8Array | null;
export function loadSecretKey(options: SecretKeyOptions): Uint8Array | null {
  if (options.environmentKey !== undefined && options.environmentKey !== '') {
    const key = parseKeyHex(options.environmentKey);
    if (!key) throw new DataKeyError('malformed_environment_key', `${options.environmentName} must be ${dataKeyBytes * 2} hex digits`);
    return key;
  }
  const { path } = options;
  if (existsSync(path)) {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) throw new DataKeyError('key_file_permissions', `${path} is readable by others (mode ${mode.toString(8)}); it must be 0600`);
    const key = parseKeyHex(readFileSync(path, 'utf8'));
    if (!key) throw new DataKeyError('malformed_key_file', `${path} does not hold a ${dataKeyBytes}-byte hex key`);
    return key;
  }
  if (!options.mayCreate) return null;
  const key = options.random.bytes(dataKeyBytes);
  // O_EXCL: two processes starting at once cannot both create (and disagree on) the key.
  const descriptor = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    writeSync(descriptor, `${toHex(key)}\n`);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  return key;
}

export function loadDataKey(options: { dataDir: string; ledgerFile: string; random: Random; environmentKey?: string | undefined }): Uint8Array {
  const path = join(options.dataDir, dataKeyFileName);
  const ledgerExists = existsSync(join(options.dataDir, options.ledgerFile));
  const key = loadSecretKey({ path, environmentKey: options.environmentKey, environmentName: 'DEVPAY_DATA_KEY', random: options.random, mayCreate: !ledgerExists });
  if (!key) {
    throw new DataKeyError('key_missing_for_existing_ledger', `the ledger in ${options.dataDir} exists but its key does not; set DEVPAY_DATA_KEY or restore ${dataKeyFileName}`);
  }
  return key;
}
