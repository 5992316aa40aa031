import { describe, expect, it } from 'vitest';
import { optionsFromUsage, parseCommandLine } from '../../electron/transports/cli-args';
import { CliError, type CliCommand } from '../../electron/transports/cli-command';

const command = (usage: string): CliCommand => ({ usage, summary: '', run: async () => 0 });
const commands = {
  import: command('import FILE [--profile NAME] [--dry-run] [--keep-non-ahp CODES]'),
  summary: command('summary [--as-at YYYY-MM-DD] [--json]'),
  'funding report': command('funding report --year 2021/22 [--method plan|run-rate] [--to FILE.xlsx|FILE.csv]'),
  'funding import-ledger': command('funding import-ledger FILE (--stream ID | --year 2021/22) [--dry-run]'),
  backup: command('backup --to FILE'),
  'ics trusts': command('ics trusts'),
  'ics trust add': command('ics trust add --ods CODE --name NAME'),
  'ics trust remove': command('ics trust remove ODS'),
};
const parse = (...argv: string[]) => parseCommandLine(argv, commands);
const userError = (...argv: string[]) => {
  try {
    parse(...argv);
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    return (err as Error).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
};

describe('command-line options from the usage line', () => {
  it('reads `--name VALUE` as taking a value and a bare `--name` as a flag', () => {
    expect(
      optionsFromUsage(
        'funding import-ledger FILE (--stream ID | --year 2021/22) [--kind actual|commitment] [--dry-run] [--json]',
      ),
    ).toEqual({
      stream: { type: 'string' },
      year: { type: 'string' },
      kind: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    expect(optionsFromUsage('gaps export [--format xlsx|csv] --to FILE')).toEqual({
      format: { type: 'string' },
      to: { type: 'string' },
    });
  });

  it("agrees across the app's commands: no option is a flag in one and takes a value in another", async () => {
    const groups = await Promise.all([
      import('../../electron/services/settings/commands').then((m) => m.settingsCommands),
      import('../../electron/services/workforce/commands').then((m) => m.workforceCommands),
      import('../../electron/services/import/commands').then((m) => m.importCommands),
      import('../../electron/services/picture/commands').then((m) => m.pictureCommands),
      import('../../electron/services/framework/commands').then((m) => m.frameworkCommands),
      import('../../electron/services/training/commands').then((m) => m.trainingCommands),
      import('../../electron/services/funding/commands').then((m) => m.fundingCommands),
    ]);
    const all = Object.assign({}, ...groups) as Record<string, CliCommand>;
    expect(parseCommandLine(['summary', '--json'], all).name).toBe('summary');
  });
});

describe('parsing a command line', () => {
  it('finds one- and two-word commands, with options in any order', () => {
    expect(parse('--db', 'x.sqlite', 'funding', 'report', '--year', '2021/22')).toMatchObject({
      name: 'funding report',
      db: 'x.sqlite',
      help: null,
    });
    const r = parse('funding', 'report', '--to=out.csv', '--year', '2021/22', '--db=x.sqlite');
    expect(r.args.text('to')).toBe('out.csv');
    expect(r.args.text('year')).toBe('2021/22');
    expect(r.args.positional).toEqual([]);
  });

  it('keeps the file name whether a flag comes before or after it', () => {
    for (const argv of [
      ['import', '--dry-run', 'extract.csv'],
      ['import', 'extract.csv', '--dry-run'],
      ['--dry-run', 'import', 'extract.csv'],
    ]) {
      const { name, args } = parse(...argv);
      expect(name).toBe('import');
      expect(args.positional).toEqual(['extract.csv']);
      expect(args.options.get('dry-run')).toBe(true);
    }
  });

  it('gives commands --json, the options map and text()', () => {
    const { args } = parse('summary', '--as-at', '2026-03-31', '--json');
    expect(args.json).toBe(true);
    expect(args.text('as-at')).toBe('2026-03-31');
    expect([...args.options.keys()].sort()).toEqual(['as-at', 'json']);
    expect(parse('summary').args.text('as-at')).toBeUndefined();
  });

  it('treats a command reading an undeclared option as our mistake, not a user error', () => {
    const { args } = parse('summary');
    expect(() => args.text('to')).toThrow(/does not declare/);
    expect(() => args.text('json')).not.toThrow(CliError);
    expect(() => args.text('json')).toThrow(/does not declare/);
  });

  it('asks for help with `help`, --help or nothing at all', () => {
    expect(parse().help).toBe('missing');
    expect(parse('help').help).toBe('asked');
    expect(parse('--help').help).toBe('asked');
    expect(parse('backup', '-h')).toMatchObject({ name: 'backup', help: 'asked' });
  });

  it('explains user mistakes plainly, with the usage', () => {
    expect(userError('frobnicate')).toBe('Unknown command "frobnicate". Run: npm run cli -- help');
    expect(userError('summary', '--frob')).toBe(
      'Unknown option --frob\nUsage: npm run cli -- summary [--as-at YYYY-MM-DD] [--json]',
    );
    expect(userError('backup', '--to')).toMatch(/^--to needs a value\n/);
    expect(userError('backup', '--to', '--json')).toMatch(/^--to needs a value/);
    expect(userError('summary', '--json=yes')).toMatch(/^--json does not take a value/);
    // An option of another command is refused for this one.
    expect(userError('summary', '--to', 'x.csv')).toMatch(/^Unknown option --to/);
  });
});

describe('three-word commands', () => {
  it('are found before shorter ones, with their own words and options', () => {
    const added = parse('ics', 'trust', 'add', '--ods', 'RX1', '--name', 'A Trust');
    expect(added.name).toBe('ics trust add');
    expect(added.args.text('name')).toBe('A Trust');
    const removed = parse('ics', 'trust', 'remove', 'RX1');
    expect([removed.name, removed.args.positional]).toEqual(['ics trust remove', ['RX1']]);
    expect(parse('ics', 'trusts').name).toBe('ics trusts');
    expect(userError('ics', 'trust')).toMatch(/Unknown command "ics trust"/);
  });
});
