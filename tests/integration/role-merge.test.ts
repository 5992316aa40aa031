import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../../electron/db/connection';
import type { HandlerContext } from '../../electron/handler';
import { dispatch } from '../../electron/router';
import { mappingConflicts, settleConflict } from '../../electron/services/workforce/merge';
import type { Result } from '../../shared/common/api';
import { guessMapping } from '../../shared/import/fields';
import type { RoleMergeInput } from '../../shared/workforce/channels';
import { ESR_HEADERS, csvText } from '../fixtures/extracts';
import { nearDuplicateExtract } from '../fixtures/near-duplicates';
import { FIXED_NOW, sendBytes, tempDir, tempStore, type TempStore } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
async function store(): Promise<TempStore> {
  const t = await tempStore();
  cleanups.push(t.cleanup);
  return t;
}
function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.details ?? {})}`);
  return r.value;
}

async function importRows(ctx: HandlerContext, rows: string[][], name = 'extract.csv') {
  const uploadId = await sendBytes(ctx, name, csvText(rows), 'staff-extract');
  return value(
    await dispatch(ctx, 'import/commit', {
      uploadId,
      mapping: guessMapping([...ESR_HEADERS]),
      dateOrder: 'dmy',
      extractDate: '2026-03-31',
    }),
  );
}

const merge = (ctx: HandlerContext, input: RoleMergeInput) => dispatch(ctx, 'workforce/roles-merge', input);
const all = (db: DB, sql: string, ...params: unknown[]) => db.prepare(sql).all(...params);
const roleId = (db: DB, title: string, band = '3') =>
  db.prepare('SELECT id FROM role WHERE title = ? AND band = ?').pluck().get(title, band) as number;

/** The rows a merge touches, table by table: equal before a merge and after its undo means undo was exact. */
function snapshot(db: DB) {
  return Object.fromEntries(
    [
      'role',
      'post',
      'assignment',
      'role_mapping',
      'domain_assessment',
      'role_alias',
      'pathway_step_role',
      'role_mapping_conflict',
      'import_change',
    ].map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]),
  );
}

/** One ESR row: person n, a title, band and service. */
function row(n: number, title: string, band = 'Band 3', service = 'Acute Therapies', code = 'S9E'): string[] {
  const employee = String(30_000_000 + n);
  return [
    employee,
    `${employee}-1`,
    title,
    code,
    band,
    '37.5',
    '1.00',
    '01/04/2020',
    '',
    '',
    '15/06/1980',
    'F',
    'A White - British',
    'No',
    'Therapies',
    service,
  ];
}

/**
 * Three spellings of one job in two services, and another job:
 *   Therapy Assistant (Acute Therapies: 3 staff, Community Rehab: 1)
 *   Therapy Assistant - Acute (Acute Therapies: 2)
 *   Therapy Assistant (Community) (Community Rehab: 1, Stroke Unit: 1)
 *   Dietetic Assistant (Acute Therapies: 1)
 */
const SMALL = [
  [...ESR_HEADERS],
  row(1, 'Therapy Assistant'),
  row(2, 'Therapy Assistant'),
  row(3, 'Therapy Assistant'),
  row(4, 'Therapy Assistant', 'Band 3', 'Community Rehab'),
  row(5, 'Therapy Assistant - Acute'),
  row(6, 'Therapy Assistant - Acute', 'Band 3', 'Acute Therapies', 'S9C'),
  row(7, 'Therapy Assistant (Community)', 'Band 3', 'Community Rehab', 'S9C'),
  row(8, 'Therapy Assistant (Community)', 'Band 3', 'Stroke Unit', 'S9C'),
  row(9, 'Dietetic Assistant', 'Band 3', 'Acute Therapies', 'S9B'),
];

async function smallTrust() {
  const t = await store();
  await importRows(t.ctx, SMALL);
  const db = t.store.db;
  const ids = {
    ta: roleId(db, 'Therapy Assistant'),
    acute: roleId(db, 'Therapy Assistant - Acute'),
    community: roleId(db, 'Therapy Assistant (Community)'),
    dietetic: roleId(db, 'Dietetic Assistant'),
  };
  // Establishments on the posts, and a pathway step naming two of the roles.
  db.exec(`UPDATE post SET establishment_fte_centi = 100 * id, budget_pence = CASE WHEN id % 2 = 0 THEN 1000 END`);
  db.exec(`INSERT INTO pathway (id, name, updated_at) VALUES (1, 'Therapies', '2026-01-01')`);
  db.exec(`INSERT INTO pathway_step (id, pathway_id, position, kind, route) VALUES (1, 1, 1, 'roles', 'appointment')`);
  db.prepare('INSERT INTO pathway_step_role (step_id, role_id) VALUES (1, ?), (1, ?)').run(ids.ta, ids.acute);
  return { t, db, ids };
}

async function mapRole(ctx: HandlerContext, id: number, stage: 'entry' | 'intermediate', agree: boolean, note = '') {
  value(
    await dispatch(ctx, 'framework/mapping-save', {
      roleId: id,
      stage,
      rationale: note || null,
      assessments: [{ domain: 1, rating: 'meets', evidence: `Job description ${id}` }],
    }),
  );
  if (agree) value(await dispatch(ctx, 'framework/mapping-bulk', { action: 'agree', roleIds: [id] }));
}

describe('grouping roles at the issue’s scale', () => {
  it('makes 72 roles of the 2,625-row extract, suggests 36 jobs, and the merged roles take next month’s rows', async () => {
    const t = await store();
    const rows = nearDuplicateExtract();
    expect(rows.length - 1).toBe(2625);
    const first = await importRows(t.ctx, rows, 'march.csv');
    expect(first.added).toBe(2625);
    const db = t.store.db;
    expect(db.prepare('SELECT count(*) FROM role').pluck().get()).toBe(72);

    const suggestions = value(await dispatch(t.ctx, 'workforce/role-suggestions', {}));
    expect(suggestions).toHaveLength(36);
    expect(suggestions.every((s) => s.roleIds.length === 2)).toBe(true);
    expect(suggestions.map((s) => s.reason)).toContain("Same title apart from ' - Acute'");
    expect(suggestions.map((s) => s.reason)).toContain("Same title apart from 'Asst' for 'assistant'");

    // "Merge all suggested": one merge per group, each undoable on its own.
    for (const s of suggestions) value(await merge(t.ctx, { roleIds: s.roleIds.slice(1), intoRoleId: s.roleIds[0]! }));
    expect(db.prepare('SELECT count(*) FROM role').pluck().get()).toBe(36);
    expect(db.prepare('SELECT count(*) FROM role_alias').pluck().get()).toBe(36);
    expect(value(await dispatch(t.ctx, 'workforce/role-suggestions', {}))).toEqual([]);
    const roles = value(await dispatch(t.ctx, 'workforce/roles', {}));
    expect(roles.reduce((n, r) => n + r.headcount, 0)).toBe(2625);

    // Next month's extract, same titles: every row lands in a merged role and no role is made.
    const next = await importRows(t.ctx, rows, 'april.csv');
    expect(next.added).toBe(0);
    expect(db.prepare('SELECT count(*) FROM role').pluck().get()).toBe(36);
    expect(
      db.prepare('SELECT count(*) FROM post WHERE NOT EXISTS (SELECT 1 FROM role WHERE id = role_id)').pluck().get(),
    ).toBe(0);
  });
});

describe('merging roles', () => {
  it('moves posts, staff, steps and titles into the kept role, renames it, and undo puts every row back', async () => {
    const { t, db, ids } = await smallTrust();
    const before = snapshot(db);
    const postsBefore = all(
      db,
      'SELECT id, role_id, service_id, establishment_fte_centi AS e, budget_pence AS b FROM post ORDER BY id',
    ) as {
      id: number;
      role_id: number;
      service_id: number;
      e: number;
      b: number | null;
    }[];
    const taPost = (service: number) => postsBefore.find((p) => p.role_id === ids.ta && p.service_id === service)!;
    const acutePost = postsBefore.find((p) => p.role_id === ids.acute)!;
    const strokePost = postsBefore.find(
      (p) =>
        p.role_id === ids.community &&
        p.service_id !== taPost(acutePost.service_id).service_id &&
        !postsBefore.some((q) => q.role_id === ids.ta && q.service_id === p.service_id),
    )!;

    const done = value(
      await merge(t.ctx, {
        roleIds: [ids.acute, ids.community],
        intoRoleId: ids.ta,
        title: 'Therapy Assistant (all settings)',
      }),
    );
    expect(done).toMatchObject({
      intoRoleId: ids.ta,
      intoTitle: 'Therapy Assistant (all settings)',
      merged: [
        { id: ids.acute, title: 'Therapy Assistant - Acute', band: '3' },
        { id: ids.community, title: 'Therapy Assistant (Community)', band: '3' },
      ],
      undoBlockedBy: null,
      conflicts: 0,
    });
    expect(all(db, 'SELECT id, title FROM role ORDER BY id')).toEqual(
      [
        { id: ids.ta, title: 'Therapy Assistant (all settings)' },
        { id: ids.dietetic, title: 'Dietetic Assistant' },
      ].sort((a, b) => a.id - b.id),
    );
    // Acute Therapies: the acute role's post is folded into the kept role's (staff moved, establishments added).
    const acuteService = acutePost.service_id;
    expect(
      all(db, 'SELECT role_id, establishment_fte_centi AS e FROM post WHERE id = ?', taPost(acuteService).id),
    ).toEqual([{ role_id: ids.ta, e: taPost(acuteService).e + acutePost.e }]);
    expect(db.prepare('SELECT 1 FROM post WHERE id = ?').get(acutePost.id)).toBeUndefined();
    // Stroke Unit: the kept role had no post there, so that post simply changes role.
    expect(db.prepare('SELECT role_id FROM post WHERE id = ?').pluck().get(strokePost.id)).toBe(ids.ta);
    const staff = db
      .prepare('SELECT count(*) FROM assignment a JOIN post po ON po.id = a.post_id WHERE po.role_id = ?')
      .pluck()
      .get(ids.ta);
    expect(staff).toBe(8);
    // The step named two of them: it now names the kept role once.
    expect(all(db, 'SELECT step_id, role_id FROM pathway_step_role')).toEqual([{ step_id: 1, role_id: ids.ta }]);
    // The import will find the old titles, the kept role's old title included (it was renamed).
    expect(all(db, 'SELECT title_key, band, role_id FROM role_alias ORDER BY title_key')).toEqual([
      { title_key: 'therapy assistant', band: '3', role_id: ids.ta },
      { title_key: 'therapy assistant (community)', band: '3', role_id: ids.ta },
      { title_key: 'therapy assistant - acute', band: '3', role_id: ids.ta },
    ]);
    // Audit: one row for the merge.
    const audit = db.prepare(`SELECT action, entity_id, after FROM audit WHERE entity = 'role merge'`).all() as {
      action: string;
      entity_id: string;
      after: string;
    }[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after)).toMatchObject({ postsFolded: 2, postsMoved: 1, staffMoved: 3 });

    const undone = value(await dispatch(t.ctx, 'workforce/role-merge-undo', { id: done.id }));
    expect(undone.undoneAt).toBe(FIXED_NOW.toISOString());
    expect(snapshot(db)).toEqual(before);
    const merges = value(await dispatch(t.ctx, 'workforce/role-merges', {}));
    expect(merges[0]!.undoBlockedBy).toMatch(/was undone on 31 Mar 2026 by test-user/);
    expect(db.prepare(`SELECT action FROM audit WHERE entity = 'role merge' ORDER BY id`).pluck().all()).toEqual([
      'create',
      'restore',
    ]);
    // The audit trail in words (Settings, Audit).
    const trail = value(await dispatch(t.ctx, 'settings/audit', { entity: 'role merge' }));
    expect(trail.entries.map((e) => e.summary)).toEqual([
      'Role merges: merge of Therapy Assistant - Acute and Therapy Assistant (Community) into Therapy Assistant (all settings) undone',
      'Role merges: merge of Therapy Assistant - Acute and Therapy Assistant (Community) into Therapy Assistant (all settings) done',
    ]);
  });

  it('lands next month’s rows for a merged title in the kept role', async () => {
    const { t, db, ids } = await smallTrust();
    value(await merge(t.ctx, { roleIds: [ids.acute], intoRoleId: ids.ta }));
    const roles = db.prepare('SELECT count(*) FROM role').pluck().get();
    await importRows(t.ctx, [
      [...ESR_HEADERS],
      row(20, 'Therapy Assistant - Acute'),
      row(21, 'THERAPY ASSISTANT - ACUTE '),
    ]);
    expect(db.prepare('SELECT count(*) FROM role').pluck().get()).toBe(roles);
    expect(
      db
        .prepare('SELECT count(*) FROM assignment a JOIN post po ON po.id = a.post_id WHERE po.role_id = ?')
        .pluck()
        .get(ids.ta),
    ).toBe(4 + 2 + 2);
  });

  it('leaves earlier imports undoable: their records follow a folded post into the kept role', async () => {
    const { t, db, ids } = await smallTrust();
    // April changes the hours of someone in the acute role; then the roles are merged and April undone.
    const april = SMALL.map((r) => (r[0] === '30000005' ? [...r.slice(0, 5), '30', ...r.slice(6)] : r));
    expect((await importRows(t.ctx, april, 'april.csv')).updated).toBe(1);
    const before = snapshot(db);
    const done = value(await merge(t.ctx, { roleIds: [ids.acute], intoRoleId: ids.ta }));
    const person5 = () =>
      db
        .prepare(
          `SELECT po.role_id AS role, a.hours_centi AS hours FROM assignment a JOIN post po ON po.id = a.post_id
           WHERE a.pseudo_id = (SELECT pseudo_id FROM assignment ORDER BY id LIMIT 1 OFFSET 4)`,
        )
        .get();
    expect(person5()).toEqual({ role: ids.ta, hours: 3000 });
    // Undoing the merge first, then April: exact.
    value(await dispatch(t.ctx, 'workforce/role-merge-undo', { id: done.id }));
    expect(snapshot(db)).toEqual(before);
    // Merged again, April can be undone: the assignment goes back to its hours, in the kept role.
    value(await merge(t.ctx, { roleIds: [ids.acute], intoRoleId: ids.ta }));
    value(await dispatch(t.ctx, 'import/undo', { id: 2 }));
    expect(person5()).toEqual({ role: ids.ta, hours: 3750 });
  });

  it('carries a merged role’s unsettled conflicts to the kept role, and back on undo', async () => {
    const { t, db, ids } = await smallTrust();
    const candidate = (stage: string) =>
      JSON.stringify({
        frameworkVersion: 'x',
        stage,
        status: 'draft',
        rationale: null,
        agreedBy: null,
        assessments: [],
      });
    db.prepare(
      `INSERT INTO role_mapping_conflict (role_id, source, mapping, origin, created_at) VALUES
         (?, 'Acute, MSK', ?, 'upgrade', '2026-01-01'), (?, 'Acute, Community', ?, 'upgrade', '2026-01-01')`,
    ).run(ids.acute, candidate('entry'), ids.acute, candidate('intermediate'));
    const before = snapshot(db);
    const done = value(await merge(t.ctx, { roleIds: [ids.acute], intoRoleId: ids.ta }));
    expect(done.conflicts).toBe(0); // none added by the merge: the upgrade's two simply move
    const moved = value(await dispatch(t.ctx, 'workforce/mapping-conflicts', {}));
    expect(moved.map((c) => [c.roleId, c.source, c.origin])).toEqual([
      [ids.ta, 'Acute, MSK', 'upgrade'],
      [ids.ta, 'Acute, Community', 'upgrade'],
    ]);
    value(await dispatch(t.ctx, 'workforce/role-merge-undo', { id: done.id }));
    expect(snapshot(db)).toEqual(before);
  });

  it('works the kept role’s main profession out again from its staff', async () => {
    const { t, db, ids } = await smallTrust();
    const profession = (id: number) => db.prepare('SELECT profession_code FROM role WHERE id = ?').pluck().get(id);
    // The acute role: one S9E (physiotherapy) and one S9C (occupational therapy) row; the community role: two S9C.
    expect(profession(ids.community)).toBe('OT');
    expect(profession(ids.acute)).toBe('PHY'); // a tie: the import takes the profession of its first row
    const done = value(await merge(t.ctx, { roleIds: [ids.community], intoRoleId: ids.acute }));
    expect(profession(ids.acute)).toBe('OT'); // 3 of its 4 staff
    value(await dispatch(t.ctx, 'workforce/role-merge-undo', { id: done.id }));
    expect([profession(ids.acute), profession(ids.community)]).toEqual(['PHY', 'OT']);
  });

  it('refuses bad merges with a clear message and changes nothing', async () => {
    const { t, db, ids } = await smallTrust();
    const before = snapshot(db);
    const refused = async (input: RoleMergeInput) => {
      const r = await merge(t.ctx, input);
      if (r.ok) throw new Error('Expected a refusal');
      return r.error;
    };
    expect(await refused({ roleIds: [ids.ta], intoRoleId: ids.ta })).toMatchObject({
      code: 'invalid-input',
      message: 'Choose at least one other role to merge into Therapy Assistant.',
    });
    expect(await refused({ roleIds: [999, ids.acute], intoRoleId: ids.ta })).toMatchObject({
      code: 'not-found',
      message: 'There is no role with id 999. Nothing was merged.',
    });
    expect(await refused({ roleIds: [ids.acute], intoRoleId: 998 })).toMatchObject({ code: 'not-found' });
    expect(await refused({ roleIds: [ids.acute], intoRoleId: ids.ta, title: 'Dietetic Assistant' })).toMatchObject({
      code: 'conflict',
      details: { title: 'This title and band are already used' },
    });
    // Another band: refused unless the lead says so.
    await importRows(t.ctx, [[...ESR_HEADERS], row(30, 'Therapy Assistant', 'Band 4')]);
    const band4 = roleId(db, 'Therapy Assistant', '4');
    const afterImport = snapshot(db);
    expect((await refused({ roleIds: [band4], intoRoleId: ids.ta })).message).toMatch(
      /Therapy Assistant is band 3, but Therapy Assistant is band 4\. Roles of different bands are usually different jobs/,
    );
    expect(snapshot(db)).toEqual(afterImport);
    expect(before.role!.length + 1).toBe(afterImport.role!.length);
    const mixed = value(await merge(t.ctx, { roleIds: [band4], intoRoleId: ids.ta, allowDifferentBands: true }));
    // The band 4 title is remembered with its band, so a band 4 row still lands in the merged role.
    expect(all(db, 'SELECT title_key, band FROM role_alias WHERE merge_id = ?', mixed.id)).toEqual([
      { title_key: 'therapy assistant', band: '4' },
    ]);
  });

  it('asks which mapping to keep when agreed mappings differ, and keeps the one chosen', async () => {
    const { t, db, ids } = await smallTrust();
    await mapRole(t.ctx, ids.ta, 'entry', true, 'Entry tasks');
    await mapRole(t.ctx, ids.acute, 'intermediate', true, 'Works alone');
    await mapRole(t.ctx, ids.community, 'entry', true, 'Entry tasks');
    const before = snapshot(db);
    const r = await merge(t.ctx, { roleIds: [ids.acute, ids.community], intoRoleId: ids.ta });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { keepMappingOf: 'Choose which mapping to keep' } },
    });
    if (r.ok) return;
    expect(r.error.message).toContain(
      'These roles carry different agreed mappings, so choose which one the merged role keeps',
    );
    expect(r.error.message).toContain('Therapy Assistant (role');
    expect(r.error.message).toContain('Entry level (Support Worker), agreed by test-user on 31 Mar 2026');
    expect(r.error.message).toContain('Intermediate (Senior Support Worker), agreed by test-user');
    expect(snapshot(db)).toEqual(before);

    const kept = value(
      await merge(t.ctx, { roleIds: [ids.acute, ids.community], intoRoleId: ids.ta, keepMappingOf: ids.acute }),
    );
    expect(kept.mappingNote).toMatch(
      /^Kept the mapping of Therapy Assistant - Acute .*set aside the different mapping of Therapy Assistant/,
    );
    expect(all(db, 'SELECT role_id, stage, status, rationale FROM role_mapping')).toEqual([
      { role_id: ids.ta, stage: 'intermediate', status: 'agreed', rationale: 'Works alone' },
    ]);
    expect(all(db, 'SELECT role_id, evidence FROM domain_assessment')).toEqual([
      { role_id: ids.ta, evidence: `Job description ${ids.acute}` },
    ]);
    value(await dispatch(t.ctx, 'workforce/role-merge-undo', { id: kept.id }));
    expect(snapshot(db)).toEqual(before);
  });

  it('leaves differing draft mappings as conflicts for the lead to settle', async () => {
    const { t, db, ids } = await smallTrust();
    await mapRole(t.ctx, ids.ta, 'entry', false);
    await mapRole(t.ctx, ids.acute, 'intermediate', true, 'Works alone');
    const done = value(await merge(t.ctx, { roleIds: [ids.acute], intoRoleId: ids.ta }));
    expect(done.conflicts).toBe(2);
    expect(done.mappingNote).toMatch(/none was chosen: 2 mappings wait under "Mapping conflicts to settle"/);
    expect(db.prepare('SELECT count(*) FROM role_mapping').pluck().get()).toBe(0);
    const conflicts = value(await dispatch(t.ctx, 'workforce/mapping-conflicts', { roleId: ids.ta }));
    expect(conflicts.map((c) => [c.source, c.stage, c.status, c.origin, c.assessedDomains])).toEqual([
      [`Therapy Assistant, band 3 (role ${ids.ta}, merged)`, 'entry', 'draft', 'merge', 1],
      [`Therapy Assistant - Acute, band 3 (role ${ids.acute}, merged)`, 'intermediate', 'agreed', 'merge', 1],
    ]);
    const roles = value(await dispatch(t.ctx, 'workforce/roles', {}));
    expect(roles.find((r) => r.id === ids.ta)!.conflicts).toBe(2);

    // Settling is a change to the merged role's mapping: the merge can no longer be undone, and says why.
    value(await dispatch(t.ctx, 'workforce/mapping-conflict-settle', { roleId: ids.ta, keep: conflicts[1]!.id }));
    expect(all(db, 'SELECT role_id, stage, status, agreed_by FROM role_mapping')).toEqual([
      { role_id: ids.ta, stage: 'intermediate', status: 'agreed', agreed_by: 'test-user' },
    ]);
    expect(db.prepare('SELECT count(*) FROM domain_assessment WHERE role_id = ?').pluck().get(ids.ta)).toBe(1);
    expect(db.prepare('SELECT count(*) FROM role_mapping_conflict').pluck().get()).toBe(0);
    const undo = await dispatch(t.ctx, 'workforce/role-merge-undo', { id: done.id });
    expect(undo).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!undo.ok)
      expect(undo.error.message).toBe(
        "The merge into Therapy Assistant was not undone. It cannot be undone: the merged role's mapping conflicts were settled on 31 Mar 2026 by test-user.",
      );
  });

  it('refuses to undo once a later merge, an import or an edit has moved on, and says what blocks it', async () => {
    const { t, db, ids } = await smallTrust();
    const first = value(await merge(t.ctx, { roleIds: [ids.acute], intoRoleId: ids.ta }));
    const second = value(await merge(t.ctx, { roleIds: [ids.community], intoRoleId: ids.ta }));
    const blocked = value(await dispatch(t.ctx, 'workforce/role-merges', {}));
    expect(blocked.map((m) => [m.id, m.undoBlockedBy])).toEqual([
      [second.id, null],
      [first.id, expect.stringMatching(/a later merge used it \(merge \d+ on 31 Mar 2026\): undo that one first/)],
    ]);
    const refused = await dispatch(t.ctx, 'workforce/role-merge-undo', { id: first.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });

    await importRows(t.ctx, [[...ESR_HEADERS], row(40, 'Therapy Assistant', 'Band 3', 'Stroke Unit')]);
    const now = value(await dispatch(t.ctx, 'workforce/role-merges', {}));
    expect(now[0]!.undoBlockedBy).toMatch(/an import or an edit since then added staff to it \(1 assignment\)/);

    // An establishment changed on the merged role blocks too.
    const stroke = db.prepare('SELECT s.id FROM service s WHERE s.name = ?').pluck().get('Stroke Unit') as number;
    value(await dispatch(t.ctx, 'import/undo', { id: 2 }));
    expect(value(await dispatch(t.ctx, 'workforce/role-merges', {}))[0]!.undoBlockedBy).toBeNull();
    value(await dispatch(t.ctx, 'workforce/post-save', { roleId: ids.ta, serviceId: stroke, establishmentFte: 9 }));
    expect(value(await dispatch(t.ctx, 'workforce/role-merges', {}))[0]!.undoBlockedBy).toMatch(
      /its establishment or services were changed since/,
    );
  });
});

describe('settling conflicts from the upgrade to job roles', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the chosen candidate with its assessments, or none', async () => {
    dir = tempDir();
    const file = path.join(dir, 'old.sqlite');
    const old = await openDatabase(file, { targetVersion: 10, backupDir: path.join(dir, 'backups') });
    old.exec(`
      INSERT INTO profession (code, name, sort) VALUES ('PHY', 'Physiotherapy', 1), ('OT', 'Occupational therapy', 2);
      INSERT INTO service (id, name) VALUES (1, 'MSK'), (2, 'Community');
      INSERT INTO role (id, title, service_id, profession_code, occupation_code, band, establishment_fte_centi) VALUES
        (6, 'Rehab assistant', 1, 'PHY', 'S9E', '4', 0), (7, 'Rehab assistant', 2, 'OT', 'S9C', '4', 0),
        (8, 'OT assistant', 1, 'OT', 'S9C', '3', 0), (9, 'OT assistant', 2, 'OT', 'S9C', '3', 0);
      INSERT INTO framework_version (version, framework_id, title, data, status, origin, adopted_at, adopted_by)
        VALUES ('v1', 'hee', 'Test', '{}', 'current', 'test', '2022-01-01', 'test');
      INSERT INTO role_mapping (role_id, framework_version, stage, status, rationale, agreed_by, agreed_at, updated_at) VALUES
        (6, 'v1', 'entry', 'draft', 'Band 4 but entry tasks', NULL, NULL, '2022-03-01'),
        (7, 'v1', 'intermediate', 'agreed', 'Works alone', 'Lead', '2022-04-01', '2022-04-01'),
        (8, 'v1', 'entry', 'draft', NULL, NULL, NULL, '2022-03-01'),
        (9, 'v1', 'intermediate', 'draft', NULL, NULL, NULL, '2022-03-01');
      INSERT INTO domain_assessment (role_id, domain, rating, evidence) VALUES (7, 2, 'partly', NULL), (7, 3, 'meets', 'JD');
    `);
    old.close();
    const db = await openDatabase(file, { backupDir: path.join(dir, 'backups') });
    try {
      const actor = { user: 'lead', now: () => FIXED_NOW };
      const conflicts = mappingConflicts(db);
      expect(
        conflicts.map((c) => [c.roleTitle, c.source, c.stage, c.status, c.agreedBy, c.assessedDomains, c.origin]),
      ).toEqual([
        ['OT assistant', 'OT assistant, band 3, MSK (S9C)', 'entry', 'draft', null, 0, 'upgrade'],
        ['OT assistant', 'OT assistant, band 3, Community (S9C)', 'intermediate', 'draft', null, 0, 'upgrade'],
        ['Rehab assistant', 'Rehab assistant, band 4, MSK (S9E)', 'entry', 'draft', null, 0, 'upgrade'],
        ['Rehab assistant', 'Rehab assistant, band 4, Community (S9C)', 'intermediate', 'agreed', 'Lead', 2, 'upgrade'],
      ]);
      expect(() => settleConflict(db, actor, 6, conflicts[0]!.id)).toThrow(
        /Choose one of the mappings waiting for Rehab assistant/,
      );
      settleConflict(db, actor, 6, conflicts[3]!.id);
      expect(
        all(db, 'SELECT role_id, stage, status, rationale, agreed_by, agreed_at, updated_by FROM role_mapping'),
      ).toEqual([
        {
          role_id: 6,
          stage: 'intermediate',
          status: 'agreed',
          rationale: 'Works alone',
          agreed_by: 'Lead',
          agreed_at: '2022-04-01',
          updated_by: 'lead',
        },
      ]);
      expect(all(db, 'SELECT role_id, domain, rating, evidence FROM domain_assessment ORDER BY domain')).toEqual([
        { role_id: 6, domain: 2, rating: 'partly', evidence: null },
        { role_id: 6, domain: 3, rating: 'meets', evidence: 'JD' },
      ]);
      settleConflict(db, actor, 8, null);
      expect(db.prepare('SELECT count(*) FROM role_mapping WHERE role_id = 8').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM role_mapping_conflict').pluck().get()).toBe(0);
      expect(() => settleConflict(db, actor, 8, null)).toThrow(/has no mapping conflicts to settle/);
      const audit = all(db, `SELECT entity, entity_id, user FROM audit WHERE entity = 'role mapping' ORDER BY id`);
      expect(audit).toEqual([
        { entity: 'role mapping', entity_id: '6', user: 'lead' },
        { entity: 'role mapping', entity_id: '8', user: 'lead' },
      ]);
    } finally {
      db.close();
    }
  });
});
