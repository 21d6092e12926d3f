// The devices and problems part of the details drawer: each device with its kind and health in
// the merchant's language and its own name and detail as the driver gives them (data, kept in
// their own direction), then each problem of the terminal with its fix, a command shown as is.
import type { DeviceStatus, StatusProblem } from '../../core/api/status.js';
import { useI18n } from '../i18n/i18n-context.js';
import { LtrText } from './ltr-text.js';

export function DeviceDetails({ devices, problems }: { devices: DeviceStatus[]; problems: StatusProblem[] }) {
  const i18n = useI18n();
  return (
    <>
      {devices.length === 0 ? (
        <p class="placeholder">{i18n.t('drawer.noDevices')}</p>
      ) : (
        <ul class="device-list">
          {devices.map((device) => (
            <li key={device.descriptor} class={`device health-${device.health}`} data-testid="device" data-descriptor={device.descriptor} data-health={device.health}>
              <span class="device-kind">{i18n.t(`device.${device.kind}`)}</span>
              <span class={`device-health health-${device.health}`}>{i18n.t(`health.${device.health}`)}</span>
              <LtrText class="device-name">{device.name}</LtrText>
              {/* A driver's own words about a fault: technical data for whoever fixes it. */}
              {device.health === 'ok' ? null : <LtrText class="technical">{device.detail}</LtrText>}
            </li>
          ))}
        </ul>
      )}
      <h3>{i18n.t('drawer.problems')}</h3>
      {problems.length === 0 ? (
        <p class="placeholder" data-testid="no-problems">
          {i18n.t('drawer.noProblems')}
        </p>
      ) : (
        <ul class="problem-list">
          {problems.map((problem) => (
            <li key={`${problem.code}:${problem.subject}`} data-testid="problem" data-code={problem.code}>
              <span>{i18n.rich(`problem.${problem.code}`, { subject: <LtrText>{problem.subject}</LtrText> })}</span>{' '}
              <span>{i18n.t('problem.fix')}</span> <LtrText class="command">{problem.fix}</LtrText>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
