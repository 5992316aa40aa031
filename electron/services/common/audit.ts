import type { DB } from '../../db/connection';

export interface Actor {
  user: string;
  now: () => Date;
}

/** What an audit row can be about, by capability. The names are stored in the database: never rename one. */
export const AUDIT_ENTITIES = [
  'organisation',
  'database',
  'demo trust',
  'service',
  'role',
  'post',
  'role merge',
  'person',
  'import batch',
  'import profile',
  'framework version',
  'role mapping',
  'pathway',
  'qualification',
  'tna item',
  'tna settings',
  'afc pay year',
  'funding-stream',
  'funding-plan-line',
  'funding-category',
  'funding-ledger-entry',
  'funding-ledger-batch',
  'funding-ledger-rule',
  'funding-ledger-rules',
  'funding-import-profile',
  'pseudonymisation key',
  'return',
  'return settings',
  'ics trust',
  'collected return',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export interface Change {
  entity: AuditEntity;
  entityId: string | number | null;
  action: 'create' | 'update' | 'delete' | 'restore' | 'import' | 'load' | 'export';
  before?: unknown;
  after?: unknown;
}

/** Every change a user makes leaves a row: who, when, what it was before and after. Call inside the write's transaction. */
export function recordChange(db: DB, actor: Actor, change: Change): void {
  db.prepare(`INSERT INTO audit (at, user, entity, entity_id, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
    actor.now().toISOString(),
    actor.user,
    change.entity,
    change.entityId === null ? null : String(change.entityId),
    change.action,
    change.before === undefined || change.before === null ? null : JSON.stringify(change.before),
    change.after === undefined || change.after === null ? null : JSON.stringify(change.after),
  );
}
