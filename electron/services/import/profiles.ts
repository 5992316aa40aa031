import type { z } from 'zod';
import type { ProfileView } from '../../../shared/import/channels';
import type { importProfileSchema } from '../../../shared/import/fields';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';

/**
 * Named staff import profiles: which header holds which field, and the date order, for next month's extract. Profiles
 * of other kinds of import (training records) share the table and are never read or written here.
 */

interface ProfileRow {
  id: number;
  name: string;
  date_order: ProfileView['dateOrder'];
  columns: string;
  options: string;
  updated_at: string;
}

const toView = (r: ProfileRow): ProfileView => {
  const options = JSON.parse(r.options) as Partial<Pick<ProfileView, 'keepNonAhpCodes' | 'markMissingAsLeavers'>>;
  return {
    id: r.id,
    name: r.name,
    dateOrder: r.date_order,
    columns: JSON.parse(r.columns) as ProfileView['columns'],
    keepNonAhpCodes: options.keepNonAhpCodes ?? [],
    markMissingAsLeavers: options.markMissingAsLeavers ?? false,
    updatedAt: r.updated_at,
  };
};

export function listProfiles(db: DB): ProfileView[] {
  return (
    db.prepare(`SELECT * FROM import_profile WHERE kind = 'staff' ORDER BY updated_at DESC, name`).all() as ProfileRow[]
  ).map(toView);
}

function getProfile(db: DB, id: number): ProfileView {
  const row = db.prepare(`SELECT * FROM import_profile WHERE kind = 'staff' AND id = ?`).get(id) as
    ProfileRow | undefined;
  if (!row) throw new AppError('not-found', `There is no import profile ${id}.`);
  return toView(row);
}

/** Saving under an existing name replaces that profile (a lead re-saves "ESR monthly" after a change). */
export function saveProfile(db: DB, actor: Actor, input: z.output<typeof importProfileSchema>): ProfileView {
  return db.transaction(() => {
    const now = actor.now().toISOString();
    const existing = db.prepare(`SELECT * FROM import_profile WHERE kind = 'staff' AND name = ?`).get(input.name) as
      ProfileRow | undefined;
    const columns = JSON.stringify(input.columns);
    const options = JSON.stringify({
      keepNonAhpCodes: input.keepNonAhpCodes,
      markMissingAsLeavers: input.markMissingAsLeavers,
    });
    if (existing) {
      db.prepare(
        'UPDATE import_profile SET name = ?, date_order = ?, columns = ?, options = ?, updated_at = ? WHERE id = ?',
      ).run(input.name, input.dateOrder, columns, options, now, existing.id);
      const after = getProfile(db, existing.id);
      recordChange(db, actor, {
        entity: 'import profile',
        entityId: existing.id,
        action: 'update',
        before: toView(existing),
        after,
      });
      return after;
    }
    const id = Number(
      db
        .prepare(
          "INSERT INTO import_profile (kind, name, date_order, columns, options, created_by, created_at, updated_at) VALUES ('staff', ?, ?, ?, ?, ?, ?, ?)",
        )
        .run(input.name, input.dateOrder, columns, options, actor.user, now, now).lastInsertRowid,
    );
    const after = getProfile(db, id);
    recordChange(db, actor, { entity: 'import profile', entityId: id, action: 'create', after });
    return after;
  })();
}

export function deleteProfile(db: DB, actor: Actor, id: number): { id: number } {
  return db.transaction(() => {
    const before = getProfile(db, id);
    db.prepare('DELETE FROM import_profile WHERE id = ?').run(id);
    recordChange(db, actor, { entity: 'import profile', entityId: id, action: 'delete', before });
    return { id };
  })();
}

export function profileByName(db: DB, name: string): ProfileView {
  const row = db.prepare(`SELECT * FROM import_profile WHERE kind = 'staff' AND name = ?`).get(name) as
    ProfileRow | undefined;
  if (!row) {
    const names = listProfiles(db).map((p) => p.name);
    throw new AppError(
      'not-found',
      `There is no import profile called "${name}".${names.length ? ` Saved profiles: ${names.join(', ')}.` : ' None is saved yet.'}`,
    );
  }
  return toView(row);
}
