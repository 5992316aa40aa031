import type { z } from 'zod';
import {
  trainingProfileSchema,
  type TrainingProfile,
  type trainingProfileInputSchema,
} from '../../../shared/training/import-channels';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';

/** Named training import profiles: which header holds which column, the date order and the course choices. */

interface ProfileRow {
  id: number;
  name: string;
  date_order: string;
  columns: string;
  options: string;
  updated_at: string;
}

const toView = (r: ProfileRow): TrainingProfile =>
  trainingProfileSchema.parse({
    id: r.id,
    name: r.name,
    dateOrder: r.date_order,
    columns: JSON.parse(r.columns) as unknown,
    courses: (JSON.parse(r.options) as { courses?: unknown }).courses ?? {},
    updatedAt: r.updated_at,
  });

export function listRecordProfiles(db: DB): TrainingProfile[] {
  return (
    db
      .prepare("SELECT * FROM import_profile WHERE kind = 'training' ORDER BY updated_at DESC, name")
      .all() as ProfileRow[]
  ).map(toView);
}

function getProfile(db: DB, id: number): TrainingProfile {
  const row = db.prepare("SELECT * FROM import_profile WHERE id = ? AND kind = 'training'").get(id) as
    ProfileRow | undefined;
  if (!row) throw new AppError('not-found', `There is no training import profile ${id}.`);
  return toView(row);
}

/** Saving under an existing name replaces that profile. */
export function saveRecordProfile(
  db: DB,
  actor: Actor,
  input: z.output<typeof trainingProfileInputSchema>,
): TrainingProfile {
  return db.transaction(() => {
    const now = actor.now().toISOString();
    const existing = db.prepare("SELECT * FROM import_profile WHERE kind = 'training' AND name = ?").get(input.name) as
      ProfileRow | undefined;
    const columns = JSON.stringify(input.columns);
    const options = JSON.stringify({ courses: input.courses });
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
          "INSERT INTO import_profile (kind, name, date_order, columns, options, created_by, created_at, updated_at) VALUES ('training', ?, ?, ?, ?, ?, ?, ?)",
        )
        .run(input.name, input.dateOrder, columns, options, actor.user, now, now).lastInsertRowid,
    );
    const after = getProfile(db, id);
    recordChange(db, actor, { entity: 'import profile', entityId: id, action: 'create', after });
    return after;
  })();
}

export function deleteRecordProfile(db: DB, actor: Actor, id: number): { id: number } {
  return db.transaction(() => {
    const before = getProfile(db, id);
    db.prepare('DELETE FROM import_profile WHERE id = ?').run(id);
    recordChange(db, actor, { entity: 'import profile', entityId: id, action: 'delete', before });
    return { id };
  })();
}
