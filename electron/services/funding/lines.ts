import type { z } from 'zod';
import {
  phase,
  type CategoryView,
  type PlanCategory,
  type planLineInputSchema,
  type PlanLineView,
  type TnaItemView,
} from '../../../shared/funding/plan';
import { aimCodeSchema, requirementCodeSchema } from '../../../shared/funding/streams';
import { formatPence } from '../../../shared/common/money';
import { financialYearRange } from '../../../shared/common/periods';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';

/** Spend plan lines with their monthly phasing, plan categories, and the TNA items a line can cost from. */

export type LineRow = Omit<PlanLineView, 'actualPence' | 'committedPence'> & {
  actualPence: number;
  committedPence: number;
};

interface RawLine {
  id: number;
  streamId: number;
  category: string;
  categoryLabel: string;
  description: string;
  aims: string;
  requirements: string;
  tnaItemId: number | null;
  totalPence: number;
  profile: PlanLineView['profile'];
  months: string;
  actualPence: number;
  committedPence: number;
}

const LINE_SELECT = `
  SELECT l.id, l.stream_id AS streamId, l.category, c.label AS categoryLabel, l.description, l.aims, l.requirements,
         l.tna_item_id AS tnaItemId, l.total_pence AS totalPence, l.profile,
         (SELECT json_group_array(amount_pence) FROM (SELECT amount_pence FROM funding_plan_month m WHERE m.line_id = l.id ORDER BY month_index)) AS months,
         coalesce((SELECT sum(amount_pence) FROM funding_ledger_entry e WHERE e.plan_line_id = l.id AND e.kind = 'actual'), 0) AS actualPence,
         coalesce((SELECT sum(amount_pence) FROM funding_ledger_entry e WHERE e.plan_line_id = l.id AND e.kind = 'commitment'), 0) AS committedPence
  FROM funding_plan_line l
  JOIN funding_category c ON c.code = l.category
  JOIN funding_stream s ON s.id = l.stream_id`;

function toView(r: RawLine): LineRow {
  return {
    ...r,
    aims: aimCodeSchema.array().parse(JSON.parse(r.aims)),
    requirements: requirementCodeSchema.array().parse(JSON.parse(r.requirements)),
    monthlyPence: JSON.parse(r.months) as number[],
  };
}

export function readLines(db: DB, filter: { streamId: number | null; financialYear: string | null }): LineRow[] {
  const rows = db
    .prepare(
      `${LINE_SELECT}
       WHERE (@streamId IS NULL OR l.stream_id = @streamId) AND (@year IS NULL OR s.financial_year = @year)
       ORDER BY s.financial_year, s.name, s.id, c.sort, l.id`,
    )
    .all({ streamId: filter.streamId, year: filter.financialYear }) as RawLine[];
  return rows.map(toView);
}

export function getLine(db: DB, id: number): PlanLineView {
  const row = db.prepare(`${LINE_SELECT} WHERE l.id = ?`).get(id) as RawLine | undefined;
  if (!row) throw new AppError('not-found', `There is no plan line with id ${id}.`);
  return toView(row);
}

/** "Stream name: line description", how a line is named in lists and errors. */
export function lineLabel(db: DB, id: number): string {
  const r = db
    .prepare(
      `SELECT s.name || ': ' || l.description AS label FROM funding_plan_line l JOIN funding_stream s ON s.id = l.stream_id WHERE l.id = ?`,
    )
    .get(id) as { label: string } | undefined;
  return r?.label ?? `line ${id}`;
}

export function listTnaItems(db: DB): TnaItemView[] {
  return db
    .prepare(`SELECT id, route, title, total_pence AS totalPence FROM tna_item ORDER BY title, id`)
    .all() as TnaItemView[];
}

export function saveLine(db: DB, actor: Actor, input: z.output<typeof planLineInputSchema>): PlanLineView {
  return db.transaction(() => {
    const stream = db
      .prepare(`SELECT id, name, financial_year AS financialYear FROM funding_stream WHERE id = ?`)
      .get(input.streamId) as { id: number; name: string; financialYear: string } | undefined;
    if (!stream)
      throw new AppError('invalid-input', 'Choose a funding stream that exists.', {
        streamId: 'Choose a funding stream',
      });
    if (!db.prepare(`SELECT 1 FROM funding_category WHERE code = ?`).get(input.category)) {
      throw new AppError('invalid-input', `There is no category "${input.category}".`, {
        category: 'Choose a category',
      });
    }
    let totalPence = input.totalPence;
    if (input.tnaItemId !== null) {
      const tna = db
        .prepare(`SELECT title, total_pence AS totalPence FROM tna_item WHERE id = ?`)
        .get(input.tnaItemId) as { title: string; totalPence: number } | undefined;
      if (!tna)
        throw new AppError('invalid-input', 'That training needs assessment item no longer exists.', {
          tnaItemId: 'Choose a TNA item that exists',
        });
      if (input.totalFromTna) totalPence = tna.totalPence;
    } else if (input.totalFromTna) {
      throw new AppError('invalid-input', 'Choose a TNA item to take the cost from.', {
        tnaItemId: 'Choose a TNA item',
      });
    }
    let months: number[];
    try {
      months = phase(totalPence, input.profile, input.customMonths ?? undefined);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new AppError('invalid-input', `The phasing does not fit the ${formatPence(totalPence)} total: ${message}`, {
        customMonths: message,
      });
    }
    const values = [
      input.streamId,
      input.category,
      input.description,
      JSON.stringify(input.aims),
      JSON.stringify(input.requirements),
      input.tnaItemId,
      totalPence,
      input.profile,
    ];
    let id: number;
    let before: PlanLineView | undefined;
    if (input.id !== undefined) {
      before = getLine(db, input.id);
      if (before.streamId !== input.streamId) {
        const { from, to } = financialYearRange(stream.financialYear);
        const outside = db
          .prepare(
            `SELECT count(*) AS n FROM funding_ledger_entry WHERE plan_line_id = ? AND entry_date NOT BETWEEN ? AND ?`,
          )
          .get(input.id, from, to) as { n: number };
        if (outside.n > 0) {
          throw new AppError(
            'conflict',
            `${outside.n} ledger ${outside.n === 1 ? 'entry' : 'entries'} on this line ${outside.n === 1 ? 'is' : 'are'} dated outside ${stream.financialYear}, the year of ${stream.name}. Move them to another line first.`,
            { streamId: `Entries on this line fall outside ${stream.financialYear}` },
          );
        }
      }
      db.prepare(
        `UPDATE funding_plan_line SET stream_id = ?, category = ?, description = ?, aims = ?, requirements = ?, tna_item_id = ?, total_pence = ?, profile = ? WHERE id = ?`,
      ).run(...values, input.id);
      id = input.id;
      db.prepare(`DELETE FROM funding_plan_month WHERE line_id = ?`).run(id);
    } else {
      id = Number(
        db
          .prepare(
            `INSERT INTO funding_plan_line (stream_id, category, description, aims, requirements, tna_item_id, total_pence, profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(...values).lastInsertRowid,
      );
    }
    const insertMonth = db.prepare(
      `INSERT INTO funding_plan_month (line_id, month_index, amount_pence) VALUES (?, ?, ?)`,
    );
    months.forEach((p, i) => insertMonth.run(id, i, p));
    const after = getLine(db, id);
    recordChange(db, actor, {
      entity: 'funding-plan-line',
      entityId: id,
      action: before ? 'update' : 'create',
      before,
      after,
    });
    return after;
  })();
}

export function deleteLine(db: DB, actor: Actor, id: number): { id: number; unallocatedEntries: number } {
  return db.transaction(() => {
    const before = getLine(db, id);
    const entries = db.prepare(`SELECT count(*) AS n FROM funding_ledger_entry WHERE plan_line_id = ?`).get(id) as {
      n: number;
    };
    // Entries on the line go back to the review list (the foreign key sets them to NULL); its rules go with it.
    db.prepare(`UPDATE funding_ledger_entry SET plan_line_id = NULL, rule_id = NULL WHERE plan_line_id = ?`).run(id);
    db.prepare(`DELETE FROM funding_plan_line WHERE id = ?`).run(id);
    recordChange(db, actor, {
      entity: 'funding-plan-line',
      entityId: id,
      action: 'delete',
      before: { ...before, unallocatedEntries: entries.n },
    });
    return { id, unallocatedEntries: entries.n };
  })();
}

// ---------- categories ----------

export function listCategories(db: DB): CategoryView[] {
  return db
    .prepare(
      `SELECT c.code, c.label, c.sort, (SELECT count(*) FROM funding_plan_line l WHERE l.category = c.code) AS lineCount
       FROM funding_category c ORDER BY c.sort, c.code`,
    )
    .all() as CategoryView[];
}

export function saveCategory(db: DB, actor: Actor, input: PlanCategory): CategoryView[] {
  return db.transaction(() => {
    const before = db.prepare(`SELECT code, label FROM funding_category WHERE code = ?`).get(input.code) as
      PlanCategory | undefined;
    const clash = db
      .prepare(`SELECT code FROM funding_category WHERE lower(label) = lower(?) AND code <> ?`)
      .get(input.label, input.code) as { code: string } | undefined;
    if (clash)
      throw new AppError('conflict', `There is already a category called ${input.label}.`, {
        label: 'Choose a name no other category has',
      });
    if (before) {
      db.prepare(`UPDATE funding_category SET label = ? WHERE code = ?`).run(input.label, input.code);
    } else {
      const next = db.prepare(`SELECT coalesce(max(sort), 0) + 1 AS n FROM funding_category`).get() as { n: number };
      db.prepare(`INSERT INTO funding_category (code, label, sort) VALUES (?, ?, ?)`).run(
        input.code,
        input.label,
        next.n,
      );
    }
    recordChange(db, actor, {
      entity: 'funding-category',
      entityId: input.code,
      action: before ? 'update' : 'create',
      before,
      after: input,
    });
    return listCategories(db);
  })();
}

export function deleteCategory(db: DB, actor: Actor, code: string): { code: string } {
  return db.transaction(() => {
    const before = db.prepare(`SELECT code, label FROM funding_category WHERE code = ?`).get(code) as
      PlanCategory | undefined;
    if (!before) throw new AppError('not-found', `There is no category "${code}".`);
    const used = db.prepare(`SELECT count(*) AS n FROM funding_plan_line WHERE category = ?`).get(code) as {
      n: number;
    };
    if (used.n > 0) {
      throw new AppError(
        'conflict',
        `${before.label} is used by ${used.n} plan ${used.n === 1 ? 'line' : 'lines'}. Move them to another category first.`,
      );
    }
    db.prepare(`DELETE FROM funding_category WHERE code = ?`).run(code);
    recordChange(db, actor, { entity: 'funding-category', entityId: code, action: 'delete', before });
    return { code };
  })();
}
