import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, type CliArgs, type CliCommand } from './cli-command';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes. */
export const GLOBAL_OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

/**
 * A command's options, read from its usage line so the help and the parser cannot disagree: `--name VALUE`
 * takes a value, `--name` followed by `]`, `|`, `)` or the end is a flag.
 */
export function optionsFromUsage(usage: string): OptionSpecs {
  const specs: OptionSpecs = {};
  for (const m of usage.matchAll(/--([a-z][a-z0-9-]*)( [^\s\])|[-][^\s\])|]*)?/g)) {
    specs[m[1]!] = { type: m[2] ? 'string' : 'boolean' };
  }
  return specs;
}

export interface ParsedCommandLine {
  /** The command's name as declared ("funding report"), or null for help. */
  name: string | null;
  /** `--help` or `help`: print help and exit 0; no command at all: print help and exit 2. */
  help: 'asked' | 'missing' | null;
  db: string | undefined;
  args: CliArgs;
}

/**
 * Two passes over Node's parseArgs: a lenient one with every command's options, to find the positional words
 * (and so the command) whatever the order; then a strict one with that command's options only.
 */
export function parseCommandLine(argv: string[], commands: Record<string, CliCommand>): ParsedCommandLine {
  const all: OptionSpecs = { ...GLOBAL_OPTIONS };
  const specsOf = new Map<string, OptionSpecs>();
  for (const [name, command] of Object.entries(commands)) {
    const specs = optionsFromUsage(command.usage);
    specsOf.set(name, specs);
    for (const [option, spec] of Object.entries(specs)) {
      if (all[option] && all[option].type !== spec.type)
        throw new Error(`--${option} is a flag in one command and takes a value in another (${name})`);
      all[option] = spec;
    }
  }

  const loose = parseArgs({ args: argv, options: all, strict: false, allowPositionals: true });
  const words = loose.positionals;
  // Longer commands ("ics trust add", "funding report") are looked up before shorter ones.
  const name =
    [words.slice(0, 3).join(' '), words.slice(0, 2).join(' '), words[0] ?? ''].find((n) => n in commands) ?? null;
  if (name === null) {
    if (words.length === 0 || words[0] === 'help' || loose.values.help === true) {
      return {
        name: null,
        help: words.length === 0 && loose.values.help !== true ? 'missing' : 'asked',
        db: undefined,
        args: argsOf([], {}, {}),
      };
    }
    throw new CliError(`Unknown command "${words.join(' ')}". Run: npm run cli -- help`);
  }

  const specs: OptionSpecs = { ...specsOf.get(name), ...GLOBAL_OPTIONS };
  let strict: ReturnType<typeof parseArgs<{ args: string[]; options: OptionSpecs; allowPositionals: true }>>;
  try {
    strict = parseArgs({ args: argv, options: specs, strict: true, allowPositionals: true });
  } catch (err) {
    throw new CliError(`${parseErrorMessage(err)}\nUsage: npm run cli -- ${commands[name]!.usage}`);
  }
  const values = strict.values as Record<string, string | boolean | undefined>;
  return {
    name,
    help: values.help === true ? 'asked' : null,
    db: typeof values.db === 'string' ? values.db : undefined,
    args: argsOf(strict.positionals.slice(name.split(' ').length), values, specs),
  };
}

function argsOf(
  positional: string[],
  values: Record<string, string | boolean | undefined>,
  specs: OptionSpecs,
): CliArgs {
  const options = new Map<string, string | true>();
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string') options.set(key, value);
    else if (value === true) options.set(key, true);
  }
  return {
    positional,
    options,
    json: options.has('json'),
    text(option) {
      // A command reading an option its usage does not declare is our mistake, not the user's (exit code 1).
      if (specs[option]?.type !== 'string')
        throw new Error(`The command reads --${option}, which its usage line does not declare as taking a value`);
      const value = options.get(option);
      return typeof value === 'string' ? value : undefined;
    },
  };
}

/** Node's messages, shortened to what a user needs. */
function parseErrorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof Error && 'code' in err ? err.code : undefined;
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  if (!option) return message;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option ${option}`;
  if (message.includes('does not take an argument')) return `${option} does not take a value`;
  if (message.includes('argument missing')) return `${option} needs a value`;
  if (message.includes('ambiguous'))
    return `${option} needs a value (for one that starts with "-", write ${option}=VALUE)`;
  return message.split('\n')[0]!;
}
