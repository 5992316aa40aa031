/**
 * Dates as the user means them: the calendar day in their own time zone. At 23:30 UTC on 31 March a lead in
 * England (British Summer Time) is already on 1 April, a new financial year; UTC is not.
 *
 * Services take "now" from their context (`actor.now()`, fixed in tests) and pass `todayIso(actor.now())` on.
 * Only the edges with no context read the machine's clock, through `today()`: the renderer, and the validation
 * of what a user types. Nothing here is computed when a module loads, so a long-running app crosses midnight
 * and New Year correctly.
 */

/** The day of an instant as YYYY-MM-DD in the user's own time zone. */
export function todayIso(now: Date): string {
  const y = String(now.getFullYear()).padStart(4, '0');
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** The calendar year of an instant in the user's own time zone. */
export function localYear(now: Date): number {
  return now.getFullYear();
}

/** Today by the machine's clock, for the edges with no context clock (the renderer, form validation). */
export function today(): string {
  return todayIso(new Date());
}

/** This year by the machine's clock, read at the moment of asking. */
export function thisYear(): number {
  return localYear(new Date());
}
