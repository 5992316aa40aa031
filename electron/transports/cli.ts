import { CliError, type CliArgs, type CliCommand } from './cli-command';
import { DatabaseStore } from '../db/store';
import { currentUser, defaultDatabasePath, parseArgs } from '../db/location';
import { frameworkCommands } from '../services/framework/commands';
import { fundingCommands } from '../services/funding/commands';
import { importCommands } from '../services/import/commands';
import { pictureCommands } from '../services/picture/commands';
import { settingsCommands } from '../services/settings/commands';
import { trainingCommands } from '../services/training/commands';
import { workforceCommands } from '../services/workforce/commands';

/**
 * `npm run cli -- <command> [--db PATH]`: the same handler table and services as the app, for finance teams
 * and scripts. Results go to stdout; errors to stderr with a non-zero exit code (2: your input, 1: ours).
 * Each capability brings its own commands; none holds logic of its own.
 */
const commands: Record<string, CliCommand> = {};
for (const group of [settingsCommands, workforceCommands, importCommands, pictureCommands, frameworkCommands, trainingCommands, fundingCommands]) {
  for (const [name, command] of Object.entries(group)) {
    if (name in commands) throw new Error(`CLI command ${name} is declared twice`);
    commands[name] = command;
  }
}

function help(): string {
  return [
    'Usage: npm run cli -- <command> [options] [--db PATH] [--json]',
    '',
    'Commands:',
    ...Object.values(commands).map((c) => `  ${c.usage}\n      ${c.summary}`),
    '',
    `  --db PATH   the database file (default: ${defaultDatabasePath()})`,
    '  --json      print one JSON object instead of a table',
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv);
  // Two-word commands ("funding report") are looked up before one-word ones.
  const name = [positional.slice(0, 2).join(' '), positional[0] ?? ''].find((n) => n in commands);
  if (!name) {
    if (positional.length === 0 || positional[0] === 'help' || options.has('help')) {
      process.stdout.write(help());
      return positional.length === 0 ? 2 : 0;
    }
    throw new CliError(`Unknown command "${positional.join(' ')}". Run: npm run cli -- help`);
  }
  const dbOption = options.get('db');
  if (dbOption === true) throw new CliError('--db needs a file path');
  const store = await DatabaseStore.open(dbOption ?? defaultDatabasePath());
  const args: CliArgs = {
    positional: positional.slice(name.split(' ').length),
    options,
    json: options.has('json'),
    text(option) {
      const v = options.get(option);
      if (v === true) throw new CliError(`--${option} needs a value`);
      return v;
    },
  };
  try {
    return await commands[name]!.run({ store, user: currentUser(), now: () => new Date() }, args, (text) => process.stdout.write(`${text}\n`));
  } finally {
    store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const known = err instanceof CliError || (err instanceof Error && err.name === 'AppError');
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(known ? 2 : 1);
  },
);
