// Finds Electron's binary, if the optional electron package installed one. On machines that
// cannot download it (and on Node older than Electron's engines) the package is absent or
// empty, and `devpay start` serves the same UI headless instead.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

export type ElectronLookup = { found: true; binaryPath: string } | { found: false; reason: string };

export function findElectronBinary(): ElectronLookup {
  if (process.env.DEVPAY_NO_ELECTRON === '1') return { found: false, reason: 'DEVPAY_NO_ELECTRON=1 is set' };
  let binaryPath: unknown;
  try {
    // In Node, the electron package's main export is the path of its binary.
    binaryPath = createRequire(import.meta.url)('electron');
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { found: false, reason: `the electron package is not usable (${message})` };
  }
  if (typeof binaryPath !== 'string' || !existsSync(binaryPath)) {
    return { found: false, reason: 'the electron package has no binary (its download did not run or failed)' };
  }
  return { found: true, binaryPath };
}
