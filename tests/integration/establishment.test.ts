import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/router';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract';
import type { Result } from '../../shared/common/api';
import { ESTABLISHMENT_HEADERS, establishmentReport, smallStaffExtract } from '../fixtures/establishment';
import { FIXED_NOW, sendBytes, tempStore, type TempStore } from './helpers';

/**
 * The establishment import (issue 11, item 4), on a small trust (tests/fixtures/establishment.ts): 3.0 FTE in post
 * as Physiotherapy Assistants in MSK Physio, 1.5 FTE as Therapy Support Workers in Community Therapy.
 */

let t: TempStore;

async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await dispatch(t.ctx, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value;
}
async function attempt<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
  return dispatch(t.ctx, channel, input);
}

async function send(text: string, name = 'establishment.csv') {
  const uploadId = await sendBytes(t.ctx, name, text, 'establishment');
  const inspected = await call('establishment/inspect', { uploadId });
  return { uploadId, mapping: inspected.guessedMapping, inspected };
}

/** Everything an establishment import may write, to show that a refused one wrote nothing. */
function snapshot() {
  const db = t.store.db;
  return {
    posts: db.prepare('SELECT * FROM post ORDER BY id').all(),
    roles: db.prepare('SELECT * FROM role ORDER BY id').all(),
    services: db.prepare('SELECT * FROM service ORDER BY id').all(),
    aliases: db.prepare('SELECT * FROM role_alias ORDER BY title_key').all(),
    batches: db.prepare('SELECT count(*) FROM import_batch').pluck().get(),
    profiles: db.prepare('SELECT * FROM import_profile ORDER BY id').all(),
    staff: db.prepare('SELECT * FROM assignment ORDER BY id').all(),
    audit: db.prepare('SELECT count(*) FROM audit').pluck().get(),
  };
}

const postOf = (title: string, service: string) =>
  t.store.db
    .prepare(
      `SELECT p.id, p.establishment_fte_centi AS centi, p.budget_pence AS budget FROM post p JOIN role r ON r.id = p.role_id
       JOIN service s ON s.id = p.service_id WHERE r.title = ? AND s.name = ?`,
    )
    .get(title, service) as { id: number; centi: number; budget: number | null } | undefined;

beforeEach(async () => {
  t = await tempStore();
  const uploadId = await sendBytes(t.ctx, 'staff.csv', smallStaffExtract(), 'staff-extract');
  const inspected = await call('import/inspect', { uploadId });
  await call('import/commit', { uploadId, mapping: inspected.guessedMapping, extractDate: '2026-03-31' });
});
afterEach(() => t.cleanup());

describe('establishment import', () => {
  it('previews what the commit then does: same counts, lines for one post added up, vacancy before and after', async () => {
    const before = snapshot();
    const file = await send(establishmentReport());
    expect(file.inspected).toMatchObject({ format: 'csv', alreadyImported: null });
    expect(file.mapping).toEqual({ costCentre: 0, service: 1, title: 2, band: 3, wte: 4, budget: 5 });
    const preview = await call('establishment/preview', { uploadId: file.uploadId, mapping: file.mapping });
    expect(snapshot()).toEqual(before);
    // Lines 2-3 are one post (3.50 WTE), line 4 another (2.00); lines 5 and 6 match nothing.
    expect(preview).toMatchObject({
      linesRead: 5,
      matched: 3,
      unmatched: 2,
      rejected: 0,
      changed: 2,
      unchanged: 0,
      created: 0,
      combined: 1,
      rolesCreated: 0,
      servicesCreated: 0,
      vacancyBefore: { establishmentFte: 0, inPostFte: 0, vacancyFte: null },
      // 3.50 + 2.00 = 5.50 funded against 3.0 + 1.5 = 4.5 in post.
      vacancyAfter: { establishmentFte: 5.5, inPostFte: 4.5, vacancyFte: 1 },
    });
    expect(preview.unmatchedServices).toEqual([{ text: 'CC103', detail: 'Acute Therapies', lines: 1, firstLine: 5 }]);
    expect(preview.unmatchedRoles).toEqual([
      { title: 'Rehab Assistant', band: '3', lines: 1, firstLine: 5 },
      { title: 'Physio Helper', band: '3', lines: 1, firstLine: 6 },
    ]);
    expect(preview.changes).toContainEqual({
      role: 'Physiotherapy Assistant',
      band: '3',
      service: 'MSK Physio',
      lines: 2,
      beforeFte: 0,
      afterFte: 3.5,
      beforeBudgetPence: null,
      afterBudgetPence: 8_750_000,
    });

    // Unmatched lines are not imported until the lead matches them or chooses to leave them out.
    const refused = await attempt('establishment/commit', { uploadId: file.uploadId, mapping: file.mapping });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!refused.ok && refused.error.message).toMatch(/2 line\(s\) of establishment\.csv match no role or service/);
    expect(!refused.ok && refused.error.details).toMatchObject({
      'line 5, service': '"CC103" matches no service (1 line(s))',
      'line 6, role': '"Physio Helper" band 3 matches no role (1 line(s))',
    });
    expect(snapshot()).toEqual(before);

    const committed = await call('establishment/commit', {
      uploadId: file.uploadId,
      mapping: file.mapping,
      leaveUnmatched: true,
    });
    const { batch, ...counts } = committed;
    expect(counts).toEqual(preview);
    expect(batch).toMatchObject({ linesRead: 5, changed: 2, created: 0, unmatched: 2, undoBlockedBy: null });
    expect(postOf('Physiotherapy Assistant', 'MSK Physio')).toMatchObject({ centi: 350, budget: 8_750_000 });
    expect(postOf('Therapy Support Worker', 'Community Therapy')).toMatchObject({ centi: 200, budget: 6_000_000 });
    // Staff are never touched.
    expect(snapshot().staff).toEqual(before.staff);

    const summary = await call('workforce/summary', { asAt: '2026-03-31' });
    expect(summary).toMatchObject({ establishmentFte: 5.5, vacancyFte: 1 });
    expect(summary.byService.find((s) => s.title === 'MSK Physio')).toMatchObject({
      establishmentFte: 3.5,
      vacancyFte: 0.5,
    });
    expect(summary.byRole.find((r) => r.title.startsWith('Therapy Support Worker'))).toMatchObject({ vacancyFte: 0.5 });
    expect(summary.byPost).toHaveLength(2);
  });

  it('matches unmatched lines as the lead chooses, creates what they ask for, and remembers the choices', async () => {
    const file = await send(establishmentReport());
    const roleId = (
      t.store.db.prepare(`SELECT id FROM role WHERE title = 'Physiotherapy Assistant'`).get() as { id: number }
    ).id;
    const choices = {
      serviceChoices: [{ text: 'CC103', create: { name: 'Acute Therapies', costCentre: 'CC103' } }],
      roleChoices: [
        { title: 'Rehab Assistant', band: '3' as const, create: { profession: 'PHY' } },
        { title: 'Physio Helper', band: '3' as const, roleId },
      ],
    };
    const committed = await call('establishment/commit', {
      uploadId: file.uploadId,
      mapping: file.mapping,
      profileName: 'Finance establishment',
      ...choices,
    });
    expect(committed).toMatchObject({
      matched: 5,
      unmatched: 0,
      changed: 2,
      created: 1,
      rolesCreated: 1,
      servicesCreated: 1,
    });
    // Physio Helper lands in the Physiotherapy Assistant post: 2.00 + 1.50 + 0.50 = 4.00 WTE.
    expect(postOf('Physiotherapy Assistant', 'MSK Physio')).toMatchObject({ centi: 400, budget: 9_950_000 });
    expect(postOf('Rehab Assistant', 'Acute Therapies')).toMatchObject({ centi: 100, budget: 2_500_000 });
    expect(
      t.store.db
        .prepare(`SELECT role_id FROM role_alias WHERE title_key = 'physio helper' AND band = '3'`)
        .pluck()
        .get(),
    ).toBe(roleId);

    // Next year's report, read with the profile, matches without asking (the new service also by its cost centre).
    const next = await send(
      establishmentReport([
        ['CC101', 'MSK Physio', 'Physio Helper', 'Band 3', '1.0', ''],
        ['CC103', 'Acute Therapies', 'Rehab Assistant', 'Band 3', '2.0', ''],
      ]),
      'next-year.csv',
    );
    expect(next.inspected.profiles).toMatchObject([{ name: 'Finance establishment', fits: true }]);
    const preview = await call('establishment/preview', {
      uploadId: next.uploadId,
      mapping: next.mapping,
      profileName: 'Finance establishment',
    });
    expect(preview).toMatchObject({ matched: 2, unmatched: 0, changed: 2 });
  });

  it('remembers a service matched by hand in the profile, for a cost centre no service carries', async () => {
    const serviceId = t.store.db
      .prepare(`SELECT id FROM service WHERE name = 'Community Therapy'`)
      .pluck()
      .get() as number;
    const rows = [['CC900', 'Community Rehab', 'Therapy Support Worker', 'Band 4', '3', '']];
    const first = await send(establishmentReport(rows), 'a.csv');
    await call('establishment/commit', {
      uploadId: first.uploadId,
      mapping: first.mapping,
      profileName: 'Finance',
      serviceChoices: [{ text: 'CC900', serviceId }],
    });
    expect(postOf('Therapy Support Worker', 'Community Therapy')).toMatchObject({ centi: 300 });
    const profiles = await call('establishment/profiles', {});
    expect(profiles).toMatchObject([{ name: 'Finance', serviceMatches: [{ text: 'CC900', serviceId }] }]);
    // The staff import's profiles are its own.
    expect(await call('import/profiles', {})).toEqual([]);
    const again = await send(establishmentReport([['cc900 ', 'x', 'Therapy Support Worker', '4', '2.5', '']]), 'b.csv');
    const preview = await call('establishment/preview', {
      uploadId: again.uploadId,
      mapping: again.mapping,
      profileName: 'Finance',
    });
    expect(preview).toMatchObject({ matched: 1, unmatched: 0, changed: 1 });
    const without = await call('establishment/preview', { uploadId: again.uploadId, mapping: again.mapping });
    expect(without).toMatchObject({ matched: 0, unmatched: 1 });
  });

  it('reads an Excel report, with WTE and budgets as numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Establishment 2026-27');
    sheet.addRow([...ESTABLISHMENT_HEADERS]);
    sheet.addRow(['CC101', 'MSK Physio', 'Physiotherapy Assistant', 'Band 3', 3.25, 81250.5]);
    sheet.addRow(['CC102', 'Community Therapy', 'Therapy Support Worker', 4, 1.5, 45000]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const uploadId = await sendBytes(t.ctx, 'establishment.xlsx', bytes, 'establishment');
    const inspected = await call('establishment/inspect', { uploadId });
    expect(inspected.format).toBe('xlsx');
    const committed = await call('establishment/commit', { uploadId, mapping: inspected.guessedMapping });
    expect(committed).toMatchObject({ linesRead: 2, matched: 2, changed: 2 });
    expect(postOf('Physiotherapy Assistant', 'MSK Physio')).toMatchObject({ centi: 325, budget: 8_125_050 });
    expect(postOf('Therapy Support Worker', 'Community Therapy')).toMatchObject({ centi: 150, budget: 4_500_000 });
  });

  it('undo puts back the establishments exactly and removes what the import created', async () => {
    // The lead had set one establishment by hand before.
    const msk = postOf('Physiotherapy Assistant', 'MSK Physio')!;
    const role = t.store.db.prepare('SELECT role_id FROM post WHERE id = ?').pluck().get(msk.id) as number;
    const serviceId = t.store.db.prepare('SELECT service_id FROM post WHERE id = ?').pluck().get(msk.id) as number;
    await call('workforce/post-save', { roleId: role, serviceId, establishmentFte: 2.75, budgetPence: 1_234_500 });
    const before = snapshot();
    const file = await send(establishmentReport());
    const committed = await call('establishment/commit', {
      uploadId: file.uploadId,
      mapping: file.mapping,
      serviceChoices: [{ text: 'CC103', create: { name: 'Acute Therapies', costCentre: 'CC103' } }],
      roleChoices: [
        { title: 'Rehab Assistant', band: '3', create: { profession: 'PHY' } },
        { title: 'Physio Helper', band: '3', roleId: role },
      ],
    });
    expect(postOf('Physiotherapy Assistant', 'MSK Physio')).toMatchObject({ centi: 400 });
    const undone = await call('establishment/undo', { id: committed.batch.id });
    expect(undone.undoneAt).toBe(FIXED_NOW.toISOString());
    const after = snapshot();
    expect(after.posts).toEqual(before.posts);
    expect(after.roles).toEqual(before.roles);
    expect(after.services).toEqual(before.services);
    expect(after.aliases).toEqual(before.aliases);
    expect(postOf('Physiotherapy Assistant', 'MSK Physio')).toMatchObject({ centi: 275, budget: 1_234_500 });
    const again = await attempt('establishment/undo', { id: committed.batch.id });
    expect(!again.ok && again.error.message).toMatch(/was already undone/);
    expect(await call('establishment/batches', {})).toMatchObject([
      { id: committed.batch.id, undoBlockedBy: 'This import has already been undone.' },
    ]);
    // The staff import's list does not show establishment imports.
    expect((await call('import/batches', {})).map((b) => b.id)).not.toContain(committed.batch.id);
  });

  it('undo keeps a role it created that the lead has renamed since (without the establishment it was given)', async () => {
    const file = await send(establishmentReport());
    const committed = await call('establishment/commit', {
      uploadId: file.uploadId,
      mapping: file.mapping,
      leaveUnmatched: true,
      roleChoices: [{ title: 'Physio Helper', band: '3', create: { profession: 'PHY' } }],
    });
    expect(committed.rolesCreated).toBe(1);
    const role = t.store.db.prepare(`SELECT id FROM role WHERE title = 'Physio Helper'`).pluck().get() as number;
    await call('workforce/role-save', { id: role, title: 'Physiotherapy Helper', band: '3', profession: 'PHY' });
    await call('establishment/undo', { id: committed.batch.id });
    expect(t.store.db.prepare('SELECT title FROM role WHERE id = ?').pluck().get(role)).toBe('Physiotherapy Helper');
    expect(t.store.db.prepare('SELECT count(*) FROM post WHERE role_id = ?').pluck().get(role)).toBe(0);
  });

  it('refuses undo after a post line was changed by hand, or by a later import, saying which', async () => {
    const first = await send(establishmentReport(), 'first.csv');
    const one = await call('establishment/commit', {
      uploadId: first.uploadId,
      mapping: first.mapping,
      leaveUnmatched: true,
    });
    const second = await send(
      establishmentReport([['CC101', 'MSK Physio', 'Physiotherapy Assistant', 'Band 3', '4', '']]),
      'second.csv',
    );
    const two = await call('establishment/commit', { uploadId: second.uploadId, mapping: second.mapping });
    const blocked = await attempt('establishment/undo', { id: one.batch.id });
    expect(!blocked.ok && blocked.error.message).toMatch(
      new RegExp(
        `Import ${two.batch.id} \\(second\\.csv, .*\\) changed some of the same establishments afterwards\\. Undo import ${two.batch.id} first`,
      ),
    );
    await call('establishment/undo', { id: two.batch.id });
    expect(postOf('Physiotherapy Assistant', 'MSK Physio')).toMatchObject({ centi: 350 });

    const msk = postOf('Physiotherapy Assistant', 'MSK Physio')!;
    const ids = t.store.db.prepare('SELECT role_id, service_id FROM post WHERE id = ?').raw().get(msk.id) as [
      number,
      number,
    ];
    await call('workforce/post-save', { roleId: ids[0], serviceId: ids[1], establishmentFte: 5 });
    const batch = (await call('establishment/batches', {})).find((b) => b.id === one.batch.id);
    expect(batch!.undoBlockedBy).toBe(
      'One post line it set has been changed by hand since (for example Physiotherapy Assistant in MSK Physio). Undoing would lose that change, so it is not offered.',
    );
    const byHand = await attempt('establishment/undo', { id: one.batch.id });
    expect(byHand).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(postOf('Physiotherapy Assistant', 'MSK Physio')).toMatchObject({ centi: 500 });
  });
});

describe('bad establishment input: a clear message, nothing written', () => {
  async function refusedWith(text: string | Buffer, pattern: RegExp, name = 'report.csv') {
    const before = snapshot();
    const uploadId = await sendBytes(t.ctx, name, text, 'establishment');
    const inspected = await attempt('establishment/inspect', { uploadId });
    let message: string;
    if (!inspected.ok) message = inspected.error.message;
    else {
      const result = await attempt('establishment/commit', { uploadId, mapping: inspected.value.guessedMapping });
      expect(result.ok).toBe(false);
      message = result.ok ? '' : `${result.error.message} ${JSON.stringify(result.error.details ?? {})}`;
    }
    expect(message).toMatch(pattern);
    expect(snapshot()).toEqual(before);
  }

  it('an empty file', () => refusedWith('', /report\.csv: .*empty.*Nothing has been changed/i));
  it('a header with no lines', () =>
    refusedWith(
      'Cost Centre,Service,Job Title,Band,Funded WTE\r\n',
      /report\.csv: .*(header|no data|no rows).*Nothing has been changed/i,
    ));
  it('a required column missing, named', () =>
    refusedWith(
      'Service,Job Title,Band\r\nMSK Physio,Physiotherapy Assistant,3\r\n',
      /choose the column that holds Funded WTE\. Nothing has been changed/,
    ));
  it('a negative WTE, by line and column', () =>
    refusedWith(
      establishmentReport([['CC101', 'MSK Physio', 'Physiotherapy Assistant', 'Band 3', '-1.0', '']]),
      /1 line\(s\) of report\.csv have problems.*"line 2, Funded WTE":"Funded WTE cannot be negative \(-1\.0\)"/,
    ));
  it('a WTE that is not a number', () =>
    refusedWith(
      establishmentReport([['CC101', 'MSK Physio', 'Physiotherapy Assistant', 'Band 3', 'two', '']]),
      /"line 2, Funded WTE":"\\"two\\" is not a number of WTE"/,
    ));
  it('an unknown band', () =>
    refusedWith(
      establishmentReport([['CC101', 'MSK Physio', 'Physiotherapy Assistant', 'Band 12', '1', '']]),
      /"line 2, Band":"\\"Band 12\\" is not an Agenda for Change band/,
    ));
  it('the same file twice, unless the lead confirms', async () => {
    const first = await send(establishmentReport(), 'march.csv');
    const one = await call('establishment/commit', {
      uploadId: first.uploadId,
      mapping: first.mapping,
      leaveUnmatched: true,
    });
    const before = snapshot();
    const again = await send(establishmentReport(), 'march-copy.csv');
    expect(again.inspected.alreadyImported).toMatchObject({
      batchId: one.batch.id,
      fileName: 'march.csv',
      undoneAt: null,
    });
    const refused = await attempt('establishment/commit', {
      uploadId: again.uploadId,
      mapping: again.mapping,
      leaveUnmatched: true,
    });
    expect(!refused.ok && refused.error.message).toMatch(
      /^This exact file \(same SHA-256\) has already been imported, as import \d+ \(march\.csv, .*\)\..* Confirm that you want to import it again\. Nothing has been changed\.$/,
    );
    expect(snapshot()).toEqual(before);
    const confirmed = await call('establishment/commit', {
      uploadId: again.uploadId,
      mapping: again.mapping,
      leaveUnmatched: true,
      importAgain: true,
    });
    expect(confirmed).toMatchObject({ changed: 0, unchanged: 2 });
  });
});
