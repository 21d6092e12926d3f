// Tests that need a Debian package (pcscd, mosquitto, socat, chromium) call this first, and
// tests that need an optional native module (nfc-pcsc, serialport) call requireNativeModules. In
// CI (CI=true) a missing one fails the test loudly; elsewhere the test is skipped with the
// reason and the line that installs it. Either way the test ends at once, never by a timeout.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { TestContext } from 'node:test';
import { nativeModuleMessage, nativeModuleProblems, type NativeModuleName } from '../../drivers/native-modules.js';

export const aptLine = 'apt-get install -y pcscd vsmartcard-vpcd libpcsclite-dev mosquitto socat chromium libusb-1.0-0 udev openssl';

export function findExecutable(name: string): string | null {
  if (name.startsWith('/')) return existsSync(name) ? name : null;
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/bin', '/usr/local/sbin']) {
    const candidate = `${dir}/${name}`;
    if (existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * Resolves each requirement (an executable name or an absolute file path). Returns the paths,
 * or null after marking the test skipped outside CI. In CI it throws.
 */
export function requireTools(context: TestContext, names: string[]): string[] | null {
  const found = names.map((name) => findExecutable(name));
  const missing = names.filter((_, index) => found[index] === null);
  if (missing.length === 0) return found as string[];
  const reason = `missing ${missing.join(', ')}; install with: ${aptLine}`;
  if (process.env.CI) throw new Error(`CI requires ${reason}`);
  process.stderr.write(`skipping "${context.name}": ${reason}\n`);
  context.skip(reason);
  return null;
}

/**
 * Checks that optional native modules load (nfc-pcsc needs libpcsclite-dev when npm installs
 * it). Returns true, or false after marking the test skipped outside CI with the module's named
 * message and fix. In CI it throws that message.
 */
export function requireNativeModules(context: TestContext, names: NativeModuleName[]): boolean {
  const problems = nativeModuleProblems().filter((problem) => (names as string[]).includes(problem.subject));
  if (problems.length === 0) return true;
  const reason = problems.map(nativeModuleMessage).join('; ');
  if (process.env.CI) throw new Error(`CI requires ${reason}`);
  process.stderr.write(`skipping "${context.name}": ${reason}\n`);
  context.skip(reason);
  return false;
}
