// Ledger accounts. Each account holds one currency; its kind says what may happen to it. Ids
// are "<kind>:<owner>:<currency>" so an id alone tells the currency, and no PII ever sits in one.
import { z } from 'zod';
import { currencyCodes, type CurrencyCode } from '../currency.js';

export const accountKinds = [
  /** A customer's stored value on this terminal; may never go below zero. */
  'customer_wallet',
  /** What the merchant has taken, owed to them by central once settled. */
  'merchant',
  /** Offline approvals not yet confirmed by central: the terminal's exposure. */
  'offline_clearing',
  /** Amounts central has confirmed (online approvals and settled offline ones). */
  'central',
  /** FX liquidity: the bridge of a cross-currency payment, one account per currency. */
  'fx',
  /**
   * A field agent's e-money float: wallet top-ups draw it down (below zero: the cash the agent
   * took from customers and owes DevPay), never further than central's float limit allows.
   */
  'agent_float',
  /**
   * Suspense: what the agent owes for a top-up central refused after the customer had already
   * spent it. Below zero while open; a later rejected spend of that wallet pays it back first.
   */
  'agent_receivable',
  /**
   * Central's customer-funds model (docs/sync-protocol.md): a card's funds with its issuer, one
   * account per card and currency, owner the card id in hex. It goes below zero as the card
   * spends (what the cardholder owes the issuer) and back up as refunds and voids return money.
   */
  'card_funds',
  /** The issuer's side of every card's funds (owner "central"): the mirror of card_funds. */
  'issuer',
  /** Test payments of `devpay ledger load` come from here; never mixed with real money. */
  'test',
  /** ...and go here. */
  'test_sink',
] as const;
export type AccountKind = (typeof accountKinds)[number];

export const accountIdPattern = /^[a-z_]+:[A-Za-z0-9_-]{1,64}:(IRR|TRY|USD|EUR|USDT)$/;

export const accountSchema = z
  .object({
    id: z.string().regex(accountIdPattern),
    kind: z.enum(accountKinds),
    currency: z.enum(currencyCodes),
    createdAtMs: z.number().int().nonnegative(),
  })
  .strict();
export type Account = z.infer<typeof accountSchema>;

export function accountId(kind: AccountKind, owner: string, currency: CurrencyCode): string {
  return `${kind}:${owner}:${currency}`;
}

export function currencyOfAccount(id: string): CurrencyCode {
  const currency = id.slice(id.lastIndexOf(':') + 1);
  return currency as CurrencyCode;
}

/** The owner part of "<kind>:<owner>:<currency>": a terminal id, "central", or a card id (card_funds). */
export function ownerOfAccount(id: string): string {
  return id.slice(id.indexOf(':') + 1, id.lastIndexOf(':'));
}

export function kindOfAccount(id: string): AccountKind {
  return id.slice(0, id.indexOf(':')) as AccountKind;
}

/** Accounts whose balance may not go below zero. */
export function mayGoNegative(kind: AccountKind): boolean {
  return kind !== 'customer_wallet';
}
