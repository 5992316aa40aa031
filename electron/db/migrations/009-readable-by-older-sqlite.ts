import type { Migration } from './types';

/**
 * The person's records joined in id order, written the way SQLite before 3.44 understands: the rows are ordered
 * in a subquery, which SQLite never flattens into an aggregate (so group_concat sees them in that order), instead
 * of `group_concat(... ORDER BY id)`. The text is the same as migration 4's, so existing signatures still match.
 */
const signatureOf = (person: string) =>
  `(SELECT group_concat(details, char(10)) FROM (SELECT details FROM qualification WHERE person_id = ${person} AND details IS NOT NULL ORDER BY id))`;

function refreshEducation(person: string): string {
  return `
    INSERT OR IGNORE INTO education_set (signature) SELECT ${signatureOf(person)} AS s FROM (SELECT 1) WHERE s IS NOT NULL;
    DELETE FROM person_education WHERE person_id = ${person};
    INSERT INTO person_education (person_id, set_id)
      SELECT ${person}, e.id FROM education_set e
      WHERE e.signature = ${signatureOf(person)} AND EXISTS (SELECT 1 FROM person WHERE id = ${person});`;
}

function educationTrigger(event: 'INSERT' | 'DELETE' | 'UPDATE'): string {
  const rows = event === 'INSERT' ? ['NEW'] : event === 'DELETE' ? ['OLD'] : ['OLD', 'NEW'];
  return `
    DROP TRIGGER qualification_education_${event.toLowerCase()};
    CREATE TRIGGER qualification_education_${event.toLowerCase()} AFTER ${event} ON qualification BEGIN
      ${rows.map((r) => refreshEducation(`${r}.person_id`)).join('\n')}
    END;`;
}

/**
 * Keeps the schema readable by the SQLite tools people inspect a database with (Debian 12's sqlite3 is 3.40;
 * the floor is 3.37): migration 4's triggers used `ORDER BY` inside an aggregate, which needs 3.44, and an older
 * sqlite3 refuses the whole file. Same triggers, same results, older syntax.
 */
export const migration: Migration = {
  version: 9,
  name: 'readable by older sqlite',
  sql: (['INSERT', 'DELETE', 'UPDATE'] as const).map((event) => educationTrigger(event)).join('\n'),
};
