import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { randomPseudonym } from '../common/pseudonym';
import { generateDemoTrust, type DemoTrust } from './demo-generate';
import { writeOrganisation } from './organisation';

/** Writes a generated trust in one transaction with prepared statements (also the benchmark's insert path). */
export function insertTrust(db: DB, trust: DemoTrust, isDemo: boolean): { people: number; roles: number } {
  return db.transaction(() => {
    writeOrganisation(db, trust.organisation, isDemo);
    const serviceIds = new Map<string, number>();
    const insertService = db.prepare('INSERT INTO service (name, cost_centre) VALUES (?, ?)');
    for (const s of trust.services)
      serviceIds.set(s.name, Number(insertService.run(s.name, s.costCentre).lastInsertRowid));
    // A demo role line is a job in a service: one role per title and band, one post per service.
    const insertRole = db.prepare('INSERT INTO role (title, band, profession_code) VALUES (?, ?, ?)');
    const insertPost = db.prepare(
      'INSERT INTO post (role_id, service_id, establishment_fte_centi) VALUES (?, ?, ?) ON CONFLICT (role_id, service_id) DO UPDATE SET establishment_fte_centi = establishment_fte_centi + excluded.establishment_fte_centi RETURNING id',
    );
    const roleByKey = new Map<string, number>();
    const postIds = trust.roles.map((r) => {
      const key = `${r.title.toLowerCase()}|${r.band}`;
      let roleId = roleByKey.get(key);
      if (roleId === undefined) {
        roleId = Number(insertRole.run(r.title, r.band, r.profession).lastInsertRowid);
        roleByKey.set(key, roleId);
      }
      return (insertPost.get(roleId, serviceIds.get(r.service), r.establishmentCenti) as { id: number }).id;
    });
    const insertPerson = db.prepare(
      'INSERT INTO person (pseudo_id, year_of_birth, sex, ethnic_category, disability) VALUES (?, ?, ?, ?, ?)',
    );
    const insertAssignment = db.prepare(
      'INSERT INTO assignment (person_id, pseudo_id, post_id, occupation_code, profession_code, hours_centi, start_date, end_date, leaving_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const p of trust.people) {
      const personId = insertPerson.run(
        randomPseudonym(),
        p.yearOfBirth,
        p.sex,
        p.ethnicCategory,
        p.disability,
      ).lastInsertRowid;
      for (const a of p.assignments) {
        insertAssignment.run(
          personId,
          randomPseudonym(),
          postIds[a.role],
          trust.roles[a.role]!.occupationCode,
          trust.roles[a.role]!.profession,
          a.hoursCenti,
          a.startDate,
          a.endDate,
          a.leavingReason,
        );
      }
    }
    return { people: trust.people.length, roles: roleByKey.size };
  })();
}

export function loadDemoTrust(
  db: DB,
  actor: Actor,
  input: { staff: number; seed: number },
): { people: number; roles: number } {
  return db.transaction(() => {
    const used = db
      .prepare(
        'SELECT (SELECT count(*) FROM service) + (SELECT count(*) FROM person) + (SELECT count(*) FROM organisation) AS n',
      )
      .get() as {
      n: number;
    };
    if (used.n > 0) {
      throw new AppError(
        'conflict',
        'The demo trust can only be loaded into an empty database. Start a new database file for it.',
      );
    }
    const counts = insertTrust(db, generateDemoTrust(input.staff, input.seed), true);
    recordChange(db, actor, {
      entity: 'demo trust',
      entityId: null,
      action: 'load',
      after: { ...counts, seed: input.seed },
    });
    return counts;
  })();
}
