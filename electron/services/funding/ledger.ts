import type { z } from 'zod';
import type { LedgerEntry, ledgerListInputSchema, LedgerList, LedgerRowView } from '../../../shared/funding/ledger';
import {
  firstMatchingRule,
  sortRules,
  type LedgerRule,
  type ledgerRuleInputSchema,
  type LedgerRuleView,
} from '../../../shared/funding/rules';
import { financialYearOf, financialYearRange, dateLabel } from '../../../shared/common/periods';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { lineLabel } from './lines';

/** Actuals and commitments (typed in or imported), allocation to plan lines by hand or by rules. */

const ENTRY_SELECT = `
  SELECT e.id, e.kind, e.entry_date AS date, e.amount_pence AS amountPence, e.description, e.cost_centre AS costCentre,
         e.account_code AS accountCode, e.plan_line_id AS planLineId, e.rule_id AS matchedRuleId, e.batch_id AS batchId,
         CASE WHEN l.id IS NULL THEN NULL ELSE s.name || ': ' || l.description END AS planLineLabel
  FROM funding_ledger_entry e
  LEFT JOIN funding_plan_line l ON l.id = e.plan_line_id
  LEFT JOIN funding_stream s ON s.id = l.stream_id`;

export function listLedger(db: DB, input: z.output<typeof ledgerListInputSchema>): LedgerList {
  const range = input.financialYear ? financialYearRange(input.financialYear) : { from: null, to: null };
  const where = `WHERE (@from IS NULL OR e.entry_date BETWEEN @from AND @to) AND (@unmatched = 0 OR e.plan_line_id IS NULL)`;
  const params = { from: range.from, to: range.to, unmatched: input.unmatchedOnly ? 1 : 0 };
  const totals = db
    .prepare(
      `SELECT count(*) AS total, coalesce(sum(amount_pence), 0) AS totalPence FROM funding_ledger_entry e ${where}`,
    )
    .get(params) as {
    total: number;
    totalPence: number;
  };
  const rows = db
    .prepare(`${ENTRY_SELECT} ${where} ORDER BY e.entry_date, e.id LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: input.limit, offset: input.offset }) as LedgerRowView[];
  return { ...totals, rows };
}

function getEntry(db: DB, id: number): LedgerRowView {
  const row = db.prepare(`${ENTRY_SELECT} WHERE e.id = ?`).get(id) as LedgerRowView | undefined;
  if (!row) throw new AppError('not-found', `There is no ledger entry with id ${id}.`);
  return row;
}

function lineYear(db: DB, planLineId: number): { financialYear: string; label: string } {
  const row = db
    .prepare(
      `SELECT s.financial_year AS financialYear FROM funding_plan_line l JOIN funding_stream s ON s.id = l.stream_id WHERE l.id = ?`,
    )
    .get(planLineId) as { financialYear: string } | undefined;
  if (!row)
    throw new AppError('invalid-input', 'Choose a plan line that exists.', { planLineId: 'Choose a plan line' });
  return { financialYear: row.financialYear, label: lineLabel(db, planLineId) };
}

export function streamYears(db: DB): string[] {
  return (
    db.prepare(`SELECT DISTINCT financial_year AS y FROM funding_stream ORDER BY y`).all() as { y: string }[]
  ).map((r) => r.y);
}

/** Refuses a date outside the line's year, or (not yet allocated) outside every stream's year. */
function checkDate(db: DB, date: string, planLineId: number | null): void {
  const year = financialYearOf(date);
  if (planLineId !== null) {
    const line = lineYear(db, planLineId);
    if (line.financialYear !== year) {
      throw new AppError(
        'invalid-input',
        `${dateLabel(date)} is in ${year}, but ${line.label} is in ${line.financialYear}.`,
        {
          date: `Enter a date in ${line.financialYear} (${dateLabel(financialYearRange(line.financialYear).from)} to ${dateLabel(financialYearRange(line.financialYear).to)})`,
        },
      );
    }
    return;
  }
  const years = streamYears(db);
  if (!years.includes(year)) {
    throw new AppError('invalid-input', `${dateLabel(date)} is in ${year}, and no funding stream covers that year.`, {
      date: years.length ? `Enter a date in ${years.join(' or ')}` : 'Add a funding stream first',
    });
  }
}

export function saveEntry(db: DB, actor: Actor, input: LedgerEntry): LedgerRowView {
  return db.transaction(() => {
    checkDate(db, input.date, input.planLineId);
    const values = [
      input.kind,
      input.date,
      input.amountPence,
      input.description,
      input.costCentre,
      input.accountCode,
      input.planLineId,
    ];
    let before: LedgerRowView | undefined;
    let id: number;
    if (input.id !== undefined) {
      before = getEntry(db, input.id);
      db.prepare(
        `UPDATE funding_ledger_entry SET kind = ?, entry_date = ?, amount_pence = ?, description = ?, cost_centre = ?, account_code = ?, plan_line_id = ?, rule_id = NULL WHERE id = ?`,
      ).run(...values, input.id);
      id = input.id;
    } else {
      id = Number(
        db
          .prepare(
            `INSERT INTO funding_ledger_entry (kind, entry_date, amount_pence, description, cost_centre, account_code, plan_line_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(...values).lastInsertRowid,
      );
    }
    const after = getEntry(db, id);
    recordChange(db, actor, {
      entity: 'funding-ledger-entry',
      entityId: id,
      action: before ? 'update' : 'create',
      before,
      after,
    });
    return after;
  })();
}

export function deleteEntry(db: DB, actor: Actor, id: number): { id: number } {
  return db.transaction(() => {
    const before = getEntry(db, id);
    db.prepare(`DELETE FROM funding_ledger_entry WHERE id = ?`).run(id);
    recordChange(db, actor, { entity: 'funding-ledger-entry', entityId: id, action: 'delete', before });
    return { id };
  })();
}

export function assignEntries(
  db: DB,
  actor: Actor,
  entryIds: readonly number[],
  planLineId: number | null,
): { updated: number } {
  return db.transaction(() => {
    const ids = [...new Set(entryIds)];
    const found = db
      .prepare(
        `SELECT id, entry_date AS date, plan_line_id AS planLineId, rule_id AS ruleId FROM funding_ledger_entry WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids)) as { id: number; date: string; planLineId: number | null; ruleId: number | null }[];
    if (found.length !== ids.length) {
      const missing = ids.filter((id) => !found.some((f) => f.id === id));
      throw new AppError(
        'not-found',
        `There is no ledger entry with id ${missing.slice(0, 5).join(', ')}. Nothing was changed.`,
      );
    }
    if (planLineId !== null) {
      const line = lineYear(db, planLineId);
      const wrong = found.filter((f) => financialYearOf(f.date) !== line.financialYear);
      if (wrong.length > 0) {
        throw new AppError(
          'invalid-input',
          `${wrong.length} of the chosen entries ${wrong.length === 1 ? 'is' : 'are'} dated outside ${line.financialYear}, the year of ${line.label} (for example ${dateLabel(wrong[0]!.date)}). Nothing was changed.`,
        );
      }
    }
    const update = db.prepare(`UPDATE funding_ledger_entry SET plan_line_id = ?, rule_id = NULL WHERE id = ?`);
    for (const f of found) update.run(planLineId, f.id);
    recordChange(db, actor, {
      entity: 'funding-ledger-entry',
      entityId: null,
      action: 'update',
      before: found.map((f) => ({ id: f.id, planLineId: f.planLineId, ruleId: f.ruleId })),
      after: { entryIds: ids, planLineId, byHand: true },
    });
    return { updated: found.length };
  })();
}

// ---------- rules ----------

interface RuleRow {
  id: number;
  priority: number;
  planLineId: number;
  costCentre: string | null;
  accountMatch: 'equals' | 'prefix' | null;
  accountCode: string | null;
  descriptionContains: string | null;
  financialYear: string;
  streamId: number;
}

const RULE_SELECT = `
  SELECT r.id, r.priority, r.plan_line_id AS planLineId, r.cost_centre AS costCentre, r.account_match AS accountMatch,
         r.account_code AS accountCode, r.description_contains AS descriptionContains,
         s.financial_year AS financialYear, s.id AS streamId
  FROM funding_ledger_rule r
  JOIN funding_plan_line l ON l.id = r.plan_line_id
  JOIN funding_stream s ON s.id = l.stream_id`;

type MatchRule = LedgerRule & { financialYear: string; streamId: number };

function toRule(r: RuleRow): MatchRule {
  return {
    id: r.id,
    priority: r.priority,
    planLineId: r.planLineId,
    costCentre: r.costCentre,
    accountCode: r.accountMatch && r.accountCode ? { match: r.accountMatch, value: r.accountCode } : null,
    descriptionContains: r.descriptionContains,
    financialYear: r.financialYear,
    streamId: r.streamId,
  };
}

export function listRules(db: DB): LedgerRuleView[] {
  const rows = db.prepare(`${RULE_SELECT} ORDER BY s.financial_year DESC, r.priority, r.id`).all() as RuleRow[];
  const counts = new Map(
    (
      db
        .prepare(
          `SELECT rule_id AS id, count(*) AS n FROM funding_ledger_entry WHERE rule_id IS NOT NULL GROUP BY rule_id`,
        )
        .all() as { id: number; n: number }[]
    ).map((r) => [r.id, r.n]),
  );
  return rows.map((r) => {
    const rule = toRule(r);
    return {
      id: rule.id,
      priority: rule.priority,
      planLineId: rule.planLineId,
      planLineLabel: lineLabel(db, rule.planLineId),
      financialYear: rule.financialYear,
      costCentre: rule.costCentre,
      accountCode: rule.accountCode,
      descriptionContains: rule.descriptionContains,
      entryCount: counts.get(rule.id) ?? 0,
    };
  });
}

function getRuleView(db: DB, id: number): LedgerRuleView {
  const rule = listRules(db).find((r) => r.id === id);
  if (!rule) throw new AppError('not-found', `There is no matching rule with id ${id}.`);
  return rule;
}

export function saveRule(db: DB, actor: Actor, input: z.output<typeof ledgerRuleInputSchema>): LedgerRuleView {
  return db.transaction(() => {
    lineYear(db, input.planLineId);
    const values = [
      input.priority,
      input.planLineId,
      input.costCentre,
      input.accountCode?.match ?? null,
      input.accountCode?.value ?? null,
      input.descriptionContains,
    ];
    let before: LedgerRuleView | undefined;
    let id: number;
    if (input.id !== undefined) {
      before = getRuleView(db, input.id);
      db.prepare(
        `UPDATE funding_ledger_rule SET priority = ?, plan_line_id = ?, cost_centre = ?, account_match = ?, account_code = ?, description_contains = ? WHERE id = ?`,
      ).run(...values, input.id);
      id = input.id;
    } else {
      id = Number(
        db
          .prepare(
            `INSERT INTO funding_ledger_rule (priority, plan_line_id, cost_centre, account_match, account_code, description_contains) VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(...values).lastInsertRowid,
      );
    }
    const after = getRuleView(db, id);
    recordChange(db, actor, {
      entity: 'funding-ledger-rule',
      entityId: id,
      action: before ? 'update' : 'create',
      before,
      after,
    });
    return after;
  })();
}

export function deleteRule(db: DB, actor: Actor, id: number): { id: number } {
  return db.transaction(() => {
    const before = getRuleView(db, id);
    // Entries this rule allocated go back to the review list rather than looking allocated by hand.
    const released = db
      .prepare(`UPDATE funding_ledger_entry SET plan_line_id = NULL, rule_id = NULL WHERE rule_id = ?`)
      .run(id).changes;
    db.prepare(`DELETE FROM funding_ledger_rule WHERE id = ?`).run(id);
    recordChange(db, actor, {
      entity: 'funding-ledger-rule',
      entityId: id,
      action: 'delete',
      before: { ...before, entriesReleased: released },
    });
    return { id };
  })();
}

/**
 * The rules for matching, sorted once and grouped by financial year: a row is matched only to lines of a
 * stream whose year holds its date (and, when a stream is given, only to that stream's lines).
 */
export function makeMatcher(db: DB, streamId: number | null) {
  const rules = (
    db
      .prepare(`${RULE_SELECT} WHERE (@streamId IS NULL OR s.id = @streamId) ORDER BY r.priority, r.id`)
      .all({ streamId }) as RuleRow[]
  ).map(toRule);
  const byYear = new Map<string, MatchRule[]>();
  for (const r of rules) byYear.set(r.financialYear, [...(byYear.get(r.financialYear) ?? []), r]);
  for (const [year, list] of byYear) byYear.set(year, sortRules(list));
  return (
    row: { date: string; costCentre: string; accountCode: string; description: string },
    year = financialYearOf(row.date),
  ) => {
    const list = byYear.get(year);
    if (!list) return { planLineId: null, ruleId: null };
    const m = firstMatchingRule(row, list);
    return m.rule ? { planLineId: m.planLineId, ruleId: m.rule.id } : { planLineId: null, ruleId: null };
  };
}

/** Re-runs the rules over entries not allocated by hand (no line, or a line chosen by a rule). */
export function applyRules(
  db: DB,
  actor: Actor,
  financialYear: string | null,
): { checked: number; changed: number; unmatched: number } {
  return db.transaction(() => {
    const range = financialYear ? financialYearRange(financialYear) : { from: null, to: null };
    const rows = db
      .prepare(
        `SELECT id, entry_date AS date, cost_centre AS costCentre, account_code AS accountCode, description,
                plan_line_id AS planLineId, rule_id AS ruleId
         FROM funding_ledger_entry
         WHERE (plan_line_id IS NULL OR rule_id IS NOT NULL) AND (@from IS NULL OR entry_date BETWEEN @from AND @to)`,
      )
      .all(range) as {
      id: number;
      date: string;
      costCentre: string;
      accountCode: string;
      description: string;
      planLineId: number | null;
      ruleId: number | null;
    }[];
    const match = makeMatcher(db, null);
    const update = db.prepare(`UPDATE funding_ledger_entry SET plan_line_id = ?, rule_id = ? WHERE id = ?`);
    let changed = 0;
    let unmatched = 0;
    for (const r of rows) {
      const m = match(r);
      if (m.planLineId === null) unmatched++;
      if (m.planLineId !== r.planLineId || m.ruleId !== r.ruleId) {
        update.run(m.planLineId, m.ruleId, r.id);
        changed++;
      }
    }
    const result = { checked: rows.length, changed, unmatched };
    recordChange(db, actor, {
      entity: 'funding-ledger-rules',
      entityId: null,
      action: 'update',
      after: { applied: true, financialYear, ...result },
    });
    return result;
  })();
}
