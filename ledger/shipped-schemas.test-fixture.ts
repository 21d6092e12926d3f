// Test data for ledger/migrations.test.ts, not used by the ledger: every schema version of every
// collection exactly as it shipped, copied by hand from `git log -p -- ledger/schemas.ts` (the
// commit is named above each). They are literals on purpose, never built from ledger/schemas.ts:
// a test writes documents under them and reopens with the current code, so a schema changed
// without a version bump (RxDB refuses a different schema at the same version) or a version
// bump without its migration strategy fails there. Each version is the last form it had before
// the next bump; a new version appends a constant here and a step to the test.
import type { RxJsonSchema } from 'rxdb';
import type { AccountDocument, BalanceDocument, OutboxDocument, ReserveTokenDocument, SettingDocument, TransactionDocument } from './schemas.js';

const minor = { type: 'string', maxLength: 21 } as const;
const ulid = { type: 'string', maxLength: 26 } as const;
const time = { type: 'integer', minimum: 0, maximum: 1e15, multipleOf: 1 } as const;
const currencies = ['IRR', 'TRY', 'USD', 'EUR', 'USDT'];
const kindsV0 = ['customer_wallet', 'merchant', 'offline_clearing', 'central', 'fx', 'test', 'test_sink'];

/** accounts v0, as at 43ad90b (last before f836b5d added the agent's kinds). */
export const accountsV0: RxJsonSchema<AccountDocument> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    kind: { type: 'string', enum: kindsV0, maxLength: 20 },
    currency: { type: 'string', enum: currencies, maxLength: 4 },
    createdAtMs: time,
    holder: { type: 'object', properties: { name: { type: 'string' }, phone: { type: 'string' }, nationalId: { type: 'string' } } },
  },
  required: ['id', 'kind', 'currency', 'createdAtMs'],
};

/** accounts v1, as from f836b5d (last before issue 12 added central's card_funds and issuer kinds). */
export const accountsV1: RxJsonSchema<AccountDocument> = {
  ...accountsV0,
  version: 1,
  properties: {
    ...accountsV0.properties,
    kind: { type: 'string', enum: ['customer_wallet', 'merchant', 'offline_clearing', 'central', 'fx', 'agent_float', 'agent_receivable', 'test', 'test_sink'], maxLength: 20 },
  },
};

/** accounts v2, as since issue 12's customer-funds model at central. */
export const accountsV2: RxJsonSchema<AccountDocument> = {
  ...accountsV1,
  version: 2,
  properties: {
    ...accountsV1.properties,
    kind: { type: 'string', enum: ['customer_wallet', 'merchant', 'offline_clearing', 'central', 'fx', 'agent_float', 'agent_receivable', 'card_funds', 'issuer', 'test', 'test_sink'], maxLength: 20 },
  },
};

/** A transaction under v0: no card details. */
export type TransactionV0Document = Omit<TransactionDocument, 'card' | 'operatorId'>;

/** transactions v0, as at 6056907 (last before e0825c4 added the card details). */
export const transactionsV0: RxJsonSchema<TransactionV0Document> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: ulid,
    kind: { type: 'string', maxLength: 20 },
    state: { type: 'string', maxLength: 20 },
    postings: {
      type: 'array',
      items: { type: 'object', properties: { accountId: { type: 'string' }, amountMinor: minor }, required: ['accountId', 'amountMinor'] },
    },
    referencesId: ulid,
    fx: { type: 'object' },
    memo: { type: 'string' },
    createdAtMs: time,
    updatedAtMs: time,
  },
  required: ['id', 'kind', 'state', 'postings', 'createdAtMs', 'updatedAtMs'],
};

/** transactions v1, as since e0825c4. */
export const transactionsV1: RxJsonSchema<TransactionDocument> = {
  ...transactionsV0,
  version: 1,
  properties: { ...transactionsV0.properties, card: { type: 'object' } },
} as RxJsonSchema<TransactionDocument>;

/** transactions v2, since issue 13: the operator id. */
export const transactionsV2: RxJsonSchema<TransactionDocument> = {
  ...transactionsV1,
  version: 2,
  properties: { ...transactionsV1.properties, operatorId: { type: 'string', maxLength: 26 } },
} as RxJsonSchema<TransactionDocument>;

/** balances v0, as since f0d04da. */
export const balancesV0: RxJsonSchema<BalanceDocument> = {
  version: 0,
  primaryKey: 'accountId',
  type: 'object',
  properties: {
    accountId: { type: 'string', maxLength: 100 },
    balanceMinor: minor,
    entryCount: { type: 'integer', minimum: 0 },
    lastTransactionId: ulid,
  },
  required: ['accountId', 'balanceMinor', 'entryCount', 'lastTransactionId'],
};

/** outbox v0, as since 6056907 (which dropped its index on state). */
export const outboxV0: RxJsonSchema<OutboxDocument> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    transactionId: ulid,
    state: { type: 'string', maxLength: 12 },
    attempts: { type: 'integer', minimum: 0 },
    createdAtMs: time,
  },
  required: ['id', 'transactionId', 'state', 'attempts', 'createdAtMs'],
};

/** A reserve token under v0: one batch signature per token, no Merkle proof. */
export interface ReserveTokenV0Document {
  id: string;
  cardId: string;
  atc: number;
  commitment: string;
  capMinor: string;
  currency: string;
  expiresAtMs: number;
  state: 'available' | 'spent' | 'revoked';
  batchSignature: string;
}

/** reserve_tokens v0, as at 6056907 (last before e0825c4). */
export const reserveTokensV0: RxJsonSchema<ReserveTokenV0Document> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    cardId: { type: 'string', maxLength: 64 },
    atc: { type: 'integer', minimum: 0 },
    commitment: { type: 'string' },
    capMinor: minor,
    currency: { type: 'string', maxLength: 4 },
    expiresAtMs: time,
    state: { type: 'string', maxLength: 10 },
    batchSignature: { type: 'string' },
  },
  required: ['id', 'cardId', 'atc', 'commitment', 'capMinor', 'currency', 'expiresAtMs', 'state', 'batchSignature'],
};

/** reserve_tokens v1, as at e0825c4 (last before 43ad90b shortened the id). */
export const reserveTokensV1: RxJsonSchema<ReserveTokenDocument> = {
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    cardId: { type: 'string', maxLength: 64 },
    atc: { type: 'integer', minimum: 0 },
    commitment: { type: 'string' },
    capMinor: minor,
    currency: { type: 'string', maxLength: 4 },
    expiresAtMs: time,
    batchId: { type: 'string', maxLength: 40 },
    leafIndex: { type: 'integer', minimum: 0 },
    proof: { type: 'string' },
    state: { type: 'string', maxLength: 10 },
    spentByPaymentId: ulid,
  },
  required: ['id', 'cardId', 'atc', 'commitment', 'capMinor', 'currency', 'expiresAtMs', 'batchId', 'leafIndex', 'proof', 'state'],
};

/** reserve_tokens v2, as since 43ad90b. */
export const reserveTokensV2: RxJsonSchema<ReserveTokenDocument> = {
  ...reserveTokensV1,
  version: 2,
  properties: { ...reserveTokensV1.properties, id: { type: 'string', maxLength: 27 } },
};

/** settings v0, as since f0d04da. */
export const settingsV0: RxJsonSchema<SettingDocument> = {
  version: 0,
  primaryKey: 'key',
  type: 'object',
  properties: { key: { type: 'string', maxLength: 64 }, value: { type: 'string' } },
  required: ['key', 'value'],
};

