import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseStore } from '../../electron/db/store';
import { writeCsvFixture } from '../fixtures/extracts';
import { nearDuplicateExtract } from '../fixtures/near-duplicates';
import { tempDir } from './helpers';

const root = path.resolve(import.meta.dirname, '../..');
const dir = tempDir();
const db = path.join(dir, 'cli.sqlite');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['build/scripts/run-node.mjs', 'cli', ...args, '--db', db], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, AHP_KEY_DIR: path.join(dir, 'keys') },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const roleCount = async () => {
  const store = await DatabaseStore.open(db, { keyDir: path.join(dir, 'keys') });
  try {
    return store.db.prepare('SELECT count(*) FROM role').pluck().get() as number;
  } finally {
    store.close();
  }
};

describe('roles merge on the command line', () => {
  it('lists suggestions, merges, refuses bad input with exit code 2, lists merges and undoes one', async () => {
    const file = await writeCsvFixture(dir, 'extract.csv', nearDuplicateExtract(144));
    expect(cli('import', file).code).toBe(0);
    expect(await roleCount()).toBe(72);

    const listed = cli('roles', 'suggestions', '--json');
    expect(listed.code).toBe(0);
    const suggestions = JSON.parse(listed.stdout) as { roleIds: number[]; reason: string }[];
    expect(suggestions).toHaveLength(36);
    const table = cli('roles', 'suggestions');
    expect(table.stdout).toContain('36 suggested merges');

    const [first, second] = suggestions;
    const self = cli('roles', 'merge', String(first!.roleIds[0]), '--into', String(first!.roleIds[0]));
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('Choose at least one other role to merge into');
    const unknown = cli('roles', 'merge', '9999', '--into', String(first!.roleIds[0]));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no role with id 9999. Nothing was merged.');
    expect(cli('roles', 'merge', 'twelve', '--into', '1').code).toBe(2);
    expect(await roleCount()).toBe(72);

    const merged = cli(
      'roles',
      'merge',
      String(first!.roleIds[1]),
      '--into',
      String(first!.roleIds[0]),
      '--title',
      'Merged job',
    );
    expect(merged.code).toBe(0);
    expect(merged.stdout).toMatch(/^Merge 1: .* merged into Merged job \(role \d+\)\.\nUndo with: roles unmerge 1/);
    const json = cli('roles', 'merge', String(second!.roleIds[1]), '--into', String(second!.roleIds[0]), '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ id: 2, intoRoleId: second!.roleIds[0], undoBlockedBy: null });
    expect(await roleCount()).toBe(70);

    const merges = cli('roles', 'merges');
    expect(merges.stdout).toContain('Merged job');
    expect(merges.stdout).toContain('can be undone');
    const undone = cli('roles', 'unmerge', '1');
    expect(undone.code).toBe(0);
    expect(undone.stdout).toMatch(/^Merge 1 undone: .* are roles of their own again\./);
    expect(await roleCount()).toBe(71);
    const again = cli('roles', 'unmerge', '1');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/This merge was undone on/);
    expect(cli('roles', 'conflicts').stdout).toContain('No mapping conflicts to settle.');
  });
});
