import type { z } from 'zod';
import {
  fteFromHoursCenti,
  type RoleView,
  type roleInputSchema,
  toCenti,
  fromCenti,
} from '../../../shared/workforce/channels';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { inPostOn } from '../common/sql';
import { todayIso } from '../../../shared/common/clock';

/** A role as read: the view's fields, with the establishment and the in-post hours still in hundredths. */
type RoleRow = Omit<RoleView, 'establishmentFte' | 'inPostFte'> & { establishmentCenti: number; hoursCenti: number };

const SELECT = `
  SELECT r.id, r.title, r.service_id AS serviceId, s.name AS serviceName, r.profession_code AS profession,
         p.name AS professionName, r.occupation_code AS occupationCode, r.band,
         r.establishment_fte_centi AS establishmentCenti,
         coalesce(a.hours, 0) AS hoursCenti, coalesce(a.headcount, 0) AS headcount
  FROM role r
  JOIN service s ON s.id = r.service_id
  JOIN profession p ON p.code = r.profession_code
  LEFT JOIN (
    SELECT role_id, sum(hours_centi) AS hours, count(DISTINCT person_id) AS headcount
    FROM assignment WHERE ${inPostOn(null, 'asAt')}
    GROUP BY role_id
  ) a ON a.role_id = r.id`;

function toView(row: RoleRow): RoleView {
  const { establishmentCenti, hoursCenti, ...rest } = row;
  return { ...rest, establishmentFte: fromCenti(establishmentCenti), inPostFte: fteFromHoursCenti(hoursCenti) };
}

export function listRoles(db: DB, asAt: string): RoleView[] {
  return (db.prepare(`${SELECT} ORDER BY s.name, r.title`).all({ asAt }) as RoleRow[]).map(toView);
}

export function getRole(db: DB, id: number, asAt: string): RoleView {
  const row = db.prepare(`${SELECT} WHERE r.id = @id`).get({ asAt, id }) as RoleRow | undefined;
  if (!row) throw new AppError('not-found', `There is no role with id ${id}.`);
  return toView(row);
}

export function saveRole(db: DB, actor: Actor, input: z.output<typeof roleInputSchema>): RoleView {
  const asAt = todayIso(actor.now());
  return db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM service WHERE id = ?').get(input.serviceId)) {
      throw new AppError('invalid-input', 'Choose a service that exists.', { serviceId: 'Choose a service' });
    }
    if (!db.prepare('SELECT 1 FROM profession WHERE code = ?').get(input.profession)) {
      throw new AppError('invalid-input', `Unknown profession ${input.profession}.`, {
        profession: 'Choose a profession',
      });
    }
    const values = [
      input.title,
      input.serviceId,
      input.profession,
      input.occupationCode,
      input.band,
      toCenti(input.establishmentFte),
    ];
    if (input.id !== undefined) {
      const before = getRole(db, input.id, asAt);
      db.prepare(
        `UPDATE role SET title = ?, service_id = ?, profession_code = ?, occupation_code = ?, band = ?, establishment_fte_centi = ? WHERE id = ?`,
      ).run(...values, input.id);
      const after = getRole(db, input.id, asAt);
      recordChange(db, actor, { entity: 'role', entityId: input.id, action: 'update', before, after });
      return after;
    }
    const id = Number(
      db
        .prepare(
          `INSERT INTO role (title, service_id, profession_code, occupation_code, band, establishment_fte_centi) VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(...values).lastInsertRowid,
    );
    const after = getRole(db, id, asAt);
    recordChange(db, actor, { entity: 'role', entityId: id, action: 'create', after });
    return after;
  })();
}

export function deleteRole(db: DB, actor: Actor, id: number): { id: number } {
  return db.transaction(() => {
    const before = getRole(db, id, todayIso(actor.now()));
    const used = db.prepare('SELECT count(*) AS n FROM assignment WHERE role_id = ?').get(id) as { n: number };
    if (used.n > 0) {
      throw new AppError(
        'conflict',
        `${before.title} has ${used.n} staff assignment(s), past or present. Move them to another role first.`,
      );
    }
    const framework = db
      .prepare(
        'SELECT (SELECT count(*) FROM role_mapping WHERE role_id = @id) AS mapped, (SELECT count(*) FROM pathway_step WHERE role_id = @id) AS steps',
      )
      .get({ id }) as { mapped: number; steps: number };
    if (framework.mapped > 0 || framework.steps > 0) {
      const why = [
        framework.mapped ? 'it is mapped to the framework' : '',
        framework.steps ? `it is a step in ${framework.steps} career pathway(s)` : '',
      ].filter(Boolean);
      throw new AppError(
        'conflict',
        `${before.title} cannot be deleted because ${why.join(' and ')}. Remove the mapping (Roles & framework) or the pathway step first.`,
      );
    }
    db.prepare('DELETE FROM role WHERE id = ?').run(id);
    recordChange(db, actor, { entity: 'role', entityId: id, action: 'delete', before });
    return { id };
  })();
}
