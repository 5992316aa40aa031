/**
 * Rules about assignments for rows already read; the same rules in SQL are in electron/services/common/sql.ts.
 * Dates are YYYY-MM-DD text, so they compare as strings.
 */

/** In post on a day: the assignment started on or before it and has not ended before it (its last day counts). */
export function isInPostOn(start: string, end: string | null, day: string): boolean {
  return start <= day && (end === null || end >= day);
}

/** What the main-assignment rule needs of an assignment. */
export interface AssignmentHours {
  id: number;
  hoursCenti: number;
  start: string;
}

/**
 * A person's main assignment, where a report counts them once: the one with most hours; on equal hours the earliest
 * (earliest start, then the one recorded first). Give it the assignments in post on the day that matters.
 */
export function mainAssignment<A extends AssignmentHours>(assignments: readonly A[]): A | null {
  let main: A | null = null;
  for (const a of assignments) {
    if (
      main === null ||
      a.hoursCenti > main.hoursCenti ||
      (a.hoursCenti === main.hoursCenti && (a.start < main.start || (a.start === main.start && a.id < main.id)))
    )
      main = a;
  }
  return main;
}
