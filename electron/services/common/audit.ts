import type { DB } from '../../db/connection';

export interface Actor {
  user: string;
  now: () => Date;
}

export interface Change {
  entity: string;
  entityId: string | number | null;
  action: 'create' | 'update' | 'delete' | 'restore' | 'import' | 'load';
  before?: unknown;
  after?: unknown;
}

/** Every change a user makes leaves a row: who, when, what it was before and after. Call inside the write's transaction. */
export function recordChange(db: DB, actor: Actor, change: Change): void {
  db.prepare(
    `INSERT INTO audit (at, user, entity, entity_id, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    actor.now().toISOString(),
    actor.user,
    change.entity,
    change.entityId === null ? null : String(change.entityId),
    change.action,
    change.before === undefined || change.before === null ? null : JSON.stringify(change.before),
    change.after === undefined || change.after === null ? null : JSON.stringify(change.after),
  );
}
