// A certificate authority made at test time with openssl: a CA, and a server certificate for
// 127.0.0.1 (IP subject alternative name) signed by it, for the broker's TLS listener.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCa {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
}

export function makeTestCa(openssl: string, dir: string): TestCa {
  const path = (name: string): string => join(dir, name);
  const run = (...args: string[]): void => void execFileSync(openssl, args, { stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=DevPay test CA', '-keyout', path('ca.key'), '-out', path('ca.pem'));
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', path('server.key'), '-out', path('server.csr'));
  writeFileSync(path('server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  run('x509', '-req', '-in', path('server.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', path('server.ext'), '-out', path('server.pem'));
  return { caCert: path('ca.pem'), serverCert: path('server.pem'), serverKey: path('server.key') };
}
