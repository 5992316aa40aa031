/**
 * The rules about assignments that services write in SQL, each written once. A fragment takes a table alias and
 * the names of bound parameters, never a value: whatever a user types is bound by the statement, never SQL text.
 * The same rules for rows already read are in shared/workforce/assignments.ts.
 */

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function sqlName(name: string): string {
  if (!NAME.test(name)) throw new Error(`Not an SQL name: ${name}`);
  return name;
}

function dates(alias: string | null): { start: string; end: string } {
  const prefix = alias === null ? '' : `${sqlName(alias)}.`;
  return { start: `${prefix}start_date`, end: `${prefix}end_date` };
}

/** In post on a day: the assignment started on or before it and has not ended before it (its last day counts). */
export function inPostOn(alias: string | null, day: string): string {
  const { start, end } = dates(alias);
  const d = `@${sqlName(day)}`;
  return `(${start} <= ${d} AND (${end} IS NULL OR ${end} >= ${d}))`;
}

/** In post on at least one day from one day to another, both included. */
export function inPostDuring(alias: string | null, from: string, to: string): string {
  const { start, end } = dates(alias);
  return `(${start} <= @${sqlName(to)} AND (${end} IS NULL OR ${end} >= @${sqlName(from)}))`;
}

/**
 * Still open after a day: in post on it and not ending on it. An import that ends assignments on the extract date
 * takes these, and leaves alone those already ending that day.
 */
export function openAfter(alias: string | null, day: string): string {
  const { start, end } = dates(alias);
  const d = `@${sqlName(day)}`;
  return `(${start} <= ${d} AND (${end} IS NULL OR ${end} > ${d}))`;
}
