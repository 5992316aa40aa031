import type { Band } from '../common/reference';
import type { StageId } from '../framework';
import type { RoleView } from './channels';

/**
 * The Roles list's search, filters and sort, done in memory on the roles the service sent (5,000 roles filter and
 * sort in a few milliseconds, measured in `npm run bench`), so every keystroke answers at once.
 */

export interface RoleFilter {
  /** Words that must all appear in the title, band, profession, occupation code or service names. */
  search: string;
  profession: string | null;
  band: Band | null;
  serviceId: number | null;
  /** A stage, or 'none' for roles with no stage chosen. */
  stage: StageId | 'none' | null;
  /** 'unmapped' = no mapping yet; 'draft' and 'agreed' are the mapping's status. */
  mapping: 'unmapped' | 'draft' | 'agreed' | null;
  /** 'with' = someone in post today; 'without' = nobody. */
  staff: 'with' | 'without' | null;
}

export const NO_FILTER: RoleFilter = {
  search: '',
  profession: null,
  band: null,
  serviceId: null,
  stage: null,
  mapping: null,
  staff: null,
};

export const ROLE_SORT_KEYS = [
  'title',
  'band',
  'profession',
  'services',
  'headcount',
  'inPostFte',
  'establishmentFte',
  'stage',
] as const;
export type RoleSortKey = (typeof ROLE_SORT_KEYS)[number];
export interface RoleSort {
  key: RoleSortKey;
  desc: boolean;
}

const collator = new Intl.Collator('en-GB', { numeric: true, sensitivity: 'base' });
const STAGE_ORDER: Record<StageId, number> = { entry: 1, intermediate: 2, 'assistant-practitioner': 3 };

// The searchable text of a role, built once per role object (the list is re-filtered on every keystroke).
const haystacks = new WeakMap<RoleView, string>();
function haystack(role: RoleView): string {
  let text = haystacks.get(role);
  if (text === undefined) {
    text = [role.title, `band ${role.band}`, role.professionName, role.occupationCode ?? '', role.services]
      .join(' \u0000 ')
      .toLowerCase();
    haystacks.set(role, text);
  }
  return text;
}

export function searchWords(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter(Boolean);
}

export function matchesRole(role: RoleView, filter: RoleFilter, words = searchWords(filter.search)): boolean {
  if (filter.profession !== null && role.profession !== filter.profession) return false;
  if (filter.band !== null && role.band !== filter.band) return false;
  if (filter.serviceId !== null && !role.serviceIds.includes(filter.serviceId)) return false;
  if (filter.stage !== null && (role.stage ?? 'none') !== filter.stage) return false;
  if (filter.mapping !== null && (role.mappingStatus ?? 'unmapped') !== filter.mapping) return false;
  if (filter.staff !== null && role.headcount > 0 !== (filter.staff === 'with')) return false;
  if (words.length > 0) {
    const text = haystack(role);
    for (const word of words) if (!text.includes(word)) return false;
  }
  return true;
}

export function filterRoles(roles: readonly RoleView[], filter: RoleFilter): RoleView[] {
  const words = searchWords(filter.search);
  return roles.filter((r) => matchesRole(r, filter, words));
}

function compareBy(key: RoleSortKey, a: RoleView, b: RoleView): number {
  switch (key) {
    case 'title':
      return collator.compare(a.title, b.title);
    case 'band':
      return collator.compare(a.band, b.band);
    case 'profession':
      return collator.compare(a.professionName, b.professionName);
    case 'services':
      return a.serviceCount - b.serviceCount || collator.compare(a.services, b.services);
    case 'headcount':
      return a.headcount - b.headcount;
    case 'inPostFte':
      return a.inPostFte - b.inPostFte;
    case 'establishmentFte':
      return a.establishmentFte - b.establishmentFte;
    case 'stage':
      return (a.stage ? STAGE_ORDER[a.stage] : 9) - (b.stage ? STAGE_ORDER[b.stage] : 9);
  }
}

/**
 * Sorted by the key, ties by title, band and id (so a sort is the same every time). Roles with no stage come last
 * whichever way the stage is sorted, like blanks in the other tables.
 */
export function sortRoles(roles: readonly RoleView[], sort: RoleSort): RoleView[] {
  const sign = sort.desc ? -1 : 1;
  return [...roles].sort((a, b) => {
    if (sort.key === 'stage' && (a.stage === null) !== (b.stage === null)) return a.stage === null ? 1 : -1;
    return (
      sign * compareBy(sort.key, a, b) ||
      collator.compare(a.title, b.title) ||
      collator.compare(a.band, b.band) ||
      a.id - b.id
    );
  });
}

export function roleList(roles: readonly RoleView[], filter: RoleFilter, sort: RoleSort): RoleView[] {
  return sortRoles(filterRoles(roles, filter), sort);
}

/** The role to keep when merging: the one with most staff in post, then most services, then the lowest id. */
export function roleToKeep(roles: readonly RoleView[]): RoleView | undefined {
  return [...roles].sort((a, b) => b.headcount - a.headcount || b.serviceCount - a.serviceCount || a.id - b.id)[0];
}

/** How a role reads in a picker or a message: "Therapy support worker (band 3)". */
export function roleLabel(role: Pick<RoleView, 'title' | 'band'>): string {
  return `${role.title} (band ${role.band})`;
}

/** The biggest lines by FTE (establishment or in post, whichever is larger) and the rest added up, for a chart. */
export function topAndRest<T extends { establishmentFte: number; inPostFte: number }>(
  lines: readonly T[],
  n: number,
): { top: T[]; rest: { count: number; establishmentFte: number; inPostFte: number } | null } {
  const size = (l: T) => Math.max(l.establishmentFte, l.inPostFte);
  const sorted = lines
    .map((line, index) => ({ line, index }))
    .sort((a, b) => size(b.line) - size(a.line) || a.index - b.index)
    .map((x) => x.line);
  const rest = sorted.slice(n);
  if (rest.length === 0) return { top: sorted, rest: null };
  // FTE is held in hundredths: add those, so the total does not drift.
  const sum = (pick: (l: T) => number) => rest.reduce((total, l) => total + Math.round(pick(l) * 100), 0) / 100;
  return {
    top: sorted.slice(0, n),
    rest: { count: rest.length, establishmentFte: sum((l) => l.establishmentFte), inPostFte: sum((l) => l.inPostFte) },
  };
}

/** Whether the "other" bar is drawn: not when it is more than twice the biggest bar, which it would shrink to slivers. */
export function restDrawn(
  top: readonly { establishmentFte: number; inPostFte: number }[],
  rest: { establishmentFte: number; inPostFte: number } | null,
): boolean {
  if (!rest) return false;
  const biggest = Math.max(0, ...top.map((l) => Math.max(l.establishmentFte, l.inPostFte)));
  return Math.max(rest.establishmentFte, rest.inPostFte) <= 2 * biggest;
}
