import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseStore } from '../../electron/db/store';
import { dispatch } from '../../electron/router';
import { addRole, FIXED_NOW, tempDir } from './helpers';

const root = path.resolve(import.meta.dirname, '../..');
const dir = tempDir();
const db = path.join(dir, 'returns.sqlite');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['build/scripts/run-node.mjs', 'cli', ...args, '--db', db], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Two people alike in everything, and a threshold of 1: nothing needs hiding, so the return can be signed off. */
beforeAll(async () => {
  const store = await DatabaseStore.open(db, { keyDir: path.join(dir, 'keys') });
  const ctx = { store, user: 'test-user', now: () => FIXED_NOW };
  const ok = async (channel: string, input: unknown) => {
    const r = await dispatch(ctx, channel, input);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value as { id: number };
  };
  const service = await ok('workforce/service-save', { name: 'MSK', costCentre: null });
  const role = await addRole(ctx, { title: 'Physio assistant', serviceId: service.id, profession: 'PHY', band: '3' });
  for (let i = 0; i < 2; i++)
    await ok('workforce/person-save', {
      sex: 'F',
      ethnicCategory: 'A',
      disability: 'no',
      yearOfBirth: 1980,
      assignments: [
        {
          roleId: role.id,
          serviceId: service.id,
          contractedHours: 37.5,
          startDate: '2020-01-01',
          endDate: null,
          leavingReason: null,
        },
      ],
    });
  await ok('returns/settings-save', { threshold: 1 });
  store.close();
}, 60_000);

describe('return and organisation commands', () => {
  it('organisation set and show; bad input exits 2 and writes nothing', () => {
    const bad = cli('organisation', 'set', '--name', 'Trust', '--ods', 'not an ods', '--ics', 'ICS', '--faculty', 'F');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/ODS code/);
    expect(JSON.parse(cli('organisation', 'show', '--json').stdout)).toBeNull();
    expect(
      cli('organisation', 'set', '--kind', 'ccg', '--name', 'T', '--ods', 'RX1', '--ics', 'I', '--faculty', 'F').code,
    ).toBe(2);
    expect(cli('organisation', 'set', '--name', 'T', '--ods', 'RX1').stderr).toMatch(/needs --ics, --faculty/);
    const set = cli(
      'organisation',
      'set',
      '--name',
      'Test Trust',
      '--ods',
      'rx1',
      '--ics',
      'Test ICS',
      '--faculty',
      'Test Faculty',
    );
    expect(set.code).toBe(0);
    expect(JSON.parse(cli('organisation', 'show', '--json').stdout)).toMatchObject({
      name: 'Test Trust',
      odsCode: 'RX1',
      kind: 'trust',
    });
    expect(cli('organisation', 'show').stdout).toContain('ODS code: RX1');
  });

  it('build, show, sign, list and diff, with exit code 2 and a clear message on bad input', () => {
    const unknown = cli('return', 'build', '--period', '2025/27');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown period "2025\/27"/);
    expect(cli('return', 'build').stderr).toMatch(/needs --period/);

    const built = cli('return', 'build', '--period', '2025/26', '--json');
    expect(built.code).toBe(0);
    const b = JSON.parse(built.stdout) as { id: number; errors: unknown[]; warnings: { code: string }[] };
    expect(Object.keys(b)).toEqual(['id', 'period', 'asAt', 'status', 'errors', 'warnings']);
    expect(b).toMatchObject({ period: '2025/26', asAt: '2026-03-31', status: 'draft', errors: [] });

    expect(cli('return', 'show', '999').stderr).toMatch(/no return with id 999/);
    expect(cli('return', 'show', '999').code).toBe(2);
    expect(cli('return', 'show', 'abc').code).toBe(2);
    const shown = cli('return', 'show', String(b.id));
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('B1 Staff in post by stage and profession');
    expect(cli('return', 'show', String(b.id), '--exact').stdout).toContain('OFFICIAL-SENSITIVE');

    const refused = cli('return', 'sign', String(b.id), '--by', 'A Lead', '--role', 'AHP lead');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/warnings to accept with a reason/);
    expect(cli('return', 'sign', String(b.id), '--by', 'A Lead').stderr).toMatch(/needs --by NAME and --role ROLE/);
    const signed = cli(
      'return',
      'sign',
      String(b.id),
      '--by',
      'A Lead',
      '--role',
      'AHP lead',
      '--accept-warnings',
      'Agreed with the ICS',
    );
    expect(signed.code).toBe(0);
    expect(signed.stdout).toMatch(/Signed off return \d+ .* Hash [0-9a-f]{64}/);

    expect(cli('return', 'build', '--period', '2025/26').stderr).toMatch(/already signed off/);
    const correction = JSON.parse(
      cli('return', 'build', '--period', '2025/26', '--correction', 'Rebuilt after a check', '--json').stdout,
    ) as { id: number };
    const list = JSON.parse(cli('return', 'list', '--json').stdout) as {
      id: number;
      version: number;
      status: string;
    }[];
    expect(list.map((r) => [r.id, r.version, r.status])).toEqual([
      [correction.id, 2, 'draft'],
      [b.id, 1, 'signed-off'],
    ]);
    const diff = cli('return', 'diff', String(b.id), String(correction.id), '--json');
    expect(diff.code).toBe(0);
    expect(JSON.parse(diff.stdout)).toMatchObject({ from: { id: b.id }, to: { id: correction.id }, cells: [] });
    expect(cli('return', 'delete', String(b.id)).code).toBe(2);
    expect(cli('return', 'delete', String(correction.id)).code).toBe(0);
    expect(cli('return', 'verify').stdout).toMatch(/are as they were signed/);
  }, 120_000);
});
