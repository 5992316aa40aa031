/**
 * Rules about assignments for rows already read; the same rules in SQL are in electron/services/common/sql.ts.
 * Dates are YYYY-MM-DD text, so they compare as strings.
 */

/** In post on a day: the assignment started on or before it and has not ended before it (its last day counts). */
export function isInPostOn(start: string, end: string | null, day: string): boolean {
  return start <= day && (end === null || end >= day);
}
