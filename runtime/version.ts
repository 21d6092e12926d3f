// The runtime's version, as package.json states it; shown in the status bar and diagnostics.
// Imported as JSON so bundlers inline it for the Electron build.
import packageJson from '../package.json' with { type: 'json' };

export const runtimeVersion: string = packageJson.version;
