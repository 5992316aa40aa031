import { BAND_CODES, ethnicCategories } from '../../../shared/common/reference';
import { addDays } from '../../../shared/common/periods';
import { FIRST_PHASE_CONDITIONS } from '../../../shared/funding/streams';
import { ageBand, ageBandLabels, ageBandSchema, vacancyOver } from '../../../shared/picture/metrics';
import {
  RETURN_SCHEMA_VERSION,
  type Readiness,
  type ReturnContent,
  type ReturnTable,
} from '../../../shared/returns/channels';
import type { PeriodRange } from '../../../shared/returns/periods';
import type { DisclosureModel } from '../../../shared/returns/disclosure-model';
import {
  APPRENTICESHIP_STANDARDS,
  CARE_CERTIFICATE_STANDARDS,
  type GapStatus,
} from '../../../shared/training/education';
import { tnaRoutes, type TnaRouteId } from '../../../shared/training/tna';
import { isInPostOn, mainAssignment } from '../../../shared/workforce/assignments';
import { DISABILITY_LABELS, SEX_CODES, SEX_LABELS } from '../../../shared/workforce/channels';
import type { DB } from '../../db/connection';
import { readRoles, type RoleFacts } from '../common/roles';
import { inPostDuring } from '../common/sql';
import { variation } from '../framework/mapping';
import { currentFramework } from '../framework/versions';
import { buildReport } from '../funding/report';
import { getOrganisation } from '../settings/organisation';
import { GapCalculator } from '../training/education';
import {
  assembleTables,
  GAP_STATUSES,
  MAPPING_ROWS,
  STAGES,
  stageIndex,
  type ReturnFigures,
  type VacancyFigures,
} from './assemble';
import { fteOfHours, type ReturnTables } from './tables';

/**
 * Builds a return's figures from the data as it is now. Each person counts once in every headcount table, in the
 * stage, profession and band of their main assignment (shared/workforce/assignments.ts) on the day the table is
 * about, so the cells add up to the totals; their FTE (all their hours in post) goes with them. The definitions of
 * starters, leavers, leaver rate, stability index and the diversity groups are the workforce picture's (README
 * "Workforce picture"), worked out per stage; vacancy is over post lines with an establishment (vacancyOver);
 * education status is the gap analysis's (GapCalculator); section G is the funding report as at the as-at date.
 */

export const APP_VERSION = '0.1.0';

interface Assignment {
  id: number;
  postId: number;
  hoursCenti: number;
  start: string;
  end: string | null;
}
interface Person {
  yob: number | null;
  sex: string;
  ethnic: string;
  disability: string;
  setId: number;
  assignments: Assignment[];
}

/** The same day a year before (29 February goes to 28 February), as the picture's stability index uses. */
function yearBefore(date: string): string {
  const [y, m, d] = date.split('-');
  return m === '02' && d === '29' ? `${Number(y) - 1}-02-28` : `${String(Number(y) - 1).padStart(4, '0')}-${m}-${d}`;
}

/** People in post at some time from `earliest` to `to`, with their assignments in that window. */
function readPeople(db: DB, earliest: string, to: string): Map<number, Person> {
  const rows = db
    .prepare(
      `SELECT a.person_id, a.id, a.post_id, a.hours_centi, a.start_date, a.end_date, p.year_of_birth, p.sex, p.ethnic_category,
              p.disability, coalesce(pe.set_id, 0)
       FROM assignment a JOIN person p ON p.id = a.person_id LEFT JOIN person_education pe ON pe.person_id = a.person_id
       WHERE ${inPostDuring('a', 'earliest', 'to')}`,
    )
    .raw()
    .all({ earliest, to }) as [
    number,
    number,
    number,
    number,
    string,
    string | null,
    number | null,
    string,
    string,
    string,
    number,
  ][];
  const people = new Map<number, Person>();
  for (const [personId, id, postId, hoursCenti, start, end, yob, sex, ethnic, disability, setId] of rows) {
    let p = people.get(personId);
    if (!p) people.set(personId, (p = { yob, sex, ethnic, disability, setId, assignments: [] }));
    p.assignments.push({ id, postId, hoursCenti, start, end });
  }
  return people;
}

const matrix = (rows: number, columns: number): number[][] =>
  Array.from({ length: rows }, () => Array.from({ length: columns }, () => 0));

export type BuiltFacts = BuiltReturn['facts'];

export interface BuiltReturn {
  /** The content with exact values, each cell with the status protection gives it. */
  content: ReturnContent;
  model: DisclosureModel;
  /** Facts the checks need. */
  facts: {
    staffInPost: number;
    draftRoles: number;
    unallocatedEntries: number;
    hasOds: boolean;
    /** An ICS return: how many trusts' returns it adds up, and the trusts that have not sent one. */
    ics?: { collected: number; missing: string[] };
  };
}

export interface BuildOptions {
  range: PeriodRange;
  asAt: string;
  threshold: number;
  preparedBy: string;
  builtAt: string;
}

/**
 * Figures and the disclosure model, before protection; `finish` turns them into the content once the protection is
 * known (protection.ts).
 */
export function gatherReturn(
  db: DB,
  opts: BuildOptions,
): {
  tables: ReturnTables;
  about: ReturnContent['about'];
  checklist: ReturnContent['checklist'];
  facts: BuiltReturn['facts'];
} {
  const { range, asAt } = opts;
  const org = getOrganisation(db);
  const posts = new Map<number, RoleFacts>(readRoles(db).map((r) => [r.id, r]));

  const from = range.from;
  const dayBeforeFrom = addDays(from, -1);
  const dayAfter = addDays(asAt, 1);
  const yearAgo = yearBefore(asAt);
  const earliest = yearAgo < dayBeforeFrom ? yearAgo : dayBeforeFrom;
  const people = readPeople(db, earliest, dayAfter);

  const professions = [...new Map([...posts.values()].map((p) => [p.profession, p])).values()].sort(
    (a, b) => a.professionSort - b.professionSort,
  );
  const professionIndex = new Map(professions.map((p, i) => [p.profession, i]));
  const bands = BAND_CODES.filter((b) => [...posts.values()].some((p) => p.band === b));
  const bandIndex = new Map(bands.map((b, i) => [b, i]));

  // Per person: main assignment at the as-at date, and on the other days the retention figures look at.
  const S = STAGES.length;
  const byProfession = matrix(S, professions.length);
  const byProfessionHours = matrix(S, professions.length);
  const byBand = matrix(S, bands.length);
  const byBandHours = matrix(S, bands.length);
  const education = matrix(S, GAP_STATUSES.length);
  const apprenticeships = matrix(3, 3);
  const careCertificate = matrix(S, 1);
  const ethnicity = matrix(S, 3);
  const sex = matrix(S, SEX_CODES.length);
  const ages = matrix(S, ageBandSchema.options.length);
  const disability = matrix(S, Object.keys(DISABILITY_LABELS).length);
  const retention = {
    start: matrix(S, 1),
    starters: matrix(S, 1),
    leavers: matrix(S, 1),
    yearAgo: matrix(S, 1),
    stayed: matrix(S, 1),
  };
  const staffByMapping = new Map<string, number>();
  const postHoursAtEnd = new Map<number, number>();
  const mappingStatus = new Map(
    (db.prepare('SELECT role_id, status FROM role_mapping').raw().all() as [number, string][]).map(([id, s]) => [
      id,
      s,
    ]),
  );
  const gaps = new GapCalculator(db);
  const ethnicGroup = new Map(
    ethnicCategories.items.map((e) => [e.code, e.bme === true ? 1 : e.bme === false ? 0 : 2]),
  );
  const standards = Object.keys(APPRENTICESHIP_STANDARDS);
  const studyStatuses = ['enrolled', 'completed', 'withdrawn'];
  let staffInPost = 0;

  // Looked up once per post, qualification set and year of birth rather than once per person (100k staff).
  const postFacts = new Map(
    [...posts.values()].map((post) => [
      post.id,
      {
        stage: stageIndex(post.stage ?? 'not-mapped'),
        stageId: post.stage,
        profession: professionIndex.get(post.profession),
        band: bandIndex.get(post.band),
        mapping: mappingStatus.get(post.roleId) ?? 'not-mapped',
      },
    ]),
  );
  const notMapped = stageIndex('not-mapped');
  const stageAt = (postId: number) => postFacts.get(postId)?.stage ?? notMapped;
  const setFacts = new Map<number, { apprenticeships: [number, number][]; careCertificate: boolean }>();
  const factsOfSet = (setId: number) => {
    let f = setFacts.get(setId);
    if (!f) {
      const qs = gaps.qualifications(setId);
      const keys = new Set<string>();
      const list: [number, number][] = [];
      for (const q of qs)
        if (q.kind === 'apprenticeship' && !keys.has(`${q.standard}/${q.status}`)) {
          keys.add(`${q.standard}/${q.status}`);
          list.push([standards.indexOf(q.standard), studyStatuses.indexOf(q.status)]);
        }
      f = {
        apprenticeships: list,
        careCertificate: qs.some(
          (q) => q.kind === 'care-certificate' && q.standardsCompleted.length === CARE_CERTIFICATE_STANDARDS.length,
        ),
      };
      setFacts.set(setId, f);
    }
    return f;
  };
  const ageIndex = new Map<number | null, number>();
  const ageOf = (yob: number | null) => {
    let i = ageIndex.get(yob);
    if (i === undefined) ageIndex.set(yob, (i = ageBandSchema.options.indexOf(ageBand(yob, asAt))));
    return i;
  };
  const sexIndex = new Map<string, number>(SEX_CODES.map((c, i) => [c, i]));
  const disabilityCodes = Object.keys(DISABILITY_LABELS);
  const disabilityIndex = new Map(disabilityCodes.map((c, i) => [c, i]));
  const gapIndex = new Map<string, number>();

  const inPostOn = (a: Assignment, day: string) => isInPostOn(a.start, a.end, day);
  const mainOn = (p: Person, day: string): Assignment | null => {
    if (p.assignments.length === 1) return inPostOn(p.assignments[0]!, day) ? p.assignments[0]! : null;
    return mainAssignment(p.assignments.filter((a) => inPostOn(a, day)));
  };

  for (const p of people.values()) {
    const main = mainOn(p, asAt);
    if (main) {
      staffInPost++;
      const facts = postFacts.get(main.postId);
      const s = facts?.stage ?? notMapped;
      let hours = 0;
      for (const a of p.assignments)
        if (inPostOn(a, asAt)) {
          hours += a.hoursCenti;
          postHoursAtEnd.set(a.postId, (postHoursAtEnd.get(a.postId) ?? 0) + a.hoursCenti);
        }
      if (facts?.profession !== undefined) {
        byProfession[s]![facts.profession]! += 1;
        byProfessionHours[s]![facts.profession]! += hours;
      }
      if (facts?.band !== undefined) {
        byBand[s]![facts.band]! += 1;
        byBandHours[s]![facts.band]! += hours;
      }
      const mapping = facts?.mapping ?? 'not-mapped';
      staffByMapping.set(mapping, (staffByMapping.get(mapping) ?? 0) + 1);
      const stageId = facts?.stageId ?? null;
      const gapKey = `${stageId}/${p.setId}`;
      let g = gapIndex.get(gapKey);
      if (g === undefined) {
        const gap: GapStatus = stageId === null ? 'unknown' : gaps.gap(p.setId, stageId).status;
        gapIndex.set(gapKey, (g = GAP_STATUSES.indexOf(gap)));
      }
      education[s]![g]! += 1;
      const sf = factsOfSet(p.setId);
      for (const [standard, status] of sf.apprenticeships) apprenticeships[standard]![status]! += 1;
      if (sf.careCertificate) careCertificate[s]![0]! += 1;
      ethnicity[s]![ethnicGroup.get(p.ethnic) ?? 2]! += 1;
      sex[s]![sexIndex.get(p.sex) ?? SEX_CODES.length - 1]! += 1;
      ages[s]![ageOf(p.yob)]! += 1;
      disability[s]![disabilityIndex.get(p.disability) ?? disabilityCodes.length - 1]! += 1;
    }
    // Retention, as the picture defines it, each person under the stage of their main assignment on the day.
    const atStart = mainOn(p, from);
    if (atStart) retention.start[stageAt(atStart.postId)]![0]! += 1;
    const aYearAgo = mainOn(p, yearAgo);
    if (aYearAgo) {
      const s = stageAt(aYearAgo.postId);
      retention.yearAgo[s]![0]! += 1;
      if (main) retention.stayed[s]![0]! += 1;
    }
    let firstStart: string | null = null;
    let lastEnd: string | null = null;
    let before = false;
    let after = false;
    for (const a of p.assignments) {
      if (a.start >= from && a.start <= asAt && (firstStart === null || a.start < firstStart)) firstStart = a.start;
      if (a.end !== null && a.end >= from && a.end <= asAt && (lastEnd === null || a.end > lastEnd)) lastEnd = a.end;
      if (inPostOn(a, dayBeforeFrom)) before = true;
      if (inPostOn(a, dayAfter)) after = true;
    }
    if (firstStart !== null && !before) {
      const at = main ?? mainOn(p, firstStart);
      if (at) retention.starters[stageAt(at.postId)]![0]! += 1;
    }
    if (lastEnd !== null && !after) {
      const at = mainOn(p, lastEnd);
      if (at) retention.leavers[stageAt(at.postId)]![0]! += 1;
    }
  }

  // ---------- the figures the tables are drawn from ----------
  const postList = [...posts.values()];
  const professionColumns = professions.map((p) => ({ key: p.profession, label: p.professionName }));
  const bandColumns = bands.map((b) => ({ key: b, label: `Band ${b}` }));
  const stageKeys = STAGES.map((s) => s as string);
  const vacancy = (group: RoleFacts[]): VacancyFigures =>
    vacancyOver(
      group.map((p) => ({ establishmentCenti: p.establishmentCenti, hoursCenti: postHoursAtEnd.get(p.id) ?? 0 })),
    );
  const roleCounts = db
    .prepare(
      `SELECT coalesce(m.status, 'not-mapped') AS status, count(*) AS n FROM role r LEFT JOIN role_mapping m ON m.role_id = r.id GROUP BY 1`,
    )
    .all() as { status: string; n: number }[];
  const rolesBy = new Map(roleCounts.map((r) => [r.status, r.n]));
  const draftRoles = rolesBy.get('draft') ?? 0;
  const findings = variation(db, asAt).findings;
  const findingKinds = [...new Set(findings.map((f) => f.kind))].sort();
  const tna = db
    .prepare(
      `SELECT route, count(*) AS items, sum(cohort_size) AS cohort, sum(total_pence) AS pence FROM tna_item GROUP BY route ORDER BY route`,
    )
    .all() as { route: TnaRouteId; items: number; cohort: number; pence: number }[];
  const report = buildReport(db, { financialYear: range.period.slice(0, 7), asAt, method: 'plan' });
  const moneyOf = (x: {
    allocatedPence: number;
    receivedPence: number;
    plannedPence: number;
    committedPence: number;
    actualPence: number;
    forecastPence: number;
    variancePence: number;
  }) => [
    x.allocatedPence,
    x.receivedPence,
    x.plannedPence,
    x.committedPence,
    x.actualPence,
    x.forecastPence,
    x.variancePence,
  ];
  const figures: ReturnFigures = {
    professions: professionColumns,
    bands: bandColumns,
    byProfession,
    byProfessionFte: fteOfHours(
      byProfessionHours,
      stageKeys,
      professionColumns.map((p) => p.key),
    ),
    byBand,
    byBandFte: fteOfHours(
      byBandHours,
      stageKeys,
      bandColumns.map((b) => b.key),
    ),
    vacancyByStage: [
      ...STAGES.map((s) => vacancy(postList.filter((p) => (p.stage ?? 'not-mapped') === s))),
      vacancy(postList),
    ],
    vacancyByProfession: [
      ...professions.map((p) => vacancy(postList.filter((x) => x.profession === p.profession))),
      vacancy(postList),
    ],
    rolesByMapping: MAPPING_ROWS.map((r) => rolesBy.get(r.key) ?? 0),
    staffByMapping: MAPPING_ROWS.map((r) => staffByMapping.get(r.key) ?? 0),
    findings: findingKinds.map((k) => ({
      key: k,
      label: k.replaceAll('-', ' '),
      count: findings.filter((f) => f.kind === k).length,
    })),
    education,
    standards,
    apprenticeships,
    careCertificate,
    tna: tna.map((r) => ({
      key: r.route,
      label: tnaRoutes[r.route]?.name ?? r.route,
      items: r.items,
      cohort: r.cohort,
      pence: r.pence,
    })),
    retention,
    ethnicity,
    sex: { columns: SEX_CODES.map((s) => ({ key: s, label: SEX_LABELS[s] })), values: sex },
    ages: { columns: ageBandSchema.options.map((a) => ({ key: a, label: ageBandLabels[a] })), values: ages },
    disability: {
      columns: (Object.keys(DISABILITY_LABELS) as (keyof typeof DISABILITY_LABELS)[]).map((d) => ({
        key: d,
        label: DISABILITY_LABELS[d],
      })),
      values: disability,
    },
    funding: {
      title: 'Funding by stream',
      rowDimension: 'funding stream',
      rows: report.streams.map((s) => ({ key: String(s.id), label: s.name, pence: moneyOf(s) })),
      total: moneyOf(report.totals),
      categories: report.byCategory.map((c) => ({
        key: c.category,
        label: c.label,
        pence: [c.plannedPence, c.committedPence, c.actualPence, c.forecastPence],
      })),
    },
  };
  const t = assembleTables(figures);
  const checklist = report.streams.flatMap((s) =>
    s.checklist.map((c) => ({ stream: s.name, text: c.text, done: c.done })),
  );

  // ---------- A: about ----------
  const imports = db
    .prepare(
      `SELECT kind, file_name AS fileName, committed_at AS importedAt, sha256 FROM import_batch
       WHERE undone_at IS NULL ORDER BY committed_at, id`,
    )
    .all() as { kind: string; fileName: string; importedAt: string; sha256: string | null }[];
  const about: ReturnContent['about'] = {
    trustName: org?.name ?? '',
    odsCode: org?.odsCode ?? '',
    organisationKind: org?.kind ?? 'trust',
    ics: org?.ics ?? '',
    ahpFaculty: org?.ahpFaculty ?? '',
    period: range.period,
    periodStart: range.from,
    asAt,
    imports,
    frameworkVersion: currentFramework(db).version,
    appVersion: APP_VERSION,
    disclosure: {
      threshold: opts.threshold,
      rules:
        `Counts from 1 to ${opts.threshold} are hidden (0 is shown), with further cells hidden so that no hidden cell ` +
        'can be worked out from the published totals; FTE, rates and percentages resting on a hidden or small count are ' +
        'hidden too. Grand totals are hidden only when they are themselves small; money never. Each person counts once, under their main assignment ' +
        '(most hours, then the earliest).',
    },
    preparedBy: opts.preparedBy,
    builtAt: opts.builtAt,
  };

  return {
    tables: t,
    about,
    checklist,
    facts: {
      staffInPost,
      draftRoles,
      unallocatedEntries: report.unallocated.count,
      hasOds: Boolean(org?.odsCode),
    },
  };
}

/** Section H as kept with the return: one item per first-phase requirement, with its text. */
export function readinessContent(readiness: Readiness): ReturnContent['readiness'] {
  return FIRST_PHASE_CONDITIONS.map((c) => {
    const item = readiness.find((r) => r.requirement === c.code);
    return {
      requirement: c.code,
      requirementText: c.text,
      rag: item?.rag ?? null,
      done: item?.done ?? '',
      nextActions: item?.nextActions ?? [],
      risks: item?.risks ?? '',
    };
  });
}

export function assembleContent(
  about: ReturnContent['about'],
  tables: ReturnTable[],
  checklist: ReturnContent['checklist'],
  readiness: ReturnContent['readiness'],
): ReturnContent {
  return { schemaVersion: RETURN_SCHEMA_VERSION, version: 'exact', marking: null, about, tables, checklist, readiness };
}
