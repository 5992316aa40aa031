import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract';
import type { ApiError } from '../../shared/common/api';
import { dispatch } from '../../electron/router';
import { DatabaseStore } from '../../electron/db/store';
import { tempStore, type TempStore } from './helpers';

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

/** Band 3 entry-step backfill for one person, 10 weeks at 1.0 FTE, no on-cost: backfill = annual pay x 10 / 52. */
const item = (targetQuarter: string) =>
  ({
    route: 'ST0217',
    title: 'Senior HCSW apprenticeship',
    cohortSize: 1,
    priority: 'high',
    targetQuarter,
    gapStage: 'intermediate',
    tuitionPencePerPerson: 0,
    backfillWeeks: 10,
    backfillBand: '3',
    backfillStep: 'entry',
    ftePerPerson: 1,
    notes: null,
  }) as const;

const bands234 = (entry: number[], top: number[]) =>
  ['2', '3', '4'].flatMap((band, i) => [
    { band, step: 'entry', annualPence: entry[i]! },
    { band, step: 'top', annualPence: top[i]! },
  ]) as ChannelInput<'training/pay-save'>['payPoints'];

describe('Agenda for Change pay for the TNA', () => {
  it('loads every shipped year, 2021/22 to 2025/26, into the database with its source', async () => {
    const tna = await call('training/tna', {});
    expect(tna.pay.years.map((y) => [y.year, y.provenance])).toEqual([
      ['2021/22', 'confirmed'],
      ['2022/23', 'confirmed'],
      ['2023/24', 'provisional'],
      ['2024/25', 'confirmed'],
      ['2025/26', 'provisional'],
    ]);
    expect(tna.pay.years.every((y) => y.source.includes('NHS Employers') && y.payPoints.length === 6)).toBe(true);
    // Only the bands with pay points are offered: backfill at band 5 would only be refused.
    expect(tna.pay.bands).toEqual(['2', '3', '4']);
    expect(db().prepare('SELECT version FROM reference_dataset WHERE dataset = ?').pluck().get('afc-pay')).toBe(
      '2025-26.1',
    );
  });

  it('costs 2026/27 at 2025/26 pay and says so; a year the lead adds is used from then on, re-costing every item', async () => {
    // 2025/26 band 3 entry £24,937: backfill = 2,493,700 x 10 / 52 = 479,557.69 -> 479,558p.
    const saved = await call('training/tna-save', item('2026/27 Q2'));
    expect(saved).toMatchObject({
      payDate: '2026-07-01',
      annualPayPence: 2493700,
      backfillPence: 479558,
      payYear: '2025/26',
      payNote: '2025/26 pay used for 2026/27: no later pay scale entered',
    });
    // The same quarter a year earlier uses its own year's table, without a note.
    expect(await call('training/tna-save', { ...item('2025/26 Q2'), title: 'Earlier' })).toMatchObject({
      payYear: '2025/26',
      payNote: null,
    });

    // The lead enters 2026/27 (made-up figures): band 3 entry £25,836 -> backfill = 2,583,600 x 10 / 52 = 496,846.15 -> 496,846p.
    const tna = await call('training/pay-save', {
      year: '2026/27',
      source: 'NHS Employers pay scales 2026/27 (test figures)',
      payPoints: bands234([2534600, 2583600, 2847500], [2534600, 2755600, 3124800]),
    });
    const later = tna.items.find((i) => i.id === saved.id)!;
    expect(later).toMatchObject({ annualPayPence: 2583600, backfillPence: 496846, payYear: '2026/27', payNote: null });
    expect(db().prepare('SELECT total_pence FROM tna_item WHERE id = ?').pluck().get(saved.id)).toBe(496846);
    expect(tna.pay.years.at(-1)).toMatchObject({
      year: '2026/27',
      effectiveFrom: '2026-04-01',
      provenance: 'entered',
      enteredBy: 'test-user',
      source: 'NHS Employers pay scales 2026/27 (test figures)',
    });
    const audit = db()
      .prepare(
        `SELECT entity, entity_id, action, after FROM audit WHERE entity IN ('afc pay year', 'tna item') ORDER BY id`,
      )
      .all() as { entity: string; entity_id: string; action: string; after: string }[];
    expect(audit.map((a) => [a.entity, a.entity_id, a.action])).toEqual([
      ['tna item', String(saved.id), 'create'],
      ['tna item', String(saved.id + 1), 'create'],
      ['afc pay year', '2026/27', 'create'],
      ['tna item', String(saved.id), 'update'], // re-costed; the 2025/26 item is unchanged
    ]);
    expect(JSON.parse(audit[2]!.after)).toMatchObject({ payPence: { 'band 3 entry': 2583600 } });
    expect(JSON.parse(audit[3]!.after)).toMatchObject({ totalPence: 496846, reason: '2026/27 pay points entered' });
  });

  it('keeps a year the lead entered when the shipped data is loaded again, and corrects a shipped year on request', async () => {
    await call('training/pay-save', {
      year: '2025/26',
      source: 'Trust finance: corrected 2025/26',
      payPoints: bands234([2446600, 2493800, 2748600], [2446600, 2659900, 3016300]),
    });
    // Next start with a new version of the shipped data: the shipped 2025/26 must not overwrite the lead's.
    db().prepare(`UPDATE reference_dataset SET version = 'older' WHERE dataset = 'afc-pay'`).run();
    const file = t.file;
    t.store.close();
    const reopened = await DatabaseStore.open(file);
    t = { ...t, store: reopened, ctx: { ...t.ctx, store: reopened } };
    const tna = await call('training/tna', {});
    const y = tna.pay.years.find((p) => p.year === '2025/26')!;
    expect(y).toMatchObject({ provenance: 'entered', source: 'Trust finance: corrected 2025/26' });
    expect(y.payPoints.find((p) => p.band === '3' && p.step === 'entry')!.annualPence).toBe(2493800);
    // Another shipped year is still refreshed.
    db().prepare(`UPDATE pay_point SET annual_pence = 1 WHERE effective_from = '2024-04-01'`).run();
    db().prepare(`UPDATE reference_dataset SET version = 'older' WHERE dataset = 'afc-pay'`).run();
    t.store.close();
    const again = await DatabaseStore.open(file);
    t = { ...t, store: again, ctx: { ...t.ctx, store: again } };
    expect(
      db().prepare(`SELECT min(annual_pence) FROM pay_point WHERE effective_from = '2024-04-01'`).pluck().get(),
    ).toBe(2361500);
  });

  it('refuses a pay year it cannot use, changing nothing', async () => {
    const before = JSON.stringify(db().prepare('SELECT * FROM pay_point ORDER BY 1, 2, 3').all());
    const good = bands234([2534600, 2583600, 2847500], [2534600, 2755600, 3124800]);
    expect((await fail('training/pay-save', { year: '2026/28', source: 'x', payPoints: good })).details).toHaveProperty(
      'year',
    );
    expect((await fail('training/pay-save', { year: '2026/27', source: ' ', payPoints: good })).details).toHaveProperty(
      'source',
    );
    const topBelowEntry = good.map((p) => (p.band === '4' && p.step === 'top' ? { ...p, annualPence: 2000000 } : p));
    expect(
      (await fail('training/pay-save', { year: '2026/27', source: 'x', payPoints: topBelowEntry })).details,
    ).toEqual({ 'payPoints.5': 'Band 4: the top step is below the entry step' });
    const pennies = good.map((p, i) => (i === 0 ? { ...p, annualPence: 25346 } : p));
    expect((await fail('training/pay-save', { year: '2026/27', source: 'x', payPoints: pennies })).details).toEqual({
      'payPoints.0.annualPence': 'Below £5,000 a year is not an annual Agenda for Change salary',
    });
    expect(JSON.stringify(db().prepare('SELECT * FROM pay_point ORDER BY 1, 2, 3').all())).toBe(before);
  });
});
