import type { PersonFound } from '../../../shared/workforce/channels';
import type { DB } from '../../db/connection';
import { AppError } from '../common/errors';
import { pseudonymiser, shortRef } from '../common/pseudonym';

/**
 * Finds a member of staff by the employee or assignment number the lead types: the number is turned into its
 * keyed pseudonym, as an import does, and compared with the pseudonyms stored. The number itself is never written
 * to the database, the audit trail or a log, and the answer does not repeat it.
 */
export function findPerson(db: DB, number: string): PersonFound {
  const hash = pseudonymiser(db);
  const byEmployee = db.prepare('SELECT id, pseudo_id FROM person WHERE pseudo_id = ?').get(hash('person', number)) as
    { id: number; pseudo_id: string } | undefined;
  if (byEmployee) return { personId: byEmployee.id, ref: shortRef(byEmployee.pseudo_id), matchedBy: 'employee' };
  const byAssignment = db
    .prepare('SELECT p.id, p.pseudo_id FROM assignment a JOIN person p ON p.id = a.person_id WHERE a.pseudo_id = ?')
    .get(hash('assignment', number)) as { id: number; pseudo_id: string } | undefined;
  if (byAssignment)
    return { personId: byAssignment.id, ref: shortRef(byAssignment.pseudo_id), matchedBy: 'assignment' };
  throw new AppError(
    'not-found',
    'Nobody in this database has that employee or assignment number. Check the number, or import the staff extract that holds it.',
  );
}
