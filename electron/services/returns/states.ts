import type { z } from 'zod';
import {
  DEFAULT_THRESHOLD,
  THRESHOLD_LOWERED_WARNING,
  type buildInputSchema,
  type BuildResult,
  type ChainCheck,
  type Readiness,
  type ReturnChecks,
  type ReturnSummary,
  type ReturnVersionKind,
  type ReturnView,
  type signInputSchema,
} from '../../../shared/returns/channels';
import { asAtFor, parseReturnPeriod } from '../../../shared/returns/periods';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { assembleContent, gatherReturn, readinessContent } from './build';
import { runChecks, withReadiness } from './checks';
import { protectReturn } from './protection';
import { canonicalJson, chainHash, latestHash, type FrozenReturn } from './snapshot';
import { checksOf, contentOf, readinessOf, readReturnRow, summaryOf, thresholdSetting, type ReturnRow } from './store';
import { versionOf } from './versions';
import { gatherIcsReturn } from '../ics/aggregate';
import { isIcs } from '../ics/workspace';

/**
 * A return's life: draft (built, rebuilt at will, readiness typed) -> checked (no errors, warnings accepted with a
 * reason) -> signed off (frozen, hashed into the chain) -> sent. A draft may be deleted; a signed-off return can only
 * be superseded by a correction: a new version of the same period, with a reason.
 */

const EDITABLE = new Set(['draft', 'checked']);

/** The figures, protection and checks of a return built now; nothing is written. */
async function compute(db: DB, actor: Actor, period: string, asAtInput: string | null, readiness: Readiness) {
  const range = parseReturnPeriod(period);
  if (!range)
    throw new AppError(
      'invalid-input',
      `${period} is not a period: use a financial year like 2025/26 or a quarter like 2025/26-Q2.`,
    );
  const { asAt, error } = asAtFor(range, asAtInput);
  if (error) throw new AppError('invalid-input', error);
  const threshold = thresholdSetting(db);
  const builtAt = actor.now().toISOString();
  const options = { range, asAt, threshold, preparedBy: actor.user, builtAt };
  // An ICS database adds up its trusts' collected returns; a trust's works from its staff records.
  const gathered = isIcs(db) ? gatherIcsReturn(db, options) : gatherReturn(db, options);
  const { protection, audit, totalsOnly } = await protectReturn(gathered.tables.model(), threshold);
  if (totalsOnly)
    gathered.about.disclosure.rules +=
      ' The workforce is so small that hiding cell by cell could not protect it: only the grand totals are published, and every hidden cell is marked S so that none can be told apart as a small count.';
  const content = assembleContent(
    gathered.about,
    gathered.tables.resolve(protection, threshold),
    gathered.checklist,
    readinessContent(readiness),
  );
  const checks = runChecks(gathered.facts, audit, threshold, readiness);
  return { range, asAt, threshold, builtAt, content, checks };
}

const resultOf = (row: ReturnRow, checks: ReturnChecks): BuildResult => ({
  id: row.id,
  period: row.period,
  asAt: row.as_at,
  status: row.status,
  errors: checks.errors,
  warnings: checks.warnings,
});

export async function buildReturn(
  db: DB,
  actor: Actor,
  input: z.output<typeof buildInputSchema>,
): Promise<BuildResult> {
  // A correction starts from the readiness text the lead typed for the version it corrects: typed work is never lost.
  const corrected = parseReturnPeriod(input.period);
  const previous = corrected
    ? (db
        .prepare('SELECT * FROM data_return WHERE period = ? AND hash IS NOT NULL ORDER BY version DESC LIMIT 1')
        .get(corrected.period) as ReturnRow | undefined)
    : undefined;
  const readiness = previous && input.correctionReason ? readinessOf(previous) : [];
  const built = await compute(db, actor, input.period, input.asAt, readiness);
  const id = db.transaction(() => {
    const rows = db
      .prepare('SELECT id, status, version, hash FROM data_return WHERE period = ? ORDER BY version DESC')
      .all(built.range.period) as Pick<ReturnRow, 'id' | 'status' | 'version' | 'hash'>[];
    const draft = rows.find((r) => EDITABLE.has(r.status));
    if (draft)
      throw new AppError(
        'conflict',
        `${built.range.period} already has a draft (return ${draft.id}): rebuild it, or delete it before building another.`,
      );
    const signed = rows.find((r) => r.hash !== null);
    if (signed && !input.correctionReason)
      throw new AppError(
        'conflict',
        `${built.range.period} is already signed off (return ${signed.id}). To correct it, build a new version with the reason for the correction.`,
      );
    const newId = Number(
      db
        .prepare(
          `INSERT INTO data_return (period, period_start, as_at, version, status, correction_reason, supersedes_id, threshold,
             content_json, checks_json, readiness_json, built_at, built_by)
           VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          built.range.period,
          built.range.from,
          built.asAt,
          (rows[0]?.version ?? 0) + 1,
          signed ? input.correctionReason : null,
          signed?.id ?? null,
          built.threshold,
          JSON.stringify(built.content),
          JSON.stringify(built.checks),
          JSON.stringify(signed ? readiness : []),
          built.builtAt,
          actor.user,
        ).lastInsertRowid,
    );
    recordChange(db, actor, {
      entity: 'return',
      entityId: newId,
      action: 'create',
      after: { period: built.range.period, asAt: built.asAt, correctionReason: signed ? input.correctionReason : null },
    });
    return newId;
  })();
  return resultOf(readReturnRow(db, id), built.checks);
}

function editable(db: DB, id: number): ReturnRow {
  const row = readReturnRow(db, id);
  if (!EDITABLE.has(row.status))
    throw new AppError('conflict', `Return ${id} is signed off and cannot change: build a correction instead.`);
  return row;
}

export async function rebuildReturn(db: DB, actor: Actor, id: number): Promise<BuildResult> {
  const before = editable(db, id);
  const readiness = readinessOf(before);
  const built = await compute(db, actor, before.period, before.as_at, readiness);
  db.transaction(() => {
    editable(db, id);
    db.prepare(
      `UPDATE data_return SET status = 'draft', threshold = ?, content_json = ?, checks_json = ?, built_at = ?, built_by = ? WHERE id = ?`,
    ).run(built.threshold, JSON.stringify(built.content), JSON.stringify(built.checks), built.builtAt, actor.user, id);
    recordChange(db, actor, { entity: 'return', entityId: id, action: 'update', after: { rebuilt: built.builtAt } });
  })();
  return resultOf(readReturnRow(db, id), built.checks);
}

export function showReturn(db: DB, id: number, version: ReturnVersionKind): ReturnView {
  const row = readReturnRow(db, id);
  const content = row.snapshot_json !== null ? (JSON.parse(row.snapshot_json) as FrozenReturn).content : contentOf(row);
  return {
    ...summaryOf(db, row),
    checks: checksOf(row),
    readiness: readinessOf(row),
    content: versionOf(content, version),
  };
}

export function listReturns(db: DB): { returns: ReturnSummary[]; threshold: number } {
  const rows = db.prepare('SELECT * FROM data_return ORDER BY period DESC, version DESC').all() as ReturnRow[];
  return { returns: rows.map((r) => summaryOf(db, r)), threshold: thresholdSetting(db) };
}

export function saveReadiness(db: DB, actor: Actor, id: number, readiness: Readiness): ReturnView {
  db.transaction(() => {
    const row = editable(db, id);
    const content = contentOf(row);
    content.readiness = readinessContent(readiness);
    db.prepare(
      `UPDATE data_return SET status = 'draft', readiness_json = ?, content_json = ?, checks_json = ? WHERE id = ?`,
    ).run(
      JSON.stringify(readiness),
      JSON.stringify(content),
      JSON.stringify(withReadiness(checksOf(row), readiness)),
      id,
    );
    recordChange(db, actor, {
      entity: 'return',
      entityId: id,
      action: 'update',
      before: readinessOf(row),
      after: readiness,
    });
  })();
  return showReturn(db, id, 'exact');
}

/** Checks a draft: errors stop it; warnings need a reason (given now, or already accepted). */
function passChecks(actor: Actor, row: ReturnRow, acceptWarnings: string | null): ReturnChecks {
  const checks = checksOf(row);
  if (checks.errors.length > 0)
    throw new AppError(
      'conflict',
      `Return ${row.id} cannot be signed off: ${checks.errors.map((e) => e.message).join(' ')}`,
    );
  if (checks.warnings.length === 0) return checks;
  if (acceptWarnings)
    return { ...checks, warningsAccepted: { reason: acceptWarnings, by: actor.user, at: actor.now().toISOString() } };
  if (checks.warningsAccepted) return checks;
  throw new AppError(
    'conflict',
    `Return ${row.id} has warnings to accept with a reason: ${checks.warnings.map((w) => w.message).join(' ')}`,
  );
}

export function checkReturn(db: DB, actor: Actor, id: number, acceptWarnings: string | null): ReturnView {
  db.transaction(() => {
    const row = editable(db, id);
    const checks = passChecks(actor, row, acceptWarnings);
    db.prepare(`UPDATE data_return SET status = 'checked', checks_json = ? WHERE id = ?`).run(
      JSON.stringify(checks),
      id,
    );
    recordChange(db, actor, { entity: 'return', entityId: id, action: 'update', after: { status: 'checked' } });
  })();
  return showReturn(db, id, 'exact');
}

export function signReturn(db: DB, actor: Actor, input: z.output<typeof signInputSchema>): ReturnView {
  db.transaction(() => {
    const row = editable(db, input.id);
    const checks = passChecks(actor, row, input.acceptWarnings);
    const signOff = { name: input.name, role: input.role, user: actor.user, at: actor.now().toISOString() };
    const frozen: FrozenReturn = {
      id: row.id,
      period: row.period,
      version: row.version,
      asAt: row.as_at,
      correctionReason: row.correction_reason,
      supersedesId: row.supersedes_id,
      signOff,
      warningsAccepted: checks.warningsAccepted,
      content: contentOf(row),
    };
    const snapshot = canonicalJson(frozen);
    const previous = latestHash(db);
    const hash = chainHash(previous.hash, snapshot);
    db.prepare(
      `UPDATE data_return SET status = 'signed-off', checks_json = ?, signed_name = ?, signed_role = ?, signed_user = ?, signed_at = ?,
         snapshot_json = ?, previous_hash = ?, hash = ?, chain_seq = ? WHERE id = ?`,
    ).run(
      JSON.stringify(checks),
      signOff.name,
      signOff.role,
      signOff.user,
      signOff.at,
      snapshot,
      previous.hash,
      hash,
      previous.seq + 1,
      row.id,
    );
    recordChange(db, actor, {
      entity: 'return',
      entityId: row.id,
      action: 'update',
      after: { status: 'signed-off', hash, signOff },
    });
  })();
  return showReturn(db, input.id, 'exact');
}

export function markSent(db: DB, actor: Actor, id: number, sentOn: string): ReturnView {
  db.transaction(() => {
    const row = readReturnRow(db, id);
    if (row.status !== 'signed-off')
      throw new AppError(
        'conflict',
        row.status === 'sent'
          ? `Return ${id} was already sent on ${row.sent_on}.`
          : `Return ${id} must be signed off before it is sent.`,
      );
    if (sentOn < row.signed_at!.slice(0, 10))
      throw new AppError(
        'invalid-input',
        `A return cannot be sent before it was signed off (${row.signed_at!.slice(0, 10)}).`,
      );
    db.prepare(`UPDATE data_return SET status = 'sent', sent_on = ? WHERE id = ?`).run(sentOn, id);
    recordChange(db, actor, { entity: 'return', entityId: id, action: 'update', after: { status: 'sent', sentOn } });
  })();
  return showReturn(db, id, 'exact');
}

export function deleteReturn(db: DB, actor: Actor, id: number): { id: number } {
  db.transaction(() => {
    const row = readReturnRow(db, id);
    if (row.hash !== null)
      throw new AppError(
        'conflict',
        `Return ${id} is signed off: it cannot be deleted, only superseded by a correction.`,
      );
    db.prepare('DELETE FROM data_return WHERE id = ?').run(id);
    recordChange(db, actor, {
      entity: 'return',
      entityId: id,
      action: 'delete',
      before: { period: row.period, version: row.version },
    });
  })();
  return { id };
}

/** Works every hash out again from the stored snapshots, in signing order. */
export function verifyChain(db: DB): ChainCheck {
  const rows = db
    .prepare(
      'SELECT id, period, version, snapshot_json, previous_hash, hash FROM data_return WHERE chain_seq IS NOT NULL ORDER BY chain_seq',
    )
    .all() as Pick<ReturnRow, 'id' | 'period' | 'version' | 'snapshot_json' | 'previous_hash' | 'hash'>[];
  let previous: string | null = null;
  const returns = rows.map((r) => {
    const ok = r.previous_hash === previous && chainHash(previous, r.snapshot_json!) === r.hash;
    previous = r.hash;
    return { id: r.id, period: r.period, version: r.version, ok };
  });
  const broken = returns.filter((r) => !r.ok);
  return {
    ok: broken.length === 0,
    returns,
    message:
      broken.length === 0
        ? `All ${returns.length} signed-off return${returns.length === 1 ? '' : 's'} are as they were signed.`
        : `The hash chain is broken at return ${broken[0]!.id} (${broken[0]!.period} version ${broken[0]!.version}): it was changed after it was signed off, or one before it was.`,
  };
}

export function saveThreshold(db: DB, actor: Actor, threshold: number): { threshold: number; warning: string | null } {
  db.transaction(() => {
    const before = thresholdSetting(db);
    db.prepare('UPDATE return_setting SET threshold = ? WHERE id = 1').run(threshold);
    recordChange(db, actor, {
      entity: 'return settings',
      entityId: 1,
      action: 'update',
      before: { threshold: before },
      after: { threshold },
    });
  })();
  return { threshold, warning: threshold < DEFAULT_THRESHOLD ? THRESHOLD_LOWERED_WARNING : null };
}
