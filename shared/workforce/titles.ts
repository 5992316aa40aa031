/**
 * Job titles as people type them in ESR: "Therapy Assistant - Acute", "therapy  assistant", "Therapy Asst (Community)".
 * Titles are normalised to a key, and roles of the same band whose keys match are suggested as one job, with the
 * differences said in words so that the lead judges each suggestion. Nothing here merges anything.
 */

/**
 * Words that name where a job is done, not what it is. A trailing " - Acute" or " (Community, MSK)" made only of
 * these is dropped. A site name ("- St Mary's") is not in the list: it may be a different job, and the lead can
 * still merge it by hand.
 */
const SETTING_WORDS = new Set([
  'acute',
  'community',
  'msk',
  'musculoskeletal',
  'inpatient',
  'inpatients',
  'outpatient',
  'outpatients',
  'ward',
  'wards',
  'hospital',
  'rotational',
  'rotation',
  'and',
]);

/**
 * Abbreviations read in full. Only ones that mean a single thing in an AHP support job title: "OT" in a title is
 * occupational therapy (theatre staff are "theatre" or "ODP" in ESR), "SLT" and "SALT" speech and language therapy.
 * Each use is named in the reason, so a wrong reading shows.
 */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  asst: 'assistant',
  assnt: 'assistant',
  ot: 'occupational therapy',
  physio: 'physiotherapy',
  slt: 'speech and language therapy',
  salt: 'speech and language therapy',
  sw: 'support worker',
  snr: 'senior',
  jnr: 'junior',
  tech: 'technician',
  rehab: 'rehabilitation',
};

/** Band written into a title ("Band 3", "AfC Band 4", "B5"): the band is its own field, so the text goes. */
const BAND_TEXT = /(^|[\s\-–—(,/:])((?:afc\s*)?band\s*\d[a-d]?|b\d)(?=$|[\s\-–—),/:])/i;
/** A trailing part after a dash, colon, slash or comma, or in brackets. */
const SUFFIX = /\s*(?:[-–—:/,]\s*([^-–—:/,()]+?)|\(([^()]*)\))\s*$/;

export interface TitleKey {
  /** Lower case, words only, abbreviations read in full: titles with the same key look like the same job. */
  key: string;
  /** Text dropped from the title: setting suffixes and band text, as written ("' - Acute'", "'Band 3'"). */
  dropped: string[];
  /** Abbreviations read in full, as "'Asst' for 'assistant'". */
  expanded: string[];
  /** The title with dropped text removed, still as written (case, spacing, punctuation): for the reason. */
  core: string;
}

export function titleKey(title: string): TitleKey {
  let core = title.normalize('NFKC').trim();
  const dropped: string[] = [];
  for (let m = BAND_TEXT.exec(core); m; m = BAND_TEXT.exec(core)) {
    dropped.push(`'${m[2]!.trim()}'`);
    const left = core.slice(0, m.index + m[1]!.length).replace(/[\s(]+$/, '');
    const right = core.slice(m.index + m[0].length).replace(/^[\s)]+/, '');
    // Separators left dangling ("Assistant - - Acute") go with the band text.
    core = [left, right]
      .filter(Boolean)
      .join(' ')
      .replace(/([-–—:/,])\s*[-–—:/,]/g, '$1')
      .replace(/^[\s\-–—:/,]+|[\s\-–—:/,]+$/g, '');
  }
  for (let m = SUFFIX.exec(core); m; m = SUFFIX.exec(core)) {
    const words = (m[1] ?? m[2] ?? '')
      .toLowerCase()
      .split(/[\s,&]+/)
      .filter(Boolean);
    if (words.length === 0 || !words.every((w) => SETTING_WORDS.has(w))) {
      // An empty bracket or a lone dash is punctuation: it goes when the words are compared.
      if (words.length === 0 && m.index > 0) {
        core = core.slice(0, m.index).trim();
        continue;
      }
      break;
    }
    dropped.push(`'${m[0].trimEnd()}'`);
    core = core.slice(0, m.index).trim();
  }
  const expanded: string[] = [];
  const words = core
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .flatMap((w) => {
      const full = ABBREVIATIONS[w];
      if (!full) return [w];
      const written = core.split(/[^\p{L}\p{N}]+/u).find((x) => x.toLowerCase() === w) ?? w;
      expanded.push(`'${written}' for '${full}'`);
      return full.split(' ');
    });
  return { key: words.join(' '), dropped, expanded, core };
}

/** The title's matching key alone. */
export const normaliseTitle = (title: string): string => titleKey(title).key;

const listed = (items: string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/** Why titles with one key look like the same job, in words: "same title apart from case and ' - Acute'". */
export function sameTitleReason(titles: readonly string[]): string {
  const keys = titles.map(titleKey);
  const differences: string[] = [];
  const spaced = keys.map((k) => k.core.replace(/\s+/g, ' '));
  const words = spaced.map((t) =>
    t
      .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  // Each kind of difference is looked for on its own: two titles may differ in case and punctuation at once.
  if (new Set(words).size > new Set(words.map((w) => w.toLowerCase())).size) differences.push('case');
  if (new Set(spaced.map((t) => t.replace(/[\p{L}\p{N}\s]+/gu, ''))).size > 1) differences.push('punctuation');
  if (keys.some((k, i) => k.core !== spaced[i])) differences.push('spacing');
  // Text dropped or read in full in every title is not a difference between them ("Rehab" in all).
  const all = keys.map((k) => new Set([...k.dropped, ...k.expanded]));
  differences.push(
    ...new Set(keys.flatMap((k) => [...k.dropped, ...k.expanded]).filter((d) => !all.every((a) => a.has(d)))),
  );
  return differences.length === 0 ? 'Same title' : `Same title apart from ${listed(differences)}`;
}

export interface TitledRole<B extends string = string> {
  id: number;
  title: string;
  band: B;
  /** Staff in post: the role with most is suggested as the one to keep. */
  headcount: number;
}

export interface RoleGroup<B extends string = string> {
  /** The role to keep first (most staff, then the oldest), then the others. */
  roleIds: number[];
  titles: string[];
  band: B;
  reason: string;
  staff: number;
}

/** Roles of the same band whose titles have the same key: each group of two or more, largest first. */
export function suggestRoleGroups<B extends string>(roles: readonly TitledRole<B>[]): RoleGroup<B>[] {
  const groups = new Map<string, TitledRole<B>[]>();
  for (const r of roles) {
    const key = normaliseTitle(r.title);
    if (!key) continue;
    const id = `${r.band}\u0000${key}`;
    const members = groups.get(id);
    if (members) members.push(r);
    else groups.set(id, [r]);
  }
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => {
      const sorted = [...g].sort((a, b) => b.headcount - a.headcount || a.id - b.id);
      return {
        roleIds: sorted.map((r) => r.id),
        titles: sorted.map((r) => r.title),
        band: sorted[0]!.band,
        reason: sameTitleReason(sorted.map((r) => r.title)),
        staff: sorted.reduce((n, r) => n + r.headcount, 0),
      };
    })
    .sort((a, b) => b.staff - a.staff || a.titles[0]!.localeCompare(b.titles[0]!));
}
