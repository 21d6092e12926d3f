// The `devpay` command. Usage errors (unknown commands or flags, bad values) print a message
// that names the problem and exit with code 2; help exits 0; a failure at run time exits 1.
import { Command, CommanderError, Option } from 'commander';
import { runtimeVersion } from '../version.js';
import { parseCount, parseDataDir, parseHostPort, parseIntervalMs, parseMode, parseMqttVersion, parsePort, parsePrinter, parseFingerprint } from './arguments.js';
import { runAuditExport, runLedgerLoad, runLedgerVerify } from './ledger-commands.js';
import { runCentral, runProvision, runServe, runStart } from './commands.js';

export const usageExitCode = 2;

export function buildProgram(): Command {
  const program = new Command('devpay')
    .description('DevPay Edge: the offline-first runtime of a DevPay point-of-sale and card terminal')
    .version(runtimeVersion)
    .showHelpAfterError('(run devpay --help for usage)')
    .exitOverride();

  program
    .command('start')
    .description('run the terminal: Electron in simulator mode, or the same UI headless where Electron is absent')
    .option('--data <dir>', 'data folder (default: the per-user application data folder)', parseDataDir)
    .addOption(new Option('--mode <mode>', 'counter, field or diagnostics').argParser(parseMode).default('counter'))
    .option('--port <n>', 'port of the headless fallback (0 picks a free one)', parsePort, 0)
    .action(runStart);

  program
    .command('serve')
    .description('run the runtime as a plain Node process with its API on a loopback port')
    .option('--headless', 'also serve the UI over loopback HTTP and print its URL', false)
    .requiredOption('--data <dir>', 'data folder', parseDataDir)
    .option('--port <n>', 'loopback port (0 picks a free one)', parsePort, 0)
    .option('--sim', 'simulated devices, with an embedded broker and central unless --mqtt is given', false)
    .option('--no-pcsc', 'do not open the PC/SC stack (pcscd) for real card readers')
    .addOption(new Option('--mode <mode>', 'counter, field or diagnostics').argParser(parseMode).default('counter'))
    .option('--mqtt <host:port>', 'broker to reach central through', parseHostPort)
    .option('--mqtt-version <4|5>', 'MQTT protocol version of that broker', parseMqttVersion, 5)
    .option('--mqtt-user <name>', 'broker user name; the password comes from DEVPAY_MQTT_PASSWORD')
    .option('--mqtt-ca <file>', "connect with TLS (mqtts), trusting this CA's PEM for the broker's certificate", parseDataDir)
    .option('--heartbeat-interval <ms>', 'how often central is asked for a heartbeat; "online" means answered within one (default 2000)', parseIntervalMs)
    .option('--printer <address>', 'receipt printer: tcp:HOST:PORT (raw TCP, usually 9100) or serial:/dev/ttyUSB0[@BAUD] (default: none; with --sim a simulated one)', parsePrinter)
    .option('--fingerprint <address>', 'fingerprint reader: serial:/dev/ttyUSB0[@57600] (R30x/ZFM module) or hid:VVVV:PPPP (USB HID, hex ids) (default: none, the PIN signs in; with --sim a simulated module)', parseFingerprint)
    .action(runServe);

  program
    .command('central')
    .description('run the reference central ledger service against a broker')
    .requiredOption('--data <dir>', 'data folder', parseDataDir)
    .requiredOption('--mqtt <host:port>', 'broker to serve terminals through', parseHostPort)
    .option('--mqtt-version <4|5>', 'MQTT protocol version of that broker', parseMqttVersion, 5)
    .option('--mqtt-user <name>', 'broker user name; the password comes from DEVPAY_MQTT_PASSWORD')
    .option('--mqtt-ca <file>', "connect with TLS (mqtts), trusting this CA's PEM for the broker's certificate", parseDataDir)
    .option('--sim-cards <n>', "issue the simulator's N virtual cards (ids derived from the master key)", parseCount)
    .action(runCentral);

  program
    .command('provision')
    .description("print a terminal's sync key, derived from central's master key (give it to the terminal as DEVPAY_SYNC_KEY or its sync.key)")
    .requiredOption('--data <dir>', "central's data folder", parseDataDir)
    .requiredOption('--terminal <id>', 'the terminal id (its terminal.json)')
    .option('--out <file>', 'write the key to a new file (mode 0600) instead of printing it', parseDataDir)
    .option('--central-public-key', "give central's reserve-token public key instead (the terminal's central.pub or DEVPAY_CENTRAL_PUBLIC_KEY)")
    .addOption(new Option('--setup-code', "give the terminal's one-time setup code instead, which creates its first admin").conflicts('centralPublicKey'))
    .action(runProvision);

  const ledger = program.command('ledger').description('verify or load-test a ledger replica');
  ledger
    .command('verify')
    .description('recompute every balance and check every transaction and the audit chain; exit 1 on any violation')
    .requiredOption('--data <dir>', 'data folder', parseDataDir)
    .action(runLedgerVerify);
  ledger
    .command('load')
    .description('post N durable test payments, printing each id once it is on disk')
    .requiredOption('--data <dir>', 'data folder', parseDataDir)
    .requiredOption('--count <n>', 'number of test payments', parseCount)
    .option('--concurrency <n>', 'payments in flight at once', parseCount, 1)
    .action(runLedgerLoad);
  const audit = program.command('audit').description('the tamper-evident audit journal');
  audit
    .command('export')
    .description('write the audit journal as JSON lines')
    .requiredOption('--data <dir>', 'data folder', parseDataDir)
    .requiredOption('--out <file>', 'output file (created with mode 0600)', parseDataDir)
    .action(runAuditExport);

  for (const command of [...program.commands, ...ledger.commands, ...audit.commands]) command.exitOverride().showHelpAfterError('(run devpay --help for usage)');
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    // A command that found a problem (ledger verify) sets process.exitCode rather than throwing.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return usageExitCode;
    }
    process.stderr.write(`devpay: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
