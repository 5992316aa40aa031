import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelInput, ChannelOutput } from '../../shared/contract';
import { dispatch } from '../../electron/router';
import { recordChange, type Change } from '../../electron/services/common/audit';
import { tempStore, type TempStore } from './helpers';

let t: TempStore;
beforeEach(async () => {
  t = await tempStore();
});
afterEach(() => t.cleanup());

async function audit(input: ChannelInput<'settings/audit'>): Promise<ChannelOutput<'settings/audit'>> {
  const r = await dispatch(t.ctx, 'settings/audit', input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const at = (iso: string, user = 'lead') => ({ user, now: () => new Date(iso) });
const write = (iso: string, change: Change, user?: string) => recordChange(t.store.db, at(iso, user), change);
const mapping = (roleId: number, stage: string) => ({
  entity: 'role mapping' as const,
  entityId: roleId,
  action: 'update' as const,
  before: { stage: 'entry', status: 'draft', updatedAt: '2026-01-01T00:00:00.000Z' },
  after: { stage, status: 'draft', updatedAt: '2026-03-02T09:00:00.000Z', bulk: 'set-stage' },
});

/** A trail with a bulk action in the middle: 25 role mappings set in one second by one user. */
function trail(): { alice: string } {
  const db = t.store.db;
  db.prepare(
    `INSERT INTO person (id, pseudo_id) VALUES (1, 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6'), (2, 'ffff0000ffff0000ffff0000ffff0000')`,
  ).run();
  const alice = 'A1B2C3D4';
  db.prepare(`INSERT INTO service (id, name) VALUES (1, 'Therapies')`).run();
  db.prepare(
    `INSERT INTO role (id, title, profession_code, band) VALUES (26, 'Theatre support worker', 'ODP', '2')`,
  ).run();
  write('2026-03-01T09:00:00.000Z', {
    entity: 'role',
    entityId: 7,
    action: 'create',
    after: { title: 'Rehab assistant', band: '3' },
  });
  for (let roleId = 1; roleId <= 25; roleId++)
    write(`2026-03-02T09:00:00.${String(roleId).padStart(3, '0')}Z`, mapping(roleId, 'intermediate'));
  write('2026-03-02T09:00:00.900Z', mapping(26, 'entry'), 'someone else'); // same second, another user: its own entry
  write('2026-03-03T10:00:00.000Z', {
    entity: 'qualification',
    entityId: 5,
    action: 'create',
    after: { person: alice, kind: 'rqf', level: 3, title: 'Diploma', status: 'completed' },
  });
  write('2026-03-04T10:00:00.000Z', {
    entity: 'person',
    entityId: 1,
    action: 'update',
    before: { ref: alice, sex: 'F' },
    after: { ref: alice, sex: 'X' },
  });
  write('2026-03-05T10:00:00.000Z', {
    entity: 'person',
    entityId: 2,
    action: 'update',
    before: { sex: 'M' },
    after: { sex: 'F' },
  });
  write('2026-03-06T10:00:00.000Z', {
    entity: 'tna settings',
    entityId: null,
    action: 'update',
    before: { onCostPercent: 0, fundingBands: [{ standard: 'ST0217', maxPence: 500000 }] },
    after: { onCostPercent: 21.5, fundingBands: [{ standard: 'ST0217', maxPence: 400000 }] },
  });
  return { alice };
}

describe('the audit trail', () => {
  it('groups a bulk action as one entry, newest first, with its rows and a readable summary', async () => {
    trail();
    const page = await audit({});
    expect(page).toMatchObject({ total: 7, rows: 31, offset: 0, limit: 25 });
    expect(page.entries.map((e) => [e.summary, e.count])).toEqual([
      ['TNA settings: setting changed', 1],
      ['Staff: person 2 changed', 1], // a row without the reference names the person by id
      ['Staff: staff A1B2C3D4 changed', 1],
      ['Qualifications: Diploma added', 1],
      ['Role mapping: Theatre support worker remapped', 1], // named from the role table
      ['Role mapping: 25 roles set to intermediate', 25],
      ['Roles: Rehab assistant added', 1],
    ]);
    const bulk = page.entries[5]!;
    expect(bulk).toMatchObject({
      user: 'lead',
      entity: 'role mapping',
      action: 'update',
      at: '2026-03-02T09:00:00.001Z',
    });
    expect(bulk.rows).toHaveLength(25);
    // Before and after in words, only what changed (the bookkeeping time is left out).
    expect(bulk.rows[0]).toMatchObject({
      entityId: '1',
      changes: [
        { field: 'Stage', before: 'entry', after: 'intermediate' },
        { field: 'Bulk', before: null, after: 'set-stage' },
      ],
    });
    expect(page.entries[0]!.rows[0]!.changes).toEqual([
      { field: 'On-cost percent', before: '0', after: '21.5' },
      { field: 'Funding bands', before: 'standard: ST0217, max: £5,000.00', after: 'standard: ST0217, max: £4,000.00' },
    ]);
    expect(page.areas.map((a) => a.label)).toEqual([
      'Qualifications',
      'Role mapping',
      'Roles',
      'Staff',
      'TNA settings',
    ]);
  });

  it('pages through every entry with a total', async () => {
    trail();
    const first = await audit({ limit: 3 });
    const second = await audit({ limit: 3, offset: 3 });
    const third = await audit({ limit: 3, offset: 6 });
    expect([first.total, second.total, third.total]).toEqual([7, 7, 7]);
    const ids = [...first.entries, ...second.entries, ...third.entries].map((e) => e.id);
    expect(new Set(ids).size).toBe(7);
    expect(third.entries.map((e) => e.summary)).toEqual(['Roles: Rehab assistant added']);
  });

  it('filters by area, by person (staff reference) and by dates', async () => {
    const { alice } = trail();
    expect((await audit({ entity: 'role mapping' })).entries.map((e) => e.count)).toEqual([1, 25]);
    const aliceOnly = await audit({ person: alice.toLowerCase() });
    expect(aliceOnly.entries.map((e) => e.summary)).toEqual([
      'Staff: staff A1B2C3D4 changed',
      'Qualifications: Diploma added',
    ]);
    const marchSecondToThird = await audit({ from: '2026-03-02T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z' });
    expect(marchSecondToThird).toMatchObject({ total: 3, rows: 27 });
    const refused = await dispatch(t.ctx, 'settings/audit', { person: 'not a ref' });
    expect(refused.ok).toBe(false);
  });
});

describe('one request, one moment', () => {
  it('a bulk action taking more than a second is still one entry: every row a request writes has its time', async () => {
    const { addRole } = await import('./helpers');
    const service = await dispatch(t.ctx, 'workforce/service-save', { name: 'MSK', costCentre: null });
    if (!service.ok) throw new Error(service.error.message);
    const roleIds: number[] = [];
    for (const title of ['Physio assistant', 'OT assistant', 'Dietetic assistant', 'Podiatry assistant'])
      roleIds.push(
        (
          await addRole(t.ctx, {
            title,
            serviceId: service.value.id,
            profession: 'PHY',
            band: '3',
            establishmentFte: 1,
          })
        ).id,
      );
    // A clock that moves on 0.7 s each time it is read: the four mappings would span three seconds.
    let ms = Date.parse('2026-03-31T09:00:00.500Z');
    const slow = { ...t.ctx, now: () => new Date((ms += 700)) };
    const result = await dispatch(slow, 'framework/mapping-bulk', { action: 'set-stage', roleIds, stage: 'entry' });
    expect(result.ok).toBe(true);
    const times = t.store.db.prepare(`SELECT DISTINCT at FROM audit WHERE entity = 'role mapping'`).pluck().all();
    expect(times).toHaveLength(1);
    const page = await audit({ entity: 'role mapping' });
    expect(page.entries.filter((e) => e.count === 4)).toHaveLength(1);
  });
});
