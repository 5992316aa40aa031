import type { Channel, ChannelInput, ChannelOutput } from '../shared/contract';
import { dispatch } from './ipc/handlers';
import type { HandlerContext } from './ipc/types';
import { DatabaseStore } from './db/store';
import { currentUser, defaultDatabasePath, parseArgs } from './db/location';
import { backupToFile, databaseInfo } from './services/settings';

/**
 * `npm run cli -- <command> [--db PATH]`: the same services as the app, for finance teams and scripts.
 * Output goes to stdout; errors to stderr with a non-zero exit code.
 */

const HELP = `Usage: npm run cli -- <command> [options]

Commands:
  init                     create the database (or bring it up to date) and print where it is
  summary [--as-at DATE]   headcount, FTE and vacancy by profession and band (--json for one JSON object)
  backup --to FILE         copy the database to FILE while it is in use
  demo [--staff N]         load the synthetic demo trust into an empty database

Options:
  --db PATH                the database file (default: ${defaultDatabasePath()})
  --json                   print JSON instead of a table
`;

class CliError extends Error {}

async function call<C extends Channel>(ctx: HandlerContext, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await dispatch(ctx, channel, input);
  if (!result.ok) {
    const details = result.error.details ? Object.entries(result.error.details).map(([k, v]) => `\n  ${k}: ${v}`).join('') : '';
    throw new CliError(`${result.error.message}${details}`);
  }
  return result.value as ChannelOutput<C>;
}

function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((cell, c) => (typeof cell === 'number' ? String(cell).padStart(widths[c]!) : String(cell).padEnd(widths[c]!))).join('  ')).join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv);
  const command = positional[0];
  if (!command || command === 'help' || options.has('help')) {
    process.stdout.write(HELP);
    return command ? 0 : 1;
  }
  const dbOption = options.get('db');
  if (dbOption === true) throw new CliError('--db needs a file path');
  const store = await DatabaseStore.open(dbOption ?? defaultDatabasePath());
  const ctx: HandlerContext = { store, user: currentUser(), now: () => new Date() };
  const json = options.has('json');
  try {
    switch (command) {
      case 'init': {
        const info = databaseInfo(store);
        process.stdout.write(json ? `${JSON.stringify(info)}\n` : `Database ready: ${info.path} (schema version ${info.schemaVersion})\n`);
        return 0;
      }
      case 'summary': {
        const asAt = options.get('as-at');
        const summary = await call(ctx, 'workforce/summary', typeof asAt === 'string' ? { asAt } : {});
        if (json) {
          process.stdout.write(`${JSON.stringify(summary)}\n`);
        } else {
          process.stdout.write(
            `Workforce on ${summary.asAt}: headcount ${summary.headcount}, FTE ${summary.fte.toFixed(2)}, establishment ${summary.establishmentFte.toFixed(2)} FTE, vacancy ${summary.vacancyFte.toFixed(2)} FTE\n\n` +
              table([
                ['Profession', 'Band', 'Headcount', 'FTE'],
                ...summary.byProfessionBand.map((r) => [r.professionName, r.band, r.headcount, r.fte.toFixed(2)]),
              ]) +
              '\n',
          );
        }
        return 0;
      }
      case 'backup': {
        const to = options.get('to');
        if (typeof to !== 'string') throw new CliError('backup needs --to FILE');
        const done = await backupToFile(store, ctx, to);
        process.stdout.write(json ? `${JSON.stringify(done)}\n` : `Backed up to ${done.file}\n`);
        return 0;
      }
      case 'demo': {
        const staff = options.get('staff');
        const counts = await call(ctx, 'demo/load', staff ? { staff: Number(staff) } : {});
        process.stdout.write(json ? `${JSON.stringify(counts)}\n` : `Loaded the synthetic demo trust: ${counts.people} people in ${counts.roles} roles\n`);
        return 0;
      }
      default:
        throw new CliError(`Unknown command "${command}". Run npm run cli -- help`);
    }
  } finally {
    store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof CliError ? 2 : 1);
  },
);
