import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandlerContext } from '../../electron/handler';
import { dispatch } from '../../electron/router';
import type { FileData } from '../../shared/common/api';
import type { IcsPicture, IcsStatus } from '../../shared/ics/channels';
import { TOTAL, type BuildResult, type ReturnTable, type ReturnView } from '../../shared/returns/channels';
import { returnFileSchema, type ReturnFile } from '../../shared/returns/file';
import { addReturnFiles, FIVE_TRUSTS, ICS_NAME, newIcs, trustReturnFile } from '../fixtures/ics-trusts';
import { addRole, sendBytes, tempDir, tempStore, type TempStore } from './helpers';

/**
 * The ICS workspace on real SQLite files (issue 13): five trusts' databases built through the import, their exact
 * returns exported, then collected, added up, compared and returned by an ICS database.
 */

let dir: string;
let files: string[];
let ics: TempStore;
const read = (file: string) => returnFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));

async function call<T>(ctx: HandlerContext, channel: string, input: unknown): Promise<T> {
  const result = await dispatch(ctx, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

const fromDisk = (file: string) => ({ name: path.basename(file), bytes: fs.readFileSync(file) });

const value = (t: ReturnTable | undefined, row: string, column: string, measure = 'headcount') =>
  t?.cells.find((c) => c.row === row && c.column === column && c.measure === measure)?.value ?? null;
const table = (tables: ReturnTable[], id: string) => tables.find((t) => t.id === id);

beforeAll(async () => {
  dir = tempDir();
  files = [];
  for (const spec of FIVE_TRUSTS) files.push(...(await trustReturnFile(dir, spec)).map((f) => f.file));
  ics = await newIcs();
}, 120_000);

afterAll(() => {
  ics.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('collecting returns', () => {
  it('a trust database refuses to collect returns', async () => {
    const trust = await tempStore('trust.sqlite');
    try {
      await call(trust.ctx, 'settings/organisation-save', {
        name: 'T',
        odsCode: 'RT1',
        ics: ICS_NAME,
        ahpFaculty: 'F',
      });
      const uploadId = await sendBytes(trust.ctx, 'a.json', fs.readFileSync(files[0]!), 'return-file');
      const result = await dispatch(trust.ctx, 'ics/add', { uploadIds: [uploadId] });
      expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } });
    } finally {
      trust.cleanup();
    }
  });

  it('adds four trusts, shows who is missing, then adds the fifth', async () => {
    await call(ics.ctx, 'ics/trust-save', { odsCode: 'RN5', name: 'Valley Health NHS Foundation Trust' });
    const first = await addReturnFiles(ics.ctx, files.slice(0, 4).map(fromDisk));
    expect(first.files.map((f) => f.outcome)).toEqual(['added', 'added', 'added', 'added']);
    expect(first.summary).toBe('4 files checked: 4 returns added.');
    const status = await call<IcsStatus>(ics.ctx, 'ics/status', { period: '2025/26' });
    expect(status.sent).toBe(4);
    expect(status.missing).toBe(1);
    expect(status.trusts.find((t) => !t.sent)?.odsCode).toBe('RN5');
    const second = await addReturnFiles(ics.ctx, [fromDisk(files[4]!)]);
    expect(second.added).toBe(1);
    expect((await call<IcsStatus>(ics.ctx, 'ics/status', { period: '2025/26' })).missing).toBe(0);
  });

  it('refuses each bad file with its reason and changes nothing', async () => {
    const before = ics.store.db.prepare('SELECT count(*) FROM collected_return').pluck().get();
    const good = fs.readFileSync(files[0]!, 'utf8');
    const edited = read(files[1]!);
    const b1 = edited.tables.find((t) => t.id === 'B1')!;
    const cell = b1.cells.find((c) => c.measure === 'headcount' && (c.value ?? 0) > 0)!;
    cell.value = cell.value! + 1;
    const newer = { ...JSON.parse(good), schemaVersion: 2 } as object;
    const otherIcs = (
      await trustReturnFile(dir, {
        name: 'Far Away NHS Trust',
        odsCode: 'RZ9',
        staff: 60,
        seed: 40,
        ics: 'Far South ICS',
      })
    )[0]!;
    const publication = (
      await trustReturnFile(dir, { ...FIVE_TRUSTS[0]!, odsCode: 'RN7' }, { version: 'publication' })
    )[0]!;
    const result = await addReturnFiles(ics.ctx, [
      { name: 'notes.txt', bytes: 'this is not json' },
      { name: 'package.json', bytes: JSON.stringify({ name: 'x', version: '1.0.0' }) },
      { name: 'newer.json', bytes: JSON.stringify(newer) },
      { name: 'edited.json', bytes: JSON.stringify(edited) },
      fromDisk(publication.file),
      fromDisk(otherIcs.file),
      { name: 'again.json', bytes: good },
    ]);
    expect(result.files.map((f) => f.refusal)).toEqual([
      'not-json',
      'not-a-return',
      'newer-schema',
      'hash-mismatch',
      'publication-version',
      'another-ics',
      'duplicate',
    ]);
    expect(result.added).toBe(0);
    expect(result.files[3]!.message).toMatch(/changed since the trust signed it off/);
    expect(result.files[4]!.message).toMatch(/publication version/);
    expect(ics.store.db.prepare('SELECT count(*) FROM collected_return').pluck().get()).toBe(before);
  }, 60_000);

  it('a later version supersedes the earlier one, both kept, with the reason', async () => {
    const s = await newIcs('supersede.sqlite');
    try {
      const [v1, v2] = await trustReturnFile(dir, { ...FIVE_TRUSTS[3]!, odsCode: 'RN8' }, { correct: true });
      // The later version first: the earlier one arriving afterwards is kept, already superseded.
      const out = await addReturnFiles(s.ctx, [fromDisk(v2!.file), fromDisk(v1!.file)]);
      expect(out.files.map((f) => f.outcome)).toEqual(['added', 'added-superseded']);
      const collected = await call<{
        returns: { version: number; supersededById: number | null; supersededReason: string | null }[];
      }>(s.ctx, 'ics/collected', { period: '2025/26' });
      expect(collected.returns.map((r) => r.version)).toEqual([2, 1]);
      expect(collected.returns[1]!.supersededReason).toMatch(/leaver in February/);
      const status = await call<IcsStatus>(s.ctx, 'ics/status', { period: '2025/26' });
      expect(status.trusts[0]).toMatchObject({ version: 2, superseded: 1 });
    } finally {
      s.cleanup();
    }
  }, 60_000);
});

describe('the ICS picture', () => {
  it('adds every count up and works rates out from the summed parts', async () => {
    const picture = await call<IcsPicture>(ics.ctx, 'ics/picture', { period: '2025/26' });
    const trusts: ReturnFile[] = files.map(read);
    expect(picture.included).toHaveLength(5);
    const sumOf = (id: string, row: string, column: string, measure = 'headcount') =>
      trusts.reduce((a, f) => a + (value(table(f.tables, id), row, column, measure) ?? 0), 0);
    for (const [id, row, column] of [
      ['B1', TOTAL, TOTAL],
      ['B2', 'entry', TOTAL],
      ['D1', TOTAL, 'meets'],
      ['E3', TOTAL, 'leavers'],
      ['F1', TOTAL, 'bme'],
    ] as const)
      expect(value(table(picture.tables, id), row, column), `${id} ${row} ${column}`).toBe(sumOf(id, row, column));
    const headcount = sumOf('B1', TOTAL, TOTAL);
    expect(picture.comparison.ics.headcount).toBe(headcount);
    expect(picture.comparison.ics['bme-share']).toBe(Math.round((sumOf('F1', TOTAL, 'bme') / headcount) * 1000) / 10);
    const leavers = sumOf('E3', TOTAL, 'leavers');
    const start = sumOf('E1', TOTAL, 'start');
    expect(value(table(picture.tables, 'E4'), TOTAL, 'leaver-rate', 'percent')).toBe(
      Math.round((leavers / ((start + headcount) / 2)) * 1000) / 10,
    );
    const fte = trusts.reduce((a, f) => a + (value(table(f.tables, 'B1'), TOTAL, TOTAL, 'fte') ?? 0), 0);
    expect(value(table(picture.tables, 'B1'), TOTAL, TOTAL, 'fte')).toBeCloseTo(fte, 2);
    const spread = picture.comparison.spread.headcount!;
    expect(spread.lowest).toBe(Math.min(...picture.comparison.trusts.map((t) => t.values.headcount!)));
    expect(spread.highest).toBe(Math.max(...picture.comparison.trusts.map((t) => t.values.headcount!)));
  });
});

describe('the ICS return', () => {
  it('is built from the collected returns, protected with the trust comparison, signed off and exported', async () => {
    const built = await call<BuildResult>(ics.ctx, 'returns/build', { period: '2025/26' });
    expect(built.errors).toEqual([]);
    const view = await call<ReturnView>(ics.ctx, 'returns/show', { id: built.id, version: 'exact' });
    expect(view.checks.audit.ok).toBe(true);
    expect(view.content.about.organisationKind).toBe('ics');
    expect(view.content.about.imports).toHaveLength(5);
    const ids = view.content.tables.map((t) => t.id);
    for (const id of ['B5', 'B6', 'B7', 'D5', 'E7', 'F5']) expect(ids).toContain(id);
    const b5 = table(view.content.tables, 'B5')!;
    const b1 = table(view.content.tables, 'B1')!;
    expect(value(b5, TOTAL, 'intermediate')).toBe(value(b1, 'intermediate', TOTAL));
    const signed = await call<ReturnView>(ics.ctx, 'returns/sign', {
      id: built.id,
      name: 'Ash ICS Lead',
      role: 'ICS AHP faculty lead',
      acceptWarnings: built.warnings.length > 0 ? 'Reviewed by the faculty' : '',
    });
    expect(signed.status).toBe('signed-off');
    for (const format of ['xlsx', 'csv', 'json', 'pdf'])
      expect((await call<FileData>(ics.ctx, 'returns/export', { id: built.id, format })).base64.length).toBeGreaterThan(
        100,
      );
    const publication = await call<ReturnView>(ics.ctx, 'returns/show', { id: built.id, version: 'publication' });
    const hidden = publication.content.tables
      .flatMap((t) => t.cells)
      .filter((c) => c.value === null && c.status !== 'not-applicable');
    expect(hidden.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('the organisation kind', () => {
  it('a database with staff cannot become an ICS one, nor one with collected returns a trust one', async () => {
    const trust = await tempStore('kind.sqlite');
    try {
      const org = { name: 'T', odsCode: 'RT1', ics: ICS_NAME, ahpFaculty: 'F' };
      await call(trust.ctx, 'settings/organisation-save', org);
      const service = await call<{ id: number }>(trust.ctx, 'workforce/service-save', {
        name: 'MSK',
        costCentre: null,
      });
      const role = await addRole(trust.ctx, {
        title: 'Physio assistant',
        serviceId: service.id,
        profession: 'PHY',
        band: '3',
        establishmentFte: 1,
      });
      await call(trust.ctx, 'workforce/person-save', {
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
      const toIcs = await dispatch(trust.ctx, 'settings/organisation-save', { ...org, kind: 'ics' });
      expect(toIcs).toMatchObject({
        ok: false,
        error: { code: 'conflict', message: expect.stringMatching(/staff \(1 person\)/) },
      });
    } finally {
      trust.cleanup();
    }
    const toTrust = await dispatch(ics.ctx, 'settings/organisation-save', {
      name: 'North Example Integrated Care Board',
      odsCode: 'QNX',
      ics: ICS_NAME,
      ahpFaculty: 'North Example AHP Faculty',
      kind: 'trust',
    });
    expect(toTrust).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/collected trust return/) },
    });
  });
});

describe('the demo ICS', () => {
  it('makes five synthetic trusts sign off and collects their returns; the ICS return passes its audit', async () => {
    const s = await tempStore('demo-ics.sqlite');
    try {
      expect(await call(s.ctx, 'ics/demo-load', {})).toEqual({ trusts: 6, returns: 5 });
      const status = await call<IcsStatus>(s.ctx, 'ics/status', { period: '2025/26' });
      expect([status.sent, status.missing]).toEqual([5, 1]);
      const built = await call<BuildResult>(s.ctx, 'returns/build', { period: '2025/26' });
      expect(built.errors).toEqual([]);
      expect(built.warnings.map((w) => w.code)).toContain('trusts-missing');
      expect(fs.readdirSync(path.dirname(s.file)).filter((f) => f.startsWith('XDV'))).toEqual([]);
      const again = await dispatch(s.ctx, 'ics/demo-load', {});
      expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    } finally {
      s.cleanup();
    }
  }, 120_000);
});
