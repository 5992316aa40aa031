import type { z } from 'zod';
import type { OrganisationView, organisationSchema } from '../../../shared/settings/channels';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';

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
    const kind = input.kind ?? before?.kind ?? 'trust';
    // A database holds a trust's staff or an ICS's collected returns, never both: the figures would be mixed up.
    if (kind === 'ics' && before?.kind !== 'ics') {
      const people = db.prepare('SELECT count(*) FROM person').pluck().get() as number;
      if (people > 0)
        throw new AppError(
          'conflict',
          `This database holds a trust's staff (${people.toLocaleString('en-GB')} ${people === 1 ? 'person' : 'people'}), so it cannot become an ICS database. Make a new database for the ICS.`,
          { kind: "This database holds a trust's staff" },
        );
    }
    if (kind === 'trust' && before?.kind === 'ics') {
      const collected = db.prepare('SELECT count(*) FROM collected_return').pluck().get() as number;
      if (collected > 0)
        throw new AppError(
          'conflict',
          `This database holds ${collected} collected trust return${collected === 1 ? '' : 's'}, so it cannot become a trust's database. Make a new database for the trust.`,
          { kind: "This database holds trusts' returns" },
        );
    }
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
