import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UPLOAD_CHUNK_BYTES } from '../../shared/common/upload';
import { guessMapping } from '../../shared/import/fields';
import { dispatch } from '../../electron/router';
import type { HandlerContext } from '../../electron/handler';
import { pseudonymise, pseudonymiser } from '../../electron/services/common/pseudonym';
import type { DB } from '../../electron/db/connection';
import {
  ESR_HEADERS,
  esrExtract,
  esrRows,
  writeBadFixture,
  writeCsvFixture,
  writeLargeCsv,
  writeXlsxFixture,
} from '../fixtures/extracts';
import { tempStore, type TempStore } from './helpers';

let stores: TempStore[] = [];
afterEach(() => {
  for (const s of stores) s.cleanup();
  stores = [];
});
async function store(): Promise<TempStore> {
  const s = await tempStore();
  stores.push(s);
  return s;
}

function value<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(`Expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}
type Call = <T = unknown>(
  channel: string,
  input: unknown,
) => Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>;
const caller = (ctx: HandlerContext): Call =>
  ((channel: string, input: unknown) => dispatch(ctx, channel, input)) as Call;

/** Sends a file through the upload channel in chunks, as the screen and the CLI do. */
async function upload(ctx: HandlerContext, file: string, chunk = UPLOAD_CHUNK_BYTES): Promise<string> {
  const bytes = fs.readFileSync(file);
  let uploadId: string | null = null;
  let offset = 0;
  do {
    const part = bytes.subarray(offset, offset + chunk);
    const done = offset + part.length >= bytes.length;
    const answer: { uploadId: string } = value(
      (await dispatch(ctx, 'upload/chunk', {
        uploadId,
        kind: 'staff-extract',
        fileName: path.basename(file),
        offset,
        base64: part.toString('base64'),
        done,
      })) as {
        ok: true;
        value: { uploadId: string };
      },
    );
    uploadId = answer.uploadId;
    offset += part.length;
    if (done) break;
  } while (offset < bytes.length);
  return uploadId!;
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

async function importFile(t: TempStore, file: string, extra: Record<string, unknown> = {}) {
  const call = caller(t.ctx);
  const uploadId = await upload(t.ctx, file);
  const inspected = value(
    await call<{ headers: string[]; guessedMapping: Record<string, number | null> }>('import/inspect', { uploadId }),
  );
  return call<{
    added: number;
    updated: number;
    unchanged: number;
    rejected: number;
    leavers: number;
    markedMissing: number;
    excluded: number;
    duplicates: number;
    rejectedRows: { line: number; column: string; message: string }[];
    warnings: { line: number; column: string; message: string }[];
    nonAhp: { occupationCode: string; rows: number }[];
    batch: { id: number; sha256: string; undoBlockedBy: string | null };
  }>('import/commit', {
    uploadId,
    mapping: inspected.guessedMapping,
    dateOrder: 'dmy',
    extractDate: '2026-03-31',
    ...extra,
  });
}

const count = (db: DB, table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe('workforce import', () => {
  it('imports a generated ESR extract: pseudonymised, batched, and nothing in clear', async () => {
    const t = await store();
    const rows = esrRows(60, 3);
    const file = await writeCsvFixture(t.dir, 'march.csv', [[...ESR_HEADERS], ...rows], { encoding: 'utf-8-bom' });
    const result = value(await importFile(t, file));
    const nonAhp = rows.filter((r) => r[3] === 'N9A').length;
    expect(result.added).toBe(60 - nonAhp);
    expect(result.excluded).toBe(nonAhp);
    expect(result.nonAhp).toEqual([expect.objectContaining({ occupationCode: 'N9A', rows: nonAhp })]);
    expect(result.leavers).toBe(rows.filter((r) => r[3] !== 'N9A' && r[8] !== '').length);
    expect(count(t.store.db, 'assignment')).toBe(60 - nonAhp);
    expect(result.batch.sha256).toBe(createHash('sha256').update(fs.readFileSync(file)).digest('hex'));

    // Clear employee and assignment numbers are nowhere in the database; dates of birth are years only.
    const dump = JSON.stringify(
      ['person', 'assignment', 'import_batch', 'import_change', 'audit'].map((table) =>
        t.store.db.prepare(`SELECT * FROM ${table}`).all(),
      ),
    );
    for (const r of rows.slice(0, 10)) {
      expect(dump).not.toContain(r[0]);
      expect(dump).not.toContain(r[10]);
    }
    const first = rows.find((r) => r[3] !== 'N9A')!;
    const person = t.store.db
      .prepare('SELECT * FROM person WHERE pseudo_id = ?')
      .get(pseudonymise(t.store.db, 'person', first[0]!)) as { year_of_birth: number };
    expect(person.year_of_birth).toBe(Number(first[10]!.slice(-4)));
    // The upload (clear identifiers) is deleted once imported.
    const progress = value(await caller(t.ctx)('import/progress', {}));
    expect(progress).toMatchObject({ running: false });
  });

  it('pseudonyms are the first 128 bits of HMAC-SHA-256 under the database key, the same for one-off and bulk use', async () => {
    const t = await store();
    // The key is in the key store, outside the database file.
    const databaseId = t.store.db.prepare(`SELECT value FROM setting WHERE key = 'database-id'`).pluck().get();
    const keyFile = JSON.parse(fs.readFileSync(path.join(t.keyDir, `${String(databaseId)}.key`), 'utf8')) as {
      key: string;
    };
    const key = Buffer.from(keyFile.key, 'hex');
    const fast = pseudonymiser(t.store.db);
    for (const [kind, id, normalised] of [
      ['person', '10000001', '10000001'],
      ['assignment', ' 123-1 ', '123-1'],
      ['person', 'abc', 'ABC'],
    ] as const) {
      const expected = createHmac('sha256', key).update(`${kind}:${normalised}`).digest('hex').slice(0, 32);
      expect(fast(kind, id)).toBe(expected);
      expect(pseudonymise(t.store.db, kind, id)).toBe(expected);
    }
  });

  it('a first import large enough to rebuild the assignment indexes leaves them exactly as the migrations made them', async () => {
    const t = await store();
    const file = path.join(t.dir, 'big.csv');
    await writeLargeCsv(file, { rows: 12_000 });
    const schema = () =>
      t.store.db.prepare(`SELECT name, sql FROM sqlite_schema WHERE tbl_name = 'assignment' ORDER BY name`).all();
    const before = schema();
    const call = caller(t.ctx);
    const uploadId = await upload(t.ctx, file);
    const preview = value(
      await call<{ added: number }>('import/preview', {
        uploadId,
        mapping: guessMapping([...ESR_HEADERS]),
        dateOrder: 'dmy',
      }),
    );
    expect(preview.added).toBeGreaterThan(10_000);
    expect(schema()).toEqual(before);
    expect(count(t.store.db, 'assignment')).toBe(0);
    const result = value(
      await call<{ added: number }>('import/commit', {
        uploadId,
        mapping: guessMapping([...ESR_HEADERS]),
        dateOrder: 'dmy',
        acceptRejected: true,
      }),
    );
    expect(result.added).toBe(preview.added);
    expect(schema()).toEqual(before);
    expect(t.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('re-imports next month: same people updated, leavers recorded, missing staff marked, undo in order', async () => {
    const t = await store();
    const call = caller(t.ctx);
    const header = [...ESR_HEADERS];
    const base = esrRows(30, 5).map((r) => {
      r[3] = 'S9E';
      r[4] = 'Band 3';
      r[8] = '';
      r[9] = '';
      return r;
    });
    const march = await writeCsvFixture(t.dir, 'march.csv', [header, ...base]);
    const first = value(await importFile(t, march));
    expect(first.added).toBe(30);
    const before = dataFingerprint(t.store.db);

    // April: row 0 changes hours, row 1 has left, row 2 is gone, a new starter arrives.
    const april = base.map((r) => [...r]);
    april[0]![5] = '22.5';
    april[0]![6] = '0.60';
    april[1]![8] = '15/03/2026';
    april[1]![9] = 'Retirement';
    const gone = april.splice(2, 1)[0]!;
    const starter = esrRows(1, 99)[0]!.map((v, i) => (i === 0 ? '20000001' : i === 1 ? '20000001-1' : v));
    starter[3] = 'S9C';
    starter[4] = 'Band 2';
    starter[8] = '';
    const aprilFile = await writeCsvFixture(t.dir, 'april.csv', [header, ...april, starter]);
    const second = value(await importFile(t, aprilFile, { markMissingAsLeavers: true }));
    expect(second).toMatchObject({ added: 1, updated: 2, unchanged: 27, leavers: 1, markedMissing: 1 });
    const goneRow = t.store.db
      .prepare('SELECT end_date, leaving_reason FROM assignment WHERE pseudo_id = ?')
      .get(pseudonymise(t.store.db, 'assignment', gone[1]!)) as { end_date: string; leaving_reason: string };
    expect(goneRow).toEqual({ end_date: '2026-03-31', leaving_reason: 'Not in the extract of 31 Mar 2026' });

    // A person's record lists the imports that touched them: March added them, April changed their hours; the
    // April starter was added by April only.
    const personId = (employee: string) =>
      t.store.db
        .prepare('SELECT id FROM person WHERE pseudo_id = ?')
        .pluck()
        .get(pseudonymise(t.store.db, 'person', employee)) as number;
    const history = async (employee: string) =>
      value(
        await call<{ imports: { batchId: number; action: string }[] }>('workforce/staff-record', {
          id: personId(employee),
        }),
      ).imports.map((i) => [i.batchId, i.action]);
    expect(await history(april[0]![0]!)).toEqual([
      [second.batch.id, 'updated'],
      [first.batch.id, 'added'],
    ]);
    expect(await history(april[5]![0]!)).toEqual([[first.batch.id, 'added']]);
    expect(await history('20000001')).toEqual([[second.batch.id, 'added']]);

    // The first import cannot be undone while the second (which changed the same staff) stands.
    const batches = value(await call<{ id: number; undoBlockedBy: string | null }[]>('import/batches', {}));
    expect(batches.map((b) => b.id)).toEqual([second.batch.id, first.batch.id]);
    expect(batches[1]!.undoBlockedBy).toMatch(/Undo import 2 first/);
    const refused = await call('import/undo', { id: first.batch.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });

    value(await call('import/undo', { id: second.batch.id }));
    expect(dataFingerprint(t.store.db)).toBe(before);
    const undoneFirst = value(await call<{ undoneAt: string | null }>('import/undo', { id: first.batch.id }));
    expect(undoneFirst.undoneAt).not.toBeNull();
    expect(count(t.store.db, 'person')).toBe(0);
    expect(count(t.store.db, 'assignment')).toBe(0);
    expect(count(t.store.db, 'role')).toBe(0);
    expect(count(t.store.db, 'service')).toBe(0);
  });

  it('refuses an undo when staff from the import were changed by hand since', async () => {
    const t = await store();
    const call = caller(t.ctx);
    const rows = esrRows(5, 8).map((r) => ((r[3] = 'S9E'), (r[4] = '3'), r));
    const result = value(await importFile(t, await writeCsvFixture(t.dir, 'x.csv', [[...ESR_HEADERS], ...rows])));
    const person = value(
      await call<{
        id: number;
        sex: string;
        ethnicCategory: string;
        disability: string;
        yearOfBirth: number;
        assignments: {
          id: number;
          roleId: number;
          serviceId: number;
          contractedHours: number;
          startDate: string;
          endDate: string | null;
        }[];
      }>('workforce/person', { id: 1 }),
    );
    value(
      await call('workforce/person-save', {
        ...person,
        sex: 'X',
        assignments: person.assignments.map((a) => ({
          id: a.id,
          roleId: a.roleId,
          serviceId: a.serviceId,
          contractedHours: a.contractedHours,
          startDate: a.startDate,
          endDate: a.endDate,
          leavingReason: null,
        })),
      }),
    );
    const refused = await call('import/undo', { id: result.batch.id });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/changed or removed by hand/) },
    });
  });

  it('reads XLSX with real dates; formula-looking cells stay data', async () => {
    const t = await store();
    const file = await writeXlsxFixture(t.dir, 'extract.xlsx', 20, 4);
    const result = value(await importFile(t, file, { acceptRejected: true, keepNonAhpCodes: ['N9A'] }));
    expect(result.added).toBeGreaterThanOrEqual(20);
    const titles = t.store.db.prepare('SELECT title FROM role').pluck().all() as string[];
    expect(titles).toContain('=cmd|calc!A1');
  });

  it('keeps CSV cells beginning = + - @ as text', async () => {
    const t = await store();
    const rows = esrRows(4, 2).map((r) => ((r[3] = 'S9E'), (r[4] = '3'), r));
    rows[0]![2] = '=HYPERLINK("http://x","y")';
    rows[1]![2] = '+44 team';
    rows[2]![2] = '-Rehab-';
    rows[3]![2] = '@support';
    value(await importFile(t, await writeCsvFixture(t.dir, 'f.csv', [[...ESR_HEADERS], ...rows])));
    const titles = t.store.db.prepare('SELECT title FROM role ORDER BY title').pluck().all();
    expect(titles).toEqual(['+44 team', '-Rehab-', '=HYPERLINK("http://x","y")', '@support'].sort());
  });
});

/** The workforce tables only (the batch list and audit trail rightly remember an undone import). */
function dataFingerprint(db: DB): string {
  const hash = createHash('sha256');
  for (const t of ['service', 'role', 'person', 'assignment'])
    hash.update(JSON.stringify(db.prepare(`SELECT * FROM ${t} ORDER BY id`).raw().all()));
  return hash.digest('hex');
}

describe('bad input: a clear message and the database unchanged', () => {
  async function attempt(t: TempStore, file: string, extra: Record<string, unknown> = {}) {
    const before = fingerprint(t.store.db);
    const call = caller(t.ctx);
    const uploadId = await upload(t.ctx, file);
    const inspected = await call<{ guessedMapping: Record<string, number | null> }>('import/inspect', { uploadId });
    let outcome: { ok: boolean; error?: { code: string; message: string }; value?: unknown } = inspected;
    if (inspected.ok) {
      outcome = await call('import/commit', { uploadId, mapping: inspected.value.guessedMapping, ...extra });
    }
    return { outcome, unchanged: fingerprint(t.store.db) === before };
  }

  it.each([
    ['empty', /The file is empty/],
    ['nul-only', /The file is empty/],
    ['header-only', /header row \(line 1\) but no data rows/],
    ['binary', /binary data, not text/],
    ['zip', /compressed \(zip\) file/],
    ['unclosed-quote', /Line 3 opens a quote/],
  ] as const)('%s', async (kind, message) => {
    const t = await store();
    const { outcome, unchanged } = await attempt(t, await writeBadFixture(t.dir, kind));
    expect(outcome).toMatchObject({ ok: false, error: { code: 'refused', message: expect.stringMatching(message) } });
    expect(outcome.error!.message).toContain(`${kind}.csv`);
    expect(unchanged).toBe(true);
  });

  it.each(['too-many-fields', 'too-few-fields'] as const)(
    '%s: the row is rejected, the rest importable by choice',
    async (kind) => {
      const t = await store();
      const file = await writeBadFixture(t.dir, kind);
      const { outcome, unchanged } = await attempt(t, file);
      expect(outcome).toMatchObject({
        ok: false,
        error: { code: 'conflict', message: expect.stringMatching(/1 row\(s\) of .* have problems/) },
      });
      expect(unchanged).toBe(true);
      const accepted = value(await importFile(t, file, { acceptRejected: true, keepNonAhpCodes: ['N9A'] }));
      expect(accepted.rejected).toBe(1);
      expect(accepted.rejectedRows[0]).toMatchObject({
        line: 3,
        column: '(whole row)',
        message: expect.stringMatching(/has \d+ fields but the header has 16/),
      });
      expect(accepted.added).toBe(2);
    },
  );

  it('a missing required column is named', async () => {
    const t = await store();
    const rows = esrExtract(5).map((r) => [r[0]!, r[2]!, r[3]!, r[5]!, r[7]!]); // no band
    const { outcome, unchanged } = await attempt(t, await writeCsvFixture(t.dir, 'noband.csv', rows));
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/Pay band \(Agenda for Change\)/) },
    });
    expect(unchanged).toBe(true);
  });

  it('invalid dates, negative hours and unknown bands are row-level errors with line and column', async () => {
    const t = await store();
    const rows = esrRows(6, 11).map((r) => ((r[3] = 'S9E'), r));
    rows[1]![7] = '31/02/2021';
    rows[2]![5] = '-7.5';
    rows[2]![6] = '';
    rows[3]![4] = 'Band 12';
    const file = await writeCsvFixture(t.dir, 'rows.csv', [[...ESR_HEADERS], ...rows]);
    const { outcome, unchanged } = await attempt(t, file);
    expect(outcome.ok).toBe(false);
    expect(unchanged).toBe(true);
    const uploadId = await upload(t.ctx, file);
    const preview = value(
      await caller(t.ctx)<{ rejected: number; added: number; rejectedRows: unknown[] }>('import/preview', {
        uploadId,
        mapping: guessMapping([...ESR_HEADERS]),
      }),
    );
    expect(preview.rejected).toBe(3);
    expect(preview.added).toBe(3);
    expect(preview.rejectedRows).toEqual([
      { line: 3, column: 'Hire Date', message: expect.stringMatching(/"31\/02\/2021" is not a date/) },
      { line: 4, column: 'Contracted Hours', message: expect.stringMatching(/cannot be negative/) },
      { line: 5, column: 'Pay Band', message: expect.stringMatching(/"Band 12" is not an Agenda for Change band/) },
    ]);
    expect(fingerprint(t.store.db)).toBeTruthy();
  });

  it('duplicate identifiers inside one file: exact repeats counted once, contradictions rejected', async () => {
    const t = await store();
    const rows = esrRows(4, 12).map((r) => ((r[3] = 'S9E'), (r[4] = '3'), r));
    const repeat = [...rows[0]!];
    const clash = [...rows[1]!];
    clash[5] = '10';
    clash[6] = '';
    const file = await writeCsvFixture(t.dir, 'dups.csv', [[...ESR_HEADERS], ...rows, repeat, clash]);
    const { outcome, unchanged } = await attempt(t, file);
    expect(outcome.ok).toBe(false);
    expect(unchanged).toBe(true);
    const result = value(await importFile(t, file, { acceptRejected: true }));
    expect(result).toMatchObject({ added: 3, duplicates: 1, rejected: 2 });
    expect(result.rejectedRows.map((r) => r.line)).toEqual([3, 7]);
    expect(result.rejectedRows[0]!.message).toMatch(/on line 7 with different details/);
    expect(result.warnings.some((w) => w.line === 6 && /Repeats line 2 exactly/.test(w.message))).toBe(true);
  });

  it('a file dropped while another import runs is refused, and cancel stops the first', async () => {
    const t = await store();
    const call = caller(t.ctx);
    const big = path.join(t.dir, 'big.csv');
    await writeLargeCsv(big, { rows: 40_000 });
    const small = await writeCsvFixture(t.dir, 'small.csv', esrExtract(3));
    const before = fingerprint(t.store.db);
    const uploadId = await upload(t.ctx, big);
    const running = call('import/commit', { uploadId, mapping: guessMapping([...ESR_HEADERS]), acceptRejected: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(value(await call<{ running: boolean; kind: string }>('import/progress', {}))).toMatchObject({
      running: true,
      kind: 'commit',
    });
    const second = await call('upload/chunk', {
      uploadId: null,
      kind: 'staff-extract',
      fileName: 'small.csv',
      offset: 0,
      base64: fs.readFileSync(small).toString('base64'),
      done: true,
    });
    expect(second).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: expect.stringMatching(/small\.csv was not accepted. An import of big\.csv .* is still running/),
      },
    });
    expect(value(await call('import/cancel', {}))).toEqual({ cancelled: true });
    expect(await running).toMatchObject({
      ok: false,
      error: { code: 'refused', message: expect.stringMatching(/cancelled/) },
    });
    expect(fingerprint(t.store.db)).toBe(before);
    // Once it has stopped, the next file is accepted.
    expect(
      (
        await call('upload/chunk', {
          uploadId: null,
          kind: 'staff-extract',
          fileName: 'small.csv',
          offset: 0,
          base64: '',
          done: true,
        })
      ).ok,
    ).toBe(true);
  });

  it('a chunk out of order is refused', async () => {
    const t = await store();
    const call = caller(t.ctx);
    const first = value(
      await call<{ uploadId: string }>('upload/chunk', {
        uploadId: null,
        kind: 'staff-extract',
        fileName: 'a.csv',
        offset: 0,
        base64: Buffer.from('abc').toString('base64'),
        done: false,
      }),
    );
    const wrong = await call('upload/chunk', {
      uploadId: first.uploadId,
      kind: 'staff-extract',
      fileName: 'a.csv',
      offset: 10,
      base64: '',
      done: true,
    });
    expect(wrong).toMatchObject({ ok: false, error: { message: expect.stringMatching(/out of order/) } });
  });
});

describe('import profiles', () => {
  it('saves, offers a fitting profile for the next file, replaces by name and deletes', async () => {
    const t = await store();
    const call = caller(t.ctx);
    const saved = value(
      await call<{ id: number }>('import/profile-save', {
        name: 'ESR monthly',
        dateOrder: 'dmy',
        columns: {
          employeeNumber: 'Employee Number',
          band: 'Pay Band',
          occupationCode: 'Occupation Code',
          startDate: 'Hire Date',
          contractedHours: 'Contracted Hours',
        },
      }),
    );
    const again = value(
      await call<{ id: number }>('import/profile-save', {
        name: 'esr monthly',
        dateOrder: 'dmy',
        columns: {
          employeeNumber: 'Employee Number',
          band: 'Pay Band',
          occupationCode: 'Occupation Code',
          startDate: 'Hire Date',
          fte: 'FTE',
        },
      }),
    );
    expect(again.id).toBe(saved.id);
    const uploadId = await upload(t.ctx, await writeCsvFixture(t.dir, 'next.csv', esrExtract(3)));
    const inspected = value(
      await call<{ profiles: { name: string; fits: boolean; mapping: Record<string, number | null> }[] }>(
        'import/inspect',
        { uploadId },
      ),
    );
    expect(inspected.profiles).toEqual([expect.objectContaining({ name: 'esr monthly', fits: true })]);
    expect(inspected.profiles[0]!.mapping.fte).toBe(6);
    expect(value(await call('import/profile-delete', { id: saved.id }))).toEqual({ id: saved.id });
    expect(value(await call('import/profiles', {}))).toEqual([]);
  });
});
