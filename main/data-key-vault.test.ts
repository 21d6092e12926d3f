import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataKeyVaultError, loadOrCreateSealedDataKey, sealedKeyFileName, type SafeStorageLike } from './data-key-vault.js';

/** A stand-in for the OS keychain: XOR with a per-user secret, enough to prove the file is not the key. */
function fakeSafeStorage(secret: number, available = true): SafeStorageLike {
  const xor = (bytes: Buffer) => Buffer.from(bytes.map((byte) => byte ^ secret));
  return {
    isEncryptionAvailable: () => available,
    encryptString: (text) => xor(Buffer.from(`sealed:${text}`)),
    decryptString: (sealed) => {
      const text = xor(sealed).toString();
      if (!text.startsWith('sealed:')) throw new Error('not ours');
      return text.slice(7);
    },
  };
}

test('the key is created once, stored sealed with mode 0600, and read back the same', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devpay-vault-'));
  const first = loadOrCreateSealedDataKey(dir, fakeSafeStorage(0x5a));
  assert.match(first, /^[0-9a-f]{64}$/);
  const path = join(dir, sealedKeyFileName);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.ok(!readFileSync(path).toString('latin1').includes(first), 'the key is not in clear on disk');
  assert.equal(loadOrCreateSealedDataKey(dir, fakeSafeStorage(0x5a)), first);
});

test('another user keychain, a damaged file or no secure storage is a named error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devpay-vault-'));
  loadOrCreateSealedDataKey(dir, fakeSafeStorage(0x5a));
  assert.throws(() => loadOrCreateSealedDataKey(dir, fakeSafeStorage(0x11)), DataKeyVaultError);
  writeFileSync(join(dir, sealedKeyFileName), fakeSafeStorage(0x5a).encryptString('not a key'));
  assert.throws(() => loadOrCreateSealedDataKey(dir, fakeSafeStorage(0x5a)), /does not hold a data key/);
  assert.throws(() => loadOrCreateSealedDataKey(mkdtempSync(join(tmpdir(), 'devpay-vault-')), fakeSafeStorage(0x5a, false)), DataKeyVaultError);
});
