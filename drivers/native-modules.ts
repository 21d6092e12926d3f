// Whether the optional native modules load on this machine. Each is an optional dependency: npm
// installs the rest without it when its build fails (nfc-pcsc without libpcsclite-dev, node-hid
// without libusb), which used to surface as a device that never appeared or a test that timed
// out. A module that does not load is a named problem with its fix, for the status bar, the log
// and the tests' skip reasons. Checked once per process: loading is what it costs.
import { createRequire } from 'node:module';
import type { StatusProblem } from '../core/api/status.js';

export const nativeModules = [
  { name: 'nfc-pcsc', fix: 'apt-get install -y libpcsclite-dev pcscd, then npm install (nfc-pcsc builds against libpcsclite)' },
  { name: 'serialport', fix: 'apt-get install -y make g++ udev, then npm install (serialport builds its binding when no prebuilt one fits)' },
  { name: 'node-hid', fix: 'apt-get install -y libusb-1.0-0, then npm install' },
] as const;

export type NativeModuleName = (typeof nativeModules)[number]['name'];

let checked: StatusProblem[] | null = null;

/** The named message for a module that does not load: "<name> is not installed: <why>; fix: <fix>". */
export function nativeModuleMessage(problem: StatusProblem): string {
  return `${problem.subject} is not installed or does not load; fix: ${problem.fix}`;
}

/** The optional native modules that do not load here, each with its fix (cached per process). */
export function nativeModuleProblems(): StatusProblem[] {
  if (checked) return checked;
  const require = createRequire(import.meta.url);
  checked = nativeModules.flatMap((module) => {
    try {
      require(module.name);
      return [];
    } catch {
      return [{ code: 'native_module_missing' as const, subject: module.name, fix: module.fix }];
    }
  });
  return checked;
}
