import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/db/connection';
import { dispatch } from '../../electron/router';
import type { HandlerContext } from '../../electron/handler';
import type { FileData } from '../../shared/common/api';
import type { WorkforceMetrics } from '../../shared/picture/channels';
import type { StaffRecord, StaffRow } from '../../shared/workforce/channels';
import { addRole, tempDir, tempStore, type TempStore } from './helpers';

let stores: TempStore[] = [];
afterEach(() => {
  for (const s of stores) s.cleanup();
  stores = [];
});

async function call<T>(ctx: HandlerContext, channel: string, input: unknown): Promise<T> {
  const result = await dispatch(ctx, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

/**
 * A hand-worked trust for 2022/23 (1 Apr 2022 to 31 Mar 2023):
 *   role A: physiotherapy band 3, establishment 5.0 FTE, mapped to the entry stage
 *   role B: occupational therapy band 4, establishment 2.0 FTE, not mapped
 *   P1 A 37.5 h from 2020-01-01, in post throughout              F, A (white), no,  1980
 *   P2 A 18.75 h 2021-06-01 to 2022-09-30: a leaver               M, H (BME),   yes, 1995
 *   P3 B 37.5 h from 2022-07-01: a starter                        F, N (BME),   no,  2000
 *   P4 A 2019-01-01 to 2022-12-31, then B from 2023-01-01: moves   F, A (white), not declared, 1970
 *   P5 B 30 h 2021-01-01 to 2022-03-31: left the day before        M, Z,         no,  1990
 */
async function handWorkedTrust(): Promise<{ t: TempStore; roleA: number; roleB: number; ids: number[] }> {
  const t = await tempStore();
  stores.push(t);
  const ctx = t.ctx;
  const s1 = await call<{ id: number }>(ctx, 'workforce/service-save', { name: 'MSK', costCentre: null });
  const s2 = await call<{ id: number }>(ctx, 'workforce/service-save', { name: 'Community OT', costCentre: null });
  const roleA = (
    await addRole(ctx, {
      title: 'Physio assistant',
      serviceId: s1.id,
      profession: 'PHY',
      occupationCode: 'S9E',
      band: '3',
      establishmentFte: 5,
    })
  ).id;
  const roleB = (
    await addRole(ctx, {
      title: 'OT assistant practitioner',
      serviceId: s2.id,
      profession: 'OT',
      occupationCode: 'S5C',
      band: '4',
      establishmentFte: 2,
    })
  ).id;
  // A draft mapping still gives the role its stage in the picture.
  t.store.db
    .prepare(
      `INSERT OR IGNORE INTO framework_version (version, framework_id, title, data, status, origin, adopted_at, adopted_by)
       VALUES ('test', 'hee', 'Test', '{}', 'retired', 'test', '2022-01-01', 'test')`,
    )
    .run();
  t.store.db
    .prepare(
      `INSERT INTO role_mapping (role_id, framework_version, stage, status, updated_at) VALUES (?, 'test', 'entry', 'draft', '2022-01-01')`,
    )
    .run(roleA);
  const person = (
    sex: string,
    ethnicCategory: string,
    disability: string,
    yearOfBirth: number,
    assignments: unknown[],
  ) =>
    call<{ id: number }>(ctx, 'workforce/person-save', { sex, ethnicCategory, disability, yearOfBirth, assignments });
  const serviceOf = new Map([
    [roleA, s1.id],
    [roleB, s2.id],
  ]);
  const a = (roleId: number, hours: number, startDate: string, endDate: string | null = null) => ({
    roleId,
    serviceId: serviceOf.get(roleId),
    contractedHours: hours,
    startDate,
    endDate,
    leavingReason: null,
  });
  const ids = [
    (await person('F', 'A', 'no', 1980, [a(roleA, 37.5, '2020-01-01')])).id,
    (await person('M', 'H', 'yes', 1995, [a(roleA, 18.75, '2021-06-01', '2022-09-30')])).id,
    (await person('F', 'N', 'no', 2000, [a(roleB, 37.5, '2022-07-01')])).id,
    (
      await person('F', 'A', 'not-declared', 1970, [
        a(roleA, 37.5, '2019-01-01', '2022-12-31'),
        a(roleB, 37.5, '2023-01-01'),
      ])
    ).id,
    (await person('M', 'Z', 'no', 1990, [a(roleB, 30, '2021-01-01', '2022-03-31')])).id,
  ];
  return { t, roleA, roleB, ids };
}

describe('workforce picture (hand-worked 2022/23)', () => {
  it('headcount, starters, leavers, leaver rate, stability and vacancy', async () => {
    const { t } = await handWorkedTrust();
    const m = await call<WorkforceMetrics>(t.ctx, 'picture/metrics', { from: '2022-04-01', to: '2023-03-31' });
    // In post 1 Apr 2022: P1, P2, P4 = 3. In post 31 Mar 2023: P1, P3, P4 = 3 (P4 counted once).
    expect(m).toMatchObject({ headcountStart: 3, headcountEnd: 3 });
    // Starters: P3 only (P4's new assignment is a move: in post the day before). Leavers: P2 only (P4 moved).
    expect(m).toMatchObject({ starters: 1, leavers: 1 });
    // Leaver rate = 1 / ((3 + 3) / 2) x 100 = 33.33 -> 33.3
    expect(m.leaverRate).toBe(33.3);
    // A year before the end (31 Mar 2022): P1, P2, P4, P5 = 4; of these still in post at the end: P1, P4 = 2 -> 50.0
    expect(m.stabilityIndex).toBe(50);
    expect(m.stabilityBase).toEqual({ inPostAYearBefore: 4, stillInPost: 2, yearBefore: '2022-03-31' });
    // Establishment 5 + 2 = 7 FTE; in post at the end 3 x 37.5 h = 3.0 FTE; vacancy (7 - 3) / 7 = 57.14 -> 57.1
    expect(m).toMatchObject({ establishmentFte: 7, inPostFte: 3, vacancyRate: 57.1, fteStart: 2.5 });
    expect(m.byProfessionBand).toEqual([
      {
        profession: 'OT',
        professionName: 'Occupational therapy',
        band: '4',
        headcountEnd: 2,
        fteEnd: 2,
        starters: 1,
        leavers: 0,
      },
      {
        profession: 'PHY',
        professionName: 'Physiotherapy',
        band: '3',
        headcountEnd: 1,
        fteEnd: 1,
        starters: 0,
        leavers: 1,
      },
    ]);
    expect(m.byProfessionBandStage.map((r) => [r.profession, r.stage, r.stageLabel, r.headcountEnd])).toEqual([
      ['OT', 'not-mapped', 'Not yet mapped', 2],
      ['PHY', 'entry', 'Entry level (Support Worker)', 1],
    ]);
    // Role A: 5 FTE funded, 1 in post -> 80.0%; role B: 2 and 2 -> 0.0%.
    expect(m.vacancyByRole.map((r) => [r.title, r.vacancyRate])).toEqual([
      ['OT assistant practitioner', 0],
      ['Physio assistant', 80],
    ]);
    expect(m.vacancyByService.map((r) => [r.serviceName, r.inPostFte, r.vacancyRate])).toEqual([
      ['Community OT', 2, 0],
      ['MSK', 1, 80],
    ]);
  });

  it('diversity of the people in post at the end, against the whole support workforce', async () => {
    const { t } = await handWorkedTrust();
    const m = await call<WorkforceMetrics>(t.ctx, 'picture/metrics', { from: '2022-04-01', to: '2023-03-31' });
    // At the end: P1 (A), P3 (N), P4 (A): BME 1 of 3 known = 33.3%.
    expect(m.ethnicity.filter((e) => e.headcount > 0)).toEqual([
      expect.objectContaining({ category: 'A', headcount: 2 }),
      expect.objectContaining({ category: 'N', headcount: 1 }),
    ]);
    expect(m.ethnicity).toHaveLength(18);
    expect(m.bmePercent).toBe(33.3);
    expect(m.sex.find((s) => s.sex === 'F')!.headcount).toBe(3);
    // Ages in 2023: 1980 -> 43, 2000 -> 23, 1970 -> 53.
    expect(m.ageBands.filter((a) => a.headcount > 0).map((a) => a.ageBand)).toEqual(['20-24', '40-44', '50-54']);
    // Disability: P1 no, P3 no, P4 not declared: 0 of 2 declared = 0.0%.
    expect(m.diversityWhole).toMatchObject({
      headcount: 3,
      bme: 1,
      white: 2,
      bmePercent: 33.3,
      disabled: 0,
      notDisabled: 2,
      disabilityNotDeclared: 1,
      disabledPercent: 0,
    });
    // By band of their main assignment: band 3 = P1; band 4 = P3, P4.
    expect(m.diversityByBand.map((d) => [d.group, d.headcount, d.bmePercent])).toEqual([
      ['3', 1, 0],
      ['4', 2, 50],
    ]);
    expect(m.diversityByStage.map((d) => [d.group, d.headcount])).toEqual([
      ['entry', 1],
      ['not-mapped', 2],
    ]);
    expect(m.smallCountThreshold).toBe(7);
  });

  it('filters by profession: joining the profession counts as starting', async () => {
    const { t } = await handWorkedTrust();
    const m = await call<WorkforceMetrics>(t.ctx, 'picture/metrics', {
      from: '2022-04-01',
      to: '2023-03-31',
      profession: 'OT',
    });
    // OT only (role B): nobody in post on 1 Apr 2022 (P5 left the day before); P3 and P4 at the end, both starters.
    expect(m).toMatchObject({
      headcountStart: 0,
      headcountEnd: 2,
      starters: 2,
      leavers: 0,
      leaverRate: 0,
      establishmentFte: 2,
      vacancyRate: 0,
    });
    // A year before the end P5 was in post in OT, and has gone: stability 0 of 1.
    expect(m.stabilityIndex).toBe(0);
  });

  it('gives the same figures for post ids and hours too large for the packed one-pass reading', async () => {
    const { t, roleA } = await handWorkedTrust();
    const period = { from: '2022-04-01', to: '2023-03-31' };
    const before = await call<WorkforceMetrics>(t.ctx, 'picture/metrics', period);
    const db = t.store.db;
    db.pragma('foreign_keys = OFF');
    const postA = db.prepare('SELECT id FROM post WHERE role_id = ?').pluck().get(roleA);
    db.prepare('UPDATE post SET id = 40000 WHERE id = ?').run(postA);
    db.prepare('UPDATE assignment SET post_id = 40000 WHERE post_id = ?').run(postA);
    db.pragma('foreign_keys = ON');
    const renumbered = await call<WorkforceMetrics>(t.ctx, 'picture/metrics', period);
    const withoutRoleIds = (m: WorkforceMetrics) => ({
      ...m,
      vacancyByRole: m.vacancyByRole.map((r) => ({ ...r, roleId: 0 })),
    });
    expect(withoutRoleIds(renumbered)).toEqual(withoutRoleIds(before));
    // 700 hours a week (70,000 hundredths) does not fit either: P1 still counts once, with 18.67 FTE.
    db.prepare('UPDATE assignment SET hours_centi = 70000 WHERE post_id = 40000 AND end_date IS NULL').run();
    const long = await call<WorkforceMetrics>(t.ctx, 'picture/metrics', period);
    expect(long).toMatchObject({ headcountEnd: 3, inPostFte: 20.67 });
    expect(long.diversityWhole).toEqual(before.diversityWhole);
  });

  it('refuses a period that ends before it starts', async () => {
    const { t } = await handWorkedTrust();
    const result = await dispatch(t.ctx, 'picture/metrics', { from: '2023-04-01', to: '2023-03-31' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', details: { to: expect.stringMatching(/on or before/) } },
    });
  });
});

describe('staff list', () => {
  it('sorts, filters and fetches light rows; a record has assignments, imports and education', async () => {
    const { t, ids } = await handWorkedTrust();
    const all = await call<{ total: number; ids: number[] }>(t.ctx, 'workforce/staff-index', {});
    expect(all.total).toBe(5);
    const inPost = await call<{ ids: number[] }>(t.ctx, 'workforce/staff-index', {
      status: 'in-post',
      sort: 'started',
      direction: 'desc',
    });
    // Today (31 Mar 2026) in post: P1, P3, P4; newest first by first start date: P3 (2022), P1 (2020), P4 (2019).
    expect(inPost.ids).toEqual([ids[2], ids[0], ids[3]]);
    const ot = await call<{ ids: number[] }>(t.ctx, 'workforce/staff-index', { profession: 'OT', sort: 'yearOfBirth' });
    expect(ot.ids).toEqual([ids[3], ids[4], ids[2]]);
    const byFte = await call<{ ids: number[] }>(t.ctx, 'workforce/staff-index', {
      sort: 'fte',
      direction: 'desc',
      status: 'all',
    });
    expect(byFte.ids.slice(-2).sort()).toEqual([ids[1], ids[4]].sort());
    const rows = await call<StaffRow[]>(t.ctx, 'workforce/staff-rows', { ids: [ids[3]!, ids[1]!] });
    expect(rows.map((r) => r.id)).toEqual([ids[3], ids[1]]);
    expect(rows[0]).toMatchObject({
      roles: 'OT assistant practitioner',
      bands: '4',
      fte: 1,
      started: '2019-01-01',
      left: null,
      inPost: true,
    });
    expect(rows[1]).toMatchObject({ fte: 0, left: '2022-09-30', inPost: false });

    t.store.db
      .prepare(
        `INSERT INTO qualification (person_id, kind, title, level, status, start_date, end_date) VALUES (?, 'apprenticeship', 'Senior Healthcare Support Worker', '3', 'in-progress', '2022-09-01', NULL)`,
      )
      .run(ids[0]);
    const record = await call<StaffRecord>(t.ctx, 'workforce/staff-record', { id: ids[0]! });
    expect(record.person.assignments).toHaveLength(1);
    expect(record.qualifications).toEqual([
      expect.objectContaining({ kind: 'apprenticeship', level: '3', status: 'in-progress' }),
    ]);
    expect(record.imports).toEqual([]);
  });
});

describe('migration 3 (workforce import)', () => {
  it('adds the import tables and keeps existing staff', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'old.sqlite');
    const old = await openDatabase(file, { targetVersion: 2 });
    old.exec(`INSERT INTO profession (code, name, sort) VALUES ('PHY', 'Physiotherapy', 1);
      INSERT INTO ethnic_category (code, name, grp, bme, sort) VALUES ('99', 'Not known', 'Not known', NULL, 1);
      INSERT INTO service (id, name) VALUES (1, 'MSK');
      INSERT INTO role (id, title, service_id, profession_code, band) VALUES (1, 'Assistant', 1, 'PHY', '3');
      INSERT INTO person (id, pseudo_id) VALUES (1, 'abc');
      INSERT INTO assignment (id, person_id, pseudo_id, role_id, hours_centi, start_date) VALUES (1, 1, 'def', 1, 3750, '2021-04-01');`);
    const before = old.prepare('SELECT * FROM assignment').all();
    old.close();
    const db = await openDatabase(file, { targetVersion: 3, backupDir: path.join(dir, 'backups') });
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare('SELECT * FROM assignment').all()).toEqual(before);
    for (const table of ['import_batch', 'import_profile', 'import_change']) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
    db.prepare(
      `INSERT INTO import_profile (name, columns, created_by, created_at, updated_at) VALUES ('ESR', '{}', 'me', 'now', 'now')`,
    ).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO import_profile (name, columns, created_by, created_at, updated_at) VALUES ('esr', '{}', 'me', 'now', 'now')`,
        )
        .run(),
    ).toThrow(/UNIQUE/);
    db.close();
  });
});

describe('picture export (issue 10, item 17)', () => {
  it("exports the picture's tables as XLSX, a sheet a table, with the note and small counts marked", async () => {
    const { t } = await handWorkedTrust();
    const file = await call<FileData>(t.ctx, 'picture/export', {
      from: '2022-04-01',
      to: '2023-03-31',
      format: 'xlsx',
    });
    expect(file.fileName).toBe('workforce-picture-2022-04-01-to-2023-03-31.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Headline figures',
      'By profession, band, stage',
      'Starters and leavers',
      'Vacancy by service',
      'Vacancy by role',
      'Ethnic category',
      'Age band',
      'Sex',
      'Disability',
      'Diversity by band',
      'Diversity by stage',
      'About',
    ]);
    const rows = (name: string) =>
      wb
        .getWorksheet(name)!
        .getSheetValues()
        .slice(1)
        .map((r) => (Array.isArray(r) ? r.slice(1) : []));
    // Every table of counts says first, above its header, that they are not protected.
    for (const name of ['Headline figures', 'Starters and leavers', 'Ethnic category', 'Diversity by band'])
      expect(String(rows(name)[0]![0])).toMatch(/^Counts are not protected for publication/);
    // Starters and leavers: OT band 4 has 2 at the end and 1 starter, PHY band 3 1 and 1 leaver: all small, marked
    // as on the screen (the cell keeps its number; its format adds the *). 0 is not a small count.
    const sheet = wb.getWorksheet('Starters and leavers')!;
    expect(rows('Starters and leavers').slice(1)).toEqual([
      ['Profession', 'Band', 'Headcount at end', 'Starters', 'Leavers'],
      ['Occupational therapy', '4', 2, 1, 0],
      ['Physiotherapy', '3', 1, 0, 1],
    ]);
    const marked = (row: number) => [3, 4, 5].map((c) => sheet.getRow(row).getCell(c).numFmt?.includes('"*"') ?? false);
    expect(marked(3)).toEqual([true, true, false]);
    expect(marked(4)).toEqual([true, false, true]);
    const headline = rows('Headline figures');
    expect(headline.find((r) => r[0] === 'Leaver rate')).toEqual(['Leaver rate', undefined, undefined, 33.3]);
    expect(headline.find((r) => r[0] === 'Starters')).toEqual(['Starters', 1]);
    expect(headline.find((r) => r[0] === 'Vacancy rate')![3]).toBe(57.1);
    // The definitions travel with the figures.
    const about = rows('About');
    expect(about.find((r) => r[0] === 'Starter')![1]).toBe(
      'Someone not in post on 2022-03-31, the day before the period, who starts an assignment in it.',
    );
    expect(about.find((r) => r[0] === 'Vacancy rate')![1]).toContain('Vacancy covers all 2 post lines');
  });

  it('exports every figure as one CSV row (table, group, measure, value), marked, for a profession', async () => {
    const { t } = await handWorkedTrust();
    const file = await call<FileData>(t.ctx, 'picture/export', {
      from: '2022-04-01',
      to: '2023-03-31',
      profession: 'OT',
      format: 'csv',
    });
    expect(file.fileName).toBe('workforce-picture-2022-04-01-to-2023-03-31.csv');
    const bytes = Buffer.from(file.base64, 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toMatch(/^"?Counts are not protected for publication/);
    expect(lines[1]).toBe('Table,Group,Measure,Value,Small (1 to 7)');
    // OT only: P3 started in role B, and P4, moving into it from physiotherapy, starts in OT's scope; P5 left the
    // day before the period.
    expect(lines).toContain('Starters and leavers,"Occupational therapy, 4",Starters,2,*');
    expect(lines).toContain('Starters and leavers,"Occupational therapy, 4",Leavers,0,');
    expect(lines).toContain('Headline figures,Vacancy rate,Percent,0,');
    expect(lines.some((l) => l.startsWith('Starters and leavers,Physiotherapy'))).toBe(false);
  });

  it('picture export on the command line writes the file named by --to', async () => {
    const { t } = await handWorkedTrust();
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['build/scripts/run-node.mjs', 'cli', ...args, '--db', t.file], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        encoding: 'utf8',
      });
    const target = path.join(t.dir, 'picture.csv');
    const r = cli('picture', 'export', '--from', '2022-04-01', '--until', '2023-03-31', '--to', target);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`Wrote ${target}`);
    expect(fs.readFileSync(target, 'utf8')).toContain('Starters and leavers,"Physiotherapy, 3",Leavers,1,*');
    const xlsx = path.join(t.dir, 'picture.xlsx');
    expect(cli('picture', 'export', '--from', '2022-04-01', '--until', '2023-03-31', '--to', xlsx).status).toBe(0);
    expect(fs.readFileSync(xlsx).subarray(0, 2).toString()).toBe('PK');
    const missing = cli('picture', 'export', '--from', '2022-04-01', '--to', target);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('picture export needs --from YYYY-MM-DD and --until YYYY-MM-DD');
  }, 30_000);

  it('refuses a period that ends before it starts', async () => {
    const { t } = await handWorkedTrust();
    const r = await dispatch(t.ctx, 'picture/export', { from: '2023-04-01', to: '2023-03-31', format: 'csv' });
    expect(r.ok).toBe(false);
  });
});
