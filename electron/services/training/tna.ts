import type { z } from 'zod';
import type {
  paySaveSchema,
  Tna,
  TnaItemView,
  tnaSaveSchema,
  tnaSettingsSaveSchema,
} from '../../../shared/training/channels';
import { routeName } from '../../../shared/framework/labels';
import {
  apprenticeshipFunding,
  tnaItemCost,
  tnaRoutes,
  TNA_ROUTE_IDS,
  type FundingBand,
  type TnaRouteId,
} from '../../../shared/training/tna';
import { quarterRange, type Quarter } from '../../../shared/common/periods';
import { bandsWithPay, payPointOn, payYearNote, type Band, type PayPoint } from '../../../shared/common/reference';
import { financialYearOf } from '../../../shared/common/periods';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { payPoints, payTable, writePayYear } from './pay';

interface ItemRow {
  id: number;
  route: TnaRouteId;
  title: string;
  total_pence: number;
  cohort_size: number;
  priority: 'high' | 'medium' | 'low';
  target_quarter: string;
  gap_stage: TnaItemView['gapStage'];
  tuition_pence_per_person: number;
  backfill_weeks_centi: number;
  backfill_band: Band;
  backfill_step: 'entry' | 'top';
  fte_per_person_ten_thousandths: number;
  tuition_pence: number;
  backfill_pence: number;
  on_cost_pence: number;
  levy_fundable_pence: number | null;
  annual_pay_pence: number | null;
  notes: string | null;
}

export interface TnaSettings {
  onCostBasisPoints: number;
  bands: FundingBand[];
}

export function tnaSettings(db: DB): TnaSettings {
  const stored = new Map(
    (db.prepare('SELECT key, value FROM tna_setting').raw().all() as [string, number][]).map(([k, v]) => [k, v]),
  );
  return {
    onCostBasisPoints: stored.get('on-cost-bp') ?? 0,
    bands: apprenticeshipFunding.bands.map((b) => ({
      ...b,
      maxPence: stored.get(`funding-band:${b.standard}`) ?? b.maxPence,
    })),
  };
}

/** Backfill is costed at the pay point in force on the first day of the target quarter. */
export function payDateOf(targetQuarter: string): string {
  const [fy, q] = targetQuarter.split(' Q');
  return quarterRange(fy!, Number(q) as Quarter).from;
}

type SaveInput = z.output<typeof tnaSaveSchema>;

function cost(input: SaveInput, settings: TnaSettings, points: PayPoint[]) {
  try {
    return tnaItemCost(
      {
        route: input.route,
        cohortSize: input.cohortSize,
        tuitionPencePerPerson: input.tuitionPencePerPerson,
        backfillWeeks: input.backfillWeeks,
        band: input.backfillBand,
        fte: input.ftePerPerson,
        onCostPercent: settings.onCostBasisPoints / 100,
        date: payDateOf(input.targetQuarter),
        step: input.backfillStep,
      },
      { payPoints: points, fundingBands: settings.bands },
    );
  } catch (err) {
    if (err instanceof RangeError)
      throw new AppError('invalid-input', err.message, { cohortSize: 'Too large to cost' });
    const message = err instanceof Error ? err.message : String(err);
    if (/pay point/.test(message)) {
      throw new AppError(
        'invalid-input',
        `${message} Backfill cannot be costed: choose another band, or set backfill weeks to 0.`,
        { backfillBand: 'No pay point for this band on that date' },
      );
    }
    throw err;
  }
}

function toInput(r: ItemRow): SaveInput {
  return {
    id: r.id,
    route: r.route,
    title: r.title,
    cohortSize: r.cohort_size,
    priority: r.priority,
    targetQuarter: r.target_quarter,
    gapStage: r.gap_stage,
    tuitionPencePerPerson: r.tuition_pence_per_person,
    backfillWeeks: r.backfill_weeks_centi / 100,
    backfillBand: r.backfill_band,
    backfillStep: r.backfill_step,
    ftePerPerson: r.fte_per_person_ten_thousandths / 10_000,
    notes: r.notes,
  };
}

/** Which year's pay table costed the backfill, and a note when it is an earlier year's (no later table entered). */
function payYearUsed(r: ItemRow, points: PayPoint[]): { payYear: string | null; payNote: string | null } {
  if (r.annual_pay_pence === null) return { payYear: null, payNote: null };
  const payDate = payDateOf(r.target_quarter);
  const point = payPointOn(payDate, r.backfill_band, r.backfill_step, points);
  if (!point) return { payYear: null, payNote: null };
  return { payYear: financialYearOf(point.effectiveFrom), payNote: payYearNote(payDate, point) };
}

/** The item as entered, then what was worked out from it (the audit keeps views in this field order). */
function toView(r: ItemRow, points: PayPoint[]): TnaItemView {
  const { id: _id, route, ...entered } = toInput(r);
  return {
    id: r.id,
    route,
    routeName: routeName(route),
    ...entered,
    payDate: payDateOf(r.target_quarter),
    annualPayPence: r.annual_pay_pence,
    ...payYearUsed(r, points),
    tuitionPence: r.tuition_pence,
    backfillPence: r.backfill_pence,
    onCostPence: r.on_cost_pence,
    totalPence: r.total_pence,
    levyFundablePence: r.levy_fundable_pence,
  };
}

function getItem(db: DB, id: number): ItemRow {
  const row = db.prepare('SELECT * FROM tna_item WHERE id = ?').get(id) as ItemRow | undefined;
  if (!row) throw new AppError('not-found', `There is no training needs item with id ${id}.`);
  return row;
}

/** Writes an item with its costs; total_pence is what the funding planner reads. */
function write(db: DB, actor: Actor, input: SaveInput, settings: TnaSettings, points: PayPoint[]): number {
  const c = cost(input, settings, points);
  const values = {
    route: input.route,
    title: input.title,
    total: c.totalPence,
    cohort: input.cohortSize,
    priority: input.priority,
    quarter: input.targetQuarter,
    gapStage: input.gapStage,
    tuitionPer: input.tuitionPencePerPerson,
    weeks: Math.round(input.backfillWeeks * 100),
    band: input.backfillBand,
    step: input.backfillStep,
    fte: Math.round(input.ftePerPerson * 10_000),
    tuition: c.tuitionPence,
    backfill: c.backfillPence,
    onCost: c.onCostPence,
    levy: c.levyFundablePence,
    pay: c.annualPayPence,
    notes: input.notes,
    now: actor.now().toISOString(),
  };
  const set = `route = @route, title = @title, total_pence = @total, cohort_size = @cohort, priority = @priority, target_quarter = @quarter,
    gap_stage = @gapStage, tuition_pence_per_person = @tuitionPer, backfill_weeks_centi = @weeks, backfill_band = @band, backfill_step = @step,
    fte_per_person_ten_thousandths = @fte, tuition_pence = @tuition, backfill_pence = @backfill, on_cost_pence = @onCost,
    levy_fundable_pence = @levy, annual_pay_pence = @pay, notes = @notes, updated_at = @now`;
  if (input.id !== undefined) {
    db.prepare(`UPDATE tna_item SET ${set} WHERE id = @id`).run({ ...values, id: input.id });
    return input.id;
  }
  return Number(
    db
      .prepare(
        `INSERT INTO tna_item (route, title, total_pence, cohort_size, priority, target_quarter, gap_stage, tuition_pence_per_person, backfill_weeks_centi,
           backfill_band, backfill_step, fte_per_person_ten_thousandths, tuition_pence, backfill_pence, on_cost_pence, levy_fundable_pence, annual_pay_pence,
           notes, created_at, updated_at)
         VALUES (@route, @title, @total, @cohort, @priority, @quarter, @gapStage, @tuitionPer, @weeks, @band, @step, @fte, @tuition, @backfill, @onCost,
           @levy, @pay, @notes, @now, @now)`,
      )
      .run(values).lastInsertRowid,
  );
}

export function saveTnaItem(db: DB, actor: Actor, input: SaveInput): TnaItemView {
  return db.transaction(() => {
    const points = payPoints(db);
    const before = input.id !== undefined ? toView(getItem(db, input.id), points) : null;
    const id = write(db, actor, input, tnaSettings(db), points);
    const after = toView(getItem(db, id), points);
    recordChange(db, actor, { entity: 'tna item', entityId: id, action: before ? 'update' : 'create', before, after });
    return after;
  })();
}

export function deleteTnaItem(db: DB, actor: Actor, id: number): { id: number } {
  return db.transaction(() => {
    const before = toView(getItem(db, id), payPoints(db));
    try {
      db.prepare('DELETE FROM tna_item WHERE id = ?').run(id);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new AppError(
          'conflict',
          `"${before.title}" is linked to a funding plan line. Unlink it in Funding first.`,
        );
      }
      throw err;
    }
    recordChange(db, actor, { entity: 'tna item', entityId: id, action: 'delete', before });
    return { id };
  })();
}

export function tnaOverview(db: DB): Tna {
  const settings = tnaSettings(db);
  const points = payPoints(db);
  const items = (
    db
      .prepare(
        `SELECT * FROM tna_item ORDER BY CASE priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, target_quarter, id`,
      )
      .all() as ItemRow[]
  ).map((r) => toView(r, points));
  const byRoute = TNA_ROUTE_IDS.map((route) => {
    const own = items.filter((i) => i.route === route);
    return {
      route,
      name: tnaRoutes[route].name,
      items: own.length,
      cohort: own.reduce((s, i) => s + i.cohortSize, 0),
      totalPence: own.reduce((s, i) => s + i.totalPence, 0),
    };
  }).filter((r) => r.items > 0);
  return {
    settings: {
      onCostPercent: settings.onCostBasisPoints / 100,
      fundingBands: settings.bands.map((b) => ({
        ...b,
        defaultMaxPence: apprenticeshipFunding.bands.find((d) => d.standard === b.standard)?.maxPence ?? b.maxPence,
      })),
    },
    pay: { years: payTable(db, points), bands: bandsWithPay(points) },
    items,
    byRoute,
    totalPence: items.reduce((s, i) => s + i.totalPence, 0),
    cohort: items.reduce((s, i) => s + i.cohortSize, 0),
  };
}

/** Changes the on-cost percentage and funding bands, and re-costs every item so stored totals stay right. */
export function saveTnaSettings(db: DB, actor: Actor, input: z.output<typeof tnaSettingsSaveSchema>): Tna {
  return db.transaction(() => {
    const before = tnaSettings(db);
    const upsert = db.prepare(
      'INSERT INTO tna_setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    upsert.run('on-cost-bp', Math.round(input.onCostPercent * 100));
    for (const b of input.fundingBands) upsert.run(`funding-band:${b.standard}`, b.maxPence);
    const after = tnaSettings(db);
    recordChange(db, actor, {
      entity: 'tna settings',
      entityId: null,
      action: 'update',
      before: {
        onCostPercent: before.onCostBasisPoints / 100,
        fundingBands: before.bands.map((b) => ({ standard: b.standard, maxPence: b.maxPence })),
      },
      after: {
        onCostPercent: after.onCostBasisPoints / 100,
        fundingBands: after.bands.map((b) => ({ standard: b.standard, maxPence: b.maxPence })),
      },
    });
    recostAll(db, actor, after, 'TNA settings changed');
    return tnaOverview(db);
  })();
}

/** Re-costs every item with the current settings and pay table; an item whose cost changes gets an audit row. */
function recostAll(db: DB, actor: Actor, settings: TnaSettings, reason: string): void {
  const points = payPoints(db);
  for (const row of db.prepare('SELECT * FROM tna_item').all() as ItemRow[]) {
    const old = toView(row, points);
    write(db, actor, toInput(row), settings, points);
    const fresh = toView(getItem(db, row.id), points);
    if (
      fresh.totalPence !== old.totalPence ||
      fresh.levyFundablePence !== old.levyFundablePence ||
      fresh.annualPayPence !== old.annualPayPence
    ) {
      recordChange(db, actor, {
        entity: 'tna item',
        entityId: row.id,
        action: 'update',
        before: { title: old.title, totalPence: old.totalPence, annualPayPence: old.annualPayPence },
        after: { title: fresh.title, totalPence: fresh.totalPence, annualPayPence: fresh.annualPayPence, reason },
      });
    }
  }
}

/** A lead adds or corrects a year's Agenda for Change pay points; every item is re-costed against the new table. */
export function savePayYear(db: DB, actor: Actor, input: z.output<typeof paySaveSchema>): Tna {
  return db.transaction(() => {
    writePayYear(db, actor, input);
    recostAll(db, actor, tnaSettings(db), `${input.year} pay points entered`);
    return tnaOverview(db);
  })();
}
