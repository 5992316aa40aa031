import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { assertDriverLoads } from '../db/driver';
import { DatabaseStore } from '../db/store';
import { currentUser, defaultDatabasePath } from '../db/location';
import { startHost } from './web-host';
import { removeUploadFolder, sweepStaleUploads } from '../services/common/uploads';

/** `npm run serve [-- --port N --db PATH --no-open]`: the app in the browser on 127.0.0.1. */
const USAGE = 'Usage: npm run serve [-- --port N --db PATH --no-open]';

function readOptions(argv: string[]): { db: string | undefined; port: number; open: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { db: { type: 'string' }, port: { type: 'string' }, 'no-open': { type: 'boolean' } },
      strict: true,
    }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n${USAGE}`);
    process.exit(2);
  }
  const port = values.port === undefined ? 5178 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, not ${values.port}\n${USAGE}`);
    process.exit(2);
  }
  return { db: values.db, port, open: values['no-open'] !== true };
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  sweepStaleUploads(); // clear-text uploads left by a run that was killed outright
  assertDriverLoads();
  const store = await DatabaseStore.open(options.db ?? defaultDatabasePath());
  // The same relative path from electron/transports/ (run by tsx) and from dist/node/ (the bundle).
  const here = import.meta.dirname;
  const host = await startHost({
    context: { store, user: currentUser(), now: () => new Date() },
    // AHP_RENDERER_DIR lets parallel test runs each serve their own build.
    staticDir: path.resolve(process.env.AHP_RENDERER_DIR ?? path.resolve(here, '../../dist/renderer')),
    port: options.port,
    log: (m) => console.error(m),
  });
  // Ctrl+C or a kill: uploads (clear text) go at once, then the host closes and the process exits with the
  // shell's usual code for the signal (128 + its number), at the latest after 2 seconds.
  // Listening before the address is printed, so that a signal sent as soon as it appears is handled.
  const stop = (code: number) => {
    removeUploadFolder();
    setTimeout(() => process.exit(code), 2000).unref();
    void host.close().then(() => {
      store.close();
      process.exit(code);
    });
  };
  process.once('SIGINT', () => stop(130));
  process.once('SIGTERM', () => stop(143));
  // The code signs in one browser once (web-sign-in.ts): a used address, in history or `ps`, opens nothing.
  console.log(
    `AHP Support Workforce Planner is running.\n  Database: ${store.path}\n  Open:     ${host.url}\n` +
      `The address signs in one browser, once; to sign in again, stop the app and start it again.\n` +
      `Press Ctrl+C to stop.`,
  );
  if (options.open) {
    const opener = process.platform === 'win32' ? 'explorer' : process.platform === 'darwin' ? 'open' : 'xdg-open';
    spawn(opener, [host.url], { stdio: 'ignore', detached: true })
      .on('error', () => undefined)
      .unref();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
