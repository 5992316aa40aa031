import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IcsPicture, IcsStatus, IcsTrust } from '../../shared/ics/channels';
import { TOTAL } from '../../shared/returns/channels';
import { returnFileSchema } from '../../shared/returns/file';
import { FIVE_TRUSTS, ICS_NAME, trustReturnFile } from '../fixtures/ics-trusts';
import { tempDir } from './helpers';

/**
 * The ICS workspace from the command line (issue 13), on real SQLite files: five trusts' exact returns (built
 * through the import in their own databases) collected by an ICS database, its status and picture, and the ICS's
 * own return built, shown, signed off and exported.
 */

const root = path.resolve(import.meta.dirname, '../..');
const dir = tempDir();
const db = path.join(dir, 'ics.sqlite');
const files: string[] = [];
let correction: string[] = [];
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['build/scripts/run-node.mjs', 'cli', ...args, '--db', db], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  for (const spec of FIVE_TRUSTS) files.push(...(await trustReturnFile(dir, spec)).map((f) => f.file));
  correction = (
    await trustReturnFile(dir, { ...FIVE_TRUSTS[3]!, odsCode: 'RN8', name: 'Harbour NHS Trust' }, { correct: true })
  ).map((f) => f.file);
}, 120_000);

describe('the ICS workspace on the command line', () => {
  it('help lists the ICS commands, and each has its usage', () => {
    const help = cli('help');
    for (const usage of [
      'ics add FILE...',
      'ics status --period',
      'ics picture --period',
      'ics trusts',
      'ics trust add',
      'ics trust remove ODS',
    ])
      expect(help.stdout).toContain(usage);
    expect(cli('ics', 'trust', 'add', '--help').stdout).toMatch(
      /Usage: npm run cli -- ics trust add --ods CODE --name NAME/,
    );
  });

  it('a trust database refuses to collect returns, and changes nothing', () => {
    expect(
      cli('organisation', 'set', '--name', 'Some Trust', '--ods', 'RT1', '--ics', ICS_NAME, '--faculty', 'F').code,
    ).toBe(0);
    const refused = cli('ics', 'add', files[0]!);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/This database is a trust's.*organisation set --kind ics/);
    expect(cli('ics', 'status', '--period', '2025/26').code).toBe(2);
  });

  it('organisation set --kind ics makes it an ICS database; setting it again without --kind keeps the kind', () => {
    const set = cli(
      'organisation',
      'set',
      '--kind',
      'ics',
      '--name',
      'North Example ICB',
      '--ods',
      'QNX',
      '--ics',
      ICS_NAME,
      '--faculty',
      'North Example AHP Faculty',
    );
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/^Saved: ICS North Example ICB \(QNX\)/);
    expect(
      cli(
        'organisation',
        'set',
        '--name',
        'North Example ICB',
        '--ods',
        'QNX',
        '--ics',
        ICS_NAME,
        '--faculty',
        'North Example AHP Faculty',
      ).code,
    ).toBe(0);
    expect(JSON.parse(cli('organisation', 'show', '--json').stdout)).toMatchObject({ kind: 'ics', odsCode: 'QNX' });
    expect(cli('organisation', 'show').stdout).toMatch(/^Organisation: North Example ICB, an ICS/);
  });

  it('keeps the list of trusts: add, refuse a bad or repeated code, remove', () => {
    expect(cli('ics', 'trusts').stdout).toMatch(/No trusts yet/);
    const added = cli('ics', 'trust', 'add', '--ods', 'rn5', '--name', 'Valley Health NHS Foundation Trust');
    expect(added.code).toBe(0);
    expect(added.stdout).toBe('Added Valley Health NHS Foundation Trust (RN5).\n');
    const bad = cli('ics', 'trust', 'add', '--ods', 'not a code', '--name', 'X');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/ODS code/);
    const again = cli('ics', 'trust', 'add', '--ods', 'RN5', '--name', 'Another');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has the ODS code RN5/);
    expect(cli('ics', 'trust', 'add', '--ods', 'RN5').stderr).toMatch(/needs --ods CODE and --name NAME/);
    expect(cli('ics', 'trust', 'add', '--ods', 'RZ1', '--name', 'Spare NHS Trust').code).toBe(0);
    expect(cli('ics', 'trust', 'remove', 'rz1').stdout).toBe('Removed Spare NHS Trust (RZ1).\n');
    const unknown = cli('ics', 'trust', 'remove', 'RZ1');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No trust on the list has the ODS code RZ1/);
    const trusts = JSON.parse(cli('ics', 'trusts', '--json').stdout) as IcsTrust[];
    expect(trusts.map((t) => [t.odsCode, t.addedFrom, t.collectedReturns])).toEqual([['RN5', 'hand', 0]]);
  });

  it('ics add: one line per file and the summary; exit code 2 when any file is refused, the rest still added', () => {
    const junk = path.join(dir, 'notes.txt');
    fs.writeFileSync(junk, 'not a return');
    const huge = path.join(dir, 'huge.json');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, 21 * 1024 * 1024);
    const first = cli('ics', 'add', ...files.slice(0, 4), junk, path.join(dir, 'missing.json'), huge);
    expect(first.code).toBe(2);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe('RN1-2025-26-v1.json: added - Northgate Hospitals NHS Trust (RN1), 2025/26 version 1');
    expect(lines[4]).toMatch(/^notes\.txt: refused - It is not a JSON file/);
    expect(lines[5]).toBe('missing.json: refused - There is no such file.');
    expect(lines[6]).toBe(
      "huge.json: refused - It is larger than 20 MB, which is more than any trust's return (JSON file) should be. Check it is the right file.",
    );
    expect(lines[7]).toBe("7 files checked: 4 returns added, 3 refused (see each file's reason).");

    const status = JSON.parse(cli('ics', 'status', '--period', '2025/26', '--json').stdout) as IcsStatus;
    expect([status.sent, status.missing]).toEqual([4, 1]);
    expect(status.trusts.find((t) => !t.sent)?.odsCode).toBe('RN5');
    const text = cli('ics', 'status', '--period', '2025/26').stdout;
    expect(text).toMatch(/^2025\/26: 4 of 5 trusts have sent a return; 1 not yet\./);
    expect(text).toMatch(/Valley Health NHS Foundation Trust\s+RN5\s+NOT YET/);

    const rest = cli('ics', 'add', files[4]!, '--json');
    expect(rest.code).toBe(0);
    expect(JSON.parse(rest.stdout)).toMatchObject({ added: 1, refused: 0, summary: '1 file checked: 1 return added.' });
    const twice = cli('ics', 'add', files[4]!);
    expect(twice.code).toBe(2);
    expect(twice.stdout).toMatch(/refused - It is already collected/);
  });

  it("a correction supersedes the earlier version, and the line says so with the trust's reason", () => {
    const out = cli('ics', 'add', ...correction);
    expect(out.code).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('RN8-2025-26-v1.json: added - Harbour NHS Trust (RN8), 2025/26 version 1');
    expect(lines[1]).toMatch(/^RN8-2025-26-v2\.json: added, superseding - .*replaces version 1.*A leaver in February/);
    const status = JSON.parse(cli('ics', 'status', '--period', '2025/26', '--json').stdout) as IcsStatus;
    expect(status.trusts.find((t) => t.odsCode === 'RN8')).toMatchObject({ version: 2, superseded: 1 });
    expect(cli('ics', 'trust', 'remove', 'RN8').stderr).toMatch(/cannot be taken off the list: 2 of its returns/);
  });

  it('ics picture: the trusts side by side with the spread, then every section added up', () => {
    expect(cli('ics', 'picture').stderr).toMatch(/needs --period/);
    expect(cli('ics', 'picture', '--period', '2025/27').code).toBe(2);
    const picture = JSON.parse(cli('ics', 'picture', '--period', '2025/26', '--json').stdout) as IcsPicture;
    expect(picture.included).toHaveLength(6);
    const headcounts = files
      .concat(correction[1]!)
      .map((f) => returnFileSchema.parse(JSON.parse(fs.readFileSync(f, 'utf8'))))
      .map(
        (f) =>
          f.tables
            .find((t) => t.id === 'B1')!
            .cells.find((c) => c.row === TOTAL && c.column === TOTAL && c.measure === 'headcount')!.value!,
      );
    const total = headcounts.reduce((a, b) => a + b, 0);
    expect(picture.comparison.ics.headcount).toBe(total);
    const text = cli('ics', 'picture', '--period', '2025/26').stdout;
    expect(text).toMatch(/^ICS picture for 2025\/26: 6 trust returns added up\./);
    expect(text).toMatch(new RegExp(`\\nICS\\s+${total.toLocaleString('en-GB')}\\s`));
    expect(text).toMatch(/\nLowest\s+[\d,]+\s/);
    expect(text).toMatch(/\nMedian\s/);
    expect(text).toMatch(/\nHighest\s/);
    expect(text).toContain('B1 Staff in post by stage and profession');
    expect(text).toContain('F1 ');
  });

  it("the ICS's own return: build, show (naming the ICS and its trusts), sign, export; its file is not a trust's", () => {
    const built = cli('return', 'build', '--period', '2025/26', '--json');
    expect(built.code).toBe(0);
    const b = JSON.parse(built.stdout) as { id: number; errors: unknown[] };
    expect(b.errors).toEqual([]);
    const shown = cli('return', 'show', String(b.id));
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`ICS return ${b.id}: North Example ICB \\(QNX\\), 2025/26 version 1`));
    expect(shown.stdout).toContain('Added up from 6 trust returns:');
    expect(shown.stdout).toContain('  Harbour NHS Trust (RN8) 2025/26 version 2, as at 2026-03-31');
    for (const id of ['B5 Staff in post by trust and stage', 'B7 Trusts compared', 'F5 BME staff in post by trust'])
      expect(shown.stdout).toContain(id);
    expect(shown.stdout).toMatch(/Disclosure audit: passed/);
    expect(shown.stdout).toMatch(/\[c\]/);
    const signed = cli(
      'return',
      'sign',
      String(b.id),
      '--by',
      'Ash Lead',
      '--role',
      'ICS AHP faculty lead',
      '--accept-warnings',
      'Reviewed by the faculty',
    );
    expect(signed.code).toBe(0);
    const exported = path.join(dir, 'ics-return.json');
    expect(cli('return', 'export', String(b.id), '--format', 'json', '--to', exported, '--exact').code).toBe(0);
    expect(cli('return', 'verify').code).toBe(0);
    const own = cli('ics', 'add', exported);
    expect(own.code).toBe(2);
    expect(own.stdout).toMatch(/ics-return\.json: refused - It is an ICS's return, not a trust's/);
  }, 60_000);
});
