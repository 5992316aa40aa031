import type { z } from 'zod';
import {
  fteFromHoursCenti,
  fromCenti,
  toCenti,
  type PostView,
  type RoleView,
  type postInputSchema,
  type postsSaveInputSchema,
  type roleInputSchema,
} from '../../../shared/workforce/channels';
import { todayIso } from '../../../shared/common/clock';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { inPostOn } from '../common/sql';

/** Service names listed in full on a role line before "and N more". */
const SERVICES_LISTED = 3;

interface RoleRow extends Omit<RoleView, 'establishmentFte' | 'inPostFte' | 'mixed' | 'services' | 'serviceIds'> {
  serviceIdList: string | null;
  establishmentCenti: number;
  hoursCenti: number;
  serviceNames: string | null;
  professions: string | null;
  codes: string | null;
}

/**
 * Roles with their posts and their staff in post, each added up by role once (not a subquery per role), so the
 * whole list at 5,000 roles and 100,000 staff is one read.
 */
const SELECT = `
  WITH posts AS (
    SELECT role_id, count(*) AS service_count, sum(establishment_fte_centi) AS establishment,
           group_concat(name, '; ') AS names, group_concat(service_id) AS service_ids
    FROM (SELECT po.role_id, po.establishment_fte_centi, po.service_id, s.name FROM post po JOIN service s ON s.id = po.service_id
          ORDER BY s.name)
    GROUP BY role_id),
  staff AS (
    SELECT po.role_id, sum(a.hours_centi) AS hours, count(DISTINCT a.person_id) AS headcount,
           group_concat(DISTINCT a.profession_code) AS professions, group_concat(DISTINCT a.occupation_code) AS codes
    FROM assignment a JOIN post po ON po.id = a.post_id WHERE ${inPostOn('a', 'asAt')} GROUP BY po.role_id),
  codes AS (
    SELECT role_id, occupation_code FROM (
      SELECT po.role_id, a.occupation_code,
             row_number() OVER (PARTITION BY po.role_id ORDER BY count(*) DESC, a.occupation_code) AS n
      FROM assignment a JOIN post po ON po.id = a.post_id WHERE a.occupation_code IS NOT NULL
      GROUP BY po.role_id, a.occupation_code)
    WHERE n = 1)
  SELECT r.id, r.title, r.band, r.profession_code AS profession, p.name AS professionName,
         coalesce(ps.service_count, 0) AS serviceCount, ps.names AS serviceNames, ps.service_ids AS serviceIdList,
         coalesce(ps.establishment, 0) AS establishmentCenti,
         coalesce(st.hours, 0) AS hoursCenti, coalesce(st.headcount, 0) AS headcount,
         st.professions, st.codes, cd.occupation_code AS occupationCode, m.stage, m.status AS mappingStatus,
         (SELECT count(*) FROM role_mapping_conflict c WHERE c.role_id = r.id) AS conflicts
  FROM role r
  JOIN profession p ON p.code = r.profession_code
  LEFT JOIN posts ps ON ps.role_id = r.id
  LEFT JOIN staff st ON st.role_id = r.id
  LEFT JOIN codes cd ON cd.role_id = r.id
  LEFT JOIN role_mapping m ON m.role_id = r.id`;

/** Says when a role's staff carry codes of professions other than its own, or several occupation codes. */
export function mixedNote(profession: string, professions: string | null, codes: string | null): string | null {
  const others = (professions ?? '').split(',').filter((p) => p && p !== profession);
  const codeList = (codes ?? '').split(',').filter(Boolean);
  if (others.length > 0) return `Staff also carry codes of other professions (${others.join(', ')})`;
  if (codeList.length > 1) return `Staff carry ${codeList.length} occupation codes (${codeList.join(', ')})`;
  return null;
}

function toView(row: RoleRow): RoleView {
  const { establishmentCenti, hoursCenti, serviceNames, serviceIdList, professions, codes, ...rest } = row;
  const names = serviceNames ? serviceNames.split('; ') : [];
  const services =
    names.length > SERVICES_LISTED
      ? `${names.slice(0, SERVICES_LISTED).join('; ')} and ${names.length - SERVICES_LISTED} more`
      : names.join('; ');
  return {
    ...rest,
    services,
    serviceIds: serviceIdList ? serviceIdList.split(',').map(Number) : [],
    mixed: mixedNote(row.profession, professions, codes),
    establishmentFte: fromCenti(establishmentCenti),
    inPostFte: fteFromHoursCenti(hoursCenti),
  };
}

export function listRoles(db: DB, asAt: string): RoleView[] {
  return (db.prepare(`${SELECT} ORDER BY r.title COLLATE NOCASE, r.band, r.id`).all({ asAt }) as RoleRow[]).map(toView);
}

export function getRole(db: DB, id: number, asAt: string): RoleView {
  const row = db.prepare(`${SELECT} WHERE r.id = @id`).get({ asAt, id }) as RoleRow | undefined;
  if (!row) throw new AppError('not-found', `There is no role with id ${id}.`);
  return toView(row);
}

function requireProfession(db: DB, code: string): void {
  if (!db.prepare('SELECT 1 FROM profession WHERE code = ?').get(code)) {
    throw new AppError('invalid-input', `Unknown profession ${code}.`, { profession: 'Choose a profession' });
  }
}

function requireTitleFree(db: DB, title: string, band: string, id: number | null): void {
  const clash = db
    .prepare('SELECT id FROM role WHERE title = ? COLLATE NOCASE AND band = ? AND id IS NOT ?')
    .get(title, band, id) as { id: number } | undefined;
  if (clash) {
    throw new AppError(
      'conflict',
      `There is already a role called ${title} at band ${band}. To bring the two together, merge them.`,
      { title: 'This title and band are already used' },
    );
  }
}

export function saveRole(db: DB, actor: Actor, input: z.output<typeof roleInputSchema>): RoleView {
  const asAt = todayIso(actor.now());
  return db.transaction(() => {
    requireProfession(db, input.profession);
    requireTitleFree(db, input.title, input.band, input.id ?? null);
    if (input.id !== undefined) {
      const before = getRole(db, input.id, asAt);
      db.prepare('UPDATE role SET title = ?, band = ?, profession_code = ? WHERE id = ?').run(
        input.title,
        input.band,
        input.profession,
        input.id,
      );
      const after = getRole(db, input.id, asAt);
      recordChange(db, actor, { entity: 'role', entityId: input.id, action: 'update', before, after });
      return after;
    }
    const id = Number(
      db
        .prepare('INSERT INTO role (title, band, profession_code) VALUES (?, ?, ?)')
        .run(input.title, input.band, input.profession).lastInsertRowid,
    );
    const after = getRole(db, id, asAt);
    recordChange(db, actor, { entity: 'role', entityId: id, action: 'create', after });
    return after;
  })();
}

export function deleteRole(db: DB, actor: Actor, id: number): { id: number } {
  return db.transaction(() => {
    const before = getRole(db, id, todayIso(actor.now()));
    const used = db
      .prepare('SELECT count(*) FROM assignment a JOIN post po ON po.id = a.post_id WHERE po.role_id = ?')
      .pluck()
      .get(id) as number;
    if (used > 0) {
      throw new AppError(
        'conflict',
        `${before.title} has ${used} staff assignment(s), past or present. Move them to another role, or merge the roles.`,
      );
    }
    const framework = db
      .prepare(
        'SELECT (SELECT count(*) FROM role_mapping WHERE role_id = @id) AS mapped, (SELECT count(*) FROM pathway_step_role WHERE role_id = @id) AS steps',
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
    const merges = db.prepare('SELECT count(*) FROM role_merge WHERE into_role_id = ?').pluck().get(id) as number;
    if (merges > 0)
      throw new AppError(
        'conflict',
        `${before.title} cannot be deleted: other roles were merged into it (${merges} merge(s), on the Group roles tab), and that record needs it.`,
      );
    db.prepare('DELETE FROM post WHERE role_id = ?').run(id);
    db.prepare('DELETE FROM role_alias WHERE role_id = ?').run(id);
    db.prepare('DELETE FROM role WHERE id = ?').run(id);
    recordChange(db, actor, { entity: 'role', entityId: id, action: 'delete', before });
    return { id };
  })();
}

// ---------- post lines ----------

const POST_SELECT = `
  SELECT po.id, po.role_id AS roleId, r.title AS roleTitle, r.band, po.service_id AS serviceId, s.name AS serviceName,
         po.establishment_fte_centi AS establishmentCenti, po.budget_pence AS budgetPence,
         coalesce(st.hours, 0) AS hoursCenti, coalesce(st.headcount, 0) AS headcount
  FROM post po JOIN role r ON r.id = po.role_id JOIN service s ON s.id = po.service_id
  LEFT JOIN (SELECT post_id, sum(hours_centi) AS hours, count(DISTINCT person_id) AS headcount
             FROM assignment a WHERE ${inPostOn('a', 'asAt')} GROUP BY post_id) st ON st.post_id = po.id`;

type PostRow = Omit<PostView, 'establishmentFte' | 'inPostFte'> & { establishmentCenti: number; hoursCenti: number };

function toPostView(row: PostRow): PostView {
  const { establishmentCenti, hoursCenti, ...rest } = row;
  return { ...rest, establishmentFte: fromCenti(establishmentCenti), inPostFte: fteFromHoursCenti(hoursCenti) };
}

export function listPosts(db: DB, asAt: string, roleId?: number): PostView[] {
  const where = roleId === undefined ? '' : 'WHERE po.role_id = @roleId';
  return (
    db
      .prepare(`${POST_SELECT} ${where} ORDER BY r.title COLLATE NOCASE, r.band, s.name`)
      .all({ asAt, roleId: roleId ?? null }) as PostRow[]
  ).map(toPostView);
}

export function getPost(db: DB, id: number, asAt: string): PostView {
  const row = db.prepare(`${POST_SELECT} WHERE po.id = @id`).get({ asAt, id }) as PostRow | undefined;
  if (!row) throw new AppError('not-found', `There is no post line with id ${id}.`);
  return toPostView(row);
}

/** The post of a role in a service, made (with no establishment) when it is not there yet. */
export function postFor(db: DB, roleId: number, serviceId: number): number {
  if (!db.prepare('SELECT 1 FROM role WHERE id = ?').get(roleId))
    throw new AppError('invalid-input', 'Choose a role that exists.', { roleId: 'Choose a role' });
  if (!db.prepare('SELECT 1 FROM service WHERE id = ?').get(serviceId))
    throw new AppError('invalid-input', 'Choose a service that exists.', { serviceId: 'Choose a service' });
  const found = db.prepare('SELECT id FROM post WHERE role_id = ? AND service_id = ?').pluck().get(roleId, serviceId);
  if (found !== undefined) return found as number;
  return Number(
    db.prepare('INSERT INTO post (role_id, service_id) VALUES (?, ?)').run(roleId, serviceId).lastInsertRowid,
  );
}

/** Sets the establishment (and budget) of a role in a service, making the post line if needed. */
export function savePost(db: DB, actor: Actor, input: z.output<typeof postInputSchema>): PostView {
  const asAt = todayIso(actor.now());
  return db.transaction(() => {
    const existing = db
      .prepare('SELECT id FROM post WHERE role_id = ? AND service_id = ?')
      .pluck()
      .get(input.roleId, input.serviceId) as number | undefined;
    const before = existing === undefined ? undefined : getPost(db, existing, asAt);
    const id = existing ?? postFor(db, input.roleId, input.serviceId);
    db.prepare('UPDATE post SET establishment_fte_centi = ?, budget_pence = ? WHERE id = ?').run(
      toCenti(input.establishmentFte),
      input.budgetPence,
      id,
    );
    const after = getPost(db, id, asAt);
    recordChange(db, actor, { entity: 'post', entityId: id, action: before ? 'update' : 'create', before, after });
    return after;
  })();
}

/**
 * Sets the establishment of several post lines (a role in a service) in one transaction, making lines that are not
 * there yet. Every role and service is checked first and a line named twice is refused, so bad input writes nothing.
 */
export function savePosts(
  db: DB,
  actor: Actor,
  input: z.output<typeof postsSaveInputSchema>,
): { updated: number; created: number } {
  return db.transaction(() => {
    const seen = new Set<string>();
    const roleExists = db.prepare('SELECT 1 FROM role WHERE id = ?').pluck();
    const serviceExists = db.prepare('SELECT 1 FROM service WHERE id = ?').pluck();
    const missingRoles = new Set<number>();
    const missingServices = new Set<number>();
    for (const line of input.lines) {
      const key = `${line.roleId}:${line.serviceId}`;
      if (seen.has(key))
        throw new AppError(
          'invalid-input',
          `Role ${line.roleId} in service ${line.serviceId} is listed twice. Give each role in a service once.`,
        );
      seen.add(key);
      if (!roleExists.get(line.roleId)) missingRoles.add(line.roleId);
      if (!serviceExists.get(line.serviceId)) missingServices.add(line.serviceId);
    }
    if (missingRoles.size > 0 || missingServices.size > 0) {
      const parts = [
        missingRoles.size ? `role(s) ${[...missingRoles].join(', ')}` : '',
        missingServices.size ? `service(s) ${[...missingServices].join(', ')}` : '',
      ].filter(Boolean);
      throw new AppError(
        'invalid-input',
        `There is no ${parts.join(' and no ')}: they may have been deleted or merged. Reload the list and try again. Nothing was saved.`,
      );
    }
    const find = db.prepare(
      'SELECT id, establishment_fte_centi AS centi, budget_pence AS budgetPence FROM post WHERE role_id = ? AND service_id = ?',
    );
    const insert = db.prepare(
      'INSERT INTO post (role_id, service_id, establishment_fte_centi, budget_pence) VALUES (?, ?, ?, ?)',
    );
    const update = db.prepare('UPDATE post SET establishment_fte_centi = ?, budget_pence = ? WHERE id = ?');
    let updated = 0;
    let created = 0;
    for (const line of input.lines) {
      const centi = toCenti(line.establishmentFte);
      const found = find.get(line.roleId, line.serviceId) as
        { id: number; centi: number; budgetPence: number | null } | undefined;
      const budgetPence = line.budgetPence === undefined ? (found?.budgetPence ?? null) : line.budgetPence;
      const after = { roleId: line.roleId, serviceId: line.serviceId, establishmentFte: fromCenti(centi), budgetPence };
      if (!found) {
        const id = Number(insert.run(line.roleId, line.serviceId, centi, budgetPence).lastInsertRowid);
        recordChange(db, actor, { entity: 'post', entityId: id, action: 'create', after });
        created++;
      } else if (found.centi !== centi || found.budgetPence !== budgetPence) {
        update.run(centi, budgetPence, found.id);
        const before = { ...after, establishmentFte: fromCenti(found.centi), budgetPence: found.budgetPence };
        recordChange(db, actor, { entity: 'post', entityId: found.id, action: 'update', before, after });
        updated++;
      }
    }
    return { updated, created };
  })();
}

export function deletePost(db: DB, actor: Actor, id: number): { id: number } {
  return db.transaction(() => {
    const before = getPost(db, id, todayIso(actor.now()));
    const used = db.prepare('SELECT count(*) FROM assignment WHERE post_id = ?').pluck().get(id) as number;
    if (used > 0)
      throw new AppError(
        'conflict',
        `${before.roleTitle} in ${before.serviceName} has ${used} staff assignment(s), past or present, so its line stays.`,
      );
    db.prepare('DELETE FROM post WHERE id = ?').run(id);
    recordChange(db, actor, { entity: 'post', entityId: id, action: 'delete', before });
    return { id };
  })();
}
