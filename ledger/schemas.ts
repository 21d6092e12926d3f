// RxDB schemas of the ledger's collections. Amounts are decimal strings of minor units. Bodies
// are sealed at rest by the durable storage, so PII (holder name, phone, national id) may sit in
// a document but never in an id, which the disk keeps in clear. Version bumps need a migration
// strategy in migrations.ts.
import type { RxJsonSchema } from 'rxdb';
import { accountKinds } from '../core/ledger/accounts.js';
import type { CardDetails, transactionKinds, transactionStates } from '../core/ledger/transaction.js';
import { currencyCodes } from '../core/currency.js';

const minor = { type: 'string', maxLength: 21 } as const;
const ulid = { type: 'string', maxLength: 26 } as const;
const time = { type: 'integer', minimum: 0, maximum: 1e15, multipleOf: 1 } as const;

export interface AccountDocument {
  id: string;
  kind: (typeof accountKinds)[number];
  currency: (typeof currencyCodes)[number];
  createdAtMs: number;
  holder?: { name: string; phone?: string; nationalId?: string };
}

export const accountSchema: RxJsonSchema<AccountDocument> = {
  version: 2,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    kind: { type: 'string', enum: [...accountKinds], maxLength: 20 },
    currency: { type: 'string', enum: [...currencyCodes], maxLength: 4 },
    createdAtMs: time,
    holder: { type: 'object', properties: { name: { type: 'string' }, phone: { type: 'string' }, nationalId: { type: 'string' } } },
  },
  required: ['id', 'kind', 'currency', 'createdAtMs'],
};

export interface TransactionDocument {
  id: string;
  kind: (typeof transactionKinds)[number];
  state: (typeof transactionStates)[number];
  postings: Array<{ accountId: string; amountMinor: string }>;
  referencesId?: string;
  fx?: { fromCurrency: string; toCurrency: string; rate: string; spreadBasisPoints: number };
  memo?: string;
  card?: CardDetails;
  /** The operator signed in when the terminal made it. */
  operatorId?: string;
  createdAtMs: number;
  updatedAtMs: number;
}

export const transactionSchema: RxJsonSchema<TransactionDocument> = {
  version: 2,
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
    card: { type: 'object' },
    operatorId: ulid,
    createdAtMs: time,
    updatedAtMs: time,
  },
  required: ['id', 'kind', 'state', 'postings', 'createdAtMs', 'updatedAtMs'],
  // No secondary index: each costs an entry per document in memory (100,000s on a busy terminal),
  // and the few queries by state (unsettled payments) scan in milliseconds.
};

export interface BalanceDocument {
  accountId: string;
  balanceMinor: string;
  entryCount: number;
  lastTransactionId: string;
}

export const balanceSchema: RxJsonSchema<BalanceDocument> = {
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

/**
 * An entry of the durable outbox: a transaction central has not yet acknowledged. Entries are
 * removed once acknowledged, so the outbox holds only the backlog.
 */
export interface OutboxDocument {
  id: string;
  transactionId: string;
  state: 'pending' | 'sent';
  attempts: number;
  createdAtMs: number;
}

export const outboxSchema: RxJsonSchema<OutboxDocument> = {
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

/**
 * A reserve token as the terminal holds it (see core/card/reserve-token.ts): the signed fields,
 * the batch it came in (header, root and signature are kept once per batch in settings) and its
 * Merkle proof. A token is spent in the same unit that posts its payment; an online approval of
 * an ATC the terminal holds no token for leaves a spent marker, so the ATC is never used again.
 */
export interface ReserveTokenDocument {
  /** "<card id hex>:<atc>". */
  id: string;
  cardId: string;
  atc: number;
  commitment: string;
  capMinor: string;
  currency: string;
  expiresAtMs: number;
  batchId: string;
  leafIndex: number;
  /** Sibling hashes, concatenated hex (64 characters each). */
  proof: string;
  state: 'available' | 'spent';
  spentByPaymentId?: string;
}

export const reserveTokenSchema: RxJsonSchema<ReserveTokenDocument> = {
  version: 2,
  primaryKey: 'id',
  type: 'object',
  properties: {
    // The id is indexed three times in memory, padded to maxLength: "<16 hex>:<atc>" fits 27.
    id: { type: 'string', maxLength: 27 },
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

/** An audit journal entry (stored in the ledger file's audit table, not an RxDB collection). */
export interface AuditDocument {
  /** Zero-padded sequence number, so ids sort in chain order. */
  seq: string;
  atMs: number;
  kind: string;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface SettingDocument {
  key: string;
  value: string;
}

export const settingSchema: RxJsonSchema<SettingDocument> = {
  version: 0,
  primaryKey: 'key',
  type: 'object',
  properties: { key: { type: 'string', maxLength: 64 }, value: { type: 'string' } },
  required: ['key', 'value'],
};
