import type { z } from 'zod';
import type { CollectedReturn, IcsStatus, IcsTrust, trustSaveSchema } from '../../../shared/ics/channels';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { getOrganisation } from '../settings/organisation';

/** The ICS's list of trusts, the collected returns and who has sent for a period (issue 13). */

export function isIcs(db: DB): boolean {
  return getOrganisation(db)?.kind === 'ics';
}

export function requireIcs(db: DB): void {
  if (!isIcs(db))
    throw new AppError(
      'conflict',
      "This database is a trust's. Trusts' returns are collected in an ICS database: set one up with the organisation kind ICS (first-run screen, or: organisation set --kind ics).",
    );
}

export function listTrusts(db: DB): { trusts: IcsTrust[] } {
  const rows = db
    .prepare(
      `SELECT t.id, t.ods_code AS odsCode, t.name, t.added_from AS addedFrom, t.added_at AS addedAt,
              (SELECT count(*) FROM collected_return c WHERE c.trust_id = t.id) AS collectedReturns
       FROM ics_trust t ORDER BY t.name COLLATE NOCASE, t.ods_code`,
    )
    .all() as IcsTrust[];
  return { trusts: rows };
}

export function saveTrust(db: DB, actor: Actor, input: z.output<typeof trustSaveSchema>): IcsTrust {
  requireIcs(db);
  const id = db.transaction(() => {
    const clash = db
      .prepare('SELECT id, name FROM ics_trust WHERE ods_code = ? AND id IS NOT ?')
      .get(input.odsCode, input.id) as { id: number; name: string } | undefined;
    if (clash)
      throw new AppError('conflict', `${clash.name} already has the ODS code ${input.odsCode}.`, {
        odsCode: `${clash.name} already has this ODS code`,
      });
    if (input.id === null) {
      const newId = Number(
        db
          .prepare(`INSERT INTO ics_trust (ods_code, name, added_from, added_at) VALUES (?, ?, 'hand', ?)`)
          .run(input.odsCode, input.name, actor.now().toISOString()).lastInsertRowid,
      );
      recordChange(db, actor, { entity: 'ics trust', entityId: newId, action: 'create', after: input });
      return newId;
    }
    const before = db.prepare('SELECT ods_code AS odsCode, name FROM ics_trust WHERE id = ?').get(input.id) as
      { odsCode: string; name: string } | undefined;
    if (!before) throw new AppError('not-found', `There is no trust with id ${input.id}.`);
    const collected = db
      .prepare('SELECT count(*) FROM collected_return WHERE trust_id = ?')
      .pluck()
      .get(input.id) as number;
    if (collected > 0 && before.odsCode !== input.odsCode)
      throw new AppError(
        'conflict',
        `${before.name}'s ODS code cannot change: ${collected} return${collected === 1 ? ' is' : 's are'} collected under ${before.odsCode}.`,
        { odsCode: 'Returns are collected under the old code' },
      );
    db.prepare('UPDATE ics_trust SET ods_code = ?, name = ? WHERE id = ?').run(input.odsCode, input.name, input.id);
    recordChange(db, actor, { entity: 'ics trust', entityId: input.id, action: 'update', before, after: input });
    return input.id;
  })();
  return listTrusts(db).trusts.find((t) => t.id === id)!;
}

export function deleteTrust(db: DB, actor: Actor, id: number): { id: number } {
  db.transaction(() => {
    const before = db.prepare('SELECT ods_code AS odsCode, name FROM ics_trust WHERE id = ?').get(id) as
      { odsCode: string; name: string } | undefined;
    if (!before) throw new AppError('not-found', `There is no trust with id ${id}.`);
    const collected = db.prepare('SELECT count(*) FROM collected_return WHERE trust_id = ?').pluck().get(id) as number;
    if (collected > 0)
      throw new AppError(
        'conflict',
        `${before.name} cannot be taken off the list: ${collected} of its returns ${collected === 1 ? 'is' : 'are'} collected.`,
      );
    db.prepare('DELETE FROM ics_trust WHERE id = ?').run(id);
    recordChange(db, actor, { entity: 'ics trust', entityId: id, action: 'delete', before });
  })();
  return { id };
}

interface CollectedRow {
  id: number;
  trustOds: string;
  trustName: string;
  period: string;
  version: number;
  asAt: string;
  signedAt: string;
  signedBy: string;
  correctionReason: string | null;
  hash: string;
  fileName: string;
  receivedAt: string;
  receivedBy: string;
  supersededById: number | null;
  supersededReason: string | null;
  staffInPost: number;
}

const COLLECTED_SQL = `
  SELECT c.id, t.ods_code AS trustOds, t.name AS trustName, c.period, c.version, c.as_at AS asAt,
         c.signed_at AS signedAt, c.signed_by AS signedBy, c.correction_reason AS correctionReason, c.hash,
         c.file_name AS fileName, c.received_at AS receivedAt, c.received_by AS receivedBy,
         c.superseded_by_id AS supersededById, s.correction_reason AS supersededReason, c.staff_in_post AS staffInPost
  FROM collected_return c JOIN ics_trust t ON t.id = c.trust_id
  LEFT JOIN collected_return s ON s.id = c.superseded_by_id`;

export function listCollected(db: DB, period: string | null): { returns: CollectedReturn[] } {
  const rows = db
    .prepare(
      `${COLLECTED_SQL} WHERE (@period IS NULL OR c.period = @period) ORDER BY c.period DESC, t.name COLLATE NOCASE, c.version DESC`,
    )
    .all({ period }) as CollectedRow[];
  return { returns: rows };
}

/** The current (not superseded) return of each trust for a period. */
export function currentReturns(db: DB, period: string): CollectedReturn[] {
  return db
    .prepare(
      `${COLLECTED_SQL} WHERE c.period = ? AND c.superseded_by_id IS NULL ORDER BY t.name COLLATE NOCASE, t.ods_code`,
    )
    .all(period) as CollectedRow[];
}

export function icsStatus(db: DB, period: string): IcsStatus {
  requireIcs(db);
  const current = new Map(currentReturns(db, period).map((r) => [r.trustOds, r]));
  const superseded = new Map(
    (
      db
        .prepare(
          `SELECT t.ods_code AS ods, count(*) AS n FROM collected_return c JOIN ics_trust t ON t.id = c.trust_id
           WHERE c.period = ? AND c.superseded_by_id IS NOT NULL GROUP BY t.ods_code`,
        )
        .all(period) as { ods: string; n: number }[]
    ).map((r) => [r.ods, r.n]),
  );
  const trusts = listTrusts(db).trusts.map((t) => {
    const r = current.get(t.odsCode);
    return {
      odsCode: t.odsCode,
      name: t.name,
      sent: r !== undefined,
      collectedId: r?.id ?? null,
      version: r?.version ?? null,
      asAt: r?.asAt ?? null,
      receivedAt: r?.receivedAt ?? null,
      superseded: superseded.get(t.odsCode) ?? 0,
    };
  });
  const periods = db
    .prepare('SELECT DISTINCT period FROM collected_return ORDER BY period DESC')
    .pluck()
    .all() as string[];
  const sent = trusts.filter((t) => t.sent).length;
  return { period, trusts, sent, missing: trusts.length - sent, periods };
}
