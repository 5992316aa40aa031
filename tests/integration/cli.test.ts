import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseStore } from '../../electron/db/store';
import { ESR_HEADERS, esrRows, writeCsvFixture } from '../fixtures/extracts';
import { tempDir } from './helpers';

const root = path.resolve(import.meta.dirname, '../..');
const dir = tempDir();
const db = path.join(dir, 'cli.sqlite');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['build/scripts/run-node.mjs', 'cli', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('command line', () => {
  it('init creates the database and says where', () => {
    const r = cli('init', '--db', db);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Database ready: ${db}`);
  });

  it('summary --json prints one object with the documented fields, matching the service', async () => {
    expect(cli('demo', '--staff', '120', '--db', db).code).toBe(0);
    const r = cli('summary', '--json', '--as-at', '2026-03-31', '--db', db);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining(['headcount', 'fte', 'establishmentFte', 'vacancyFte', 'byProfessionBand']),
    );
    const store = await DatabaseStore.open(db);
    const { workforceSummary } = await import('../../electron/services/workforce/summary');
    expect(out).toEqual(workforceSummary(store.db, '2026-03-31'));
    store.close();
    const row = (out.byProfessionBand as Record<string, unknown>[])[0]!;
    expect(Object.keys(row).sort()).toEqual(['band', 'fte', 'headcount', 'profession', 'professionName']);
    for (const r2 of out.byProfessionBand as { fte: number }[]) expect(Math.round(r2.fte * 100) / 100).toBe(r2.fte);
  });

  it('backup --to writes a database copy', () => {
    const target = path.join(dir, 'copy.sqlite');
    const r = cli('backup', '--to', target, '--db', db);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(target).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('errors go to stderr with a non-zero exit', () => {
    const missing = cli('backup', '--db', db);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('backup needs --to FILE');
    expect(missing.stdout).toBe('');
    const bad = cli('summary', '--as-at', '2026-02-30', '--db', db);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/asAt: .*real date/);
    const junk = path.join(dir, 'junk.sqlite');
    fs.writeFileSync(junk, 'not a database');
    const refused = cli('init', '--db', junk);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not a workforce database');
    expect(cli('frobnicate', '--db', db).code).toBe(2);
  });
  it("help, a command's --help, and mistakes in options (exit 2, with the usage)", () => {
    const help = cli('help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('funding report --year 2021/22');
    expect(cli().code).toBe(2);
    const one = cli('funding', 'report', '--help', '--db', path.join(dir, 'never-created.sqlite'));
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^Usage: npm run cli -- funding report /);
    expect(fs.existsSync(path.join(dir, 'never-created.sqlite'))).toBe(false);
    const unknown = cli('summary', '--frobnicate', '--db', db);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'Error: Unknown option --frobnicate\nUsage: npm run cli -- summary [--as-at YYYY-MM-DD] [--json]\n',
    );
    const noValue = cli('backup', '--db', db, '--to');
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toContain('--to needs a value');
  });

  it('import takes --dry-run before or after the file name, and --db=PATH', async () => {
    const extract = await writeCsvFixture(dir, 'extract.csv', [[...ESR_HEADERS], ...esrRows(30)]);
    for (const args of [
      ['import', '--dry-run', extract],
      ['import', extract, '--dry-run'],
    ]) {
      const r = cli(...args, '--json', `--db=${db}`);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ dryRun: true, file: 'extract.csv', rowsRead: 30 });
    }
  });
});
