import type { z } from 'zod';
import type { ImportCounts, importOptionsSchema, PreviewOutput } from '../../../shared/import/channels';
import { dateLabel } from '../../../shared/common/periods';
import type { DB } from '../../db/connection';
import { openAfter } from '../common/sql';
import type { StageSummary } from './stage';

/**
 * Pass 2 of an import: from the staging database into the workforce tables, set-based SQL inside the caller's
 * one transaction. A preview runs exactly the same statements and then rolls back, so its counts are the
 * commit's counts.
 *
 * Matching: people by pseudonymised employee number, assignments by pseudonymised assignment number (or
 * employee number + "-1" when the extract has no assignment column). Services by name (the Service column,
 * else the cost centre). Job roles by title + band (any case), or by a title merged into a role before
 * (role_alias), created when missing with the profession most of their rows' occupation codes give. Posts (a role
 * in a service) are made as needed, with an establishment of 0. Each assignment keeps its own occupation code and
 * the profession it gives.
 * Every update (with the previous values) is logged against the batch, and what it inserted as one id range per
 * table (import_insert), for Undo.
 */

type Options = z.output<typeof importOptionsSchema>;
type Table = 'service' | 'role' | 'post' | 'person' | 'assignment';

/** Runs inside the caller's transaction. Returns the counts; the batch row must exist already. */
export function applyStage(
  db: DB,
  batchId: number,
  summary: StageSummary,
  options: Options,
  extractDate: string,
): { counts: ImportCounts; newRoles: PreviewOutput['newRoles'] } {
  const excluded = excludeNonAhpRows(db, options.keepNonAhpCodes);
  const servicesAdded = matchServices(db, batchId);
  const { rolesAdded, newRoles } = matchRoles(db, batchId);
  updateKnownPeople(db, batchId);
  const peopleAdded = insertNewPeople(db, batchId);
  const plan = planKnownAssignments(db, summary);
  updateKnownAssignments(db, batchId);
  const { inserted, newLeavers } = insertNewAssignments(db, batchId, plan);
  const markedMissing = options.markMissingAsLeavers ? endMissingAssignments(db, batchId, extractDate) : 0;
  return {
    counts: {
      rowsRead: summary.rowsRead,
      added: inserted,
      updated: plan.updated,
      unchanged: plan.unchanged,
      rejected: summary.rejected,
      excluded: excluded + summary.duplicates,
      duplicates: summary.duplicates,
      leavers: plan.leavers + newLeavers,
      markedMissing,
      peopleAdded,
      rolesAdded,
      servicesAdded,
    },
    newRoles,
  };
}

function maxId(db: DB, table: Table): number {
  return (db.prepare(`SELECT coalesce(max(id), 0) FROM ${table}`).pluck().get() as number) ?? 0;
}

/**
 * Records the rows a table gained since `after` as one id range of the batch (import_insert, migration 7): the
 * batch inserts each table's new rows in one statement, so they take consecutive ids. Returns how many.
 */
function logInserts(db: DB, batchId: number, table: Table, after: number): number {
  const last = maxId(db, table);
  if (last <= after) return 0;
  db.prepare('INSERT INTO import_insert (batch_id, entity, first_id, last_id) VALUES (?, ?, ?, ?)').run(
    batchId,
    table,
    after + 1,
    last,
  );
  return last - after;
}

/** Leaves out rows outside AHP support unless their occupation code is kept; marks the role keys still used. */
function excludeNonAhpRows(db: DB, keepNonAhpCodes: readonly string[]): number {
  db.prepare(
    `UPDATE stage.row SET excluded = occupation_code NOT IN (SELECT value FROM json_each(?)) WHERE is_ahp = 0`,
  ).run(JSON.stringify(keepNonAhpCodes));
  const excluded = db.prepare('SELECT count(*) FROM stage.row WHERE excluded = 1').pluck().get() as number;
  db.exec(`UPDATE stage.role_key SET used = id IN (SELECT DISTINCT role_key FROM stage.row WHERE excluded = 0)`);
  return excluded;
}

/** Services by name: match, create what is missing, match again. Returns how many were created. */
function matchServices(db: DB, batchId: number): number {
  const before = maxId(db, 'service');
  db.exec(
    `UPDATE stage.role_key SET service_id = (SELECT s.id FROM service s WHERE s.name = stage.role_key.service_name) WHERE used = 1`,
  );
  db.exec(
    `INSERT INTO service (name, cost_centre)
     SELECT service_name, max(cost_centre) FROM stage.role_key WHERE used = 1 AND service_id IS NULL
     GROUP BY service_name COLLATE NOCASE ORDER BY min(id)`,
  );
  const added = logInserts(db, batchId, 'service', before);
  db.exec(
    `UPDATE stage.role_key SET service_id = (SELECT s.id FROM service s WHERE s.name = stage.role_key.service_name) WHERE used = 1 AND service_id IS NULL`,
  );
  return added;
}

/**
 * Job roles by title and band, then posts by role and service: match, create what is missing, match again. A new
 * role's profession is the one most of its rows carry.
 */
function matchRoles(db: DB, batchId: number): { rolesAdded: number; newRoles: PreviewOutput['newRoles'] } {
  const before = maxId(db, 'role');
  db.exec(
    `UPDATE stage.role_key SET rows = c.n
     FROM (SELECT role_key, count(*) AS n FROM stage.row WHERE excluded = 0 GROUP BY role_key) c
     WHERE c.role_key = stage.role_key.id`,
  );
  const matchRole = `UPDATE stage.role_key SET role_id = coalesce(
      (SELECT r.id FROM role r WHERE r.title = trim(stage.role_key.title) COLLATE NOCASE AND r.band = stage.role_key.band),
      (SELECT a.role_id FROM role_alias a WHERE a.title_key = lower(trim(stage.role_key.title)) AND a.band = stage.role_key.band))
    WHERE used = 1 AND role_id IS NULL`;
  db.exec(matchRole);
  db.exec(
    `INSERT INTO role (title, band, profession_code)
     SELECT trim(min(k.title)), k.band,
            (SELECT k2.profession FROM stage.role_key k2
             WHERE k2.used = 1 AND k2.role_id IS NULL AND lower(trim(k2.title)) = lower(trim(k.title)) AND k2.band = k.band
             GROUP BY k2.profession ORDER BY sum(k2.rows) DESC, min(k2.id) LIMIT 1)
     FROM stage.role_key k WHERE k.used = 1 AND k.role_id IS NULL
     GROUP BY lower(trim(k.title)), k.band ORDER BY min(k.id)`,
  );
  const rolesAdded = logInserts(db, batchId, 'role', before);
  db.exec(matchRole);

  const beforePosts = maxId(db, 'post');
  const matchPost = `UPDATE stage.role_key SET post_id = (
      SELECT po.id FROM post po WHERE po.role_id = stage.role_key.role_id AND po.service_id = stage.role_key.service_id)
    WHERE used = 1 AND post_id IS NULL`;
  db.exec(matchPost);
  db.exec(
    `INSERT INTO post (role_id, service_id)
     SELECT role_id, service_id FROM stage.role_key WHERE used = 1 AND post_id IS NULL
     GROUP BY role_id, service_id ORDER BY min(id)`,
  );
  logInserts(db, batchId, 'post', beforePosts);
  db.exec(matchPost);

  const newRoles = db
    .prepare(
      `SELECT r.title, r.band, r.profession_code AS profession,
              (SELECT group_concat(name, '; ') FROM (SELECT DISTINCT s.name FROM post po JOIN service s ON s.id = po.service_id
                                                     WHERE po.role_id = r.id ORDER BY s.name)) AS services
       FROM role r WHERE r.id > ? ORDER BY r.id LIMIT 200`,
    )
    .all(before) as PreviewOutput['newRoles'];
  return { rolesAdded, newRoles };
}

/**
 * People already in the database: the first row of each in the file gives their details; a blank detail keeps
 * what we have. Worked out before any new person is added, so a first import finds nobody here at little cost.
 * Leaves stage.person (one row a known person, `changed` set) for the assignment plan.
 */
function updateKnownPeople(db: DB, batchId: number): void {
  db.exec(`DROP TABLE IF EXISTS stage.person`);
  db.exec(
    `CREATE TABLE stage.person AS
     SELECT p.id AS person_id, min(r.rowid) AS first_row, r.yob, r.sex, r.ethnic, r.disability, 0 AS changed -- (details from the min() row)
     FROM stage.row r JOIN main.person p ON p.pseudo_id = r.person WHERE r.excluded = 0 GROUP BY p.id`,
  );
  const personChanged = `(sp.yob IS NOT NULL AND sp.yob IS NOT p.year_of_birth) OR (sp.sex IS NOT NULL AND sp.sex <> p.sex)
    OR (sp.ethnic IS NOT NULL AND sp.ethnic <> p.ethnic_category) OR (sp.disability IS NOT NULL AND sp.disability <> p.disability)`;
  db.exec(
    `UPDATE stage.person AS sp SET changed = 1 FROM main.person p WHERE p.id = sp.person_id AND (${personChanged})`,
  );
  db.exec(`CREATE UNIQUE INDEX stage.person_id ON person(person_id)`);
  db.prepare(
    `INSERT INTO import_change (batch_id, entity, entity_id, action, before)
     SELECT ?, 'person', p.id, 'update',
            json_object('year_of_birth', p.year_of_birth, 'sex', p.sex, 'ethnic_category', p.ethnic_category, 'disability', p.disability)
     FROM stage.person sp JOIN main.person p ON p.id = sp.person_id WHERE sp.changed = 1`,
  ).run(batchId);
  db.exec(
    `UPDATE main.person SET year_of_birth = coalesce(sp.yob, person.year_of_birth), sex = coalesce(sp.sex, person.sex),
       ethnic_category = coalesce(sp.ethnic, person.ethnic_category), disability = coalesce(sp.disability, person.disability)
     FROM stage.person sp WHERE person.id = sp.person_id AND sp.changed = 1`,
  );
}

/**
 * New people, in file order: a person's first row is inserted and their later rows are ignored as repeats of
 * the unique pseudonym (people already here are ignored the same way). No sorting or grouping.
 */
function insertNewPeople(db: DB, batchId: number): number {
  const before = maxId(db, 'person');
  db.exec(
    `INSERT OR IGNORE INTO main.person (pseudo_id, year_of_birth, sex, ethnic_category, disability)
     SELECT person, yob, coalesce(sex, 'U'), coalesce(ethnic, '99'), coalesce(disability, 'not-declared')
     FROM stage.row WHERE excluded = 0 ORDER BY rowid`,
  );
  return logInserts(db, batchId, 'person', before);
}

/** An assignment's plan row differs from what the database holds. */
const ASSIGNMENT_DIFF = `(p.old_person IS NOT p.person_id OR p.old_post IS NOT p.post_id
  OR p.old_code IS NOT p.occupation_code OR p.old_profession IS NOT p.profession_code OR p.old_hours IS NOT p.hours_centi
  OR p.old_start IS NOT p.start_date OR p.old_end IS NOT p.end_date OR p.old_reason IS NOT p.leaving_reason)`;

interface PlanCounts {
  updated: number;
  unchanged: number;
  leavers: number;
}

/**
 * Assignments already in the database: one plan row each (stage.plan), beside what the database holds now. A
 * file without a leaving-date (or leaving-reason) column keeps the dates (reasons) already recorded.
 */
function planKnownAssignments(db: DB, summary: StageSummary): PlanCounts {
  db.exec(`DROP TABLE IF EXISTS stage.plan`);
  db.prepare(
    `CREATE TABLE stage.plan AS
     SELECT r.rowid AS row_id, r.line, p.id AS person_id, k.post_id, nullif(r.occupation_code, '') AS occupation_code, k.profession AS profession_code,
            r.hours_centi, r.start_date,
            CASE WHEN @hasEnd THEN r.end_date ELSE a.end_date END AS end_date,
            CASE WHEN @hasReason THEN r.leaving_reason WHEN @hasEnd AND r.end_date IS NULL THEN NULL ELSE a.leaving_reason END AS leaving_reason,
            a.id AS assignment_id, a.person_id AS old_person, a.post_id AS old_post, a.occupation_code AS old_code,
            a.profession_code AS old_profession, a.hours_centi AS old_hours,
            a.start_date AS old_start, a.end_date AS old_end, a.leaving_reason AS old_reason, coalesce(sp.changed, 0) AS person_changed
     FROM stage.row r
     JOIN main.assignment a ON a.pseudo_id = r.assignment
     JOIN main.person p ON p.pseudo_id = r.person
     JOIN stage.role_key k ON k.id = r.role_key
     LEFT JOIN stage.person sp ON sp.person_id = p.id
     WHERE r.excluded = 0`,
  ).run({ hasEnd: summary.hasEndDate ? 1 : 0, hasReason: summary.hasLeavingReason ? 1 : 0 });
  return db
    .prepare(
      `SELECT count(*) FILTER (WHERE ${ASSIGNMENT_DIFF} OR person_changed = 1) AS updated,
              count(*) FILTER (WHERE NOT (${ASSIGNMENT_DIFF} OR person_changed = 1)) AS unchanged,
              count(*) FILTER (WHERE end_date IS NOT NULL AND old_end IS NULL) AS leavers
       FROM stage.plan p`,
    )
    .get() as PlanCounts;
}

/** Applies the plan rows that differ, logging the values they replace. */
function updateKnownAssignments(db: DB, batchId: number): void {
  db.prepare(
    `INSERT INTO import_change (batch_id, entity, entity_id, action, before)
     SELECT ?, 'assignment', p.assignment_id, 'update',
            json_object('person_id', p.old_person, 'post_id', p.old_post, 'occupation_code', p.old_code,
                        'profession_code', p.old_profession, 'hours_centi', p.old_hours, 'start_date', p.old_start,
                        'end_date', p.old_end, 'leaving_reason', p.old_reason)
     FROM stage.plan p WHERE ${ASSIGNMENT_DIFF}`,
  ).run(batchId);
  db.exec(
    `UPDATE main.assignment SET person_id = p.person_id, post_id = p.post_id, occupation_code = p.occupation_code,
       profession_code = p.profession_code, hours_centi = p.hours_centi, start_date = p.start_date,
       end_date = p.end_date, leaving_reason = p.leaving_reason
     FROM stage.plan p WHERE assignment.id = p.assignment_id AND ${ASSIGNMENT_DIFF}`,
  );
}

/**
 * New assignments in file order, straight from the stage (each assignment is staged once): the rows without a
 * plan row. (Testing for them in main.assignment instead would make SQLite copy every row to insert into a
 * temporary table first, as the statement would read the table it writes.)
 */
function insertNewAssignments(db: DB, batchId: number, plan: PlanCounts): { inserted: number; newLeavers: number } {
  const before = maxId(db, 'assignment');
  const toInsert =
    (db.prepare('SELECT count(*) FROM stage.row WHERE excluded = 0').pluck().get() as number) -
    plan.updated -
    plan.unchanged;
  const inserted = withIndexesRebuiltFor(
    db,
    'assignment',
    toInsert,
    before,
    () =>
      db
        .prepare(
          `INSERT INTO main.assignment (person_id, pseudo_id, post_id, occupation_code, profession_code, hours_centi,
                                      start_date, end_date, leaving_reason)
         SELECT p.id, r.assignment, k.post_id, nullif(r.occupation_code, ''), k.profession, r.hours_centi, r.start_date, r.end_date,
                r.leaving_reason
         FROM stage.row r
         JOIN main.person p ON p.pseudo_id = r.person
         JOIN stage.role_key k ON k.id = r.role_key
         WHERE r.excluded = 0 AND r.rowid NOT IN (SELECT row_id FROM stage.plan)
         ORDER BY r.rowid`,
        )
        .run().changes,
  );
  logInserts(db, batchId, 'assignment', before);
  const newLeavers = db
    .prepare('SELECT count(*) FROM main.assignment WHERE id > ? AND end_date IS NOT NULL')
    .pluck()
    .get(before) as number;
  return { inserted, newLeavers };
}

/**
 * A bulk insert that at least doubles a table is cheaper with the table's secondary indexes made afresh afterwards
 * (one sort each) than kept up to date row by row (a random B-tree insert per row per index). The definitions are
 * read back from the schema, so they stay as the migrations made them; unique constraints stay in force
 * throughout. Inside the caller's transaction: a failure or a preview rolls the dropped indexes back with
 * everything else.
 */
function withIndexesRebuiltFor<T>(db: DB, table: 'assignment', rows: number, existing: number, insert: () => T): T {
  if (rows < 10_000 || rows < existing) return insert();
  const indexes = db
    .prepare(
      `SELECT name, sql FROM main.sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`,
    )
    .all(table) as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX main."${index.name.replace(/"/g, '""')}"`);
  const result = insert();
  for (const index of indexes) db.exec(index.sql);
  return result;
}

/**
 * Imported assignments this (full) extract no longer lists in any row (staged, rejected or left out) end on the
 * extract date. Only assignments an earlier import (not undone) brought in are touched, never those typed in.
 */
function endMissingAssignments(db: DB, batchId: number, extractDate: string): number {
  const candidates = `SELECT a.id FROM main.assignment a
    WHERE ${openAfter('a', 'date')}
      AND EXISTS (SELECT 1 FROM import_insert i JOIN import_batch b ON b.id = i.batch_id
                  WHERE i.entity = 'assignment' AND a.id BETWEEN i.first_id AND i.last_id AND b.undone_at IS NULL AND b.id <> @batch)
      AND a.pseudo_id NOT IN (SELECT assignment FROM stage.row) AND a.pseudo_id NOT IN (SELECT assignment FROM stage.seen)`;
  db.exec(`DROP TABLE IF EXISTS stage.missing`);
  db.prepare(`CREATE TABLE stage.missing AS ${candidates}`).run({ date: extractDate, batch: batchId });
  db.prepare(
    `INSERT INTO import_change (batch_id, entity, entity_id, action, before)
     SELECT @batch, 'assignment', a.id, 'update',
            json_object('person_id', a.person_id, 'post_id', a.post_id, 'occupation_code', a.occupation_code,
                        'profession_code', a.profession_code, 'hours_centi', a.hours_centi, 'start_date', a.start_date,
                        'end_date', a.end_date, 'leaving_reason', a.leaving_reason)
     FROM main.assignment a WHERE a.id IN (SELECT id FROM stage.missing)`,
  ).run({ batch: batchId });
  return db
    .prepare(
      `UPDATE main.assignment SET end_date = @date, leaving_reason = @reason WHERE id IN (SELECT id FROM stage.missing)`,
    )
    .run({ date: extractDate, reason: `Not in the extract of ${dateLabel(extractDate)}` }).changes;
}
