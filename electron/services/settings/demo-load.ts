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
    const insertRole = db.prepare(
      'INSERT INTO role (title, service_id, profession_code, occupation_code, band, establishment_fte_centi) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const roleIds = trust.roles.map((r) =>
      Number(
        insertRole.run(r.title, serviceIds.get(r.service), r.profession, r.occupationCode, r.band, r.establishmentCenti)
          .lastInsertRowid,
      ),
    );
    const insertPerson = db.prepare(
      'INSERT INTO person (pseudo_id, year_of_birth, sex, ethnic_category, disability) VALUES (?, ?, ?, ?, ?)',
    );
    const insertAssignment = db.prepare(
      'INSERT INTO assignment (person_id, pseudo_id, role_id, hours_centi, start_date, end_date, leaving_reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
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
          roleIds[a.role],
          a.hoursCenti,
          a.startDate,
          a.endDate,
          a.leavingReason,
        );
      }
    }
    return { people: trust.people.length, roles: roleIds.length };
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
