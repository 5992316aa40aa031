import type { Migration } from './types';

/** The person's records joined in id order: the same records always give the same signature. */
const signatureOf = (person: string) =>
  `(SELECT group_concat(details, char(10) ORDER BY id) FROM qualification WHERE person_id = ${person} AND details IS NOT NULL)`;

/** Re-derives person_education for the people a statement names (a trigger's row, or everyone at migration). */
function refreshEducation(person: string, from: string): string {
  return `
    INSERT OR IGNORE INTO education_set (signature) SELECT ${signatureOf(person)} AS s ${from} WHERE s IS NOT NULL;
    DELETE FROM person_education WHERE person_id IN (SELECT ${person} ${from});
    INSERT INTO person_education (person_id, set_id)
      SELECT ${person}, e.id ${from} JOIN education_set e ON e.signature = ${signatureOf(person)}
      WHERE EXISTS (SELECT 1 FROM person WHERE id = ${person});`;
}

function educationTrigger(event: 'INSERT' | 'DELETE' | 'UPDATE' | string): string {
  const rows = event === 'INSERT' ? ['NEW'] : event === 'DELETE' ? ['OLD'] : ['OLD', 'NEW'];
  return `
    CREATE TRIGGER qualification_education_${event.toLowerCase()} AFTER ${event} ON qualification BEGIN
      ${rows.map((r) => refreshEducation(`${r}.person_id`, 'FROM (SELECT 1)')).join('\n')}
    END;`;
}

/**
 * Framework mapping: framework versions (each imported version kept whole, as JSON, under its version id),
 * role mappings with per-domain assessments, training needs (TNA) items and settings, and career pathways.
 * Qualifications use the `qualification` table from migration 1 (the full record is JSON in `details`).
 */
export const migration: Migration = {
  version: 4,
  name: 'framework mapping',
  sql: `
    CREATE TABLE framework_version (
      version TEXT PRIMARY KEY NOT NULL,
      framework_id TEXT NOT NULL,
      title TEXT NOT NULL,
      data TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('current', 'retired')),
      origin TEXT NOT NULL,
      adopted_at TEXT NOT NULL,
      adopted_by TEXT NOT NULL,
      retired_at TEXT);
    CREATE UNIQUE INDEX framework_version_one_current ON framework_version(status) WHERE status = 'current';

    -- Columns other capabilities read (workforce picture: stage; funding: TNA totals). Add columns, keep these.
    CREATE TABLE role_mapping (
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
    CREATE INDEX role_mapping_stage ON role_mapping(stage);

    CREATE TABLE domain_assessment (
      role_id INTEGER NOT NULL REFERENCES role_mapping(role_id) ON DELETE CASCADE,
      domain INTEGER NOT NULL CHECK (domain >= 1),
      rating TEXT NOT NULL CHECK (rating IN ('meets', 'partly', 'does-not', 'not-applicable')),
      evidence TEXT,
      PRIMARY KEY (role_id, domain));

    CREATE TABLE tna_item (
      id INTEGER PRIMARY KEY,
      route TEXT NOT NULL,
      title TEXT NOT NULL,
      total_pence INTEGER NOT NULL DEFAULT 0 CHECK (total_pence >= 0),
      cohort_size INTEGER NOT NULL DEFAULT 0 CHECK (cohort_size >= 0),
      priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('high', 'medium', 'low')),
      target_quarter TEXT NOT NULL DEFAULT '',
      gap_stage TEXT,
      tuition_pence_per_person INTEGER NOT NULL DEFAULT 0 CHECK (tuition_pence_per_person >= 0),
      backfill_weeks_centi INTEGER NOT NULL DEFAULT 0 CHECK (backfill_weeks_centi >= 0),
      backfill_band TEXT NOT NULL DEFAULT '2',
      backfill_step TEXT NOT NULL DEFAULT 'entry',
      fte_per_person_ten_thousandths INTEGER NOT NULL DEFAULT 10000 CHECK (fte_per_person_ten_thousandths >= 0),
      tuition_pence INTEGER NOT NULL DEFAULT 0,
      backfill_pence INTEGER NOT NULL DEFAULT 0,
      on_cost_pence INTEGER NOT NULL DEFAULT 0,
      levy_fundable_pence INTEGER,
      annual_pay_pence INTEGER,
      notes TEXT,
      created_at TEXT NOT NULL DEFAULT '',
      updated_at TEXT NOT NULL DEFAULT '');
    CREATE INDEX tna_item_route ON tna_item(route);

    -- TNA settings: on-cost percent (basis points) and apprenticeship funding band overrides (pence).
    CREATE TABLE tna_setting (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL CHECK (value >= 0));

    CREATE TABLE pathway (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL COLLATE NOCASE UNIQUE,
      description TEXT,
      updated_at TEXT NOT NULL);
    CREATE TABLE pathway_step (
      id INTEGER PRIMARY KEY,
      pathway_id INTEGER NOT NULL REFERENCES pathway(id) ON DELETE CASCADE,
      position INTEGER NOT NULL CHECK (position >= 1),
      kind TEXT NOT NULL CHECK (kind IN ('role', 'registered-profession')),
      role_id INTEGER REFERENCES role(id),
      profession_code TEXT REFERENCES profession(code),
      route TEXT NOT NULL,
      requirement_stage TEXT CHECK (requirement_stage IS NULL OR requirement_stage IN ('entry', 'intermediate', 'assistant-practitioner')),
      UNIQUE (pathway_id, position),
      CHECK ((kind = 'role' AND role_id IS NOT NULL) OR (kind = 'registered-profession' AND profession_code IS NOT NULL)));
    CREATE INDEX pathway_step_role ON pathway_step(role_id);

    -- Each person's set of qualification records, kept by triggers as a small id, so that the gap analysis
    -- groups 100,000 people into (role, qualification set) counts inside SQLite and compares each distinct
    -- set with the framework once. The records themselves stay in qualification.details (JSON).
    CREATE TABLE education_set (id INTEGER PRIMARY KEY, signature TEXT NOT NULL UNIQUE);
    CREATE TABLE person_education (
      person_id INTEGER PRIMARY KEY NOT NULL REFERENCES person(id) ON DELETE CASCADE,
      set_id INTEGER NOT NULL REFERENCES education_set(id));
    ${['INSERT', 'DELETE', 'UPDATE'].map((event) => educationTrigger(event)).join('\n')}
    ${refreshEducation('q.person_id', 'FROM (SELECT DISTINCT person_id FROM qualification) q')}

  `,
};
