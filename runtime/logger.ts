// pino, with every field that could carry a card or personal secret redacted before it is
// written, wherever in the object it appears.
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

export type Logger = PinoLogger;

/** Field names that must never reach a log: PAN, CVV, token secrets, PIN, templates, national ids. */
export const redactedFieldNames = [
  'pan',
  'cvv',
  'pin',
  'token',
  'tokenSecret',
  'secret',
  'password',
  'template',
  'nationalId',
  'phone',
  'dataKey',
  'atcSecret',
  'sessionToken',
  'cryptogram',
  'syncKey',
  'masterKey',
] as const;

const redactPaths = redactedFieldNames.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]);

export function createLogger(options: { level?: string; destination?: DestinationStream; name?: string } = {}): Logger {
  return pino(
    {
      name: options.name ?? 'devpay',
      level: options.level ?? process.env.DEVPAY_LOG_LEVEL ?? 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    options.destination ?? pino.destination(2),
  );
}
