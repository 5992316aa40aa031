import type { Migration } from './types';

/** The columns a mapping is compared on when roles are brought together: equal only if all of these are. */
const mappingSignature = (m: string) => `json_array(${m}.framework_version, ${m}.stage, ${m}.status, ${m}.rationale,
  (SELECT json_group_array(json_array(d.domain, d.rating, d.evidence)) FROM
    (SELECT domain, rating, evidence FROM domain_assessment WHERE role_id = ${m}.role_id ORDER BY domain) d))`;

/**
 * Job roles, not posts. Until now a role was title x band x occupation code x service, so a trust with 30 jobs
 * had hundreds of roles to map. From here:
 * - `role` is the job the lead maps to the framework: title and band, with its main profession (the profession
 *   most of its staff carry);
 * - `post` is a role in a service, the line establishment (funded WTE, and budget when finance gives one)
 *   belongs to; an assignment is in a post, and carries its own occupation code and profession;
 * - roles that differed only by service (or occupation code) become one role, keeping the smallest old id; each
 *   old role becomes (or joins) the post of its new role in its service, adding up establishments;
 * - where those roles carried different framework mappings none is chosen: the candidates wait in
 *   `role_mapping_conflict` for the lead to settle; identical mappings are kept as they were;
 * - `role_alias` remembers titles merged into a role, so the next extract lands in it; `role_merge` keeps what
 *   a merge changed, for undo;
 * - pathway steps name one or more roles (`pathway_step_role`) or a stage within a profession;
 * - imports gain kinds (staff, establishment, training records) sharing the batch and change tables, and
 *   qualification records say which import brought them (hand-entered records have none).
 * Tables other tables refer to are rebuilt with foreign keys off, checked before the transaction commits.
 */
export const migration: Migration = {
  version: 11,
  name: 'job roles',
  rebuildsTables: true,
  sql: `
    CREATE TEMP TABLE old_role AS
      SELECT r.*, lower(trim(r.title)) AS title_key,
             (SELECT count(*) FROM assignment a WHERE a.role_id = r.id) AS staff
      FROM role r;
    CREATE TEMP TABLE role_group AS
      SELECT o.id AS old_id,
             min(o.id) OVER (PARTITION BY o.title_key, o.band) AS role_id,
             min(o.id) OVER (PARTITION BY o.title_key, o.band, o.service_id) AS post_id
      FROM old_role o;
    CREATE UNIQUE INDEX temp.role_group_old ON role_group(old_id);

    CREATE TABLE role_new (
      id INTEGER PRIMARY KEY,
      title TEXT NOT NULL,
      band TEXT NOT NULL,
      profession_code TEXT NOT NULL REFERENCES profession(code),
      UNIQUE (title COLLATE NOCASE, band));
    INSERT INTO role_new (id, title, band, profession_code)
      SELECT g.role_id, trim(min(CASE WHEN o.id = g.role_id THEN o.title END)), o.band,
             (SELECT o2.profession_code FROM old_role o2 JOIN role_group g2 ON g2.old_id = o2.id
              WHERE g2.role_id = g.role_id GROUP BY o2.profession_code ORDER BY sum(o2.staff) DESC, min(o2.id) LIMIT 1)
      FROM old_role o JOIN role_group g ON g.old_id = o.id
      GROUP BY g.role_id;

    CREATE TABLE post (
      id INTEGER PRIMARY KEY,
      role_id INTEGER NOT NULL REFERENCES role(id),
      service_id INTEGER NOT NULL REFERENCES service(id),
      establishment_fte_centi INTEGER NOT NULL DEFAULT 0 CHECK (establishment_fte_centi >= 0),
      budget_pence INTEGER CHECK (budget_pence IS NULL OR budget_pence >= 0),
      UNIQUE (role_id, service_id));
    CREATE INDEX post_service ON post(service_id);
    INSERT INTO post (id, role_id, service_id, establishment_fte_centi)
      SELECT g.post_id, g.role_id, o.service_id, sum(o.establishment_fte_centi)
      FROM old_role o JOIN role_group g ON g.old_id = o.id GROUP BY g.post_id;

    CREATE TABLE assignment_new (
      id INTEGER PRIMARY KEY,
      person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
      pseudo_id TEXT NOT NULL UNIQUE,
      post_id INTEGER NOT NULL REFERENCES post(id),
      occupation_code TEXT,
      profession_code TEXT NOT NULL REFERENCES profession(code),
      hours_centi INTEGER NOT NULL CHECK (hours_centi >= 0),
      start_date TEXT NOT NULL,
      end_date TEXT,
      leaving_reason TEXT,
      CHECK (end_date IS NULL OR end_date >= start_date));
    INSERT INTO assignment_new (id, person_id, pseudo_id, post_id, occupation_code, profession_code, hours_centi,
                                start_date, end_date, leaving_reason)
      SELECT a.id, a.person_id, a.pseudo_id, g.post_id, o.occupation_code, o.profession_code, a.hours_centi,
             a.start_date, a.end_date, a.leaving_reason
      FROM assignment a JOIN role_group g ON g.old_id = a.role_id JOIN old_role o ON o.id = a.role_id;

    -- Mappings: one per new role when its old roles agreed (or only one was mapped); otherwise candidates.
    CREATE TEMP TABLE old_mapping AS
      SELECT m.*, g.role_id AS new_role_id, ${mappingSignature('m')} AS signature
      FROM role_mapping m JOIN role_group g ON g.old_id = m.role_id;
    CREATE TEMP TABLE mapping_choice AS
      SELECT new_role_id, min(role_id) AS old_role_id, count(DISTINCT signature) AS versions
      FROM old_mapping GROUP BY new_role_id;

    CREATE TABLE role_mapping_new (
      role_id INTEGER PRIMARY KEY NOT NULL REFERENCES role(id),
      framework_version TEXT NOT NULL REFERENCES framework_version(version),
      stage TEXT CHECK (stage IS NULL OR stage IN ('entry', 'intermediate', 'assistant-practitioner')),
      status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'agreed')),
      rationale TEXT,
      agreed_by TEXT,
      agreed_at TEXT,
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL DEFAULT '',
      stage_basis TEXT NOT NULL DEFAULT 'chosen' CHECK (stage_basis IN ('chosen', 'accepted-suggestion')),
      CHECK (status = 'draft' OR (stage IS NOT NULL AND agreed_by IS NOT NULL AND agreed_at IS NOT NULL)));
    INSERT INTO role_mapping_new (role_id, framework_version, stage, status, rationale, agreed_by, agreed_at,
                                  updated_at, updated_by, stage_basis)
      SELECT c.new_role_id, m.framework_version, m.stage, m.status, m.rationale, m.agreed_by, m.agreed_at,
             m.updated_at, m.updated_by, m.stage_basis
      FROM mapping_choice c JOIN role_mapping m ON m.role_id = c.old_role_id WHERE c.versions = 1;

    CREATE TABLE domain_assessment_new (
      role_id INTEGER NOT NULL REFERENCES role_mapping(role_id) ON DELETE CASCADE,
      domain INTEGER NOT NULL CHECK (domain >= 1),
      rating TEXT NOT NULL CHECK (rating IN ('meets', 'partly', 'does-not', 'not-applicable')),
      evidence TEXT,
      PRIMARY KEY (role_id, domain));
    INSERT INTO domain_assessment_new (role_id, domain, rating, evidence)
      SELECT c.new_role_id, d.domain, d.rating, d.evidence
      FROM mapping_choice c JOIN domain_assessment d ON d.role_id = c.old_role_id WHERE c.versions = 1;

    -- A candidate mapping for a role whose merged roles disagreed: the lead keeps one (or none).
    CREATE TABLE role_mapping_conflict (
      id INTEGER PRIMARY KEY,
      role_id INTEGER NOT NULL REFERENCES role(id) ON DELETE CASCADE,
      source TEXT NOT NULL,       -- where it came from, in words: the old role's title, service and code
      mapping TEXT NOT NULL,      -- JSON: the role_mapping columns and its domain assessments
      origin TEXT NOT NULL CHECK (origin IN ('upgrade', 'merge')),
      created_at TEXT NOT NULL);
    CREATE INDEX role_mapping_conflict_role ON role_mapping_conflict(role_id);
    INSERT INTO role_mapping_conflict (role_id, source, mapping, origin, created_at)
      SELECT m.new_role_id,
             o.title || ', band ' || o.band || ', ' || s.name || coalesce(' (' || o.occupation_code || ')', ''),
             json_object('frameworkVersion', m.framework_version, 'stage', m.stage, 'status', m.status,
                         'rationale', m.rationale, 'agreedBy', m.agreed_by, 'agreedAt', m.agreed_at,
                         'updatedAt', m.updated_at, 'updatedBy', m.updated_by, 'stageBasis', m.stage_basis,
                         'assessments', (SELECT json_group_array(json_object('domain', d.domain, 'rating', d.rating, 'evidence', d.evidence))
                                         FROM domain_assessment d WHERE d.role_id = m.role_id)),
             'upgrade', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
      FROM old_mapping m JOIN mapping_choice c ON c.new_role_id = m.new_role_id AND c.versions > 1
      JOIN old_role o ON o.id = m.role_id JOIN service s ON s.id = o.service_id
      ORDER BY m.new_role_id, m.role_id;

    -- Pathway steps: roles (one or more), a stage within a profession, or a registered profession.
    CREATE TABLE pathway_step_new (
      id INTEGER PRIMARY KEY,
      pathway_id INTEGER NOT NULL REFERENCES pathway(id) ON DELETE CASCADE,
      position INTEGER NOT NULL CHECK (position >= 1),
      kind TEXT NOT NULL CHECK (kind IN ('roles', 'stage', 'registered-profession')),
      profession_code TEXT REFERENCES profession(code),
      stage TEXT CHECK (stage IS NULL OR stage IN ('entry', 'intermediate', 'assistant-practitioner')),
      label TEXT,
      route TEXT NOT NULL,
      requirement_stage TEXT CHECK (requirement_stage IS NULL OR requirement_stage IN ('entry', 'intermediate', 'assistant-practitioner')),
      UNIQUE (pathway_id, position),
      CHECK (kind <> 'stage' OR (profession_code IS NOT NULL AND stage IS NOT NULL)),
      CHECK (kind <> 'registered-profession' OR profession_code IS NOT NULL));
    INSERT INTO pathway_step_new (id, pathway_id, position, kind, profession_code, route, requirement_stage)
      SELECT id, pathway_id, position, CASE kind WHEN 'role' THEN 'roles' ELSE kind END,
             CASE kind WHEN 'role' THEN NULL ELSE profession_code END, route, requirement_stage
      FROM pathway_step;
    DROP INDEX pathway_step_role; -- migration 4's index on the old step's role, whose name the new table takes
    CREATE TABLE pathway_step_role (
      step_id INTEGER NOT NULL REFERENCES pathway_step(id) ON DELETE CASCADE,
      role_id INTEGER NOT NULL REFERENCES role(id),
      PRIMARY KEY (step_id, role_id)) WITHOUT ROWID;
    CREATE INDEX pathway_step_role_role ON pathway_step_role(role_id);
    INSERT INTO pathway_step_role (step_id, role_id)
      SELECT st.id, g.role_id FROM pathway_step st JOIN role_group g ON g.old_id = st.role_id WHERE st.kind = 'role';

    DROP TABLE domain_assessment;
    DROP TABLE role_mapping;
    DROP TABLE pathway_step;
    DROP TABLE assignment;
    DROP TABLE role;
    ALTER TABLE role_new RENAME TO role;
    ALTER TABLE assignment_new RENAME TO assignment;
    ALTER TABLE role_mapping_new RENAME TO role_mapping;
    ALTER TABLE domain_assessment_new RENAME TO domain_assessment;
    ALTER TABLE pathway_step_new RENAME TO pathway_step;
    CREATE INDEX assignment_person ON assignment(person_id);
    CREATE INDEX assignment_post_cover ON assignment(post_id, start_date, end_date, hours_centi, person_id);
    CREATE INDEX assignment_person_cover ON assignment(person_id, start_date, end_date, post_id, hours_centi);
    CREATE INDEX role_mapping_stage ON role_mapping(stage);

    -- Titles merged into a role (lower case, trimmed) and the band they carried: the import lands them there.
    CREATE TABLE role_alias (
      title_key TEXT NOT NULL,
      band TEXT NOT NULL,
      role_id INTEGER NOT NULL REFERENCES role(id) ON DELETE CASCADE,
      merge_id INTEGER REFERENCES role_merge(id) ON DELETE CASCADE,
      PRIMARY KEY (title_key, band)) WITHOUT ROWID;
    CREATE INDEX role_alias_role ON role_alias(role_id);

    -- A merge of roles into one, with what it changed (JSON) so that it can be undone while nothing has moved on.
    CREATE TABLE role_merge (
      id INTEGER PRIMARY KEY,
      into_role_id INTEGER NOT NULL REFERENCES role(id),
      merged TEXT NOT NULL,       -- JSON: the merged roles and everything of theirs the merge moved
      audit_id INTEGER,           -- the audit row written with the merge: later changes come after it
      at TEXT NOT NULL,
      user TEXT NOT NULL,
      undone_at TEXT,
      undone_by TEXT);

    -- Imports of three kinds share the batch tables; changes may now touch posts and qualification records.
    ALTER TABLE import_batch ADD COLUMN kind TEXT NOT NULL DEFAULT 'staff'
      CHECK (kind IN ('staff', 'establishment', 'training'));
    CREATE TABLE import_change_new (
      batch_id INTEGER NOT NULL REFERENCES import_batch(id),
      entity TEXT NOT NULL CHECK (entity IN ('service', 'role', 'post', 'person', 'assignment', 'qualification')),
      entity_id INTEGER NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('insert', 'update')),
      before TEXT,
      PRIMARY KEY (batch_id, entity, entity_id)) WITHOUT ROWID;
    INSERT INTO import_change_new SELECT batch_id, entity, entity_id, action, before FROM import_change WHERE entity <> 'role';
    INSERT OR IGNORE INTO import_change_new SELECT c.batch_id, 'post', g.post_id, c.action, NULL
      FROM import_change c JOIN role_group g ON g.old_id = c.entity_id WHERE c.entity = 'role';
    -- What an undo puts back into an assignment now names its post, code and profession instead of the old role.
    UPDATE import_change_new SET before = json_set(json_remove(before, '$.role_id'),
        '$.post_id', (SELECT g.post_id FROM role_group g WHERE g.old_id = json_extract(before, '$.role_id')),
        '$.occupation_code', (SELECT o.occupation_code FROM old_role o WHERE o.id = json_extract(before, '$.role_id')),
        '$.profession_code', (SELECT o.profession_code FROM old_role o WHERE o.id = json_extract(before, '$.role_id')))
      WHERE entity = 'assignment' AND json_type(before, '$.role_id') = 'integer';
    DROP TABLE import_change;
    ALTER TABLE import_change_new RENAME TO import_change;
    CREATE INDEX import_change_entity ON import_change(entity, entity_id, batch_id);
    CREATE TABLE import_insert_new (
      batch_id INTEGER NOT NULL REFERENCES import_batch(id),
      entity TEXT NOT NULL CHECK (entity IN ('service', 'role', 'post', 'person', 'assignment', 'qualification')),
      first_id INTEGER NOT NULL,
      last_id INTEGER NOT NULL CHECK (last_id >= first_id),
      PRIMARY KEY (batch_id, entity)) WITHOUT ROWID;
    INSERT INTO import_insert_new SELECT batch_id, entity, first_id, last_id FROM import_insert;
    -- Old roles became roles and posts with ids from the same range, so the range still finds what a batch made.
    INSERT INTO import_insert_new SELECT batch_id, 'post', first_id, last_id FROM import_insert WHERE entity = 'role';
    DROP TABLE import_insert;
    ALTER TABLE import_insert_new RENAME TO import_insert;

    CREATE TABLE import_profile_new (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL DEFAULT 'staff' CHECK (kind IN ('staff', 'establishment', 'training')),
      name TEXT NOT NULL COLLATE NOCASE,
      date_order TEXT NOT NULL DEFAULT 'dmy' CHECK (date_order IN ('dmy', 'mdy', 'ymd')),
      columns TEXT NOT NULL,
      options TEXT NOT NULL DEFAULT '{}',
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (kind, name));
    INSERT INTO import_profile_new (id, kind, name, date_order, columns, options, created_by, created_at, updated_at)
      SELECT id, 'staff', name, date_order, columns, options, created_by, created_at, updated_at FROM import_profile;
    DROP TABLE import_profile;
    ALTER TABLE import_profile_new RENAME TO import_profile;

    -- Records brought by a training records import: the batch, and a key that finds the same record next time.
    ALTER TABLE qualification ADD COLUMN batch_id INTEGER REFERENCES import_batch(id);
    ALTER TABLE qualification ADD COLUMN source_key TEXT;
    CREATE UNIQUE INDEX qualification_source ON qualification(person_id, source_key) WHERE source_key IS NOT NULL;

    DROP TABLE temp.old_role;
    DROP TABLE temp.role_group;
    DROP TABLE temp.old_mapping;
    DROP TABLE temp.mapping_choice;
  `,
};
