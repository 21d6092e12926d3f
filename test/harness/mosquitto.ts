// Debian's mosquitto on a free loopback port with a generated configuration: a password file
// and an ACL file written per run, so tests exercise the broker's real access control.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitForPort } from './free-port.js';
import { topics } from '../../core/wire/topics.js';

export interface MosquittoUser {
  username: string;
  password: string;
  /** ACL lines for this user, e.g. "topic readwrite devpay/v1/terminals/t1/#". */
  acl: string[];
}

/** A terminal's broker user as the documented ACL has it: its own requests, its own answers, central's presence. */
export function terminalBrokerUser(terminalId: string, password = `pw-${terminalId}`): MosquittoUser {
  return { username: terminalId, password, acl: [`topic write ${topics.terminalRequest(terminalId, '#')}`, `topic read ${topics.terminalResponses(terminalId)}`, `topic read ${topics.centralPresence}`] };
}

/** Central's broker user as the documented ACL has it: every terminal's requests, every answer, its presence. */
export function centralBrokerUser(password = 'pw-central'): MosquittoUser {
  return { username: 'central', password, acl: [`topic read ${topics.allTerminalRequests}`, `topic write ${topics.terminalResponses('+')}`, `topic readwrite ${topics.centralPresence}`] };
}

export interface MosquittoBroker {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  log(): string;
  stop(): Promise<void>;
  /** Kills and restarts the broker on the same port, for fault tests. */
  restart(): Promise<void>;
}

/** A TLS-only listener: the broker's certificate and key (clients must trust its CA). */
export interface MosquittoTls {
  certfile: string;
  keyfile: string;
}

export async function startMosquitto(binary: string, dir: string, users: MosquittoUser[] = [], port?: number, tls?: MosquittoTls): Promise<MosquittoBroker> {
  const brokerPort = port ?? (await freePort());
  const passwordFile = join(dir, 'passwords');
  const aclFile = join(dir, 'acl');
  const configFile = join(dir, 'mosquitto.conf');
  writeFileSync(passwordFile, '');
  chmodSync(passwordFile, 0o600);
  for (const user of users) execFileSync(findPasswd(binary), ['-b', passwordFile, user.username, user.password]);
  writeFileSync(aclFile, users.map((user) => [`user ${user.username}`, ...user.acl, ''].join('\n')).join('\n'));
  chmodSync(aclFile, 0o600);
  writeFileSync(
    configFile,
    [
      `listener ${brokerPort} 127.0.0.1`,
      ...(tls ? [`certfile ${tls.certfile}`, `keyfile ${tls.keyfile}`, 'tls_version tlsv1.2'] : []),
      // Started as root, mosquitto drops to the mosquitto user, which cannot read our 0600 files.
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      `allow_anonymous ${users.length === 0 ? 'true' : 'false'}`,
      ...(users.length === 0 ? [] : [`password_file ${passwordFile}`, `acl_file ${aclFile}`]),
      // A client's id is its user name whatever it asks for, so one terminal's password cannot
      // take central's or another terminal's connection over (and set off its last will).
      ...(users.length === 0 ? [] : ['use_username_as_clientid true']),
      // As production brokers should be: small request/response packets are not held back.
      'set_tcp_nodelay true',
      'persistence false',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      '',
    ].join('\n'),
  );
  let child: ChildProcess;
  let log = '';
  const launch = async (): Promise<void> => {
    child = spawn(binary, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await waitForPort(brokerPort, 10_000).catch((error: Error) => {
      throw new Error(`${error.message}; mosquitto said:\n${log}`);
    });
  };
  const kill = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  await launch();
  return {
    port: brokerPort,
    url: `${tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${brokerPort}`,
    dir,
    log: () => log,
    stop: kill,
    async restart() {
      await kill();
      await launch();
    },
  };
}

function findPasswd(binary: string): string {
  return binary.replace(/sbin\/mosquitto$/, 'bin/mosquitto_passwd');
}
