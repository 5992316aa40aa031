import type { StageId } from '../../../shared/framework/index';
import { BAND_CODES, type Band } from '../../../shared/common/reference';
import type { DB } from '../../db/connection';

/**
 * A post line (a role in a service) with what the reports group, label and order it by. Reports count staff by
 * post, as each assignment is in one; `roleId` is the job role the post belongs to (its mapping gives the stage).
 */
export interface RoleFacts {
  /** The post's id (assignment.post_id). */
  id: number;
  roleId: number;
  title: string;
  serviceId: number;
  serviceName: string;
  profession: string;
  professionName: string;
  /** The profession's place in the reference list, the order reports show professions in. */
  professionSort: number;
  band: Band;
  establishmentCenti: number;
  /** The framework stage it is mapped to, if any. */
  stage: StageId | null;
}

/** Every post line, in the order the screens list them: by service, then title. */
export function readRoles(db: DB): RoleFacts[] {
  return db
    .prepare(
      `SELECT po.id, r.id AS roleId, r.title, po.service_id AS serviceId, s.name AS serviceName, r.profession_code AS profession,
              p.name AS professionName, p.sort AS professionSort, r.band, po.establishment_fte_centi AS establishmentCenti, m.stage
       FROM post po JOIN role r ON r.id = po.role_id JOIN service s ON s.id = po.service_id
       JOIN profession p ON p.code = r.profession_code
       LEFT JOIN role_mapping m ON m.role_id = r.id
       ORDER BY s.name, r.title, po.id`,
    )
    .all() as RoleFacts[];
}

export const bandOrder = (band: Band): number => BAND_CODES.indexOf(band);

/** Reports list profession and band groups in the reference order of professions, then by band. */
export function byProfessionThenBand(x: RoleFacts, y: RoleFacts): number {
  return x.professionSort - y.professionSort || bandOrder(x.band) - bandOrder(y.band);
}

/** The profession and band a group of roles is shown under. */
export function professionAndBand(r: RoleFacts): Pick<RoleFacts, 'profession' | 'professionName' | 'band'> {
  return { profession: r.profession, professionName: r.professionName, band: r.band };
}
