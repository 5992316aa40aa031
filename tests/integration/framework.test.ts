import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/common/api';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract';
import { dispatch } from '../../electron/router';
import { SMALL_COUNTS_NOTE } from '../../electron/services/common/export-table';
import { trainingCommands } from '../../electron/services/training/commands';
import type { CliArgs } from '../../electron/transports/cli-command';
import { sendBytes, tempStore, type TempStore } from './helpers';

let t: TempStore;
beforeEach(async () => {
  t = await tempStore();
});
afterEach(() => t.cleanup());

async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const r = await dispatch(t.ctx, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message} ${JSON.stringify(r.error.details ?? {})}`);
  return r.value as ChannelOutput<C>;
}
async function fail(channel: Channel, input: unknown): Promise<ApiError> {
  const r = await dispatch(t.ctx, channel, input);
  if (r.ok) throw new Error(`${channel} should have failed`);
  return r.error;
}
const db = () => t.store.db;
const count = (table: string) => db().prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
/** Everything a framework write could touch, as one string: equal before and after means nothing changed. */
const snapshot = () =>
  JSON.stringify(
    [
      'framework_version',
      'role_mapping',
      'domain_assessment',
      'tna_item',
      'tna_setting',
      'pathway',
      'pathway_step',
      'qualification',
      'role',
      'audit',
    ].map((table) => db().prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()),
  );
/** A descriptor template sent through the common upload; answers its upload reference. */
const templateUpload = (bytes: string | Buffer, fileName = 'descriptors.csv') =>
  sendBytes(t.ctx, fileName, bytes, 'descriptors');

/**
 * A small theatre trust, worked by hand:
 *   roles: A Theatre support worker (S9T, band 2), B Senior theatre support worker (S9T, band 3), C Theatre assistant practitioner (S5T, band 4)
 *   P1 in A: RQF 2 + FS English 2 + FS maths 2 (+ RQF 3 diploma enrolled)  -> entry: meets; intermediate: partly (level 3 in progress)
 *   P2 in A: nothing recorded                                               -> unknown
 *   P3 in B: ST0217 enrolled                                                -> intermediate: partly (apprenticeship in progress)
 *   P4 in B: FS English level 1 only                                        -> intermediate: does not meet (routes ST0217, functional skills)
 *   P5 in C: foundation degree + FS English 2 + FS maths 2 + Care Certificate (15) -> AP: meets
 */
async function theatreTrust() {
  await call('settings/organisation-save', {
    name: 'Test Trust',
    odsCode: 'RX1',
    ics: 'Test ICS',
    ahpFaculty: 'Test Faculty',
  });
  const service = await call('workforce/service-save', { name: 'Theatres', costCentre: null });
  const codes = new Map<number, string>();
  const role = async (title: string, code: string, band: '2' | '3' | '4') => {
    const saved = await call('workforce/role-save', { title, profession: 'ODP', band });
    await call('workforce/post-save', { roleId: saved.id, serviceId: service.id, establishmentFte: 2 });
    codes.set(saved.id, code);
    return saved;
  };
  const a = await role('Theatre support worker', 'S9T', '2');
  const b = await role('Senior theatre support worker', 'S9T', '3');
  const c = await role('Theatre assistant practitioner', 'S5T', '4');
  const person = (roleId: number) =>
    call('workforce/person-save', {
      yearOfBirth: 1990,
      sex: 'F',
      ethnicCategory: 'A',
      disability: 'no',
      assignments: [
        {
          roleId,
          serviceId: service.id,
          occupationCode: codes.get(roleId),
          contractedHours: 37.5,
          startDate: '2020-01-06',
          endDate: null,
          leavingReason: null,
        },
      ],
    });
  const people = [await person(a.id), await person(a.id), await person(b.id), await person(b.id), await person(c.id)];
  const q = (personId: number, qualification: ChannelInput<'training/qualification-save'>['qualification']) =>
    call('training/qualification-save', { personId, qualification });
  const [p1, , p3, p4, p5] = people.map((p) => p.id) as [number, number, number, number, number];
  await q(p1, { kind: 'rqf', level: 2, title: 'GCSE English', status: 'completed' });
  await q(p1, { kind: 'functional-skills-english', level: '2' });
  await q(p1, { kind: 'functional-skills-maths', level: '2' });
  await q(p1, { kind: 'rqf', level: 3, title: 'Diploma in Perioperative Support', status: 'enrolled' });
  await q(p3, {
    kind: 'apprenticeship',
    standard: 'ST0217',
    status: 'enrolled',
    startDate: '2025-09-01',
    endDate: null,
  });
  await q(p4, { kind: 'functional-skills-english', level: '1' });
  await q(p5, { kind: 'foundation-degree', title: 'FdSc Health and Social Care' });
  await q(p5, { kind: 'functional-skills-english', level: '2' });
  await q(p5, { kind: 'functional-skills-maths', level: '2' });
  await q(p5, { kind: 'care-certificate', standardsCompleted: Array.from({ length: 15 }, (_, i) => i + 1) });
  return { a, b, c, people: people.map((p) => p.id) };
}

describe('role mapping', () => {
  it('shows suggestions but never applies them until the lead accepts', async () => {
    const { a, b, c } = await theatreTrust();
    const list = await call('framework/mappings', {});
    expect(list.rows.map((r) => [r.title, r.suggestion?.stage, r.mapping])).toEqual([
      ['Senior theatre support worker', 'intermediate', null],
      ['Theatre assistant practitioner', 'assistant-practitioner', null],
      ['Theatre support worker', 'entry', null],
    ]);
    expect(count('role_mapping')).toBe(0);
    // Reading the list, the variation or the gaps writes no mapping.
    await call('framework/variation', {});
    await call('training/gaps', {});
    expect(count('role_mapping')).toBe(0);

    // Claiming to accept a suggestion for a different stage is refused, and changes nothing.
    const before = snapshot();
    const refused = await fail('framework/mapping-save', {
      roleId: a.id,
      stage: 'intermediate',
      basis: 'accepted-suggestion',
    });
    expect(refused.code).toBe('invalid-input');
    expect(snapshot()).toBe(before);

    const result = await call('framework/mapping-bulk', { action: 'accept-suggestion', roleIds: [a.id, b.id] });
    expect(result).toEqual({ updated: 2, skipped: [] });
    const rows = new Map((await call('framework/mappings', {})).rows.map((r) => [r.roleId, r.mapping]));
    expect(rows.get(a.id)).toMatchObject({
      stage: 'entry',
      status: 'draft',
      stageBasis: 'accepted-suggestion',
      frameworkVersion: 'hee-2021.1',
    });
    expect(rows.get(a.id)?.rationale).toMatch(/^Suggestion accepted: Occupation code S9T/);
    expect(rows.get(c.id)).toBeNull();
    const audit = db()
      .prepare(`SELECT entity_id, action, user FROM audit WHERE entity = 'role mapping' ORDER BY id`)
      .all();
    expect(audit).toEqual([
      { entity_id: String(a.id), action: 'create', user: 'test-user' },
      { entity_id: String(b.id), action: 'create', user: 'test-user' },
    ]);
    // Accepting again skips with a reason rather than writing.
    expect(
      (await call('framework/mapping-bulk', { action: 'accept-suggestion', roleIds: [a.id] })).skipped[0]?.reason,
    ).toMatch(/Already mapped/);
  });

  it('saves stage, rationale and domain assessments as a draft, agrees it with who and when, all audited', async () => {
    const { c } = await theatreTrust();
    const saved = await call('framework/mapping-save', {
      roleId: c.id,
      stage: 'assistant-practitioner',
      rationale: 'Works to protocols, supervises two support workers.',
      assessments: [
        { domain: 1, rating: 'meets', evidence: 'Job description asks for a foundation degree' },
        { domain: 3, rating: 'partly', evidence: null },
      ],
    });
    expect(saved.row.mapping).toMatchObject({
      stage: 'assistant-practitioner',
      status: 'draft',
      stageBasis: 'chosen',
      assessedDomains: 2,
      updatedBy: 'test-user',
    });
    expect(saved.assessments).toEqual([
      { domain: 1, rating: 'meets', evidence: 'Job description asks for a foundation degree' },
      { domain: 3, rating: 'partly', evidence: null },
    ]);
    expect(
      (
        await fail('framework/mapping-save', {
          roleId: c.id,
          stage: 'entry',
          assessments: [{ domain: 9, rating: 'meets' }],
        })
      ).details,
    ).toEqual({
      'assessments.0.domain': 'Unknown domain',
    });

    await call('framework/mapping-bulk', { action: 'agree', roleIds: [c.id] });
    const agreed = await call('framework/mapping', { roleId: c.id });
    expect(agreed.row.mapping).toMatchObject({
      status: 'agreed',
      agreedBy: 'test-user',
      agreedAt: '2026-03-31T10:00:00.000Z',
    });

    // Changing an agreed mapping returns it to draft.
    const changed = await call('framework/mapping-save', {
      roleId: c.id,
      stage: 'intermediate',
      rationale: 'Re-banded',
      assessments: [],
    });
    expect(changed.row.mapping).toMatchObject({ status: 'draft', agreedBy: null, assessedDomains: 0 });
    const trail = db()
      .prepare(`SELECT action, before, after FROM audit WHERE entity = 'role mapping' ORDER BY id`)
      .all() as { action: string; before: string | null; after: string }[];
    expect(trail.map((x) => x.action)).toEqual(['create', 'update', 'update']);
    expect(JSON.parse(trail[2]!.before!)).toMatchObject({ stage: 'assistant-practitioner', status: 'agreed' });
    expect(JSON.parse(trail[2]!.after)).toMatchObject({ stage: 'intermediate', status: 'draft' });
  });

  it('agrees only mappings with a stage, and sets a stage in bulk', async () => {
    const { a, b } = await theatreTrust();
    const r = await call('framework/mapping-bulk', { action: 'agree', roleIds: [a.id] });
    expect(r).toEqual({
      updated: 0,
      skipped: [{ roleId: a.id, title: 'Theatre support worker', reason: 'No stage chosen yet.' }],
    });
    expect(
      await call('framework/mapping-bulk', { action: 'set-stage', roleIds: [a.id, b.id], stage: 'intermediate' }),
    ).toEqual({ updated: 2, skipped: [] });
    expect(db().prepare('SELECT stage, stage_basis FROM role_mapping ORDER BY role_id').all()).toEqual([
      { stage: 'intermediate', stage_basis: 'chosen' },
      { stage: 'intermediate', stage_basis: 'chosen' },
    ]);
    expect((await fail('framework/mapping-bulk', { action: 'set-stage', roleIds: [], stage: 'entry' })).code).toBe(
      'invalid-input',
    );
  });

  it('refuses to delete a role that is mapped, with the reason, until the mapping is removed', async () => {
    const { a } = await theatreTrust();
    const service = (await call('workforce/services', {}))[0]!;
    const spare = await call('workforce/role-save', { title: 'Spare role', profession: 'ODP', band: '2' });
    await call('workforce/post-save', { roleId: spare.id, serviceId: service.id, establishmentFte: 0 });
    await call('framework/mapping-save', { roleId: spare.id, stage: 'entry', rationale: null, assessments: [] });
    const before = snapshot();
    const refused = await fail('workforce/role-delete', { id: spare.id });
    expect(refused).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('it is mapped to the framework'),
    });
    expect(snapshot()).toBe(before);
    // A role with staff is still refused for its staff.
    expect((await fail('workforce/role-delete', { id: a.id })).message).toMatch(/staff assignment/);
    await call('framework/mapping-delete', { roleId: spare.id });
    expect(await call('workforce/role-delete', { id: spare.id })).toEqual({ id: spare.id });
  });
});

describe('variation', () => {
  it('builds the matrix and findings from the mapped stages', async () => {
    const { a, b, c } = await theatreTrust();
    await call('framework/mapping-bulk', { action: 'set-stage', roleIds: [a.id, b.id], stage: 'entry' });
    const v = await call('framework/variation', {});
    expect(v.matrix.cells).toEqual([
      { profession: 'Operating department practice', stage: 'entry', band: '2', count: 1, roleIds: [String(a.id)] },
      { profession: 'Operating department practice', stage: 'entry', band: '3', count: 1, roleIds: [String(b.id)] },
      { profession: 'Operating department practice', stage: 'unmapped', band: '4', count: 1, roleIds: [String(c.id)] },
    ]);
    expect(v.findings.map((f) => f.kind)).toEqual(['stage-band-spread', 'band-not-typical', 'unmapped']);
  });
});

describe('framework versions', () => {
  const problemsCsv = [
    'domain,item,stage,text',
    '2,2.1,entry,Supports service users with everyday activities.',
    '2,2.1,intermediate,Supports service users with a wider range of activities.',
    '2,2.2,entry,Uses agreed plans.',
    '2,2.2,entry,Uses agreed plans again.',
    '2,2.2,intermediate,',
    '2,2.2,assistant-practitioner,Adapts plans.',
    '9,9.1,entry,A domain that does not exist.',
  ].join('\r\n');

  it('refuses a bad descriptor file with every problem listed, and changes nothing', async () => {
    await call('framework/overview', {});
    const before = snapshot();
    const preview = await call('framework/import-preview', { uploadId: await templateUpload(problemsCsv) });
    expect(preview.ok).toBe(false);
    const messages = preview.ok ? [] : preview.problems.map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Item 2\.1 has no row for assistant-practitioner/), // missing stage
        expect.stringMatching(/Item 2\.2 appears more than once for stage entry/), // duplicate item id
        expect.stringMatching(/Item 2\.2, stage intermediate: the text is empty/), // empty text
        expect.stringMatching(/Domain "9" is not one of the framework's domains/), // unknown domain
      ]),
    );
    const refused = await fail('framework/import-adopt', {
      uploadId: await templateUpload(problemsCsv),
      base: 'hee-2021.1',
    });
    expect(refused.code).toBe('invalid-input');
    expect(refused.message).toMatch(/Nothing was changed/);
    expect(Object.keys(refused.details ?? {})).toContain('Row 8');
    expect(snapshot()).toBe(before);
    // A file without the template's columns is refused the same way.
    expect((await fail('framework/import-preview', { uploadId: await templateUpload('a,b\n1,2\n') })).message).toMatch(
      /needs the columns domain, item, stage and text/,
    );
    expect(snapshot()).toBe(before);
  });

  it('adopts a good file as a new version; older mappings keep their version, stay readable and are flagged', async () => {
    const { a, b } = await theatreTrust();
    await call('framework/mapping-save', {
      roleId: a.id,
      stage: 'entry',
      rationale: 'Entry role',
      assessments: [{ domain: 1, rating: 'meets', evidence: 'x' }],
    });

    const template = await call('framework/template', { format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(template.base64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toEqual([undefined, 'domain', 'item', 'stage', 'text']);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getCell('B2').value).toBe('1.1'); // item numbers stay text
    expect(ws.getCell('A2').value).toBe(1);
    // Fill domain 2 (the template has a blank placeholder for it) and save as XLSX, as a lead would.
    ws.eachRow((row) => {
      if (row.getCell(2).value === '2.1') row.getCell(4).value = `Supports service users (${row.getCell(3).value}).`;
    });
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const uploadId = await templateUpload(filled, 'filled.xlsx');

    const preview = await call('framework/import-preview', { uploadId });
    expect(preview).toMatchObject({
      ok: true,
      base: 'hee-2021.1',
      newVersion: 'hee-2021.2',
      importedItems: expect.arrayContaining(['2.1']),
    });
    expect(preview.ok && preview.added.map((d) => `${d.item}/${d.stage}`)).toEqual([
      '2.1/entry',
      '2.1/intermediate',
      '2.1/assistant-practitioner',
    ]);
    expect(preview.ok && preview.removed).toEqual([]);
    expect(count('framework_version')).toBe(1);

    expect((await fail('framework/import-adopt', { uploadId, base: 'hee-2020.9' })).code).toBe('conflict');
    const adopted = await call('framework/import-adopt', { uploadId, base: 'hee-2021.1' });
    expect(adopted).toMatchObject({ version: 'hee-2021.2', status: 'current', descriptorCount: 12 });
    const overview = await call('framework/overview', {});
    expect(overview.current.version).toBe('hee-2021.2');
    expect(overview.versions.map((v) => [v.version, v.status, v.mappingCount])).toEqual([
      ['hee-2021.2', 'current', 0],
      ['hee-2021.1', 'retired', 1],
    ]);

    const old = await call('framework/mapping', { roleId: a.id });
    expect(old.row.mapping).toMatchObject({ stage: 'entry', frameworkVersion: 'hee-2021.1', versionRetired: true });
    expect(old.framework.version).toBe('hee-2021.1');
    expect(old.assessments).toHaveLength(1);
    // It cannot be agreed until it is saved against the current version.
    expect((await call('framework/mapping-bulk', { action: 'agree', roleIds: [a.id] })).skipped[0]?.reason).toMatch(
      /retired framework version hee-2021.1/,
    );
    await call('framework/mapping-save', { roleId: b.id, stage: 'intermediate', rationale: null, assessments: [] });
    expect((await call('framework/mapping', { roleId: b.id })).row.mapping).toMatchObject({
      frameworkVersion: 'hee-2021.2',
      versionRetired: false,
    });
    const resaved = await call('framework/mapping-save', {
      roleId: a.id,
      stage: 'entry',
      rationale: 'Rechecked',
      assessments: [],
    });
    expect(resaved.row.mapping).toMatchObject({ frameworkVersion: 'hee-2021.2', versionRetired: false });
    expect(resaved.framework.descriptors.some((d) => d.item === '2.1')).toBe(true);
  });
});

describe('qualifications and education gaps', () => {
  it('refuses an invalid qualification without writing, and audits valid ones', async () => {
    const { people } = await theatreTrust();
    const before = snapshot();
    const bad = await fail('training/qualification-save', {
      personId: people[1],
      qualification: { kind: 'care-certificate', standardsCompleted: [1, 1] },
    });
    expect(bad.code).toBe('invalid-input');
    expect(
      (
        await fail('training/qualification-save', {
          personId: 9999,
          qualification: { kind: 'functional-skills-maths', level: '2' },
        })
      ).code,
    ).toBe('not-found');
    expect(snapshot()).toBe(before);
    const p = await call('training/qualification-save', {
      personId: people[1]!,
      qualification: { kind: 'functional-skills-maths', level: '2' },
    });
    expect(p.qualifications.map((q) => q.label)).toEqual(['Functional Skills maths, level 2']);
    expect(
      db().prepare(`SELECT kind, level, status, details FROM qualification WHERE person_id = ?`).get(people[1]),
    ).toEqual({
      kind: 'functional-skills-maths',
      level: '2',
      status: 'completed',
      details: JSON.stringify({ kind: 'functional-skills-maths', level: '2' }),
    });
    // Removing someone with qualifications removes their records and their qualification set.
    await call('workforce/person-delete', { id: people[4]! });
    expect(db().prepare('SELECT count(*) FROM qualification WHERE person_id = ?').pluck().get(people[4])).toBe(0);
    expect(db().prepare('SELECT count(*) FROM person_education WHERE person_id = ?').pluck().get(people[4])).toBe(0);
    const removed = await call('training/qualification-delete', { id: p.qualifications[0]!.id });
    expect(removed.qualifications).toEqual([]);
    expect(
      db().prepare(`SELECT action FROM audit WHERE entity = 'qualification' ORDER BY id DESC LIMIT 2`).pluck().all(),
    ).toEqual(['delete', 'create']);
  });

  it("compares each person with their role's stage and the next one (hand-worked fixture)", async () => {
    const { a, b, c, people } = await theatreTrust();
    const unmapped = await call('training/gaps', {});
    expect(unmapped.totals).toMatchObject({ people: 5, unknown: 5, meets: 0 });
    await call('framework/mapping-bulk', { action: 'accept-suggestion', roleIds: [a.id, b.id, c.id] });

    const p1 = await call('training/person', { personId: people[0]! });
    expect(p1.role).toMatchObject({ title: 'Theatre support worker', stage: 'entry', mappingStatus: 'draft' });
    expect(p1.gapNow).toMatchObject({ stage: 'entry', status: 'meets', missing: [] });
    expect(p1.gapNext).toMatchObject({
      stage: 'intermediate',
      status: 'partly',
      missing: ['An RQF level 3 qualification (in progress)'],
    });

    const g = await call('training/gaps', { asAt: '2026-03-31' });
    expect(g.totals).toEqual({
      key: 'all',
      label: 'All staff',
      people: 5,
      meets: 2,
      partly: 1,
      doesNot: 1,
      unknown: 1,
      nextMeets: 0,
    });
    expect(g.byStage.map((r) => [r.key, r.people, r.meets, r.partly, r.doesNot, r.unknown])).toEqual([
      ['entry', 2, 1, 0, 0, 1],
      ['intermediate', 2, 0, 1, 1, 0],
      ['assistant-practitioner', 1, 1, 0, 0, 0],
    ]);
    expect(g.byService).toEqual([{ ...g.totals, key: expect.any(String), label: 'Theatres' }]);
    expect(g.routeDemand.filter((r) => r.current + r.next > 0).map((r) => [r.route, r.current, r.next])).toEqual([
      ['functional-skills', 1, 0],
      ['ST0217', 1, 0],
    ]);
    const doesNot = await call('training/gaps', { status: 'does-not' });
    expect(doesNot.people.total).toBe(1);
    expect(doesNot.people.rows[0]).toMatchObject({
      personId: people[3],
      roleTitle: 'Senior theatre support worker',
      status: 'does-not',
      nextStage: 'assistant-practitioner',
    });
    expect(doesNot.people.rows[0]!.ref).toMatch(/^[0-9A-F]{8}$/);
    // Before anyone started, nobody is in post.
    expect((await call('training/gaps', { asAt: '2019-01-01' })).totals.people).toBe(0);
  });
});

describe('training needs (TNA)', () => {
  it('costs items in pence, keeps tna_item.total_pence current, and re-costs when settings change', async () => {
    await call('training/tna-settings-save', { onCostPercent: 21.5, fundingBands: [] });
    // ST0217, 2 people, tuition 5,000.00 each, 10 weeks of band 3 (entry) backfill at 0.8 FTE, 2022/23 Q2 (pay table on 2022-07-01):
    //   tuition  = 500,000 x 2                                   = 1,000,000p
    //   backfill = 2,173,000 x 0.8 x 10 / 52 x 2 = 34,768,000/52 =   668,615.38p -> shown 668,615p
    //   on-cost  = 668,615.38 x 21.5%                            =   143,752.31p
    //   total    = 1,812,367.69p -> 1,812,368p; on-cost shown = 1,812,368 - 1,000,000 - 668,615 = 143,753p
    const item = await call('training/tna-save', {
      route: 'ST0217',
      title: 'Senior HCSW apprenticeship',
      cohortSize: 2,
      priority: 'high',
      targetQuarter: '2022/23 Q2',
      gapStage: 'intermediate',
      tuitionPencePerPerson: 500000,
      backfillWeeks: 10,
      backfillBand: '3',
      backfillStep: 'entry',
      ftePerPerson: 0.8,
      notes: null,
    });
    expect(item).toMatchObject({
      payDate: '2022-07-01',
      annualPayPence: 2173000,
      tuitionPence: 1000000,
      backfillPence: 668615,
      onCostPence: 143753,
      totalPence: 1812368,
      levyFundablePence: 1000000,
    });
    expect(db().prepare('SELECT route, title, total_pence FROM tna_item').get()).toEqual({
      route: 'ST0217',
      title: 'Senior HCSW apprenticeship',
      total_pence: 1812368,
    });

    // On-cost to 0% and the ST0217 band to 4,000.00: total = 1,000,000 + 668,615.38 -> 1,668,615p; levy-fundable 800,000p.
    const after = await call('training/tna-settings-save', {
      onCostPercent: 0,
      fundingBands: [{ standard: 'ST0217', maxPence: 400000 }],
    });
    expect(after.items[0]).toMatchObject({ totalPence: 1668615, onCostPence: 0, levyFundablePence: 800000 });
    expect(db().prepare('SELECT total_pence FROM tna_item').pluck().get()).toBe(1668615);
    expect(after.totalPence).toBe(1668615);
    expect(after.byRoute).toEqual([
      { route: 'ST0217', name: expect.stringContaining('ST0217'), items: 1, cohort: 2, totalPence: 1668615 },
    ]);
    expect(after.settings.fundingBands.find((b) => b.standard === 'ST0217')).toMatchObject({
      maxPence: 400000,
      defaultMaxPence: 500000,
    });

    const before = snapshot();
    expect(
      (await fail('training/tna-save', { ...item, id: item.id, targetQuarter: '2022 Q2', notes: null })).details,
    ).toHaveProperty('targetQuarter');
    expect((await fail('training/tna-save', { ...item, id: item.id, backfillBand: '6', notes: null })).details).toEqual(
      { backfillBand: 'No pay point for this band on that date' },
    );
    expect(snapshot()).toBe(before);
    await call('training/tna-delete', { id: item.id });
    expect(count('tna_item')).toBe(0);
  });
});

describe('career pathways', () => {
  it('counts people who meet the next step now and after their planned study', async () => {
    const { a, b, c } = await theatreTrust();
    await call('framework/mapping-bulk', { action: 'accept-suggestion', roleIds: [a.id, b.id, c.id] });
    const saved = await call('framework/pathway-save', {
      name: 'Theatre support worker to ODP',
      description: null,
      steps: [
        { kind: 'roles', roleIds: [a.id], route: 'appointment' },
        { kind: 'roles', roleIds: [b.id], route: 'ST0217' },
        { kind: 'roles', roleIds: [c.id], route: 'ST0215' },
        {
          kind: 'registered-profession',
          professionCode: 'ODP',
          route: 'degree-apprenticeship',
          requirementStage: 'assistant-practitioner',
        },
      ],
    });
    // A -> B needs intermediate: P1 partly now, meets once the enrolled level 3 diploma is done; P2 unknown.
    // B -> C needs AP: P3 (ST0217 enrolled) and P4 do not, now or after. C -> ODP needs AP: P5 meets.
    expect(
      saved.steps.map((s) => [
        s.label,
        s.people,
        s.requirementStage,
        s.requirementSource,
        s.meetNextNow,
        s.meetNextAfterTraining,
      ]),
    ).toEqual([
      ['Theatre support worker', 2, 'entry', 'mapping', 0, 1],
      ['Senior theatre support worker', 2, 'intermediate', 'mapping', 0, 0],
      ['Theatre assistant practitioner', 1, 'assistant-practitioner', 'mapping', 1, 1],
      ['Registered Operating department practice', 0, 'assistant-practitioner', 'chosen', null, null],
    ]);
    expect(
      (
        await fail('framework/pathway-save', {
          name: 'Bad',
          steps: [
            { kind: 'registered-profession', professionCode: 'ODP', route: 'appointment' },
            { kind: 'roles', roleIds: [a.id], route: 'ST0217' },
          ],
        })
      ).details,
    ).toHaveProperty('steps.0.kind');
    // A role in a pathway cannot be deleted either (its mapping removed first).
    const spare = await call('workforce/role-save', { title: 'Spare', profession: 'ODP', band: '2' });
    await call('framework/pathway-save', {
      id: saved.id,
      name: saved.name,
      description: null,
      steps: [
        { kind: 'roles', roleIds: [spare.id], route: 'appointment' },
        { kind: 'roles', roleIds: [c.id], route: 'ST0215' },
      ],
    });
    expect((await fail('workforce/role-delete', { id: spare.id })).message).toMatch(/career pathway/);
    await call('framework/pathway-delete', { id: saved.id });
    expect(count('pathway_step')).toBe(0);
  });

  /**
   * The theatre trust plus a day surgery service with its own entry role D (S9T, band 2), worked by hand:
   *   P6 in D: RQF 3 + FS English 2 + FS maths 2   -> meets intermediate now
   *   P7 in A (Theatres) and in D (Day surgery): nothing recorded, counted once
   * Step 1 = roles A and D across both services: P1, P2 (A), P6 (D), P7 (both) = 4 people. The next step needs
   * intermediate: P6 meets now; after planned study P1 (level 3 diploma enrolled) meets too = 2.
   * Step 2 = the ODP intermediate stage: every ODP role mapped to intermediate = B: P3, P4; AP needed next: none.
   */
  it('counts every role of a group across services and of a stage step, each person once', async () => {
    const { a, b, c } = await theatreTrust();
    const daySurgery = await call('workforce/service-save', { name: 'Day surgery', costCentre: null });
    const d = await call('workforce/role-save', { title: 'Day surgery support worker', profession: 'ODP', band: '2' });
    await call('workforce/post-save', { roleId: d.id, serviceId: daySurgery.id, establishmentFte: 3 });
    const theatres = (await call('workforce/services', {})).find((s) => s.name === 'Theatres')!;
    const assignment = (roleId: number, serviceId: number) => ({
      roleId,
      serviceId,
      occupationCode: 'S9T',
      contractedHours: 18.75,
      startDate: '2021-05-04',
      endDate: null,
      leavingReason: null,
    });
    const person = (assignments: ReturnType<typeof assignment>[]) =>
      call('workforce/person-save', {
        yearOfBirth: 1985,
        sex: 'M',
        ethnicCategory: 'A',
        disability: 'no',
        assignments,
      });
    const p6 = await person([assignment(d.id, daySurgery.id)]);
    await person([assignment(a.id, theatres.id), assignment(d.id, daySurgery.id)]);
    for (const qualification of [
      { kind: 'rqf', level: 3, title: 'Diploma in Perioperative Support', status: 'completed' },
      { kind: 'functional-skills-english', level: '2' },
      { kind: 'functional-skills-maths', level: '2' },
    ] as const)
      await call('training/qualification-save', { personId: p6.id, qualification });
    await call('framework/mapping-bulk', { action: 'accept-suggestion', roleIds: [a.id, b.id, c.id, d.id] });

    const saved = await call('framework/pathway-save', {
      name: 'Theatres and day surgery to ODP',
      description: null,
      steps: [
        { kind: 'roles', roleIds: [a.id, d.id], label: 'Theatre support worker', route: 'appointment' },
        { kind: 'stage', professionCode: 'ODP', stage: 'intermediate', route: 'ST0217' },
        { kind: 'roles', roleIds: [c.id], route: 'ST0215', requirementStage: 'assistant-practitioner' },
        { kind: 'registered-profession', professionCode: 'ODP', route: 'degree-apprenticeship' },
      ],
    });
    expect(
      saved.steps.map((s) => [
        s.kind,
        s.label,
        s.roles.map((r) => r.title),
        s.people,
        s.requirementStage,
        s.requirementSource,
        s.meetNextNow,
        s.meetNextAfterTraining,
      ]),
    ).toEqual([
      [
        'roles',
        'Theatre support worker',
        ['Day surgery support worker', 'Theatre support worker'],
        4,
        'entry',
        'mapping',
        1,
        2,
      ],
      [
        'stage',
        'Operating department practice: Intermediate (Senior Support Worker)',
        ['Senior theatre support worker'],
        2,
        'intermediate',
        'stage',
        0,
        0,
      ],
      [
        'roles',
        'Theatre assistant practitioner',
        ['Theatre assistant practitioner'],
        1,
        'assistant-practitioner',
        'chosen',
        null,
        null,
      ],
      ['registered-profession', 'Registered Operating department practice', [], 0, null, 'none', null, null],
    ]);
    // Step 4 (registered, no requirement chosen) asks for nothing, so step 3 has nothing to count against.
    // A group whose mapped stages differ asks for a choice instead of assuming one.
    const mixed = await call('framework/pathway-save', {
      id: saved.id,
      name: saved.name,
      description: null,
      steps: [
        { kind: 'roles', roleIds: [d.id], route: 'appointment' },
        { kind: 'roles', roleIds: [a.id, b.id], route: 'ST0217' },
      ],
    });
    expect(mixed.steps[1]).toMatchObject({
      requirementStage: null,
      requirementSource: 'differ',
      label: 'Senior theatre support worker and 1 other role',
    });
    expect(mixed.steps[1]!.requirementNote).toBe(
      "The roles' mapped stages differ (Intermediate (Senior Support Worker): 1 role; Entry level (Support Worker): 1 role). Choose the education this step needs.",
    );
    expect(mixed.steps[0]).toMatchObject({ people: 2, meetNextNow: null, meetNextAfterTraining: null });
  });

  it('refuses unknown roles and professions and empty groups, with the field to fix, and saves nothing', async () => {
    const { a } = await theatreTrust();
    const before = snapshot();
    const steps = (first: unknown) => ({
      name: 'Bad pathway',
      description: null,
      steps: [first, { kind: 'registered-profession', professionCode: 'ODP', route: 'appointment' }],
    });
    expect(
      (await fail('framework/pathway-save', steps({ kind: 'roles', roleIds: [a.id, 9999], route: 'appointment' })))
        .details,
    ).toEqual({ 'steps.0.roleIds': 'Choose roles that exist' });
    expect(
      (
        await fail(
          'framework/pathway-save',
          steps({ kind: 'stage', professionCode: 'XYZ', stage: 'entry', route: 'appointment' }),
        )
      ).details,
    ).toEqual({ 'steps.0.professionCode': 'Choose a profession' });
    expect(
      (await fail('framework/pathway-save', steps({ kind: 'roles', roleIds: [], route: 'appointment' }))).details,
    ).toHaveProperty(['steps.0.roleIds'], 'Choose at least one role');
    expect(
      (await fail('framework/pathway-save', steps({ kind: 'roles', roleIds: [a.id, a.id], route: 'appointment' })))
        .details,
    ).toHaveProperty(['steps.0.roleIds'], 'Each role can be chosen once');
    expect(
      (await fail('framework/pathway-save', steps({ kind: 'stage', professionCode: 'ODP', route: 'appointment' })))
        .details,
    ).toHaveProperty(['steps.0.stage'], 'Choose a stage');
    expect(snapshot()).toBe(before);
  });
});

describe('exports and command line', () => {
  it('exports the role map, gaps and TNA to XLSX with typed cells and to CSV without formulas', async () => {
    const { a, b, c } = await theatreTrust();
    await call('framework/mapping-bulk', { action: 'accept-suggestion', roleIds: [a.id, b.id, c.id] });
    await call('framework/mapping-save', {
      roleId: a.id,
      stage: 'entry',
      rationale: '=HYPERLINK("http://evil","x")',
      assessments: [{ domain: 2, rating: 'partly', evidence: '+1 evidence' }],
    });
    await call('training/tna-save', {
      route: 'care-certificate',
      title: '@Care Certificate',
      cohortSize: 3,
      priority: 'low',
      targetQuarter: '2022/23 Q1',
      tuitionPencePerPerson: 12345,
      backfillWeeks: 0,
      backfillBand: '2',
      ftePerPerson: 1,
    });

    const xlsx = await call('framework/export', { what: 'role-map', format: 'xlsx' });
    expect(xlsx.fileName).toBe('role-map-2026-03-31.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.base64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(wb.worksheets).toHaveLength(1);
    // Row 1 is the note that the counts are not protected; the header under it stays in view.
    expect(ws.getRow(1).getCell(1).value).toBe(SMALL_COUNTS_NOTE);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(ws.rowCount).toBe(5);
    const header = (ws.getRow(2).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    const theatre = [3, 4, 5].map((r) => ws.getRow(r)).find((r) => r.getCell(1).value === 'Theatre support worker')!;
    expect(theatre.getCell(col('Rationale')).value).toBe('=HYPERLINK("http://evil","x")'); // text, not a formula
    expect(theatre.getCell(col('Rationale')).type).toBe(ExcelJS.ValueType.String);
    expect(theatre.getCell(col('Headcount')).value).toBe(2);
    // 2 is a small count: still the number 2, shown as 2* like on the screens.
    expect(theatre.getCell(col('Headcount')).numFmt).toBe('#,##0"*"');
    expect(theatre.getCell(col('Stage')).value).toBe('Entry level (Support Worker)');
    expect(theatre.getCell(col('Domain 2: Supporting service users')).value).toBe('Partly meets');

    const csv = Buffer.from((await call('framework/export', { what: 'role-map', format: 'csv' })).base64, 'base64');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.toString('utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(text).toContain('D2: +1 evidence'); // not at the start of a cell, so left alone
    const csvLines = text.slice(1).split('\r\n');
    expect(csvLines[0]).toBe(SMALL_COUNTS_NOTE);
    expect(csvLines[1]).toContain(',Headcount,Headcount: small (1 to 7),');
    expect(csvLines.find((l) => l.startsWith('Theatre support worker,'))).toMatch(/,2,\*,/);

    const tna = await call('training/export', { what: 'tna', format: 'xlsx' });
    const tb = new ExcelJS.Workbook();
    await tb.xlsx.load(Buffer.from(tna.base64, 'base64') as unknown as ArrayBuffer);
    expect(tb.worksheets[0]!.getRow(1).getCell(1).value).toBe(SMALL_COUNTS_NOTE);
    const tr = tb.worksheets[0]!.getRow(3);
    expect(tr.getCell(1).value).toBe('@Care Certificate');
    expect(tr.getCell(5).value).toBe(3); // a cohort of 3 people: a small count, marked
    expect(tr.getCell(5).numFmt).toBe('#,##0"*"');
    expect(tr.getCell(15).value).toBe(370.35); // 3 x 123.45, money as a number formatted in pounds
    expect(tr.getCell(15).numFmt).toContain('£');
    const tnaCsv = Buffer.from(
      (await call('training/export', { what: 'tna', format: 'csv' })).base64,
      'base64',
    ).toString('utf8');
    expect(tnaCsv.split('\r\n')[0]).toContain('Counts are not protected for publication');
    expect(tnaCsv.split('\r\n')[2]).toMatch(
      /^'@Care Certificate,Care Certificate \(15 standards\),low,2022\/23 Q1,3,\*,123\.45,/,
    );

    const gaps = await call('training/export', { what: 'gaps', format: 'csv' });
    const lines = Buffer.from(gaps.base64, 'base64').toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(7); // note + header + 5 people
    expect(lines[0]).toContain('One row per person');
  });

  it('prints gaps --json and tna --json through the same handlers', async () => {
    await theatreTrust();
    const printed: string[] = [];
    const args = (json: boolean): CliArgs => ({ positional: [], options: new Map(), json, text: () => undefined });
    await trainingCommands.gaps!.run(t.ctx, args(true), (s) => printed.push(s));
    const gaps = JSON.parse(printed[0]!);
    expect(gaps).toMatchObject({ totals: { people: 5, unknown: 5 }, people: 5 });
    expect(gaps.byStage.map((r: { key: string }) => r.key)).toEqual([
      'entry',
      'intermediate',
      'assistant-practitioner',
      'unmapped',
    ]);
    await trainingCommands.tna!.run(t.ctx, args(true), (s) => printed.push(s));
    expect(JSON.parse(printed[1]!)).toMatchObject({ items: [], totalPence: 0, settings: { onCostPercent: 0 } });
  });
});
