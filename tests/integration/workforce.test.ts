import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/router';
import { workforceSummary } from '../../electron/services/workforce/summary';
import type { Result } from '../../shared/common/api';
import { addRole, tempStore, type TempStore } from './helpers';

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

async function smallTrust(t: TempStore) {
  const service = value(
    await dispatch(t.ctx, 'workforce/service-save', { name: 'Community rehabilitation', costCentre: 'CC100' }),
  );
  const rehab = await addRole(t.ctx, {
    title: 'Rehabilitation assistant',
    serviceId: service.id,
    profession: 'PHY',
    occupationCode: 's9e',
    band: '3',
    establishmentFte: 3,
  });
  const ap = await addRole(t.ctx, {
    title: 'Assistant practitioner',
    serviceId: service.id,
    profession: 'OT',
    occupationCode: 'S5C',
    band: '4',
    establishmentFte: 1.5,
  });
  const person = (
    assignments: {
      roleId: number;
      serviceId: number;
      contractedHours: number;
      startDate: string;
      endDate?: string | null;
    }[],
  ) =>
    dispatch(t.ctx, 'workforce/person-save', {
      yearOfBirth: 1990,
      sex: 'F',
      ethnicCategory: 'A',
      disability: 'no',
      assignments: assignments.map((a) => ({ endDate: null, leavingReason: '', ...a })),
    });
  // Worked example, as at 2026-03-31:
  //   A: 37.5 h rehab              -> 1.00 FTE
  //   B: 18.75 h rehab + 7.5 h AP  -> 0.50 + 0.20 FTE, one person in two rows
  //   C: 30 h rehab, left 2025-12-31 -> not in post
  //   D: 22.5 h AP                 -> 0.60 FTE
  // Headcount 3 (A, B, D); FTE 2.30; establishment 4.50; vacancy 2.20.
  // By profession and band: PHY/3 headcount 2 FTE 1.50; OT/4 headcount 2 FTE 0.80 (rows add to 4, total is 3).
  value(
    await person([{ roleId: rehab.id, serviceId: rehab.serviceId, contractedHours: 37.5, startDate: '2020-01-06' }]),
  );
  value(
    await person([
      { roleId: rehab.id, serviceId: rehab.serviceId, contractedHours: 18.75, startDate: '2021-09-01' },
      { roleId: ap.id, serviceId: ap.serviceId, contractedHours: 7.5, startDate: '2022-02-01' },
    ]),
  );
  value(
    await person([
      {
        roleId: rehab.id,
        serviceId: rehab.serviceId,
        contractedHours: 30,
        startDate: '2019-05-01',
        endDate: '2025-12-31',
      },
    ]),
  );
  value(await person([{ roleId: ap.id, serviceId: ap.serviceId, contractedHours: 22.5, startDate: '2023-04-03' }]));
  return { service, rehab, ap };
}

describe('workforce services through the handler table', () => {
  it('computes the summary of the worked example', async () => {
    const t = await store();
    await smallTrust(t);
    const s = value(await dispatch(t.ctx, 'workforce/summary', { asAt: '2026-03-31' }));
    expect(s).toMatchObject({ asAt: '2026-03-31', headcount: 3, fte: 2.3, establishmentFte: 4.5, vacancyFte: 2.2 });
    expect(s.byProfessionBand).toEqual([
      { profession: 'OT', professionName: 'Occupational therapy', band: '4', headcount: 2, fte: 0.8 },
      { profession: 'PHY', professionName: 'Physiotherapy', band: '3', headcount: 2, fte: 1.5 },
    ]);
    expect(s.byRole.map((r) => [r.title, r.establishmentFte, r.inPostFte, r.vacancyFte])).toEqual([
      ['Assistant practitioner (band 4)', 1.5, 0.8, 0.7],
      ['Rehabilitation assistant (band 3)', 3, 1.5, 1.5],
    ]);
    expect(s.byService.map((r) => [r.title, r.establishmentFte, r.inPostFte, r.vacancyFte])).toEqual([
      ['Community rehabilitation', 4.5, 2.3, 2.2],
    ]);
    expect(s.byPost.map((r) => [r.title, r.detail, r.vacancyFte])).toEqual([
      ['Assistant practitioner', 'Community rehabilitation', 0.7],
      ['Rehabilitation assistant', 'Community rehabilitation', 1.5],
    ]);
    // Before C left: C counts again.
    const earlier = value(await dispatch(t.ctx, 'workforce/summary', { asAt: '2025-06-30' }));
    expect(earlier).toMatchObject({ headcount: 4, fte: 3.1 });
  });

  it('agrees with a brute-force COUNT(DISTINCT) on a generated trust with people in several roles', async () => {
    const t = await store();
    value(await dispatch(t.ctx, 'settings/demo-load', { staff: 2000, seed: 11 }));
    const db = t.store.db;
    const multi = db
      .prepare(
        `SELECT count(*) FROM (SELECT person_id FROM assignment WHERE end_date IS NULL GROUP BY person_id HAVING count(*) > 1)`,
      )
      .pluck()
      .get() as number;
    expect(multi).toBeGreaterThan(20);
    for (const asAt of ['2024-01-15', '2026-03-31']) {
      const s = workforceSummary(db, asAt);
      const active = `a.start_date <= '${asAt}' AND (a.end_date IS NULL OR a.end_date >= '${asAt}')`;
      const expected = db
        .prepare(
          `SELECT r.profession_code AS profession, r.band, count(DISTINCT a.person_id) AS headcount, round(sum(a.hours_centi) / 37.5) / 100.0 AS fte
           FROM assignment a JOIN post po ON po.id = a.post_id JOIN role r ON r.id = po.role_id WHERE ${active} GROUP BY 1, 2`,
        )
        .all() as { profession: string; band: string; headcount: number; fte: number }[];
      const got = s.byProfessionBand.map(({ profession, band, headcount, fte }) => ({
        profession,
        band,
        headcount,
        fte,
      }));
      const key = (r: { profession: string; band: string }) => `${r.profession}${r.band}`;
      expect(got.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
        expected.sort((a, b) => key(a).localeCompare(key(b))),
      );
      expect(s.headcount).toBe(
        db.prepare(`SELECT count(DISTINCT person_id) FROM assignment a WHERE ${active}`).pluck().get(),
      );
    }
  });

  it('audits every change with who, what, before and after', async () => {
    const t = await store();
    const { rehab } = await smallTrust(t);
    value(
      await dispatch(t.ctx, 'workforce/role-save', {
        id: rehab.id,
        title: 'Rehab assistant',
        profession: 'PHY',
        band: '3',
      }),
    );
    value(
      await dispatch(t.ctx, 'workforce/post-save', {
        roleId: rehab.id,
        serviceId: rehab.serviceId,
        establishmentFte: 3.5,
      }),
    );
    const rows = t.store.db
      .prepare(`SELECT user, entity, action, before, after, at FROM audit WHERE entity = 'role' ORDER BY id`)
      .all() as {
      user: string;
      action: string;
      before: string | null;
      after: string;
      at: string;
    }[];
    expect(rows.map((r) => r.action)).toEqual(['create', 'create', 'update']);
    const update = rows[2]!;
    expect(update.user).toBe('test-user');
    expect(update.at).toBe('2026-03-31T10:00:00.000Z');
    expect(JSON.parse(update.before!)).toMatchObject({ title: 'Rehabilitation assistant', establishmentFte: 3 });
    expect(JSON.parse(update.after)).toMatchObject({ title: 'Rehab assistant', establishmentFte: 3 });
    const post = t.store.db
      .prepare(`SELECT before, after FROM audit WHERE entity = 'post' AND action = 'update'`)
      .get() as { before: string; after: string };
    expect(JSON.parse(post.before)).toMatchObject({ roleTitle: 'Rehab assistant', establishmentFte: 3 });
    expect(JSON.parse(post.after)).toMatchObject({ establishmentFte: 3.5 });
    const listed = value(await dispatch(t.ctx, 'settings/audit', { limit: 3, entity: 'role' }));
    expect(listed.entries[0]).toMatchObject({
      entity: 'role',
      action: 'update',
      summary: 'Roles: Rehab assistant changed',
    });
    expect(listed.entries[0]!.rows[0]!.changes).toContainEqual({
      field: 'Title',
      before: 'Rehabilitation assistant',
      after: 'Rehab assistant',
    });
  });

  it('refuses to delete a role with staff or a service with roles, and changes nothing', async () => {
    const t = await store();
    const { service, rehab } = await smallTrust(t);
    const roleDelete = await dispatch(t.ctx, 'workforce/role-delete', { id: rehab.id });
    expect(roleDelete).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!roleDelete.ok) expect(roleDelete.error.message).toMatch(/Rehabilitation assistant has 3 staff assignment/);
    const serviceDelete = await dispatch(t.ctx, 'workforce/service-delete', { id: service.id });
    expect(serviceDelete).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(t.store.db.prepare('SELECT count(*) FROM role').pluck().get()).toBe(2);
  });

  it('refuses to delete a role other roles were merged into, as the merge record needs it', async () => {
    const t = await store();
    const { service } = await smallTrust(t);
    const keep = await addRole(t.ctx, { title: 'Therapy helper', serviceId: service.id, profession: 'PHY', band: '2' });
    const gone = await addRole(t.ctx, {
      title: 'Therapy helper - Acute',
      serviceId: service.id,
      profession: 'PHY',
      band: '2',
    });
    value(await dispatch(t.ctx, 'workforce/roles-merge', { roleIds: [gone.id], intoRoleId: keep.id }));
    const refused = await dispatch(t.ctx, 'workforce/role-delete', { id: keep.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/other roles were merged into it/);
    expect(t.store.db.prepare('SELECT count(*) FROM role WHERE id = ?').pluck().get(keep.id)).toBe(1);
  });

  it('pseudonymises staff numbers: never stored in clear, the same number is recognised', async () => {
    const t = await store();
    const { rehab } = await smallTrust(t);
    const input = {
      staffNumber: ' 12345678 ',
      yearOfBirth: 1985,
      sex: 'M' as const,
      ethnicCategory: 'N',
      disability: 'not-declared' as const,
      assignments: [
        {
          roleId: rehab.id,
          serviceId: rehab.serviceId,
          contractedHours: 37.5,
          startDate: '2024-01-01',
          endDate: null,
          leavingReason: '',
        },
      ],
    };
    const saved = value(await dispatch(t.ctx, 'workforce/person-save', input));
    expect(saved.ref).toMatch(/^[0-9A-F]{8}$/);
    const dump =
      JSON.stringify(t.store.db.prepare('SELECT * FROM person').all()) +
      JSON.stringify(t.store.db.prepare('SELECT * FROM audit').all());
    expect(dump).not.toContain('12345678');
    const again = await dispatch(t.ctx, 'workforce/person-save', { ...input, staffNumber: '12345678' });
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { staffNumber: 'Already recorded' } },
    });
  });

  it('edits assignments in place, adds and removes them in one save', async () => {
    const t = await store();
    const { rehab, ap } = await smallTrust(t);
    const list = value(await dispatch(t.ctx, 'workforce/staff', { search: '', offset: 0, limit: 10 }));
    expect(list.total).toBe(4);
    const b = list.people.find((p) => p.assignments.length === 2)!;
    const saved = value(
      await dispatch(t.ctx, 'workforce/person-save', {
        id: b.id,
        yearOfBirth: b.yearOfBirth,
        sex: b.sex,
        ethnicCategory: b.ethnicCategory,
        disability: b.disability,
        assignments: [
          {
            id: b.assignments[0]!.id,
            roleId: rehab.id,
            serviceId: rehab.serviceId,
            contractedHours: 37.5,
            startDate: '2021-09-01',
            endDate: null,
            leavingReason: '',
          },
          {
            roleId: ap.id,
            serviceId: ap.serviceId,
            contractedHours: 3.75,
            startDate: '2026-01-05',
            endDate: null,
            leavingReason: '',
          },
        ],
      }),
    );
    expect(saved.assignments.map((a) => [a.roleTitle, a.fte])).toEqual([
      ['Rehabilitation assistant', 1],
      ['Assistant practitioner', 0.1],
    ]);
    expect(t.store.db.prepare('SELECT count(*) FROM assignment WHERE person_id = ?').pluck().get(b.id)).toBe(2);
  });

  it('rejects invalid staff with field-level details, and writes nothing', async () => {
    const t = await store();
    const { rehab } = await smallTrust(t);
    const before = t.store.db.prepare('SELECT count(*) FROM assignment').pluck().get();
    const result = await dispatch(t.ctx, 'workforce/person-save', {
      yearOfBirth: 1990,
      sex: 'F',
      ethnicCategory: 'A',
      disability: 'no',
      assignments: [
        {
          roleId: rehab.id,
          serviceId: rehab.serviceId,
          contractedHours: -4,
          startDate: '2024-02-30',
          endDate: '2023-01-01',
          leavingReason: '',
        },
      ],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-input');
      expect(result.error.details).toMatchObject({
        'assignments.0.contractedHours': 'Hours cannot be negative',
        'assignments.0.startDate': expect.stringMatching(/real date/),
      });
    }
    const unknownRole = await dispatch(t.ctx, 'workforce/person-save', {
      yearOfBirth: null,
      sex: 'F',
      ethnicCategory: 'A',
      disability: 'no',
      assignments: [
        {
          roleId: 999,
          serviceId: rehab.serviceId,
          contractedHours: 10,
          startDate: '2024-02-01',
          endDate: null,
          leavingReason: '',
        },
      ],
    });
    expect(unknownRole).toMatchObject({ ok: false, error: { details: { 'assignments.0.roleId': 'Choose a role' } } });
    expect(t.store.db.prepare('SELECT count(*) FROM assignment').pluck().get()).toBe(before);
    expect(t.store.db.prepare('SELECT count(*) FROM person').pluck().get()).toBe(4);
  });

  it('loads the demo trust only into an empty database', async () => {
    const t = await store();
    const first = value(await dispatch(t.ctx, 'settings/demo-load', { staff: 100 }));
    expect(first).toEqual({ people: 100, roles: 31 });
    expect(value(await dispatch(t.ctx, 'settings/organisation', {}))).toMatchObject({
      isDemo: true,
      name: expect.stringContaining('synthetic'),
    });
    const second = await dispatch(t.ctx, 'settings/demo-load', { staff: 100 });
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(t.store.db.prepare('SELECT count(*) FROM person').pluck().get()).toBe(100);
  });
});
