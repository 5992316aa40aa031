import type { EstablishmentProfileView, ServiceMatch } from '../../../shared/establishment/channels';
import type { EstablishmentColumns } from '../../../shared/establishment/fields';
import { placeKey } from '../../../shared/establishment/lines';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';

/**
 * Establishment profiles (import_profile rows of kind 'establishment'): which header holds which field, and the
 * cost centres or service names the lead matched to a service by hand, so that next year's report matches.
 * Service matches live here rather than on the service: finance often has several cost centres for one service,
 * and a service keeps a single cost centre of its own.
 */

interface ProfileRow {
  id: number;
  name: string;
  columns: string;
  options: string;
  updated_at: string;
}

function toView(db: DB, r: ProfileRow): EstablishmentProfileView {
  const options = JSON.parse(r.options) as { serviceMatches?: ServiceMatch[] };
  const exists = db.prepare('SELECT 1 FROM service WHERE id = ?').pluck();
  return {
    id: r.id,
    name: r.name,
    columns: JSON.parse(r.columns) as EstablishmentColumns,
    // A service deleted since is forgotten here too.
    serviceMatches: (options.serviceMatches ?? []).filter((m) => exists.get(m.serviceId) !== undefined),
    updatedAt: r.updated_at,
  };
}

export function listEstablishmentProfiles(db: DB): EstablishmentProfileView[] {
  return (
    db
      .prepare(`SELECT * FROM import_profile WHERE kind = 'establishment' ORDER BY updated_at DESC, name`)
      .all() as ProfileRow[]
  ).map((r) => toView(db, r));
}

export function establishmentProfileByName(db: DB, name: string): EstablishmentProfileView | null {
  const row = db.prepare(`SELECT * FROM import_profile WHERE kind = 'establishment' AND name = ?`).get(name) as
    ProfileRow | undefined;
  return row ? toView(db, row) : null;
}

/** Saves (or replaces) a profile with this import's columns, adding its service matches to those it had. */
export function saveEstablishmentProfile(
  db: DB,
  actor: Actor,
  name: string,
  columns: EstablishmentColumns,
  newMatches: readonly ServiceMatch[],
): EstablishmentProfileView {
  const now = actor.now().toISOString();
  const existing = establishmentProfileByName(db, name);
  const matches = new Map((existing?.serviceMatches ?? []).map((m) => [placeKey(m.text), m]));
  for (const m of newMatches) matches.set(placeKey(m.text), m);
  const options = JSON.stringify({ serviceMatches: [...matches.values()] });
  if (existing) {
    db.prepare('UPDATE import_profile SET columns = ?, options = ?, updated_at = ? WHERE id = ?').run(
      JSON.stringify(columns),
      options,
      now,
      existing.id,
    );
    const after = establishmentProfileByName(db, name)!;
    recordChange(db, actor, {
      entity: 'import profile',
      entityId: existing.id,
      action: 'update',
      before: existing,
      after,
    });
    return after;
  }
  const id = Number(
    db
      .prepare(
        `INSERT INTO import_profile (kind, name, columns, options, created_by, created_at, updated_at) VALUES ('establishment', ?, ?, ?, ?, ?, ?)`,
      )
      .run(name, JSON.stringify(columns), options, actor.user, now, now).lastInsertRowid,
  );
  const after = establishmentProfileByName(db, name)!;
  recordChange(db, actor, { entity: 'import profile', entityId: id, action: 'create', after });
  return after;
}

export function deleteEstablishmentProfile(db: DB, actor: Actor, id: number): { id: number } {
  return db.transaction(() => {
    const row = db.prepare(`SELECT * FROM import_profile WHERE kind = 'establishment' AND id = ?`).get(id) as
      ProfileRow | undefined;
    if (!row) throw new AppError('not-found', `There is no establishment profile ${id}.`);
    db.prepare('DELETE FROM import_profile WHERE id = ?').run(id);
    recordChange(db, actor, { entity: 'import profile', entityId: id, action: 'delete', before: toView(db, row) });
    return { id };
  })();
}
