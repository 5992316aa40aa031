import { createHash } from 'node:crypto';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/router';
import type { HandlerContext } from '../../electron/handler';
import type { DB } from '../../electron/db/connection';
import type { UploadKind } from '../../shared/common/upload';
import type { TrainingCommitOutput, TrainingPreview } from '../../shared/training/import-channels';
import { csvText, esrExtract } from '../fixtures/extracts';
import { sendBytes, tempStore, type TempStore } from './helpers';

/**
 * The training records import (issue 11, item 5) and finding a person by staff number (item 6), through the
 * handler table on real SQLite files: preview, commit, re-import, undo, records entered or edited by hand, and
 * every bad input changing nothing.
 */

let stores: TempStore[] = [];
afterEach(() => {
  for (const s of stores) s.cleanup();
  stores = [];
});

type Answer<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
const call = <T>(ctx: HandlerContext, channel: string, input: unknown) =>
  dispatch(ctx, channel as never, input as never) as Promise<Answer<T>>;
async function ok<T>(p: Promise<Answer<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`Expected ok, got ${r.error.message}`);
  return r.value;
}
async function refused(p: Promise<Answer<unknown>>): Promise<{ code: string; message: string }> {
  const r = await p;
  if (r.ok) throw new Error('Expected a refusal');
  return r.error;
}

/** Every table's rows, hashed: equal before and after means the database did not change at all. */
function fingerprint(db: DB): string {
  const tables = db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[];
  const hash = createHash('sha256');
  for (const t of tables) hash.update(t).update(JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).raw().all()));
  return hash.digest('hex');
}

const upload = (ctx: HandlerContext, name: string, text: string | Buffer, kind: UploadKind = 'training-records') =>
  sendBytes(ctx, name, text, kind);

/** A store with 20 people from a staff extract (employee numbers 10000000 to 10000019), every role mapped. */
async function staffed(): Promise<TempStore> {
  const s = await tempStore();
  stores.push(s);
  const id = await upload(s.ctx, 'staff.csv', csvText(esrExtract(20)), 'staff-extract');
  const inspected = await ok<{ guessedMapping: Record<string, number | null> }>(
    call(s.ctx, 'import/inspect', { uploadId: id }),
  );
  await ok(call(s.ctx, 'import/commit', { uploadId: id, mapping: inspected.guessedMapping, acceptRejected: true }));
  const roles = await ok<{ id: number }[]>(call(s.ctx, 'workforce/roles', {}));
  await ok(
    call(s.ctx, 'framework/mapping-bulk', {
      action: 'set-stage',
      roleIds: roles.map((r) => r.id),
      stage: 'intermediate',
    }),
  );
  return s;
}

/** Three people of the staff extract in post today (a few of its people have left). */
const [A, B, C] = esrExtract(20)
  .slice(1)
  .filter((r) => r[8] === '')
  .map((r) => r[0]!) as [string, string, string];
const HEADER = ['Employee Number', 'Course Title', 'Level', 'Status', 'Start Date', 'Completion Date'];
const MARCH = [
  HEADER,
  [A, 'Care Certificate', '', 'Completed', '08/01/2024', '31/03/2024'],
  [A, 'Functional Skills Maths Level 2', '', 'Passed', '', '01/02/2023'],
  [A, 'Functional Skills English Level 2', '', 'Passed', '', '01/02/2023'],
  [A, 'Level 3 Diploma in Healthcare Support', '', 'Completed', '01/09/2023', '30/06/2025'],
  [B, 'Senior Healthcare Support Worker apprenticeship', '', 'In progress', '01/09/2024', ''],
  [C, 'Fire Safety Awareness', '', 'Completed', '', '01/01/2025'],
  ['99999999', 'Care Certificate', '', 'Completed', '', '01/01/2025'],
];

describe('matching rows to people', () => {
  it('takes an assignment number in the employee number column when no employee has that number', async () => {
    const { ctx } = await staffed();
    const assignment = esrExtract(20).find((r) => r[0] === A)![1]!;
    const o = await options(ctx, 'by-assignment.csv', [
      HEADER,
      [assignment, 'Care Certificate', '', 'Completed', '', ''],
    ]);
    const preview = await ok<TrainingPreview>(call(ctx, 'training/import-preview', o));
    expect(preview).toMatchObject({ added: 1, unmatched: 0, people: 1 });
  });

  it('reads an Excel workbook: staff numbers as numbers and dates as dates', async () => {
    const { ctx, store } = await staffed();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Learning');
    sheet.addRow(HEADER);
    sheet.addRow([
      Number(A),
      'Level 3 Diploma in Healthcare Support',
      3,
      'Completed',
      new Date(Date.UTC(2023, 8, 1)),
      new Date(Date.UTC(2024, 5, 30)),
    ]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const o = await options(ctx, 'olm.xlsx', bytes);
    expect(o.mapping.completionDate).toBe(5);
    const done = await ok<TrainingCommitOutput>(call(ctx, 'training/import-commit', o));
    expect(done).toMatchObject({ added: 1, rejected: 0 });
    const details = JSON.parse(
      store.db.prepare('SELECT details FROM qualification').pluck().get() as string,
    ) as unknown;
    expect(details).toEqual({
      kind: 'rqf',
      achievedOn: '2024-06-30',
      level: 3,
      title: 'Level 3 Diploma in Healthcare Support',
      status: 'completed',
    });
  });
});

interface Options {
  uploadId: string;
  mapping: Record<string, number | null>;
  dateOrder: 'dmy';
}
async function options(ctx: HandlerContext, name: string, rows: string[][] | string | Buffer): Promise<Options> {
  const uploadId = await upload(ctx, name, typeof rows === 'string' || Buffer.isBuffer(rows) ? rows : csvText(rows));
  const inspected = await ok<{ guessedMapping: Record<string, number | null> }>(
    call(ctx, 'training/import-inspect', { uploadId }),
  );
  return { uploadId, mapping: inspected.guessedMapping, dateOrder: 'dmy' };
}

const qualifications = (db: DB) =>
  db.prepare('SELECT person_id, kind, status, batch_id, source_key, details FROM qualification ORDER BY id').all() as {
    person_id: number;
    kind: string;
    status: string;
    batch_id: number | null;
    source_key: string | null;
    details: string;
  }[];

const personOf = async (ctx: HandlerContext, number: string) =>
  (await ok<{ personId: number }>(call(ctx, 'workforce/person-find', { number }))).personId;

describe('training records import', () => {
  it('previews, refuses unmatched staff numbers unless chosen, imports, and the gap analysis is no longer all unknown', async () => {
    const { ctx, store } = await staffed();
    const db = store.db;
    const gapsBefore = await ok<{ totals: { people: number; unknown: number } }>(call(ctx, 'training/gaps', {}));
    expect(gapsBefore.totals.unknown).toBe(gapsBefore.totals.people);

    const o = await options(ctx, 'march.csv', MARCH);
    const untouched = fingerprint(db);
    const preview = await ok<TrainingPreview>(call(ctx, 'training/import-preview', o));
    expect(preview).toMatchObject({
      rowsRead: 7,
      added: 5,
      updated: 0,
      unchanged: 0,
      unmatched: 1,
      unmatchedNumbers: 1,
      unmatchedLines: [8],
      leftOut: 1,
      rejected: 0,
      people: 2,
    });
    expect(preview.courses.find((c) => c.title === 'Fire Safety Awareness')?.label).toBe(
      'Not a qualification: left out',
    );
    expect(fingerprint(db)).toBe(untouched);

    const refusal = await refused(call(ctx, 'training/import-commit', o));
    expect(refusal.message).toMatch(/1 row\(s\) of march\.csv \(1 staff number\(s\)\) match nobody in this database/);
    expect(refusal.message).not.toContain('99999999');
    expect(fingerprint(db)).toBe(untouched);

    const done = await ok<TrainingCommitOutput>(call(ctx, 'training/import-commit', { ...o, acceptUnmatched: true }));
    expect(done).toMatchObject({ added: 5, batch: { id: 2, rowsRead: 7, added: 5, undoBlockedBy: null } });
    const rows = qualifications(db);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.batch_id === 2 && r.source_key !== null)).toBe(true);
    expect(rows.map((r) => r.kind)).toEqual([
      'care-certificate',
      'functional-skills-maths',
      'functional-skills-english',
      'rqf',
      'apprenticeship',
    ]);
    // Nothing in the database holds a clear staff number.
    const audit = JSON.stringify(db.prepare('SELECT * FROM audit').all());
    for (const n of [A, B, C, '99999999']) expect(audit).not.toContain(n);

    const gaps = await ok<{ totals: { people: number; unknown: number; meets: number; partly: number } }>(
      call(ctx, 'training/gaps', {}),
    );
    expect(gaps.totals.unknown).toBe(gaps.totals.people - 2);
    expect(gaps.totals.meets + gaps.totals.partly).toBe(2);
    const first = await ok<{ gapNow: { status: string } }>(
      call(ctx, 'training/person', { personId: await personOf(ctx, A) }),
    );
    expect(first.gapNow.status).toBe('meets');
    const second = await ok<{ gapNow: { status: string } }>(
      call(ctx, 'training/person', { personId: await personOf(ctx, B) }),
    );
    expect(second.gapNow.status).toBe('partly');
    const batches = await ok<{ id: number }[]>(call(ctx, 'training/import-batches', {}));
    expect(batches.map((b) => b.id)).toEqual([2]);
  });

  it('the same file twice adds nothing twice, and is refused with a clear message', async () => {
    const { ctx, store } = await staffed();
    const first = await options(ctx, 'march.csv', MARCH);
    await ok(call(ctx, 'training/import-commit', { ...first, acceptUnmatched: true }));
    const before = fingerprint(store.db);
    const again = await options(ctx, 'march-again.csv', MARCH);
    const preview = await ok<TrainingPreview>(call(ctx, 'training/import-preview', again));
    expect(preview).toMatchObject({ added: 0, updated: 0, unchanged: 5, alreadyImported: { batchId: 2 } });
    const refusal = await refused(call(ctx, 'training/import-commit', { ...again, acceptUnmatched: true }));
    expect(refusal.message).toMatch(
      /^This exact file \(same SHA-256\) has already been imported, as import 2 \(march\.csv, by test-user\), and nothing in it is new or changed since\. Nothing has been changed\.$/,
    );
    expect(fingerprint(store.db)).toBe(before);
    expect(qualifications(store.db)).toHaveLength(5);
  });

  it('a later extract updates the same record; records entered or edited by hand are never changed, nor removed by undo', async () => {
    const { ctx, store } = await staffed();
    const db = store.db;
    const p0 = await personOf(ctx, A);
    const p2 = await personOf(ctx, C);
    // Entered by hand before any import.
    await ok(
      call(ctx, 'training/qualification-save', {
        personId: p2,
        qualification: { kind: 'functional-skills-english', level: '2', achievedOn: '2020-06-01' },
      }),
    );
    const march = await options(ctx, 'march.csv', MARCH);
    await ok(call(ctx, 'training/import-commit', { ...march, acceptUnmatched: true }));
    // The lead corrects an imported record by hand: from now on it is theirs.
    const careCertificate = db
      .prepare("SELECT id FROM qualification WHERE person_id = ? AND kind = 'care-certificate'")
      .pluck()
      .get(p0) as number;
    await ok(
      call(ctx, 'training/qualification-save', {
        personId: p0,
        id: careCertificate,
        qualification: { kind: 'care-certificate', achievedOn: '2024-04-02', standardsCompleted: [1, 2, 3] },
      }),
    );
    const handMade = () =>
      db.prepare('SELECT id, details FROM qualification WHERE batch_id IS NULL ORDER BY id').all() as {
        id: number;
        details: string;
      }[];
    const handBefore = handMade();
    expect(handBefore).toHaveLength(2);

    const april = await options(ctx, 'april.csv', [
      HEADER,
      [A, 'Care Certificate', '', 'Completed', '08/01/2024', '31/03/2024'],
      [B, 'Senior Healthcare Support Worker apprenticeship', '', 'Completed', '01/09/2024', '15/03/2026'],
      [C, 'Functional Skills English Level 2', '', 'Passed', '', '01/06/2020'],
    ]);
    const preview = await ok<TrainingPreview>(call(ctx, 'training/import-preview', april));
    expect(preview).toMatchObject({ added: 1, updated: 1, keptByHand: 1, unchanged: 0 });
    const done = await ok<TrainingCommitOutput>(call(ctx, 'training/import-commit', april));
    expect(done.batch.id).toBe(3);
    expect(handMade()).toEqual(handBefore);
    const apprenticeship = JSON.parse(
      db.prepare("SELECT details FROM qualification WHERE kind = 'apprenticeship'").pluck().get() as string,
    ) as { status: string; endDate: string };
    expect(apprenticeship).toMatchObject({ status: 'completed', endDate: '2026-03-15' });

    // The March import cannot be undone before April's, which changed one of its records.
    const blocked = await refused(call(ctx, 'training/import-undo', { id: 2 }));
    expect(blocked.message).toMatch(/Undo import 3 first, then this one\./);
    await ok(call(ctx, 'training/import-undo', { id: 3 }));
    expect(
      JSON.parse(db.prepare("SELECT details FROM qualification WHERE kind = 'apprenticeship'").pluck().get() as string),
    ).toMatchObject({ status: 'enrolled', endDate: null });
    const undone = await ok<{ undoneAt: string | null }>(call(ctx, 'training/import-undo', { id: 2 }));
    expect(undone.undoneAt).not.toBeNull();
    // Only the records entered or edited by hand are left, exactly as the lead left them.
    expect(handMade()).toEqual(handBefore);
    expect(qualifications(db)).toHaveLength(2);
    const again = await refused(call(ctx, 'training/import-undo', { id: 2 }));
    expect(again.message).toMatch(/was already undone/);
  });

  it('keeps course choices and columns in a profile; a choice changes what the rows become', async () => {
    const { ctx, store } = await staffed();
    const o = await options(ctx, 'march.csv', MARCH);
    const chosen = await ok<TrainingPreview>(
      call(ctx, 'training/import-preview', {
        ...o,
        courses: { 'fire safety awareness': { kind: 'rqf', level: 1 } },
      }),
    );
    expect(chosen).toMatchObject({ added: 6, leftOut: 0 });
    expect(chosen.courses.find((c) => c.key === 'fire safety awareness')).toMatchObject({ chosen: true });
    const profile = await ok<{ id: number; courses: Record<string, unknown> }>(
      call(ctx, 'training/import-profile-save', {
        name: 'OLM monthly',
        columns: { employeeNumber: 'Employee Number', course: 'Course Title', completionDate: 'Completion Date' },
        courses: { 'fire safety awareness': { kind: 'not-a-qualification' } },
      }),
    );
    expect(profile.courses).toEqual({ 'fire safety awareness': { kind: 'not-a-qualification' } });
    const next = await upload(ctx, 'april.csv', csvText(MARCH));
    const inspected = await ok<{ profiles: { name: string; fits: boolean; mapping: Record<string, number | null> }[] }>(
      call(ctx, 'training/import-inspect', { uploadId: next }),
    );
    expect(inspected.profiles).toMatchObject([
      { name: 'OLM monthly', fits: true, mapping: { course: 1, status: null } },
    ]);
    // Staff import profiles are another kind: the name can be used there too.
    expect(await ok<unknown[]>(call(ctx, 'training/import-profiles', {}))).toHaveLength(1);
    expect(store.db.prepare("SELECT count(*) FROM import_profile WHERE kind = 'training'").pluck().get()).toBe(1);
  });
});

describe('training records import: bad input changes nothing', () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ['empty.csv', '', /empty\.csv: The file is empty\. Nothing has been changed\./],
    ['header.csv', `${HEADER.join(',')}\r\n`, /header\.csv: The file has a header row \(line 1\) but no data rows\./],
  ];
  it.each(cases)('%s', async (name, bytes, message) => {
    const { ctx, store } = await staffed();
    const before = fingerprint(store.db);
    const uploadId = await upload(ctx, name, bytes);
    const r = await refused(call(ctx, 'training/import-inspect', { uploadId }));
    expect(r.message).toMatch(message);
    expect(fingerprint(store.db)).toBe(before);
  });

  it('a missing required column is named', async () => {
    const { ctx, store } = await staffed();
    const before = fingerprint(store.db);
    const o = await options(ctx, 'no-course.csv', [
      ['Employee Number', 'Status'],
      [A, 'Completed'],
    ]);
    expect(o.mapping.course).toBeNull();
    const r = await refused(call(ctx, 'training/import-preview', o));
    expect(r.message).toBe('Choose a column for: Course or qualification. These are needed for every row.');
    expect(fingerprint(store.db)).toBe(before);
  });

  it('rejected rows are listed by line and column, and imported only when chosen', async () => {
    const { ctx, store } = await staffed();
    const before = fingerprint(store.db);
    const o = await options(ctx, 'bad-rows.csv', [
      HEADER,
      [A, 'Care Certificate', '', 'Completed', '', '31/03/2024'],
      ['', 'Care Certificate', '', 'Completed', '', ''],
      [B, 'Care Certificate', '', 'Maybe', '31/02/2024', ''],
      [C, 'Diploma in Care', '', 'Completed', '', ''],
    ]);
    const preview = await ok<TrainingPreview>(
      call(ctx, 'training/import-preview', { ...o, courses: { 'diploma in care': { kind: 'rqf', level: null } } }),
    );
    expect(preview.rejected).toBe(3);
    expect(preview.rejectedRows).toEqual([
      { line: 3, column: 'Employee Number', message: 'Employee number is blank' },
      { line: 4, column: 'Status', message: expect.stringMatching(/^Status "Maybe" is not one we recognise/) },
      { line: 4, column: 'Start Date', message: expect.stringMatching(/31\/02\/2024/) },
      { line: 5, column: 'Level', message: 'Level is blank: "Diploma in Care" needs an RQF level from 1 to 8' },
    ]);
    const r = await refused(
      call(ctx, 'training/import-commit', { ...o, courses: { 'diploma in care': { kind: 'rqf', level: null } } }),
    );
    expect(r.message).toMatch(/^3 row\(s\) of bad-rows\.csv have problems and cannot be imported\./);
    expect(fingerprint(store.db)).toBe(before);
    const done = await ok<TrainingCommitOutput>(
      call(ctx, 'training/import-commit', {
        ...o,
        courses: { 'diploma in care': { kind: 'rqf', level: null } },
        acceptRejected: true,
      }),
    );
    expect(done.added).toBe(1);
  });

  it('a file whose staff numbers match nobody says how many, and imports nothing', async () => {
    const { ctx, store } = await staffed();
    const before = fingerprint(store.db);
    const o = await options(ctx, 'strangers.csv', [
      HEADER,
      ['88888888', 'Care Certificate', '', 'Completed', '', ''],
      ['88888889', 'Care Certificate', '', 'Completed', '', ''],
    ]);
    const r = await refused(call(ctx, 'training/import-commit', o));
    expect(r.message).toMatch(/2 row\(s\) of strangers\.csv \(2 staff number\(s\)\) match nobody/);
    const chosen = await refused(call(ctx, 'training/import-commit', { ...o, acceptUnmatched: true }));
    expect(chosen.message).toMatch(/strangers\.csv has no qualification record to add or change/);
    expect(fingerprint(store.db)).toBe(before);
  });

  it('a staff extract sent as training records is refused (and the other way round)', async () => {
    const { ctx } = await staffed();
    const uploadId = await upload(ctx, 'march.csv', csvText(MARCH), 'staff-extract');
    const r = await refused(call(ctx, 'training/import-inspect', { uploadId }));
    expect(r.message).toMatch(/was sent as a staff extract, not a training records extract/);
  });
});

describe('find a person by staff number', () => {
  it('finds by employee or assignment number, and never keeps or repeats the number', async () => {
    const { ctx, store, file } = await staffed();
    const byEmployee = await ok<{ personId: number; matchedBy: string; ref: string }>(
      call(ctx, 'workforce/person-find', { number: ' 10000003 ' }),
    );
    expect(byEmployee.matchedBy).toBe('employee');
    const assignment = esrExtract(20)[4]![1]!;
    const byAssignment = await ok<{ personId: number; matchedBy: string }>(
      call(ctx, 'workforce/person-find', { number: assignment }),
    );
    expect(byAssignment).toMatchObject({ personId: byEmployee.personId, matchedBy: 'assignment' });
    const auditBefore = store.db.prepare('SELECT count(*) FROM audit').pluck().get();
    const missing = await refused(call(ctx, 'workforce/person-find', { number: '87654321' }));
    expect(missing).toEqual({
      code: 'not-found',
      message:
        'Nobody in this database has that employee or assignment number. Check the number, or import the staff extract that holds it.',
    });
    expect(store.db.prepare('SELECT count(*) FROM audit').pluck().get()).toBe(auditBefore);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of [file, `${file}-wal`].filter((f) => fs.existsSync(f)))
      expect(fs.readFileSync(f).includes('87654321')).toBe(false);
    const blank = await refused(call(ctx, 'workforce/person-find', { number: '  ' }));
    expect(blank.code).toBe('invalid-input');
  });
});

describe('training records imports beside staff imports', () => {
  it('keep their own profiles and batches, and a staff import waits for the training import that built on it', async () => {
    const { ctx, store } = await staffed();
    const columns = { employeeNumber: 'Employee Number', course: 'Course Title' };
    await ok(call(ctx, 'training/import-profile-save', { name: 'Monthly', columns }));
    await ok(call(ctx, 'import/profile-save', { name: 'Monthly', columns: { employeeNumber: 'Employee Number' } }));
    expect(await ok<{ name: string }[]>(call(ctx, 'import/profiles', {}))).toMatchObject([{ name: 'Monthly' }]);
    expect(await ok<{ columns: unknown }[]>(call(ctx, 'training/import-profiles', {}))).toMatchObject([{ columns }]);
    expect(store.db.prepare('SELECT kind FROM import_profile ORDER BY kind').pluck().all()).toEqual([
      'staff',
      'training',
    ]);

    const o = await options(ctx, 'march.csv', MARCH);
    await ok(call(ctx, 'training/import-commit', { ...o, acceptUnmatched: true }));
    expect((await ok<{ id: number }[]>(call(ctx, 'import/batches', {}))).map((b) => b.id)).toEqual([1]);
    expect((await refused(call(ctx, 'import/undo', { id: 2 }))).code).toBe('not-found');
    const staffBatch = (await ok<{ undoBlockedBy: string | null }[]>(call(ctx, 'import/batches', {})))[0]!;
    expect(staffBatch.undoBlockedBy).toMatch(
      /^Training records import 2 \(march\.csv, .+\) brought qualification records for people this import added\. Undo import 2 first/,
    );
    await ok(call(ctx, 'training/import-undo', { id: 2 }));
    const now = (await ok<{ undoBlockedBy: string | null }[]>(call(ctx, 'import/batches', {})))[0]!;
    expect(now.undoBlockedBy).toBeNull();
  });
});
