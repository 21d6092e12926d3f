// Where `devpay start` keeps its data when no --data is given: the per-user application data
// folder of the platform, as Electron's app.getPath('userData') would choose it.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const appName = 'devpay-edge';
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), appName);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', appName);
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), appName);
}
