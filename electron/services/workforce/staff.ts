import type { z } from 'zod';
import {
  fteFromHoursCenti,
  fromCenti,
  toCenti,
  type PersonView,
  type personInputSchema,
  type staffListInputSchema,
} from '../../../shared/workforce/channels';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { pseudonymise, randomPseudonym, shortRef } from '../common/pseudonym';
import { postFor } from './roles';

export interface PersonRow {
  id: number;
  pseudo_id: string;
  year_of_birth: number | null;
  sex: PersonView['sex'];
  ethnic_category: string;
  disability: PersonView['disability'];
}
interface AssignmentRow {
  id: number;
  person_id: number;
  pseudo_id: string;
  role_id: number;
  role_title: string;
  service_id: number;
  service_name: string;
  occupation_code: string | null;
  hours_centi: number;
  start_date: string;
  end_date: string | null;
  leaving_reason: string | null;
}

function assignmentsFor(db: DB, personIds: number[]): Map<number, AssignmentRow[]> {
  const byPerson = new Map<number, AssignmentRow[]>();
  if (personIds.length === 0) return byPerson;
  const rows = db
    .prepare(
      `SELECT a.id, a.person_id, a.pseudo_id, po.role_id, r.title AS role_title, po.service_id, s.name AS service_name,
              a.occupation_code, a.hours_centi, a.start_date, a.end_date, a.leaving_reason
       FROM assignment a JOIN post po ON po.id = a.post_id JOIN role r ON r.id = po.role_id JOIN service s ON s.id = po.service_id
       WHERE a.person_id IN (SELECT value FROM json_each(?)) ORDER BY a.start_date, a.id`,
    )
    .all(JSON.stringify(personIds)) as AssignmentRow[];
  for (const row of rows) {
    const list = byPerson.get(row.person_id) ?? [];
    list.push(row);
    byPerson.set(row.person_id, list);
  }
  return byPerson;
}

/** Year of birth and the equality details, as every view of a person shows them. */
export function personDetails(p: PersonRow): Pick<PersonView, 'yearOfBirth' | 'sex' | 'ethnicCategory' | 'disability'> {
  return { yearOfBirth: p.year_of_birth, sex: p.sex, ethnicCategory: p.ethnic_category, disability: p.disability };
}

function toView(p: PersonRow, assignments: AssignmentRow[]): PersonView {
  return {
    id: p.id,
    ref: shortRef(p.pseudo_id),
    ...personDetails(p),
    assignments: assignments.map((a) => ({
      id: a.id,
      ref: shortRef(a.pseudo_id),
      roleId: a.role_id,
      roleTitle: a.role_title,
      serviceId: a.service_id,
      serviceName: a.service_name,
      occupationCode: a.occupation_code,
      contractedHours: fromCenti(a.hours_centi),
      fte: fteFromHoursCenti(a.hours_centi),
      startDate: a.start_date,
      endDate: a.end_date,
      leavingReason: a.leaving_reason,
    })),
  };
}

export function getPerson(db: DB, id: number): PersonView {
  const row = db.prepare('SELECT * FROM person WHERE id = ?').get(id) as PersonRow | undefined;
  if (!row) throw new AppError('not-found', `There is no member of staff with id ${id}.`);
  return toView(row, assignmentsFor(db, [id]).get(id) ?? []);
}

export function listStaff(
  db: DB,
  input: z.output<typeof staffListInputSchema>,
): { total: number; people: PersonView[] } {
  // Search matches the short reference shown on screen, or a role title.
  const where = input.search
    ? `WHERE p.pseudo_id LIKE @prefix OR EXISTS (SELECT 1 FROM assignment a JOIN post po ON po.id = a.post_id JOIN role r ON r.id = po.role_id WHERE a.person_id = p.id AND r.title LIKE @contains)`
    : '';
  const params = { prefix: `${input.search.toLowerCase()}%`, contains: `%${input.search}%` };
  const total = (db.prepare(`SELECT count(*) AS n FROM person p ${where}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT p.* FROM person p ${where} ORDER BY p.id LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: input.limit, offset: input.offset }) as PersonRow[];
  const assignments = assignmentsFor(
    db,
    rows.map((r) => r.id),
  );
  return { total, people: rows.map((r) => toView(r, assignments.get(r.id) ?? [])) };
}

export function savePerson(db: DB, actor: Actor, input: z.output<typeof personInputSchema>): PersonView {
  return db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM ethnic_category WHERE code = ?').get(input.ethnicCategory)) {
      throw new AppError('invalid-input', `Unknown ethnic category ${input.ethnicCategory}.`, {
        ethnicCategory: 'Choose an ethnic category',
      });
    }
    const posts = input.assignments.map((a, i) => {
      if (!db.prepare('SELECT 1 FROM role WHERE id = ?').get(a.roleId)) {
        throw new AppError('invalid-input', 'Choose a role that exists.', {
          [`assignments.${i}.roleId`]: 'Choose a role',
        });
      }
      if (!db.prepare('SELECT 1 FROM service WHERE id = ?').get(a.serviceId)) {
        throw new AppError('invalid-input', 'Choose a service that exists.', {
          [`assignments.${i}.serviceId`]: 'Choose a service',
        });
      }
      return postFor(db, a.roleId, a.serviceId);
    });
    const pseudoId = input.staffNumber ? pseudonymise(db, 'person', input.staffNumber) : null;
    if (pseudoId) {
      const clash = db
        .prepare('SELECT id FROM person WHERE pseudo_id = ? AND id IS NOT ?')
        .get(pseudoId, input.id ?? null);
      if (clash)
        throw new AppError('conflict', 'Someone with this staff number is already recorded.', {
          staffNumber: 'Already recorded',
        });
    }

    let id: number;
    let before: PersonView | null = null;
    if (input.id !== undefined) {
      before = getPerson(db, input.id);
      id = input.id;
      db.prepare(
        `UPDATE person SET pseudo_id = coalesce(?, pseudo_id), year_of_birth = ?, sex = ?, ethnic_category = ?, disability = ? WHERE id = ?`,
      ).run(pseudoId, input.yearOfBirth, input.sex, input.ethnicCategory, input.disability, id);
    } else {
      id = Number(
        db
          .prepare(
            `INSERT INTO person (pseudo_id, year_of_birth, sex, ethnic_category, disability) VALUES (?, ?, ?, ?, ?)`,
          )
          .run(pseudoId ?? randomPseudonym(), input.yearOfBirth, input.sex, input.ethnicCategory, input.disability)
          .lastInsertRowid,
      );
    }

    const kept = new Set(input.assignments.flatMap((a) => (a.id === undefined ? [] : [a.id])));
    const existing = db.prepare('SELECT id FROM assignment WHERE person_id = ?').all(id) as { id: number }[];
    for (const e of existing) if (!kept.has(e.id)) db.prepare('DELETE FROM assignment WHERE id = ?').run(e.id);
    const existingIds = new Set(existing.map((e) => e.id));
    for (const [i, a] of input.assignments.entries()) {
      // A hand-entered assignment carries its role's profession; an occupation code, if typed, is kept as given.
      const profession = db.prepare('SELECT profession_code FROM role WHERE id = ?').pluck().get(a.roleId) as string;
      const values = [
        posts[i]!,
        a.occupationCode ?? null,
        profession,
        toCenti(a.contractedHours),
        a.startDate,
        a.endDate,
        a.leavingReason,
      ];
      if (a.id !== undefined) {
        if (!existingIds.has(a.id)) {
          throw new AppError('invalid-input', 'That assignment belongs to someone else.', {
            [`assignments.${i}.id`]: 'Unknown assignment',
          });
        }
        db.prepare(
          `UPDATE assignment SET post_id = ?, occupation_code = ?, profession_code = ?, hours_centi = ?, start_date = ?, end_date = ?,
             leaving_reason = ? WHERE id = ?`,
        ).run(...values, a.id);
      } else {
        db.prepare(
          `INSERT INTO assignment (person_id, pseudo_id, post_id, occupation_code, profession_code, hours_centi, start_date,
             end_date, leaving_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(id, randomPseudonym(), ...values);
      }
    }
    const after = getPerson(db, id);
    recordChange(db, actor, { entity: 'person', entityId: id, action: before ? 'update' : 'create', before, after });
    return after;
  })();
}

export function deletePerson(db: DB, actor: Actor, id: number): { id: number } {
  return db.transaction(() => {
    const before = getPerson(db, id);
    db.prepare('DELETE FROM person WHERE id = ?').run(id);
    recordChange(db, actor, { entity: 'person', entityId: id, action: 'delete', before });
    return { id };
  })();
}
