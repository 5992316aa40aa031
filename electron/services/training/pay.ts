import type { z } from 'zod';
import type { PayYearView, paySaveSchema } from '../../../shared/training/channels';
import { afcPay, type PayPoint } from '../../../shared/common/reference';
import { financialYearOf, financialYearRange } from '../../../shared/common/periods';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';

/**
 * The Agenda for Change pay table used to cost backfill: pay_point holds every year's amounts. The shipped years
 * (shared/common/reference/afc-pay.json, with their sources) are copied in when the data set's version changes;
 * a year a lead enters also gets a `setting` row (`afc-pay-year:2026/27`) saying who entered it, when and from
 * which source. A year the lead entered is never overwritten by shipped figures.
 */

const STEP_ORDER = ['entry', 'top'];
const enteredKey = (year: string) => `afc-pay-year:${year}`;

interface Entered {
  source: string;
  enteredBy: string;
  enteredAt: string;
}

function enteredYears(db: DB): Map<string, Entered> {
  const rows = db.prepare(`SELECT key, value FROM setting WHERE key LIKE 'afc-pay-year:%'`).raw().all() as [
    string,
    string,
  ][];
  return new Map(rows.map(([key, value]) => [key.slice('afc-pay-year:'.length), JSON.parse(value) as Entered]));
}

/** Copies the shipped pay years into the database, leaving alone any year a lead entered. Runs inside the reference-data transaction. */
export function syncShippedPay(db: DB): void {
  const entered = enteredYears(db);
  const upsert = db.prepare(
    `INSERT INTO pay_point (effective_from, band, step, annual_pence) VALUES (?, ?, ?, ?)
     ON CONFLICT(effective_from, band, step) DO UPDATE SET annual_pence = excluded.annual_pence`,
  );
  for (const y of afcPay.years) {
    if (entered.has(y.year)) continue;
    for (const p of y.payPoints) upsert.run(y.effectiveFrom, p.band, p.step, p.annualPence);
  }
}

/** Every pay point in the database (shipped and entered). */
export function payPoints(db: DB): PayPoint[] {
  return db
    .prepare('SELECT effective_from AS effectiveFrom, band, step, annual_pence AS annualPence FROM pay_point')
    .all() as PayPoint[];
}

/** The pay table by year, oldest first, each year with its source: shipped (confirmed or provisional) or entered by a lead. */
export function payTable(db: DB, points: PayPoint[] = payPoints(db)): PayYearView[] {
  const entered = enteredYears(db);
  const byDate = new Map<string, PayPoint[]>();
  for (const p of points) byDate.set(p.effectiveFrom, [...(byDate.get(p.effectiveFrom) ?? []), p]);
  return [...byDate.keys()].sort().map((effectiveFrom) => {
    const year = financialYearOf(effectiveFrom);
    const own = entered.get(year);
    const shipped = afcPay.years.find((y) => y.effectiveFrom === effectiveFrom);
    return {
      year,
      effectiveFrom,
      source: own?.source ?? shipped?.source ?? 'No source recorded.',
      provenance: own ? 'entered' : (shipped?.provenance ?? 'provisional'),
      enteredBy: own?.enteredBy ?? null,
      enteredAt: own?.enteredAt ?? null,
      payPoints: byDate
        .get(effectiveFrom)!
        .map(({ band, step, annualPence }) => ({ band, step, annualPence }))
        .sort((a, b) => a.band.localeCompare(b.band) || STEP_ORDER.indexOf(a.step) - STEP_ORDER.indexOf(b.step)),
    };
  });
}

/**
 * A lead adds (or corrects) a year's pay points: the year's points are replaced as a whole, the source is kept with
 * them, and the change is audited. The caller re-costs the training needs in the same transaction.
 */
export function writePayYear(db: DB, actor: Actor, input: z.output<typeof paySaveSchema>): void {
  const effectiveFrom = financialYearRange(input.year).from;
  const before = payTable(db).find((y) => y.year === input.year) ?? null;
  db.prepare('DELETE FROM pay_point WHERE effective_from = ?').run(effectiveFrom);
  const insert = db.prepare('INSERT INTO pay_point (effective_from, band, step, annual_pence) VALUES (?, ?, ?, ?)');
  for (const p of input.payPoints) insert.run(effectiveFrom, p.band, p.step, p.annualPence);
  const entered: Entered = { source: input.source, enteredBy: actor.user, enteredAt: actor.now().toISOString() };
  db.prepare(
    'INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(enteredKey(input.year), JSON.stringify(entered));
  const shape = (y: Pick<PayYearView, 'source' | 'payPoints'>) => ({
    source: y.source,
    payPence: Object.fromEntries(y.payPoints.map((p) => [`band ${p.band} ${p.step}`, p.annualPence])),
  });
  recordChange(db, actor, {
    entity: 'afc pay year',
    entityId: input.year,
    action: before ? 'update' : 'create',
    before: before ? shape(before) : null,
    after: shape(input),
  });
}
