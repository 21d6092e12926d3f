// What central tells each terminal beyond verdicts: its offline limits (and, as they arrive,
// more settings), kept durably in central's ledger settings and served to the terminal's
// checkpointed pull, signed with the terminal's key. A change notifies the terminal, which pulls.
import type { Clock } from '../core/clock.js';
import type { LogSink } from '../core/log-sink.js';
import { signMessage } from '../core/wire/auth-tag.js';
import { authenticateRequest } from './authenticate-request.js';
import { pullRequestSchema, type PulledDocument } from '../core/wire/sync-messages.js';
import { wireProtocolVersion } from '../core/wire/topics.js';
import { defaultMaxPaymentMinor, defaultOfflineLimits, offlineLimitsSchema, type OfflineLimits } from '../core/ledger/limits.js';
import { currencyCodes } from '../core/currency.js';
import { defaultOperatorPolicy, operatorPolicySchema, operatorPolicySettingName, type OperatorPolicy } from '../core/operators/operator-policy.js';
import type { Ledger } from '../ledger/ledger.js';
import { CentralSettingsStore, globalSettingKey, terminalSettingKey } from '../ledger/stores/central-settings-store.js';
import { parseStoredJson } from '../ledger/stores/stored-value.js';

/**
 * What every terminal holds until central sets its limits: the offline defaults, and each
 * currency's largest charge written out, so the terminal enforces central's stated maximum
 * rather than a default compiled into it.
 */
export const centralDefaultLimits: OfflineLimits = offlineLimitsSchema.parse({
  ...defaultOfflineLimits,
  currencies: Object.fromEntries(
    currencyCodes.flatMap((currency) => {
      const limits = defaultOfflineLimits.currencies[currency];
      return limits ? [[currency, { ...limits, maxPaymentMinor: defaultMaxPaymentMinor[currency] }]] : [];
    }),
  ),
});

export class TerminalSettingsSource {
  private lastUpdatedAtMs = 0;
  private readonly store: CentralSettingsStore;
  constructor(
    ledger: Ledger,
    private readonly masterKey: Uint8Array,
    private readonly clock: Clock,
    private readonly log: LogSink,
    /** Publishes a notify hint to a terminal; set once the MQTT service is up. */
    public notify: (terminalId: string) => void = () => {},
  ) {
    this.store = new CentralSettingsStore(ledger);
  }

  /** Sets a terminal's offline limits durably and tells the terminal. */
  async setLimits(terminalId: string, limits: OfflineLimits): Promise<void> {
    const checked = offlineLimitsSchema.parse(limits);
    await this.write(terminalId, 'limits', JSON.stringify(checked));
    this.notify(terminalId);
  }

  /** Sets a terminal's operator policy (sessions, PIN fallback, lockout, refund limits) durably and tells the terminal. */
  async setOperatorPolicy(terminalId: string, policy: OperatorPolicy): Promise<void> {
    const checked = operatorPolicySchema.parse(policy);
    await this.write(terminalId, operatorPolicySettingName, JSON.stringify(checked));
    this.notify(terminalId);
  }

  /**
   * A terminal's limits as central last set them (the defaults until it does). A stored value
   * that fails its schema is a named error, never a silent default: settlement stops rather
   * than judge money by limits it cannot read.
   */
  async limitsOf(terminalId: string): Promise<OfflineLimits> {
    const key = terminalSettingKey(terminalId, 'limits');
    const stored = await this.store.get(key);
    return stored ? parseStoredJson(key, stored.value, offlineLimitsSchema) : centralDefaultLimits;
  }

  /**
   * Writes a setting every terminal pulls (the revocation list) inside the caller's engine unit,
   * so it commits with what it reflects; notifyAll tells the terminals afterwards.
   */
  writeGlobal(name: string, value: string): Promise<void> {
    return this.store.write(globalSettingKey(name), { key: name, value, updatedAtMs: this.nextUpdatedAtMs(), deleted: false });
  }

  /** The value of a global setting as stored, or null. */
  async globalValue(name: string): Promise<string | null> {
    return (await this.store.get(globalSettingKey(name)))?.value ?? null;
  }

  notifyAll(terminalIds: Iterable<string>): void {
    for (const terminalId of terminalIds) this.notify(terminalId);
  }

  /** Two writes in one millisecond must still order after each other for the pull checkpoint. */
  private nextUpdatedAtMs(): number {
    this.lastUpdatedAtMs = Math.max(this.clock.nowMs(), this.lastUpdatedAtMs + 1);
    return this.lastUpdatedAtMs;
  }

  private async write(terminalId: string, name: string, value: string): Promise<PulledDocument> {
    const document: PulledDocument = { key: name, value, updatedAtMs: this.nextUpdatedAtMs(), deleted: false };
    await this.store.put(terminalSettingKey(terminalId, name), document);
    return document;
  }

  private async documentsOf(terminalId: string): Promise<PulledDocument[]> {
    const documents = await this.store.documentsFor(terminalId);
    // Every terminal starts with the default limits, written durably at its first pull.
    if (!documents.some((document) => document.key === 'limits')) documents.push(await this.write(terminalId, 'limits', JSON.stringify(centralDefaultLimits)));
    // And with the default operator policy, so the terminal enforces central's stated policy.
    if (!documents.some((document) => document.key === operatorPolicySettingName)) documents.push(await this.write(terminalId, operatorPolicySettingName, JSON.stringify(defaultOperatorPolicy)));
    return documents.sort((left, right) => left.updatedAtMs - right.updatedAtMs || left.key.localeCompare(right.key));
  }

  /** The pull handler for CentralService. */
  handlePull = async (terminalId: string, payload: Buffer): Promise<Record<string, unknown> | null> => {
    const checked = authenticateRequest(pullRequestSchema, terminalId, payload, this.masterKey);
    if (!checked.ok) return this.refuse(terminalId, checked.reason, checked.detail);
    const { request: pull, key } = checked;
    const after = pull.checkpoint;
    const newer = (await this.documentsOf(terminalId)).filter(
      (document) => !after || document.updatedAtMs > after.updatedAtMs || (document.updatedAtMs === after.updatedAtMs && document.key > after.key),
    );
    const documents = newer.slice(0, pull.batchSize);
    const last = documents.at(-1);
    return signMessage(key, {
      v: wireProtocolVersion,
      kind: 'pull_result',
      correlationId: pull.correlationId,
      terminalId,
      documents,
      checkpoint: last ? { updatedAtMs: last.updatedAtMs, key: last.key } : after,
    });
  };

  private refuse(terminalId: string, reason: string, detail: string): null {
    this.log.warn({ terminalId, reason, detail }, 'central refused a pull');
    return null;
  }
}
