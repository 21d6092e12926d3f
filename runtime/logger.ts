// pino, with every field that could carry a card or personal secret redacted before it is
// written, wherever in the object it appears. Entries go to the console (stderr) and, for the
// long-running commands, to a log file in the data folder as JSON lines. On a terminal (stdout
// and stderr both a TTY) the console gets pino-pretty's human-readable lines; piped, it gets the
// same JSON lines as the file, so tests, CI and log collectors can parse it.
// DEVPAY_LOG_FORMAT=json or pretty overrides the choice; DEVPAY_LOG_LEVEL sets the level.
import { pino, type Logger as PinoLogger, type DestinationStream, type StreamEntry, type Level } from 'pino';
import { PinoPretty } from 'pino-pretty';
import { openLogFile } from './log-file.js';

export type Logger = PinoLogger;

/** Field names that must never reach a log: PAN, CVV, token secrets, PINs (and their hashes and envelopes), templates, national ids. */
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
  // Operators and the cardholder's PIN pad: the sealed PIN, a PIN's hash and salt, a setup code.
  'envelope',
  'pinHash',
  'salt',
  'setupCode',
] as const;

const redactPaths = redactedFieldNames.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]);

export interface LoggerOptions {
  level?: string;
  /** Where console lines go; stderr by default. */
  destination?: DestinationStream;
  name?: string;
  /** A JSON-lines log file (the data folder's logs/devpay.log); none by default. */
  logFile?: string;
  /** Human-readable console lines; by default only when stdout and stderr are terminals. */
  pretty?: boolean;
}

/** Whether the console gets pino-pretty's lines: DEVPAY_LOG_FORMAT, else both streams a TTY. */
export function prettyByDefault(environment: NodeJS.ProcessEnv = process.env): boolean {
  if (environment.DEVPAY_LOG_FORMAT === 'json') return false;
  if (environment.DEVPAY_LOG_FORMAT === 'pretty') return true;
  return process.stdout.isTTY === true && process.stderr.isTTY === true;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.DEVPAY_LOG_LEVEL ?? 'info';
  const pretty = options.pretty ?? (options.destination === undefined && prettyByDefault());
  const consoleStream: DestinationStream = pretty
    ? PinoPretty({ destination: options.destination ?? 2, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
    : (options.destination ?? pino.destination({ dest: 2, sync: true }));
  const settings = { name: options.name ?? 'devpay', level, redact: { paths: redactPaths, censor: '[redacted]' } };
  if (options.logFile === undefined) return pino(settings, consoleStream);
  // The file is opened before the logger exists: its problems are said on the console directly.
  const say = (sentence: string): void => void consoleStream.write(`${JSON.stringify({ level: 40, time: Date.now(), name: settings.name, reason: 'log_file_failed', msg: sentence })}\n`);
  const file = openLogFile(options.logFile, (sentence) => (logger ? logger.warn({ reason: 'log_file_failed' }, sentence) : say(sentence)));
  const streamLevel = (level === 'silent' ? 'fatal' : level) as Level;
  const streams: Array<StreamEntry<Level>> = [
    { level: streamLevel, stream: { write: (line: string) => file.write(line) } },
    { level: streamLevel, stream: consoleStream },
  ];
  let logger: Logger | null = null;
  logger = pino(settings, pino.multistream(streams));
  return logger;
}
