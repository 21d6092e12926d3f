// The ledger's named errors, for the layers above it to recognise (the process policy, the
// runtime's health, the CLI's messages) without reaching into the durable storage that throws
// them.
export { LedgerLockedError } from './durable/folder-lock.js';
export { LedgerOpenError, LedgerStorageFailedError } from './durable/sqlite-store.js';
export { LedgerUnitAbortedError } from './durable/durable-storage.js';
export { LedgerNotFoundError, LedgerOwnerError } from './ledger.js';
export { StoredValueInvalidError } from './stores/stored-value.js';
