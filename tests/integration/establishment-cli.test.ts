import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { establishmentReport, smallStaffExtract } from '../fixtures/establishment';
import { tempDir } from './helpers';

/**
 * `establishment import FILE [--profile NAME] [--dry-run] [--json]` (issue 11, item 10): the same checks and exit
 * codes as the staff import's `import` (0 done, 2 for a file or a choice to fix), nothing written when refused.
 */

const root = path.resolve(import.meta.dirname, '../..');
const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['build/scripts/run-node.mjs', 'cli', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('establishment import on the command line', () => {
  const db = path.join(dir, 'cli-establishment.sqlite');
  const staff = path.join(dir, 'staff.csv');
  const report = path.join(dir, 'establishment.csv');
  fs.writeFileSync(staff, smallStaffExtract());
  fs.writeFileSync(report, establishmentReport());

  it('previews with --dry-run --json, refuses unmatched lines (exit 2), imports with --leave-unmatched, refuses the same file twice', () => {
    expect(cli('import', staff, '--db', db).code).toBe(0);

    const dry = cli('establishment', 'import', report, '--dry-run', '--json', '--db', db);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    const preview = JSON.parse(dry.stdout) as Record<string, unknown>;
    expect(preview).toMatchObject({
      dryRun: true,
      file: 'establishment.csv',
      alreadyImported: null,
      linesRead: 5,
      matched: 3,
      unmatched: 2,
      changed: 2,
      vacancyAfter: { establishmentFte: 5.5, inPostFte: 4.5, vacancyFte: 1 },
    });

    const refused = cli('establishment', 'import', report, '--db', db);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/2 line\(s\) of establishment\.csv match no role or service/);
    expect(refused.stderr).toMatch(/line 5, service: "CC103" matches no service/);

    const done = cli('establishment', 'import', report, '--leave-unmatched', '--db', db);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^Lines read +Matched +Unmatched/m);
    expect(done.stdout).toMatch(/^ *5 +3 +2 +0 +2 +0 +0$/m);
    expect(done.stdout).toMatch(
      /After the import: establishment 5\.50 FTE, in post in those post lines 4\.50 FTE, vacancy 1\.00 FTE/,
    );
    expect(done.stdout).toMatch(/Recorded as import 2;/);

    const twice = cli('establishment', 'import', report, '--leave-unmatched', '--db', db);
    expect(twice.code).toBe(2);
    expect(twice.stdout.split('\n')[0]).toMatch(
      /^Note: This exact file \(same SHA-256\) has already been imported, as import 2/,
    );
    expect(twice.stderr).toMatch(/Confirm that you want to import it again\. Nothing has been changed\./);
    expect(cli('establishment', 'import', report, '--leave-unmatched', '--again', '--db', db).code).toBe(0);
  });

  it('names a missing column, and a bad line by line and column, with exit code 2', () => {
    const noWte = path.join(dir, 'no-wte.csv');
    fs.writeFileSync(noWte, 'Service,Job Title,Band\r\nMSK Physio,Physiotherapy Assistant,3\r\n');
    const missing = cli('establishment', 'import', noWte, '--dry-run', '--db', db);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /no-wte\.csv has no column we recognise for: Funded WTE\. Its columns are: Service, Job Title, Band/,
    );
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(
      bad,
      establishmentReport([['CC101', 'MSK Physio', 'Physiotherapy Assistant', 'Band 3', '-2', '']]),
    );
    const negative = cli('establishment', 'import', bad, '--db', db);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toMatch(/line 2, Funded WTE: Funded WTE cannot be negative \(-2\)/);
    const empty = path.join(dir, 'empty.csv');
    fs.writeFileSync(empty, '');
    expect(cli('establishment', 'import', empty, '--db', db).code).toBe(2);
  });
});
