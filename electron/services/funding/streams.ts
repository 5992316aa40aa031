import type { z } from 'zod';
import type { ForecastMethod } from '../../../shared/funding/forecast';
import type { fundingStreamInputSchema, FundingStreamView } from '../../../shared/funding/streams';
import { financialYearRange } from '../../../shared/common/periods';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { buildReport } from './report';

/** Funding streams: source, year, allocation, receipts, conditions (free text and checklist), deadline, owner. */

export function listStreams(
  db: DB,
  filter: { financialYear: string | null },
  asAt: string,
  method: ForecastMethod = 'plan',
): FundingStreamView[] {
  const years = filter.financialYear
    ? [filter.financialYear]
    : (
        db.prepare(`SELECT DISTINCT financial_year AS y FROM funding_stream ORDER BY y DESC`).all() as { y: string }[]
      ).map((r) => r.y);
  return years.flatMap((financialYear) => buildReport(db, { financialYear, asAt, method }).streams);
}

export function getStream(db: DB, id: number, asAt: string): FundingStreamView {
  const row = db.prepare(`SELECT financial_year AS y FROM funding_stream WHERE id = ?`).get(id) as
    { y: string } | undefined;
  if (!row) throw new AppError('not-found', `There is no funding stream with id ${id}.`);
  const stream = buildReport(db, { financialYear: row.y, asAt, method: 'plan' }).streams.find((s) => s.id === id)!;
  const { variancePence: _v, unspentPence: _u, lineCount: _l, ...view } = stream;
  return view;
}

export function saveStream(
  db: DB,
  actor: Actor,
  input: z.output<typeof fundingStreamInputSchema>,
  asAt: string,
): FundingStreamView {
  return db.transaction(() => {
    const now = actor.now().toISOString();
    const { from, to } = financialYearRange(input.financialYear);
    const values = [
      input.source,
      input.name,
      input.financialYear,
      input.allocatedPence,
      input.conditions,
      input.deadline,
      input.owner,
    ];
    let id: number;
    let before: FundingStreamView | undefined;
    if (input.id !== undefined) {
      before = getStream(db, input.id, asAt);
      if (before.financialYear !== input.financialYear) {
        const outside = db
          .prepare(
            `SELECT count(*) AS n FROM funding_ledger_entry e JOIN funding_plan_line l ON l.id = e.plan_line_id
             WHERE l.stream_id = ? AND e.entry_date NOT BETWEEN ? AND ?`,
          )
          .get(input.id, from, to) as { n: number };
        if (outside.n > 0) {
          throw new AppError(
            'conflict',
            `${outside.n} ledger ${outside.n === 1 ? 'entry' : 'entries'} on this stream's plan lines ${outside.n === 1 ? 'is' : 'are'} dated outside ${input.financialYear}. The year was not changed.`,
            { financialYear: `Entries on this stream fall outside ${input.financialYear}` },
          );
        }
      }
      db.prepare(
        `UPDATE funding_stream SET source = ?, name = ?, financial_year = ?, allocated_pence = ?, conditions = ?, deadline = ?, owner = ?, updated_at = ? WHERE id = ?`,
      ).run(...values, now, input.id);
      id = input.id;
      db.prepare(`DELETE FROM funding_receipt WHERE stream_id = ?`).run(id);
      db.prepare(`DELETE FROM funding_condition WHERE stream_id = ?`).run(id);
    } else {
      id = Number(
        db
          .prepare(
            `INSERT INTO funding_stream (source, name, financial_year, allocated_pence, conditions, deadline, owner, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(...values, now, now).lastInsertRowid,
      );
    }
    const addReceipt = db.prepare(
      `INSERT INTO funding_receipt (stream_id, received_on, amount_pence, sort) VALUES (?, ?, ?, ?)`,
    );
    input.receipts.forEach((r, i) => addReceipt.run(id, r.date, r.amountPence, i));
    const addCondition = db.prepare(`INSERT INTO funding_condition (stream_id, text, done, sort) VALUES (?, ?, ?, ?)`);
    input.checklist.forEach((c, i) => addCondition.run(id, c.text, c.done ? 1 : 0, i));
    const after = getStream(db, id, asAt);
    const { warnings: _bw, ...beforeFacts } = before ?? { warnings: [] };
    const { warnings: _aw, ...afterFacts } = after;
    recordChange(db, actor, {
      entity: 'funding-stream',
      entityId: id,
      action: before ? 'update' : 'create',
      before: before ? beforeFacts : undefined,
      after: afterFacts,
    });
    return after;
  })();
}

export function deleteStream(db: DB, actor: Actor, id: number, asAt: string): { id: number } {
  return db.transaction(() => {
    const before = getStream(db, id, asAt);
    const lines = db.prepare(`SELECT count(*) AS n FROM funding_plan_line WHERE stream_id = ?`).get(id) as {
      n: number;
    };
    if (lines.n > 0) {
      throw new AppError(
        'conflict',
        `${before.name} has ${lines.n} plan ${lines.n === 1 ? 'line' : 'lines'}. Delete or move them first.`,
      );
    }
    db.prepare(`DELETE FROM funding_stream WHERE id = ?`).run(id);
    recordChange(db, actor, { entity: 'funding-stream', entityId: id, action: 'delete', before });
    return { id };
  })();
}
