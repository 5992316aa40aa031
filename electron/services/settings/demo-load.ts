import { bulkInputSchema, mappingSaveSchema, pathwaySaveSchema } from '../../../shared/framework/channels';
import { planLineInputSchema } from '../../../shared/funding/plan';
import { fundingStreamInputSchema } from '../../../shared/funding/streams';
import { ledgerEntryInputSchema } from '../../../shared/funding/ledger';
import { tnaSaveSchema } from '../../../shared/training/channels';
import { todayIso } from '../../../shared/common/clock';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { randomPseudonym } from '../common/pseudonym';
import { bulkMapping, saveMapping } from '../framework/mapping';
import { savePathway } from '../framework/pathways';
import { saveEntry } from '../funding/ledger';
import { saveLine } from '../funding/lines';
import { saveStream } from '../funding/streams';
import { qualificationColumns } from '../training/education';
import { saveTnaItem } from '../training/tna';
import { generateDemoTrust, type DemoTrust } from './demo-generate';
import { writeOrganisation } from './organisation';

export interface InsertedTrust {
  people: number;
  roles: number;
  roleIds: number[];
  personIds: number[];
}

/**
 * Writes a generated trust's workforce (organisation, services, roles, post lines, people, assignments) in one
 * transaction with prepared statements. The benchmarks insert 100,000 staff through it, so it writes nothing
 * else: the demo's qualifications, mappings, training needs, funding and pathways come after, in loadDemoTrust.
 */
export function insertTrust(db: DB, trust: DemoTrust, isDemo: boolean): InsertedTrust {
  return db.transaction(() => {
    writeOrganisation(db, trust.organisation, isDemo);
    const insertService = db.prepare('INSERT INTO service (name, cost_centre) VALUES (?, ?)');
    const serviceIds = trust.services.map((s) => Number(insertService.run(s.name, s.costCentre).lastInsertRowid));
    const insertRole = db.prepare('INSERT INTO role (title, band, profession_code) VALUES (?, ?, ?)');
    const roleIds = trust.roles.map((r) => Number(insertRole.run(r.title, r.band, r.profession).lastInsertRowid));
    const insertPost = db.prepare('INSERT INTO post (role_id, service_id, establishment_fte_centi) VALUES (?, ?, ?)');
    const postIds = trust.posts.map((p) =>
      Number(insertPost.run(roleIds[p.role], serviceIds[p.service], p.establishmentCenti).lastInsertRowid),
    );
    const insertPerson = db.prepare(
      'INSERT INTO person (pseudo_id, year_of_birth, sex, ethnic_category, disability) VALUES (?, ?, ?, ?, ?)',
    );
    const insertAssignment = db.prepare(
      'INSERT INTO assignment (person_id, pseudo_id, post_id, occupation_code, profession_code, hours_centi, start_date, end_date, leaving_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const personIds = trust.people.map((p) => {
      const personId = Number(
        insertPerson.run(randomPseudonym(), p.yearOfBirth, p.sex, p.ethnicCategory, p.disability).lastInsertRowid,
      );
      for (const a of p.assignments) {
        insertAssignment.run(
          personId,
          randomPseudonym(),
          postIds[a.post],
          a.occupationCode,
          a.profession,
          a.hoursCenti,
          a.startDate,
          a.endDate,
          a.leavingReason,
        );
      }
      return personId;
    });
    return { people: personIds.length, roles: roleIds.length, roleIds, personIds };
  })();
}

/**
 * The rest of the demo: qualification records (prepared statements, as hand-entered records), and the
 * mappings, training needs, funding stream, plan, ledger and pathways through their own services, so each is
 * checked, costed and audited exactly as if a lead had entered it. Inside the caller's transaction.
 */
function insertDemoWork(db: DB, actor: Actor, trust: DemoTrust, ids: InsertedTrust): void {
  const insertQualification = db.prepare(
    'INSERT INTO qualification (person_id, kind, title, level, status, start_date, end_date, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  trust.people.forEach((p, i) => {
    for (const q of p.qualifications) {
      const c = qualificationColumns(q);
      insertQualification.run(ids.personIds[i], c.kind, c.title, c.level, c.status, c.start, c.end, JSON.stringify(q));
    }
  });

  trust.roles.forEach((r, i) => {
    if (!r.mapping) return;
    saveMapping(
      db,
      actor,
      mappingSaveSchema.parse({
        roleId: ids.roleIds[i],
        stage: r.mapping.stage,
        rationale: r.mapping.rationale,
        assessments: r.mapping.assessments,
      }),
    );
  });
  const agreed = ids.roleIds.filter((_, i) => trust.roles[i]!.mapping?.agreed);
  if (agreed.length > 0) bulkMapping(db, actor, bulkInputSchema.parse({ action: 'agree', roleIds: agreed }));

  const tnaIds = trust.tna.map((item) => saveTnaItem(db, actor, tnaSaveSchema.parse(item)).id);
  const asAt = todayIso(actor.now());
  const stream = saveStream(db, actor, fundingStreamInputSchema.parse(trust.funding.stream), asAt);
  const lineIds = trust.funding.lines.map(
    ({ tnaItem, ...line }) =>
      saveLine(
        db,
        actor,
        planLineInputSchema.parse({
          ...line,
          streamId: stream.id,
          tnaItemId: tnaItem === null ? null : tnaIds[tnaItem],
        }),
      ).id,
  );
  for (const { line, ...entry } of trust.funding.ledger)
    saveEntry(db, actor, ledgerEntryInputSchema.parse({ ...entry, planLineId: line === null ? null : lineIds[line] }));

  for (const p of trust.pathways) {
    savePathway(
      db,
      actor,
      pathwaySaveSchema.parse({
        name: p.name,
        description: p.description,
        steps: p.steps.map((s) => {
          if (s.kind !== 'roles') return s;
          const { roles, ...step } = s;
          return { ...step, roleIds: roles.map((r) => ids.roleIds[r]) };
        }),
      }),
    );
  }
}

/** `organisation` replaces the demo trust's name and codes (the demo ICS makes several trusts this way). */
export function loadDemoTrust(
  db: DB,
  actor: Actor,
  input: { staff: number; seed: number; organisation?: DemoTrust['organisation'] },
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
    const generated = generateDemoTrust(input.staff, input.seed);
    const trust = input.organisation ? { ...generated, organisation: input.organisation } : generated;
    const ids = insertTrust(db, trust, true);
    // One moment for everything the load writes, so its audit rows group as one action's, however long it takes.
    const at = actor.now();
    insertDemoWork(db, { user: actor.user, now: () => at }, trust, ids);
    const counts = { people: ids.people, roles: ids.roles };
    recordChange(db, actor, {
      entity: 'demo trust',
      entityId: null,
      action: 'load',
      after: { ...counts, seed: input.seed },
    });
    return counts;
  })();
}
