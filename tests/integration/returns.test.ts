import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/router';
import type { HandlerContext } from '../../electron/handler';
import { guessMapping } from '../../shared/import/fields';
import type { WorkforceMetrics } from '../../shared/picture/channels';
import {
  EXACT_MARKING,
  TOTAL,
  type BuildResult,
  type ChainCheck,
  type ReturnDiff,
  type ReturnSummary,
  type ReturnTable,
  type ReturnView,
} from '../../shared/returns/channels';
import { returnSnapshot } from '../../electron/services/returns/snapshot';
import { ESR_HEADERS, esrRows, writeCsvFixture } from '../fixtures/extracts';
import { addRole, sendBytes, tempStore, type TempStore } from './helpers';

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

async function refused(
  ctx: HandlerContext,
  channel: string,
  input: unknown,
): Promise<{ code: string; message: string }> {
  const result = await dispatch(ctx, channel, input);
  if (result.ok) throw new Error(`${channel} should have been refused`);
  return result.error;
}

async function store(): Promise<TempStore> {
  const t = await tempStore();
  stores.push(t);
  return t;
}

const ORG = { name: 'Test Hospitals NHS Trust', odsCode: 'RX1', ics: 'Test ICS', ahpFaculty: 'Test AHP Faculty' };

/** The ESR fixture, plus one person with two assignments: 30 hours band 3, and 7.5 hours in band 7 (nobody else's). */
async function importExtract(t: TempStore, count: number, seed: number, name: string) {
  const rows = esrRows(count, seed);
  const twoPosts = [...rows[0]!];
  twoPosts[0] = '19999999';
  twoPosts[1] = '19999999-1';
  twoPosts[4] = 'Band 3';
  twoPosts[5] = '30';
  twoPosts[6] = '0.80';
  twoPosts[8] = '';
  twoPosts[9] = '';
  const second = [...twoPosts];
  second[1] = '19999999-2';
  second[2] = 'Senior Therapist';
  second[4] = 'Band 7';
  second[5] = '7.5';
  second[6] = '0.20';
  const file = await writeCsvFixture(t.dir, name, [[...ESR_HEADERS], ...rows, twoPosts, second]);
  const uploadId = await sendBytes(t.ctx, name, fs.readFileSync(file), 'staff-extract');
  return call<{ added: number }>(t.ctx, 'import/commit', {
    uploadId,
    mapping: guessMapping([...ESR_HEADERS]),
    dateOrder: 'dmy',
    extractDate: '2026-03-31',
    acceptRejected: true,
  });
}

const cell = (t: ReturnTable, row: string, column: string, measure = 'headcount') =>
  t.cells.find((c) => c.row === row && c.column === column && c.measure === measure)!.value!;
const table = (v: ReturnView, id: string) => v.content.tables.find((t) => t.id === id)!;

/**
 * A trust where every count of the return is 0 or 2 (two people alike in everything), so that with a threshold of 1
 * nothing needs hiding and the disclosure audit passes whatever method protects the return.
 */
async function pairTrust(t: TempStore, people = 2) {
  await call(t.ctx, 'settings/organisation-save', ORG);
  const service = await call<{ id: number }>(t.ctx, 'workforce/service-save', { name: 'MSK', costCentre: null });
  const role = await addRole(t.ctx, {
    title: 'Physio assistant',
    serviceId: service.id,
    profession: 'PHY',
    band: '3',
    establishmentFte: 3,
  });
  for (let i = 0; i < people; i++)
    await call(t.ctx, 'workforce/person-save', {
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
  await call(t.ctx, 'returns/settings-save', { threshold: 1 });
  return role;
}

const READY = [
  { requirement: 'scope', rag: 'green', done: 'Scoped', nextActions: [], risks: '' },
  {
    requirement: 'map',
    rag: 'amber',
    done: 'Mapped most roles',
    nextActions: [{ action: 'Agree the rest', owner: 'Lead', due: '2026-06-30' }],
    risks: 'Time',
  },
  { requirement: 'gap-tna', rag: 'green', done: 'Done', nextActions: [], risks: '' },
  { requirement: 'readiness-toolkit', rag: 'red', done: 'Started', nextActions: [], risks: '' },
  { requirement: 'engagement', rag: 'green', done: 'Webinars', nextActions: [], risks: '' },
];

describe('returns: what a return holds', () => {
  it('built from a real import, its headcount tables add up, share their stage totals and match the picture', async () => {
    const t = await store();
    await call(t.ctx, 'settings/organisation-save', ORG);
    await importExtract(t, 150, 7, 'march.csv');
    const built = await call<BuildResult>(t.ctx, 'returns/build', { period: '2025/26' });
    expect(built).toMatchObject({ period: '2025/26', asAt: '2026-03-31', status: 'draft' });
    const v = await call<ReturnView>(t.ctx, 'returns/show', { id: built.id, version: 'exact' });
    expect(v.content.marking).toBe(EXACT_MARKING);
    expect(v.content.about).toMatchObject({
      odsCode: 'RX1',
      period: '2025/26',
      periodStart: '2025-04-01',
      asAt: '2026-03-31',
    });
    expect(v.content.about.imports).toEqual([expect.objectContaining({ kind: 'staff', fileName: 'march.csv' })]);

    const inPost = t.store.db
      .prepare(
        `SELECT count(DISTINCT person_id) FROM assignment WHERE start_date <= '2026-03-31' AND (end_date IS NULL OR end_date >= '2026-03-31')`,
      )
      .pluck()
      .get() as number;
    const b1 = table(v, 'B1');
    expect(cell(b1, TOTAL, TOTAL)).toBe(inPost);
    for (const id of ['B1', 'B2', 'D1', 'F1', 'F2', 'F3', 'F4']) {
      const tb = table(v, id);
      const rows = tb.rows.filter((r) => r.key !== TOTAL);
      const cols = tb.columns.filter((c) => c.key !== TOTAL);
      for (const r of rows)
        expect(
          cols.reduce((a, c) => a + cell(tb, r.key, c.key), 0),
          `${id} row ${r.key}`,
        ).toBe(cell(tb, r.key, TOTAL));
      for (const c of cols)
        expect(
          rows.reduce((a, r) => a + cell(tb, r.key, c.key), 0),
          `${id} column ${c.key}`,
        ).toBe(cell(tb, TOTAL, c.key));
      // Every table of people in post shares B1's stage totals and grand total.
      for (const r of [...rows, { key: TOTAL }]) expect(cell(tb, r.key, TOTAL)).toBe(cell(b1, r.key, TOTAL));
    }

    // The picture's definitions: the same headcount, FTE, starters and leavers over the year.
    const m = await call<WorkforceMetrics>(t.ctx, 'picture/metrics', { from: '2025-04-01', to: '2026-03-31' });
    expect(cell(b1, TOTAL, TOTAL)).toBe(m.headcountEnd);
    expect(cell(b1, TOTAL, TOTAL, 'fte')).toBeCloseTo(m.fteEnd, 2);
    expect(cell(table(v, 'E1'), TOTAL, 'start')).toBe(m.headcountStart);
    expect(cell(table(v, 'E2'), TOTAL, 'starters')).toBe(m.starters);
    expect(cell(table(v, 'E3'), TOTAL, 'leavers')).toBe(m.leavers);
    expect(cell(table(v, 'E4'), TOTAL, 'leaver-rate', 'percent')).toBe(m.leaverRate);
    expect(cell(table(v, 'E4'), TOTAL, 'stability-index', 'percent')).toBe(m.stabilityIndex);

    // The person with two posts counts once, in band 3 (30 hours), not band 7 (7.5 hours); their FTE goes with them.
    const b2 = table(v, 'B2');
    expect(b2.columns.map((c) => c.key)).toContain('7');
    expect(cell(b2, TOTAL, '7')).toBe(0);
    expect(cell(b2, TOTAL, '7', 'fte')).toBe(0);

    // Nothing about a single person: no pseudonyms or staff references anywhere in the content.
    const text = JSON.stringify(v.content);
    const pseudo = t.store.db.prepare('SELECT pseudo_id FROM person LIMIT 5').pluck().all() as string[];
    for (const p of pseudo) expect(text).not.toContain(p);
    expect(text).not.toContain('19999999');
  });

  it('the publication version hides small counts and what rests on them; money is never hidden', async () => {
    const t = await store();
    await call(t.ctx, 'settings/demo-load', { staff: 300 });
    const built = await call<BuildResult>(t.ctx, 'returns/build', { period: '2025/26' });
    const pub = await call<ReturnView>(t.ctx, 'returns/show', { id: built.id, version: 'publication' });
    const exact = await call<ReturnView>(t.ctx, 'returns/show', { id: built.id, version: 'exact' });
    expect(pub.content.marking).toBeNull();
    let hidden = 0;
    for (const tb of pub.content.tables) {
      const ex = exact.content.tables.find((x) => x.id === tb.id)!;
      tb.cells.forEach((c, i) => {
        const e = ex.cells[i]!;
        if (c.status === 'suppressed-primary' || c.status === 'suppressed-secondary') {
          hidden++;
          expect(c.value).toBeNull();
          expect(tb.protected).toBe(true);
        } else if (c.status === 'exact') expect(c.value).toBe(e.value);
        if (tb.protected && c.status === 'exact' && c.measure === 'headcount' && c.row !== TOTAL)
          expect(e.value === 0 || e.value! > 7).toBe(true);
      });
      if (tb.section === 'G') expect(tb.cells.every((c) => c.status === 'exact')).toBe(true);
      // A hidden count's FTE is hidden too.
      for (const c of tb.cells.filter((x) => x.measure === 'fte' && x.row !== TOTAL)) {
        const count = tb.cells.find((x) => x.row === c.row && x.column === c.column && x.measure === 'headcount');
        if (count && count.value === null) expect(c.value).toBeNull();
      }
    }
    expect(hidden).toBeGreaterThan(0);
    expect(
      exact.content.tables.flatMap((x) => x.cells).every((c) => c.status === 'exact' || c.status === 'not-applicable'),
    ).toBe(true);
  });
});

describe('returns: checks, sign-off and keeping', () => {
  it('errors block sign-off: no ODS code, nobody in post', async () => {
    const t = await store();
    const built = await call<BuildResult>(t.ctx, 'returns/build', { period: '2025/26-Q2' });
    expect(built.asAt).toBe('2025-09-30');
    expect(built.errors.map((e) => e.code)).toEqual(expect.arrayContaining(['no-ods-code', 'no-staff']));
    const r = await refused(t.ctx, 'returns/sign', {
      id: built.id,
      name: 'A Lead',
      role: 'AHP lead',
      acceptWarnings: 'ok',
    });
    expect(r.code).toBe('conflict');
    expect(r.message).toMatch(/ODS code/);
    expect((await call<ReturnView>(t.ctx, 'returns/show', { id: built.id })).status).toBe('draft');
    expect(await refused(t.ctx, 'returns/build', { period: '2025/26-Q5' })).toMatchObject({ code: 'invalid-input' });
    expect(await refused(t.ctx, 'returns/build', { period: '2025/26', asAt: '2024-01-01' })).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('must be in 2025/26'),
    });
  });

  it('warnings need a reason; sign-off freezes the return; a later import leaves the snapshot alone', async () => {
    const t = await store();
    await pairTrust(t);
    const built = await call<BuildResult>(t.ctx, 'returns/build', { period: '2025/26' });
    expect(built.errors).toEqual([]);
    expect(built.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['readiness-empty', 'threshold-lowered']));
    const noReason = await refused(t.ctx, 'returns/sign', { id: built.id, name: 'A Lead', role: 'AHP lead' });
    expect(noReason.message).toMatch(/warnings to accept with a reason/);

    const saved = await call<ReturnView>(t.ctx, 'returns/readiness-save', { id: built.id, readiness: READY });
    expect(saved.checks.warnings.map((w) => w.code)).not.toContain('readiness-empty');
    expect(saved.content.readiness[1]).toMatchObject({
      requirement: 'map',
      rag: 'amber',
      nextActions: [{ owner: 'Lead' }],
    });
    const checked = await call<ReturnView>(t.ctx, 'returns/check', {
      id: built.id,
      acceptWarnings: 'Agreed with the ICS',
    });
    expect(checked.status).toBe('checked');

    const signed = await call<ReturnView>(t.ctx, 'returns/sign', { id: built.id, name: 'A Lead', role: 'AHP lead' });
    expect(signed).toMatchObject({
      status: 'signed-off',
      signOff: { name: 'A Lead', role: 'AHP lead', user: 'test-user' },
    });
    expect(signed.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(signed.previousHash).toBeNull();
    expect(signed.checks.warningsAccepted).toMatchObject({ reason: 'Agreed with the ICS', by: 'test-user' });
    const before = returnSnapshot(t.store.db, built.id, 'exact');
    expect(cell(table(signed, 'B1'), TOTAL, TOTAL)).toBe(2);

    await importExtract(t, 40, 3, 'april.csv');
    const after = returnSnapshot(t.store.db, built.id, 'exact');
    expect(after).toEqual(before);
    expect(JSON.stringify(after.content)).not.toContain('april.csv');
    // A signed-off return cannot change: not its readiness, not a rebuild, not a deletion.
    expect(await refused(t.ctx, 'returns/readiness-save', { id: built.id, readiness: [] })).toMatchObject({
      code: 'conflict',
    });
    expect(await refused(t.ctx, 'returns/rebuild', { id: built.id })).toMatchObject({ code: 'conflict' });
    expect(await refused(t.ctx, 'returns/delete', { id: built.id })).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('only superseded'),
    });
    expect(() => t.store.db.prepare('DELETE FROM data_return WHERE id = ?').run(built.id)).toThrow(/cannot be deleted/);
    expect(() => t.store.db.prepare(`UPDATE data_return SET content_json = '{}' WHERE id = ?`).run(built.id)).toThrow(
      /cannot be changed/,
    );

    const sent = await call<ReturnView>(t.ctx, 'returns/sent', { id: built.id, sentOn: '2026-04-15' });
    expect(sent).toMatchObject({ status: 'sent', sentOn: '2026-04-15' });
    expect(returnSnapshot(t.store.db, built.id, 'exact').hash).toBe(before.hash);
  });

  it('a draft can be deleted; exports refuse a draft', async () => {
    const t = await store();
    await pairTrust(t);
    const built = await call<BuildResult>(t.ctx, 'returns/build', { period: '2025/26' });
    expect(() => returnSnapshot(t.store.db, built.id, 'publication')).toThrow(/not signed off/);
    expect(await call(t.ctx, 'returns/delete', { id: built.id })).toEqual({ id: built.id });
    expect((await call<{ returns: ReturnSummary[] }>(t.ctx, 'returns/list', {})).returns).toEqual([]);
    expect(await refused(t.ctx, 'returns/show', { id: built.id })).toMatchObject({ code: 'not-found' });
  });

  it('each hash covers the previous one; a rewritten snapshot breaks the chain', async () => {
    const t = await store();
    await pairTrust(t);
    const sign = async (period: string) => {
      const b = await call<BuildResult>(t.ctx, 'returns/build', { period });
      await call(t.ctx, 'returns/readiness-save', { id: b.id, readiness: READY });
      return call<ReturnView>(t.ctx, 'returns/sign', {
        id: b.id,
        name: 'A Lead',
        role: 'AHP lead',
        acceptWarnings: 'Threshold agreed',
      });
    };
    const q1 = await sign('2025/26-Q1');
    const q2 = await sign('2025/26-Q2');
    expect(q2.previousHash).toBe(q1.hash);
    expect(await call<ChainCheck>(t.ctx, 'returns/verify', {})).toMatchObject({
      ok: true,
      returns: [{ id: q1.id }, { id: q2.id }],
    });

    // Someone edits the file behind the app's back (the trigger would stop the app itself).
    const db = t.store.db;
    db.exec('DROP TRIGGER data_return_frozen');
    const snapshot = db.prepare('SELECT snapshot_json FROM data_return WHERE id = ?').pluck().get(q1.id) as string;
    db.prepare('UPDATE data_return SET snapshot_json = ? WHERE id = ?').run(
      snapshot.replace('"value":2', '"value":3'),
      q1.id,
    );
    const chain = await call<ChainCheck>(t.ctx, 'returns/verify', {});
    expect(chain.ok).toBe(false);
    expect(chain.returns.find((r) => r.id === q1.id)!.ok).toBe(false);
    expect(chain.message).toMatch(new RegExp(`broken at return ${q1.id}`));
  });

  it('a correction is a new version with a reason, compared cell by cell; it supersedes the first once signed', async () => {
    const t = await store();
    const role = await pairTrust(t);
    const first = await call<BuildResult>(t.ctx, 'returns/build', { period: '2025/26' });
    await call(t.ctx, 'returns/readiness-save', { id: first.id, readiness: READY });
    await call(t.ctx, 'returns/sign', {
      id: first.id,
      name: 'A Lead',
      role: 'AHP lead',
      acceptWarnings: 'Threshold agreed',
    });

    const again = await refused(t.ctx, 'returns/build', { period: '2025/26' });
    expect(again).toMatchObject({ code: 'conflict', message: expect.stringContaining('already signed off') });

    // Two more people were missing from the first return.
    for (let i = 0; i < 2; i++)
      await call(t.ctx, 'workforce/person-save', {
        sex: 'F',
        ethnicCategory: 'A',
        disability: 'no',
        yearOfBirth: 1980,
        assignments: [
          {
            roleId: role.id,
            serviceId: role.serviceId,
            contractedHours: 37.5,
            startDate: '2020-01-01',
            endDate: null,
            leavingReason: null,
          },
        ],
      });
    const correction = await call<BuildResult>(t.ctx, 'returns/build', {
      period: '2025/26',
      correctionReason: 'Two staff were missing from the extract',
    });
    const view = await call<ReturnView>(t.ctx, 'returns/show', { id: correction.id });
    expect(view).toMatchObject({
      version: 2,
      supersedesId: first.id,
      correctionReason: 'Two staff were missing from the extract',
    });
    // The readiness text typed for the first version comes with the correction, to edit rather than retype.
    expect(view.readiness).toEqual((await call<ReturnView>(t.ctx, 'returns/show', { id: first.id })).readiness);
    expect(view.readiness.length).toBeGreaterThan(0);
    expect(await refused(t.ctx, 'returns/build', { period: '2025/26', correctionReason: 'again' })).toMatchObject({
      message: expect.stringContaining('already has a draft'),
    });

    const diff = await call<ReturnDiff>(t.ctx, 'returns/diff', { fromId: first.id, toId: correction.id });
    const grand = diff.cells.find(
      (c) => c.table === 'B1' && c.row === TOTAL && c.column === TOTAL && c.measure === 'headcount',
    );
    expect(grand).toMatchObject({ before: { value: 2, status: 'exact' }, after: { value: 4, status: 'exact' } });
    expect(diff.cells.every((c) => c.before?.value !== c.after?.value || c.before?.status !== c.after?.status)).toBe(
      true,
    );
    expect(diff.unchangedCells).toBeGreaterThan(0);

    await call(t.ctx, 'returns/readiness-save', { id: correction.id, readiness: READY });
    await call(t.ctx, 'returns/sign', {
      id: correction.id,
      name: 'A Lead',
      role: 'AHP lead',
      acceptWarnings: 'Threshold agreed',
    });
    const list = (await call<{ returns: ReturnSummary[] }>(t.ctx, 'returns/list', {})).returns;
    expect(list.find((r) => r.id === first.id)).toMatchObject({ supersededById: correction.id, status: 'signed-off' });
    expect(list.find((r) => r.id === correction.id)).toMatchObject({ supersededById: null, version: 2 });
  });

  it('the organisation is a trust unless set as an ICS, and saving it without a kind keeps the kind', async () => {
    const t = await store();
    expect(await call(t.ctx, 'settings/organisation-save', ORG)).toMatchObject({ kind: 'trust' });
    expect(await call(t.ctx, 'settings/organisation-save', { ...ORG, kind: 'ics' })).toMatchObject({ kind: 'ics' });
    expect(await call(t.ctx, 'settings/organisation-save', { ...ORG, name: 'Renamed' })).toMatchObject({
      name: 'Renamed',
      kind: 'ics',
    });
    expect(await refused(t.ctx, 'settings/organisation-save', { ...ORG, kind: 'ccg' })).toMatchObject({
      code: 'invalid-input',
    });
  });

  it('the threshold is a setting; lowering it warns', async () => {
    const t = await store();
    expect(await call(t.ctx, 'returns/settings', {})).toEqual({ threshold: 7 });
    expect(await call(t.ctx, 'returns/settings-save', { threshold: 5 })).toMatchObject({
      threshold: 5,
      warning: expect.stringContaining('below 7'),
    });
    expect(await call(t.ctx, 'returns/settings-save', { threshold: 10 })).toEqual({ threshold: 10, warning: null });
    expect(await refused(t.ctx, 'returns/settings-save', { threshold: 0 })).toMatchObject({ code: 'invalid-input' });
  });
});
