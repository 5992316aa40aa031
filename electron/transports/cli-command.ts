import fs from 'node:fs';
import path from 'node:path';
import type { FileData } from '../../shared/common/api';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract';
import { dispatch } from '../router';
import type { HandlerContext } from '../handler';

/** A command-line error the user can fix: printed without a stack trace, exit code 2. */
export class CliError extends Error {}

export interface CliArgs {
  /** The words after the command's name. */
  positional: string[];
  /** The options given: a value, or `true` for a flag. */
  options: Map<string, string | true>;
  json: boolean;
  /** An option that takes a value, or undefined when it was not given. */
  text(name: string): string | undefined;
}

export interface CliCommand {
  /**
   * Also the option declaration (cli-args.ts): `--name VALUE` takes a value, `[--name]` is a flag, and any
   * other option is refused. Put positional words such as FILE before the options.
   */
  usage: string;
  summary: string;
  run(ctx: HandlerContext, args: CliArgs, out: (text: string) => void): Promise<number>;
}

/** Commands go through the same handler table as the app: same validation, same services. */
export async function call<C extends Channel>(
  ctx: HandlerContext,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  // Someone running a command waits for all of it: "slow request" notes belong in the app's log, not on stderr.
  const result = await dispatch(ctx, channel, input, { slowQueryMs: Number.POSITIVE_INFINITY });
  if (!result.ok) {
    const details = result.error.details
      ? Object.entries(result.error.details)
          .map(([k, v]) => `\n  ${k}: ${v}`)
          .join('')
      : '';
    throw new CliError(`${result.error.message}${details}`);
  }
  return result.value as ChannelOutput<C>;
}

/** Counts as people read them, everywhere the command line prints one: 100,000 rather than 100000. */
export const count = (n: number): string => n.toLocaleString('en-GB');
/** FTE to the hundredth with thousands separators; a dash for none. */
export const fte = (n: number | null): string =>
  n === null ? '-' : n.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A plain-text table: numbers right-aligned, and a number given as a number printed with thousands separators. */
export function textTable(input: (string | number)[][]): string {
  const rows = input.map((r) => r.map((cell) => (typeof cell === 'number' ? count(cell) : cell)));
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  const numeric = (v: string | number) => typeof v === 'number' || /^-?[\d,.]+%?$/.test(v);
  return rows
    .map((r, i) =>
      r
        .map((cell, c) =>
          i > 0 && numeric(cell) ? String(cell).padStart(widths[c]!) : String(cell).padEnd(widths[c]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * `<name> export [--format xlsx|csv] --to FILE`: writes a file a service produced. `options` adds the command's own
 * options to the usage line (which declares them); `produce` reads them from `args`.
 */
export function exportCommand(
  name: string,
  what: string,
  produce: (ctx: HandlerContext, format: 'xlsx' | 'csv', args: CliArgs) => Promise<FileData>,
  options = '',
): CliCommand {
  return {
    usage: `${name} export ${options ? `${options} ` : ''}[--format xlsx|csv] --to FILE`,
    summary: `write the ${what} to an Excel or CSV file`,
    async run(ctx, args, out) {
      const to = args.text('to');
      if (!to) throw new CliError(`${name} export needs --to FILE`);
      const format = args.text('format') ?? (path.extname(to).toLowerCase() === '.csv' ? 'csv' : 'xlsx');
      if (format !== 'xlsx' && format !== 'csv') throw new CliError('--format is xlsx or csv');
      const file = await produce(ctx, format, args);
      fs.writeFileSync(to, Buffer.from(file.base64, 'base64'));
      out(args.json ? JSON.stringify({ file: path.resolve(to) }) : `Wrote ${path.resolve(to)}`);
      return 0;
    },
  };
}
