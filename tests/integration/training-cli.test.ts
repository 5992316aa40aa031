import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvText, esrExtract } from '../fixtures/extracts';
import { tempDir } from './helpers';

/**
 * `training import` and `person find` on the command line (issue 11): the staff import's checks and exit codes
 * (0 done, 2 the input needs fixing, nothing changed), and a staff number typed is never printed back.
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

const [A, B] = esrExtract(20)
  .slice(1)
  .filter((r) => r[8] === '')
  .map((r) => r[0]!) as [string, string];

describe('training import and person find on the command line', () => {
  it('previews, refuses unmatched numbers unless accepted, imports, refuses the same file twice, and finds a person', () => {
    const db = path.join(dir, 'cli-training.sqlite');
    const staff = path.join(dir, 'staff.csv');
    fs.writeFileSync(staff, csvText(esrExtract(20)));
    expect(cli('import', staff, '--accept-rejected', '--db', db).code).toBe(0);

    const records = path.join(dir, 'olm.csv');
    fs.writeFileSync(
      records,
      csvText([
        ['Employee Number', 'Course', 'Status', 'Completion Date'],
        [A, 'Care Certificate', 'Completed', '31/03/2024'],
        [B, 'Functional Skills Maths Level 2', 'Passed', '01/02/2023'],
        ['77777777', 'Care Certificate', 'Completed', '31/03/2024'],
      ]),
    );
    const dry = cli('training', 'import', records, '--dry-run', '--db', db);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Preview of olm\.csv \(CSV/);
    expect(dry.stdout).toMatch(
      /Care Certificate \(2 row\(s\)\) -> Care Certificate \(all 15 standards when completed\)/,
    );
    expect(dry.stdout).toMatch(/1 row\(s\) \(1 staff number\(s\)\) match nobody in this database; lines 4\./);
    expect(dry.stdout).toMatch(/Nothing has been changed \(dry run\)\./);
    expect(dry.stdout).not.toContain('77777777');

    const refused = cli('training', 'import', records, '--db', db);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/match nobody in this database/);
    expect(refused.stderr).not.toContain('77777777');

    const done = cli('training', 'import', records, '--accept-unmatched', '--json', '--db', db);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ dryRun: false, added: 2, unmatched: 1, batch: { id: 2 } });

    const copy = path.join(dir, 'olm-again.csv');
    fs.copyFileSync(records, copy);
    const again = cli('training', 'import', copy, '--accept-unmatched', '--db', db);
    expect(again.code).toBe(2);
    expect(again.stdout.split('\n')[0]).toMatch(
      /^Note: This exact file \(same SHA-256\) has already been imported, as import 2/,
    );
    expect(again.stderr).toMatch(/nothing in it is new or changed since\. Nothing has been changed\./);

    const missing = path.join(dir, 'no-course.csv');
    fs.writeFileSync(
      missing,
      csvText([
        ['Employee Number', 'Status'],
        [A, 'Completed'],
      ]),
    );
    const noCourse = cli('training', 'import', missing, '--db', db);
    expect(noCourse.code).toBe(2);
    expect(noCourse.stderr).toMatch(/no-course\.csv has no column we recognise for: Course or qualification/);

    const empty = path.join(dir, 'empty.csv');
    fs.writeFileSync(empty, '');
    const nothing = cli('training', 'import', empty, '--db', db);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/empty\.csv: The file is empty\. Nothing has been changed\./);

    const found = cli('person', 'find', A, '--db', db);
    expect(found.code).toBe(0);
    expect(found.stdout).toMatch(/^Staff member [0-9A-F]{8} \(person \d+\), found by employee number/);
    expect(found.stdout).toMatch(/Care Certificate: 15 of 15 standards/);
    expect(found.stdout).not.toContain(A);
    const json = JSON.parse(cli('person', 'find', A, '--json', '--db', db).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ matchedBy: 'employee', qualifications: 1 });
    const nobody = cli('person', 'find', '77777777', '--db', db);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toBe(
      'Error: Nobody in this database has that employee or assignment number. Check the number, or import the staff extract that holds it.\n',
    );
  });
});
