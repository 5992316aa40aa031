import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract';
import { dispatch } from '../../electron/router';
import { generateDemoTrust } from '../../electron/services/settings/demo-generate';
import { tempStore, type TempStore } from './helpers';

const stores: TempStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.cleanup();
});
async function store(): Promise<TempStore> {
  const t = await tempStore();
  stores.push(t);
  return t;
}
async function call<C extends Channel>(t: TempStore, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const r = await dispatch(t.ctx, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message} ${JSON.stringify(r.error.details ?? {})}`);
  return r.value as ChannelOutput<C>;
}
const scalar = (t: TempStore, sql: string) => t.store.db.prepare(sql).pluck().get() as number;

describe('the synthetic demo trust (issue 11, item 9)', () => {
  it('has about 2,000 staff in about 30 job roles across nine services, and says it is synthetic', async () => {
    const t = await store();
    const started = performance.now();
    const loaded = await call(t, 'settings/demo-load', {});
    const ms = performance.now() - started;
    console.log(`demo trust, 2,000 staff with everything else: loaded in ${Math.round(ms)} ms`);
    // A generous ceiling for a shared test machine: the load takes well under a second on its own.
    expect(ms).toBeLessThan(10_000);
    expect(loaded).toEqual({ people: 2000, roles: 31 });
    expect(await call(t, 'settings/organisation', {})).toMatchObject({
      isDemo: true,
      name: 'Demo Valley NHS Foundation Trust (synthetic)',
    });
    expect(scalar(t, 'SELECT count(*) FROM service')).toBe(9);
    // Roles spanning services, people with two assignments, leavers, and staff whose code is not the role's.
    expect(scalar(t, 'SELECT count(*) FROM (SELECT role_id FROM post GROUP BY role_id HAVING count(*) >= 3)')).toBe(4);
    expect(
      scalar(t, 'SELECT count(*) FROM (SELECT person_id FROM assignment GROUP BY person_id HAVING count(*) > 1)'),
    ).toBeGreaterThan(50);
    expect(scalar(t, 'SELECT count(*) FROM assignment WHERE end_date IS NOT NULL')).toBeGreaterThan(100);
    const roles = await call(t, 'workforce/roles', {});
    expect(roles.filter((r) => r.mixed !== null).map((r) => r.title)).toEqual(
      expect.arrayContaining(['Rehabilitation assistant', 'Therapy assistant']),
    );
    expect(new Set(roles.map((r) => r.band))).toEqual(new Set(['2', '3', '4']));
  });

  it('has establishments with vacancies, most roles mapped and some agreed with rationales and assessments', async () => {
    const t = await store();
    await call(t, 'settings/demo-load', {});
    const summary = await call(t, 'workforce/summary', { asAt: '2026-03-31' });
    expect(summary.vacancyCoverage.rolesWithEstablishment).toBe(scalar(t, 'SELECT count(*) FROM post'));
    expect(summary.establishmentFte).toBeGreaterThan(summary.fte);
    expect(summary.vacancyFte).toBeGreaterThan(0);
    expect(summary.byPost.filter((p) => (p.vacancyFte ?? 0) > 0).length).toBeGreaterThan(20);

    const { rows } = await call(t, 'framework/mappings', {});
    const mapped = rows.filter((r) => r.mapping?.stage);
    const agreed = rows.filter((r) => r.mapping?.status === 'agreed');
    expect(rows).toHaveLength(31);
    expect(mapped).toHaveLength(27);
    expect(agreed.map((r) => r.title).sort()).toEqual([
      'Dietetic assistant',
      'Imaging support worker',
      'Occupational therapy assistant',
      'Senior theatre support worker',
      'Senior therapy assistant',
      'Speech and language therapy assistant',
      'Therapy assistant practitioner',
    ]);
    for (const r of agreed) {
      const detail = await call(t, 'framework/mapping', { roleId: r.roleId });
      expect(detail.row.mapping?.rationale).toMatch(/^Agreed with the .* lead after reviewing the job description/);
      expect(detail.assessments.map((a) => a.domain)).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('has qualification records that make the gap analysis varied, not all unknown', async () => {
    const t = await store();
    await call(t, 'settings/demo-load', {});
    expect(scalar(t, 'SELECT count(*) FROM qualification')).toBeGreaterThan(3000);
    expect(scalar(t, "SELECT count(DISTINCT status) FROM qualification WHERE kind = 'apprenticeship'")).toBe(3);
    expect(scalar(t, "SELECT count(DISTINCT title) FROM qualification WHERE kind = 'apprenticeship'")).toBe(3);
    expect(scalar(t, "SELECT count(*) FROM qualification WHERE kind = 'foundation-degree'")).toBeGreaterThan(10);
    const gaps = await call(t, 'training/gaps', { asAt: '2026-03-31' });
    const { people, meets, partly, doesNot, unknown } = gaps.totals;
    expect(people).toBeGreaterThan(1500);
    // Unmapped roles and people with no records stay unknown; the rest are spread over the other three.
    expect(unknown / people).toBeLessThan(0.45);
    for (const n of [meets, partly, doesNot]) expect(n / people).toBeGreaterThan(0.05);
  });

  it('has training needs, a pump-prime stream with a plan, allocations and a ledger, and two pathways', async () => {
    const t = await store();
    await call(t, 'settings/demo-load', {});
    const tna = await call(t, 'training/tna', {});
    expect(tna.items.map((i) => i.route).sort()).toEqual([
      'ST0215',
      'ST0216',
      'ST0217',
      'care-certificate',
      'functional-skills',
    ]);
    expect(tna.items.every((i) => i.totalPence > 0 && i.payNote === null)).toBe(true);

    const [stream, ...others] = await call(t, 'funding/streams', { financialYear: null });
    expect(others).toEqual([]);
    expect(stream).toMatchObject({
      source: 'hee-pump-prime',
      financialYear: '2025/26',
      allocatedPence: 6_500_000,
      receivedPence: 6_500_000,
    });
    const lines = await call(t, 'funding/lines', { streamId: stream!.id });
    expect(lines).toHaveLength(6);
    // The backfill line takes its total from the ST0217 training need.
    const st0217 = tna.items.find((i) => i.route === 'ST0217')!;
    expect(lines.find((l) => l.category === 'backfill')).toMatchObject({
      tnaItemId: st0217.id,
      totalPence: st0217.totalPence,
    });
    expect(stream!.plannedPence).toBeLessThanOrEqual(stream!.allocatedPence);
    expect(stream!.actualPence).toBeGreaterThan(0);
    expect(stream!.committedPence).toBe(480_000);
    expect(scalar(t, 'SELECT count(*) FROM funding_ledger_entry WHERE plan_line_id IS NOT NULL')).toBeGreaterThan(20);
    expect(scalar(t, 'SELECT count(*) FROM funding_ledger_entry WHERE plan_line_id IS NULL')).toBe(2);

    const pathways = await call(t, 'framework/pathways', {});
    expect(pathways.map((p) => [p.name, p.steps.map((s) => s.kind)])).toEqual([
      [
        'Theatres: support worker to operating department practitioner',
        ['roles', 'roles', 'roles', 'registered-profession'],
      ],
      ['Therapy support worker to physiotherapist', ['roles', 'stage', 'roles', 'registered-profession']],
    ]);
    const physio = pathways[1]!;
    expect(physio.steps[0]!.roles.map((r) => r.title)).toEqual(['Physiotherapy support worker', 'Therapy assistant']);
    // The intermediate physiotherapy stage holds every physiotherapy role mapped there, in any service.
    expect(physio.steps[1]!.roles.map((r) => r.title)).toEqual([
      "Children's therapy assistant",
      'Physiotherapy assistant',
      'Rehabilitation assistant',
      'Senior therapy assistant',
      'Stroke rehabilitation assistant',
    ]);
    for (const step of physio.steps.slice(0, 3)) {
      expect(step.people).toBeGreaterThan(0);
      expect(step.meetNextAfterTraining).toBeGreaterThanOrEqual(step.meetNextNow ?? 0);
    }
    expect(physio.steps[0]!.meetNextNow).toBeGreaterThan(0);
  });

  it('is the same trust for the same seed, and a different one for another seed', async () => {
    expect(generateDemoTrust(300, 7)).toEqual(generateDemoTrust(300, 7));
    expect(generateDemoTrust(300, 8).people).not.toEqual(generateDemoTrust(300, 7).people);
    // Loaded twice, the rows match apart from the random pseudonyms.
    const rowsOf = async () => {
      const t = await store();
      await call(t, 'settings/demo-load', { staff: 300, seed: 7 });
      const db = t.store.db;
      return [
        db.prepare('SELECT * FROM post ORDER BY id').all(),
        db
          .prepare('SELECT id, person_id, post_id, hours_centi, start_date, end_date FROM assignment ORDER BY id')
          .all(),
        db.prepare('SELECT person_id, details FROM qualification ORDER BY id').all(),
        db.prepare('SELECT * FROM role_mapping ORDER BY role_id').all(),
        db.prepare('SELECT * FROM funding_ledger_entry ORDER BY id').all(),
      ];
    };
    expect(await rowsOf()).toEqual(await rowsOf());
  });

  it('loads only into an empty database and writes nothing when refused', async () => {
    const t = await store();
    expect(await call(t, 'settings/demo-load', { staff: 100 })).toEqual({ people: 100, roles: 31 });
    const audit = scalar(t, 'SELECT count(*) FROM audit');
    const second = await dispatch(t.ctx, 'settings/demo-load', { staff: 100 });
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(scalar(t, 'SELECT count(*) FROM person')).toBe(100);
    expect(scalar(t, 'SELECT count(*) FROM audit')).toBe(audit);
  });
});
