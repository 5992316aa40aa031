import type { z } from 'zod';
import type { ServiceView, serviceInputSchema } from '../../../shared/workforce/channels';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';

const SELECT = `SELECT s.id, s.name, s.cost_centre AS costCentre, (SELECT count(*) FROM post po WHERE po.service_id = s.id) AS roleCount
  FROM service s`;

export function listServices(db: DB): ServiceView[] {
  return db.prepare(`${SELECT} ORDER BY s.name`).all() as ServiceView[];
}

function getService(db: DB, id: number): ServiceView {
  const row = db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as ServiceView | undefined;
  if (!row) throw new AppError('not-found', `There is no service with id ${id}.`);
  return row;
}

export function saveService(db: DB, actor: Actor, input: z.output<typeof serviceInputSchema>): ServiceView {
  return db.transaction(() => {
    const clash = db.prepare('SELECT id FROM service WHERE name = ? AND id IS NOT ?').get(input.name, input.id ?? null);
    if (clash)
      throw new AppError('conflict', `There is already a service called ${input.name}.`, {
        name: 'This name is already used',
      });
    if (input.id !== undefined) {
      const before = getService(db, input.id);
      db.prepare('UPDATE service SET name = ?, cost_centre = ? WHERE id = ?').run(
        input.name,
        input.costCentre,
        input.id,
      );
      const after = getService(db, input.id);
      recordChange(db, actor, { entity: 'service', entityId: input.id, action: 'update', before, after });
      return after;
    }
    const id = Number(
      db.prepare('INSERT INTO service (name, cost_centre) VALUES (?, ?)').run(input.name, input.costCentre)
        .lastInsertRowid,
    );
    const after = getService(db, id);
    recordChange(db, actor, { entity: 'service', entityId: id, action: 'create', after });
    return after;
  })();
}

export function deleteService(db: DB, actor: Actor, id: number): { id: number } {
  return db.transaction(() => {
    const before = getService(db, id);
    if (before.roleCount > 0) {
      throw new AppError(
        'conflict',
        `${before.name} still has ${before.roleCount} role(s). Move or delete them first.`,
      );
    }
    db.prepare('DELETE FROM service WHERE id = ?').run(id);
    recordChange(db, actor, { entity: 'service', entityId: id, action: 'delete', before });
    return { id };
  })();
}
