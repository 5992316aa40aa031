import type { StageId } from '../../../shared/framework/index';
import { BAND_CODES, type Band } from '../../../shared/common/reference';
import type { DB } from '../../db/connection';

/** A role with what the reports group, label and order it by. */
export interface RoleFacts {
  id: number;
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

/** Every role, in the order the screens list them: by service, then title. */
export function readRoles(db: DB): RoleFacts[] {
  return db
    .prepare(
      `SELECT r.id, r.title, r.service_id AS serviceId, s.name AS serviceName, r.profession_code AS profession, p.name AS professionName,
              p.sort AS professionSort, r.band, r.establishment_fte_centi AS establishmentCenti, m.stage
       FROM role r JOIN service s ON s.id = r.service_id JOIN profession p ON p.code = r.profession_code
       LEFT JOIN role_mapping m ON m.role_id = r.id
       ORDER BY s.name, r.title, r.id`,
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
