import type { z } from 'zod';
import type { OrganisationView, organisationSchema } from '../../../shared/settings/channels';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';

interface OrganisationRow {
  name: string;
  ods_code: string;
  ics: string;
  ahp_faculty: string;
  is_demo: number;
  kind: 'trust' | 'ics';
}

export function getOrganisation(db: DB): OrganisationView {
  const row = db
    .prepare('SELECT name, ods_code, ics, ahp_faculty, is_demo, kind FROM organisation WHERE id = 1')
    .get() as OrganisationRow | undefined;
  if (!row) return null;
  return {
    name: row.name,
    odsCode: row.ods_code,
    ics: row.ics,
    ahpFaculty: row.ahp_faculty,
    kind: row.kind,
    isDemo: row.is_demo === 1,
  };
}

/** The one organisation row, created or replaced (the demo trust is written the same way). */
export function writeOrganisation(
  db: DB,
  org: { name: string; odsCode: string; ics: string; ahpFaculty: string; kind?: 'trust' | 'ics' },
  isDemo: boolean,
): void {
  db.prepare(
    `INSERT INTO organisation (id, name, ods_code, ics, ahp_faculty, is_demo, kind) VALUES (1, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, ods_code = excluded.ods_code, ics = excluded.ics,
       ahp_faculty = excluded.ahp_faculty, is_demo = excluded.is_demo, kind = coalesce(?, organisation.kind)`,
  ).run(org.name, org.odsCode, org.ics, org.ahpFaculty, isDemo ? 1 : 0, org.kind ?? 'trust', org.kind ?? null);
}

export function saveOrganisation(
  db: DB,
  actor: Actor,
  input: z.output<typeof organisationSchema>,
  isDemo = false,
): OrganisationView {
  return db.transaction(() => {
    const before = getOrganisation(db);
    writeOrganisation(db, input, isDemo);
    const after = getOrganisation(db);
    recordChange(db, actor, {
      entity: 'organisation',
      entityId: 1,
      action: before ? 'update' : 'create',
      before,
      after,
    });
    return after;
  })();
}
