import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'AHP Support Workforce Planner';

/** The same folder Electron's app.getPath('userData') gives, so every way of starting the app finds one file. */
export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), PRODUCT_NAME);
}

export function defaultDatabasePath(): string {
  return path.join(userDataDir(), 'workforce.sqlite');
}

/** Names another key folder (tests use one of their own, so they never touch the real one). */
export const KEY_DIR_ENV = 'AHP_KEY_DIR';

/**
 * The per-user folder of pseudonymisation keys, one file per database (electron/services/common/keys.ts): the
 * desktop app, the web host and the command line all look here, so a database opened any way finds its key.
 */
export function keyStoreDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const override = env[KEY_DIR_ENV];
  return override ? path.resolve(override) : path.join(userDataDir(env, platform), 'keys');
}

export function currentUser(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
