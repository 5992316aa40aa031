import { parseCommandLine } from './cli-args';
import { CliError, type CliCommand } from './cli-command';
import { DatabaseStore } from '../db/store';
import { assertDriverLoads } from '../db/driver';
import { currentUser, defaultDatabasePath } from '../db/location';
import { frameworkCommands } from '../services/framework/commands';
import { fundingCommands } from '../services/funding/commands';
import { establishmentCommands } from '../services/establishment/commands';
import { icsCommands } from '../services/ics/commands';
import { importCommands } from '../services/import/commands';
import { pictureCommands } from '../services/picture/commands';
import { returnsCommands, returnsExportCommands } from '../services/returns/commands';
import { settingsCommands } from '../services/settings/commands';
import { trainingCommands } from '../services/training/commands';
import { workforceCommands } from '../services/workforce/commands';
import { removeUploadFolder, sweepStaleUploads } from '../services/common/uploads';

/**
 * `npm run cli -- <command> [--db PATH]`: the same handler table and services as the app, for finance teams
 * and scripts. Results go to stdout; errors to stderr with a non-zero exit code (2: your input, 1: ours).
 * Each capability brings its own commands; none holds logic of its own.
 */
const commands: Record<string, CliCommand> = {};
for (const group of [
  settingsCommands,
  workforceCommands,
  importCommands,
  establishmentCommands,
  pictureCommands,
  frameworkCommands,
  trainingCommands,
  fundingCommands,
  returnsCommands,
  returnsExportCommands,
  icsCommands,
]) {
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
    "  --help      this list; after a command, that command's usage",
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { name, help: wantsHelp, db, args } = parseCommandLine(argv, commands);
  if (name === null) {
    process.stdout.write(help());
    return wantsHelp === 'missing' ? 2 : 0;
  }
  const command = commands[name]!;
  if (wantsHelp) {
    process.stdout.write(`Usage: npm run cli -- ${command.usage}\n  ${command.summary}\n`);
    return 0;
  }
  assertDriverLoads();
  const store = await DatabaseStore.open(db ?? defaultDatabasePath());
  try {
    return await command.run({ store, user: currentUser(), now: () => new Date() }, args, (text) =>
      process.stdout.write(`${text}\n`),
    );
  } finally {
    store.close();
  }
}

// Uploads left in clear text by a command that was killed outright go at the next start; Ctrl+C or a kill now
// removes this one's before it exits, with the shell's usual code for the signal (128 + its number).
sweepStaleUploads();
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    removeUploadFolder();
    process.exit(code);
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const known = err instanceof CliError || (err instanceof Error && err.name === 'AppError');
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(known ? 2 : 1);
  },
);
