// The ledger's named errors, for the layers above it to recognise (the process policy, the
// runtime's health, the CLI's messages) without reaching into the durable storage that throws
// them.
export { LedgerLockedError } from './durable/folder-lock.js';
export { LedgerOpenError, LedgerStorageFailedError } from './durable/sqlite-store.js';
export { LedgerUnitAbortedError } from './durable/durable-storage.js';
export { LedgerNotFoundError, LedgerOwnerError } from './ledger.js';
export { StoredValueInvalidError } from './stores/stored-value.js';

import { LedgerStorageFailedError } from './durable/sqlite-store.js';
import { LedgerUnitAbortedError } from './durable/durable-storage.js';

/** Whether an error, or one in its cause chain, is the ledger failing to commit. */
export function isLedgerFailure(reason: unknown): boolean {
  let current: unknown = reason;
  for (let depth = 0; depth < 8 && current instanceof Error; depth += 1) {
    if (current instanceof LedgerStorageFailedError || current instanceof LedgerUnitAbortedError) return true;
    current = current.cause;
  }
  return false;
}
