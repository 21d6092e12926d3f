// The status bar: whether the terminal is online, whether the broker and central answer, and
// every device with its health. Colour is never the only signal; each item says its state.
import type { DeviceStatus, TerminalStatus } from '../../core/api/status.js';
import { formatMinor, isCurrencyCode, type CurrencyCode } from '../../core/currency.js';

const deviceKindLabels: Record<DeviceStatus['kind'], string> = {
  card_reader: 'Card reader',
  biometric_reader: 'Fingerprint',
  receipt_printer: 'Printer',
  pin_pad: 'PIN pad',
};

function Indicator({ testId, label, good, text }: { testId: string; label: string; good: boolean; text: string }) {
  return (
    <span class={`indicator ${good ? 'good' : 'bad'}`} data-testid={testId} data-state={good ? 'up' : 'down'}>
      <span class="dot" aria-hidden="true" />
      {label}: {text}
    </span>
  );
}

export function StatusBar({ status, runtimeConnected }: { status: TerminalStatus | null; runtimeConnected: boolean }) {
  if (!runtimeConnected || status === null) {
    return (
      <header class="status-bar" data-testid="status-bar">
        <Indicator testId="runtime" label="Runtime" good={false} text={runtimeConnected ? 'loading' : 'not connected'} />
      </header>
    );
  }
  const { link } = status;
  const online = link.state === 'online';
  return (
    <header class="status-bar" data-testid="status-bar">
      <Indicator testId="link" label="Link" good={online} text={online ? 'online' : 'offline'} />
      <Indicator testId="broker" label="Broker" good={link.brokerReachable} text={link.brokerReachable ? 'reachable' : 'unreachable'} />
      <Indicator
        testId="central"
        label="Central"
        good={link.centralReachable}
        text={link.centralReachable ? `reachable${link.centralRoundTripMs === null ? '' : ` (${Math.round(link.centralRoundTripMs)} ms)`}` : 'unreachable'}
      />
      <span class={`indicator ${status.sync.unsyncedCount === 0 ? 'good' : 'pending'}`} data-testid="unsynced" data-count={status.sync.unsyncedCount}>
        <span class="dot" aria-hidden="true" />
        {status.sync.provisioned ? 'Unsynced' : 'Not provisioned, unsynced'}: {status.sync.unsyncedCount}
        {Object.entries(status.sync.unsyncedAmountsMinor)
          .filter(([code]) => isCurrencyCode(code))
          .map(([code, amount]) => ` · ${code} ${formatMinor(BigInt(amount), code as CurrencyCode)}`)
          .join('')}
      </span>
      {/* The ledger appears only when it failed: payments are then declined until it is reopened. */}
      {status.ledger.state === 'failed' ? <Indicator testId="ledger" label="Ledger" good={false} text={`failed: ${status.ledger.cause ?? 'unknown cause'}`} /> : null}
      <ul class="devices" aria-label="Devices">
        {status.devices.map((device) => (
          <li key={device.descriptor} class={`device health-${device.health}`} data-testid="device" data-descriptor={device.descriptor} data-health={device.health} title={device.detail}>
            {deviceKindLabels[device.kind]} · {device.name} · {device.health}
          </li>
        ))}
      </ul>
      <span class="terminal-id" data-testid="terminal-id">
        {status.simulator ? 'Simulator · ' : ''}
        {status.terminalId}
      </span>
    </header>
  );
}
