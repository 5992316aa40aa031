import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { staffCsv } from '../fixtures/bad-inputs';
import { tempDir } from './helpers';

/**
 * The staff import on the command line (issue 10, item 17): a file imported before is said to be so before anything
 * else, and counts carry thousands separators.
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

describe('import on the command line', () => {
  it('says first that a file was imported before (same SHA-256), and prints counts with thousands separators', () => {
    const db = path.join(dir, 'cli-import.sqlite');
    const file = path.join(dir, 'march.csv');
    fs.writeFileSync(file, staffCsv(1_500, 12));
    const first = cli('import', file, '--accept-rejected', '--db', db);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).not.toMatch(/already been imported/);
    expect(first.stdout).toMatch(/^Rows read +Add +Update/m);
    expect(first.stdout).toMatch(/^ *1,500 +1,\d{3} /m);
    expect(first.stdout).toMatch(/Recorded as import 1;/);

    const copy = path.join(dir, 'march-again.csv');
    fs.copyFileSync(file, copy);
    const again = cli('import', copy, '--dry-run', '--db', db);
    expect(again.code).toBe(0);
    const lines = again.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Note: This exact file \(same SHA-256\) has already been imported, as import 1 \(march\.csv, \d+ \w+ \d{4}, by .+\)\. Importing it again changes only what has been edited since\.$/,
    );
    expect(again.stdout).toMatch(/^ *1,500 +0 +0 +1,\d{3} /m);
    const json = JSON.parse(cli('import', copy, '--dry-run', '--json', '--db', db).stdout) as Record<string, unknown>;
    expect(json.alreadyImported).toMatchObject({ batchId: 1, fileName: 'march.csv', undoneAt: null });
  });
});
