// Central as `devpay central` and the simulator run it: its own durable ledger (owner
// "central") in its data folder, the master sync key every terminal key derives from, the
// settlement of pushes, and the MQTT service answering terminals.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Clock, Random } from '../core/clock.js';
import type { LogSink } from '../core/log-sink.js';
import { createUlidFactory } from '../core/ids.js';
import { openLedger, type Ledger } from '../ledger/ledger.js';
import { loadSecretKey } from '../ledger/durable/data-key.js';
import { CentralService } from './central-service.js';
import { CentralSettlement } from './central-settlement.js';
import { TerminalSettingsSource } from './terminal-settings-source.js';
import { CentralCards, deriveCardMasterKey, simCardId } from './central-cards.js';
import { CardAuthorization } from './card-authorization.js';
import { ReserveIssuer } from './reserve-issuer.js';
import { RefundAuthorization } from './refund-authorization.js';
import { DayTotals } from './day-totals.js';
import { deriveReserveSigningKey } from '../core/card/reserve-token.js';
import { toHex } from '../core/clock.js';
import { revocationListSchema, type RevocationList } from '../core/wire/card-messages.js';
import { parseStoredJson, StoredValueInvalidError } from '../ledger/stores/stored-value.js';
import type { currencyCodes} from '../core/currency.js';
import { currencies } from '../core/currency.js';

export const masterKeyFileName = 'sync-master.key';

export interface CentralNodeOptions {
  dataDir: string;
  brokerUrl: string;
  protocolVersion: 4 | 5;
  username?: string;
  password?: string;
  caPem?: string;
  clock: Clock;
  random: Random;
  log: LogSink;
  environment?: { dataKey?: string | undefined; masterKey?: string | undefined };
  /** Issue this many simulator cards (ids derived from the master key; see simCardCurrency). */
  simCards?: number;
}

/** The simulator's i-th card holds this currency, so a panel of five covers every currency. */
export function simCardCurrency(index: number): (typeof currencyCodes)[number] {
  return (['USD', 'TRY', 'EUR', 'IRR', 'USDT'] as const)[index % 5]!;
}

/** A simulator card's offline cap: 40 major units of its currency (under the default per-payment cap, so both show). */
export function simCardCapMinor(index: number): string {
  return (40n * 10n ** BigInt(currencies[simCardCurrency(index)].exponent)).toString();
}

export interface CentralNode {
  readonly ledger: Ledger;
  readonly settlement: CentralSettlement;
  readonly settings: TerminalSettingsSource;
  readonly masterKey: Uint8Array;
  readonly cards: CentralCards;
  readonly authorization: CardAuthorization;
  readonly reserve: ReserveIssuer;
  readonly refunds: RefundAuthorization;
  close(): Promise<void>;
}

/** The master sync key of a central data folder, created on first use. */
export function loadMasterKey(dataDir: string, random: Random, environmentKey?: string): Uint8Array {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return loadSecretKey({ path: join(dataDir, masterKeyFileName), environmentKey, environmentName: 'DEVPAY_SYNC_MASTER_KEY', random, mayCreate: true });
}

export async function startCentralNode(options: CentralNodeOptions): Promise<CentralNode> {
  const masterKey = loadMasterKey(options.dataDir, options.random, options.environment?.masterKey);
  const ledger = await openLedger({ dataDir: options.dataDir, owner: 'central', clock: options.clock, random: options.random, environmentKey: options.environment?.dataKey });
  try {
    const nextId = createUlidFactory(options.clock, options.random);
    const cards = new CentralCards(ledger, deriveCardMasterKey(masterKey), options.clock);
    await cards.load();
    for (let index = 0; index < (options.simCards ?? 0); index += 1) {
      await cards.issue(toHex(simCardId(cards.cardMasterKey, index)), simCardCurrency(index), simCardCapMinor(index));
    }
    const settings = new TerminalSettingsSource(ledger, masterKey, options.clock, options.log);
    const settlement = new CentralSettlement(ledger, masterKey, options.clock, nextId, options.log, cards, settings);
    const authorization = new CardAuthorization(cards, masterKey, options.log, (terminalId) => settings.limitsOf(terminalId));
    const refunds = new RefundAuthorization(ledger, masterKey, options.log);
    const reserve = new ReserveIssuer(cards, deriveReserveSigningKey(masterKey), masterKey, options.clock, nextId, options.log);
    const service = new CentralService({
      brokerUrl: options.brokerUrl,
      protocolVersion: options.protocolVersion,
      clock: options.clock,
      log: options.log,
      handlers: { push: settlement.handlePush, pull: settings.handlePull, authorize: authorization.handleAuthorize, reserve: reserve.handleReserve, refund: refunds.handleRefundAuthorize, day_totals: new DayTotals(ledger, masterKey, options.log).handleDayTotals },
      masterKey,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
      ...(options.caPem === undefined ? {} : { caPem: options.caPem }),
    });
    await service.start();
    settings.notify = (terminalId) => service.notify(terminalId);
    // A blocked card reaches every terminal through the pulled settings: the list commits with
    // the block, terminals are told after; at start the list is made to agree with the cards.
    cards.onRevocation(
      (list) => settings.writeGlobal('revocations', JSON.stringify(list)),
      () => settings.notifyAll(service.seenTerminals),
    );
    // A stored list that cannot be read is rewritten from the blocked cards, like a stale one.
    let parsedList: RevocationList | null = null;
    try {
      const storedList = await settings.globalValue('revocations');
      parsedList = storedList === null ? null : parseStoredJson('global/revocations', storedList, revocationListSchema);
    } catch (error) {
      if (!(error instanceof StoredValueInvalidError)) throw error;
      options.log.warn({ reason: 'stored_value_invalid' }, 'stored revocation list unreadable; rewriting it');
    }
    if (await cards.reconcileRevocations(parsedList)) options.log.warn({}, 'revocation list rewritten from the blocked cards');
    return {
      ledger,
      settlement,
      settings,
      masterKey,
      cards,
      authorization,
      reserve,
      refunds,
      async close() {
        await service.stop();
        await ledger.close();
      },
    };
  } catch (error) {
    await ledger.close();
    throw error;
  }
}
