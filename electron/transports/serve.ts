import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseStore } from '../db/store';
import { currentUser, defaultDatabasePath, parseArgs } from '../db/location';
import { startHost } from './web-host';

/** `npm run serve [-- --port N --db PATH --no-open]`: the app in the browser on 127.0.0.1. */
async function main(): Promise<void> {
  const { options } = parseArgs(process.argv.slice(2));
  const dbOption = options.get('db');
  const dbPath = typeof dbOption === 'string' ? dbOption : defaultDatabasePath();
  const portOption = options.get('port');
  const port = typeof portOption === 'string' ? Number(portOption) : 5178;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not ${String(portOption)}`);

  const store = await DatabaseStore.open(dbPath);
  const here = path.dirname(fileURLToPath(import.meta.url));
  const host = await startHost({
    context: { store, user: currentUser(), now: () => new Date() },
    // AHP_RENDERER_DIR lets parallel test runs each serve their own build.
    staticDir: path.resolve(process.env.AHP_RENDERER_DIR ?? path.resolve(here, '../../dist/renderer')),
    port,
    log: (m) => console.error(m),
  });
  console.log(`AHP Support Workforce Planner is running.\n  Database: ${store.path}\n  Open:     ${host.url}\nPress Ctrl+C to stop.`);
  if (!options.has('no-open')) {
    const opener = process.platform === 'win32' ? 'explorer' : process.platform === 'darwin' ? 'open' : 'xdg-open';
    spawn(opener, [host.url], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
  }
  const stop = () => {
    void host.close().then(() => {
      store.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
