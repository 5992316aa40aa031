import type { z } from 'zod';
import { addDays } from '../../../shared/common/periods';
import { ethnicCategories, type Band } from '../../../shared/common/reference';
import { isInPostOn } from '../../../shared/workforce/assignments';
import { DISABILITY_LABELS, SEX_CODES, SEX_LABELS, fteFromHoursCenti } from '../../../shared/workforce/channels';
import {
  ageBand,
  ageBandLabels,
  ageBandSchema,
  leaverRate,
  roundForDisplay,
  SMALL_COUNT_THRESHOLD,
  stabilityIndex,
  vacancyOver,
  type AgeBand,
} from '../../../shared/picture/metrics';
import {
  stageLabel,
  type DiversityRow,
  type metricsInputSchema,
  type WorkforceMetrics,
} from '../../../shared/picture/channels';
import type { DB } from '../../db/connection';
import { bandOrder, byProfessionThenBand, professionAndBand, readRoles, type RoleFacts } from '../common/roles';
import { inPostDuring, inPostOn } from '../common/sql';

/**
 * The workforce picture for a period [from, to]. Definitions (README "Workforce picture"):
 * - in post on a day: an assignment has started on or before it and has not ended before it;
 * - headcount counts people (once, however many assignments); FTE adds up contracted hours / 37.5;
 * - starters: people not in post the day before the period who start an assignment in it;
 * - leavers: people whose assignment ends in the period and who are not in post the day after it;
 * - leaver rate = leavers / average of headcount at start and end x 100 (NHS Digital);
 * - stability index = people in post both a year before the end and at the end / people in post a year
 *   before the end x 100;
 * - vacancy rate = (establishment FTE - in-post FTE at the end) / establishment FTE x 100, over the roles with an
 *   establishment only (vacancyOver), with the share of the in-post FTE that covers;
 * - diversity counts the people in post at the end, each once, in the band and stage of their main assignment
 *   (most hours), against the whole support workforce in scope.
 * The scope is every role, or the roles of one profession and/or one service.
 *
 * Done as SQL totals per role over a covering index for the people with one assignment, plus a person-by-person
 * pass over the few with several (a move between roles, two part-time posts).
 */

type Input = z.output<typeof metricsInputSchema>;

const rate1 = (n: number | null) => roundForDisplay(n, 1);
const ETHNIC = new Map(ethnicCategories.items.map((e) => [e.code, e]));

/**
 * Diversity of the one-assignment people is read in the same index scan as the per-role totals: each person in
 * post at the end carries a code (age group x sex x ethnic category x disability), counted here per band and stage.
 * That avoids sorting every person into groups in SQL, the largest cost of the picture.
 * A value outside the known lists gets code 0, read back as '' (counted as not known, as before).
 */
const SEX_VALUES: readonly string[] = SEX_CODES;
const ETHNIC_VALUES: readonly string[] = ethnicCategories.items.map((e) => e.code);
const DISABILITY_VALUES: readonly string[] = Object.keys(DISABILITY_LABELS);
/** Unknown, under 20, 65 and over, then 20-24 ... 60-64. */
const AGE_GROUPS = 12;
const CODE_COUNT = AGE_GROUPS * (SEX_VALUES.length + 1) * (ETHNIC_VALUES.length + 1) * (DISABILITY_VALUES.length + 1);
function caseOf(column: string, values: readonly string[]): string {
  for (const v of values) if (!/^[A-Za-z0-9-]+$/.test(v)) throw new Error(`Unexpected code ${v}`);
  return `CASE ${column} ${values.map((v, i) => `WHEN '${v}' THEN ${i + 1}`).join(' ')} ELSE 0 END`;
}
// Whole years (a bound number arrives as a real), so that "/ 5" is integer division.
const AGE_SQL = '(CAST(@year AS INTEGER) - p.year_of_birth)';
const AGE_GROUP_SQL = `CASE WHEN p.year_of_birth IS NULL OR ${AGE_SQL} < 0 OR ${AGE_SQL} > 120 THEN 0
  WHEN ${AGE_SQL} < 20 THEN 1 WHEN ${AGE_SQL} >= 65 THEN 2 WHEN typeof(p.year_of_birth) <> 'integer' THEN 0 ELSE ${AGE_SQL} / 5 - 1 END`;
const DIVERSITY_CODE_SQL = `(((${AGE_GROUP_SQL}) * ${SEX_VALUES.length + 1} + ${caseOf('p.sex', SEX_VALUES)}) * ${ETHNIC_VALUES.length + 1}
  + ${caseOf('p.ethnic_category', ETHNIC_VALUES)}) * ${DISABILITY_VALUES.length + 1} + ${caseOf('p.disability', DISABILITY_VALUES)}`;
/**
 * The one pass gives two small integers a person: flags + 64 x diversity code, and role id x 65536 + hours. A
 * person whose role id or hours are too large for that (never, in practice) goes the per-person way instead, so
 * both stay within V8's small integers, which are far cheaper to read than doubles.
 */
const FLAG_BITS = 64;
const HOURS_BITS = 65_536;
const MAX_ROLE_ID = 2 ** 31 / HOURS_BITS;
if (FLAG_BITS * CODE_COUNT >= 2 ** 31) throw new Error('Too many diversity codes');

/** The comma-separated integers of group_concat, read without making a string per number (about 4 ms for 72k people). */
function integers(list: string | null): Int32Array {
  if (!list) return new Int32Array(0);
  const out = new Int32Array(list.length / 2 + 1);
  let k = 0;
  let n = 0;
  let negative = false;
  for (let i = 0; i < list.length; i++) {
    const c = list.charCodeAt(i);
    if (c === 44) {
      out[k++] = negative ? -n : n;
      n = 0;
      negative = false;
    } else if (c === 45) negative = true;
    else n = n * 10 + c - 48;
  }
  out[k++] = negative ? -n : n;
  return out.subarray(0, k);
}

/** A representative year of birth for an age group (the age-band rules then place it), as the SQL grouped them. */
function ageGroupYob(group: number, year: number): number | null {
  if (group === 0) return null;
  if (group === 1) return year - 15;
  if (group === 2) return year - 65;
  return year - (group + 1) * 5;
}

function yearBefore(date: string): string {
  const [y, m, d] = date.split('-');
  // 29 February a year back is 28 February... or 1 March: use the day before 1 March to stay in February.
  return m === '02' && d === '29' ? `${Number(y) - 1}-02-28` : `${String(Number(y) - 1).padStart(4, '0')}-${m}-${d}`;
}

class Diversity {
  headcount = 0;
  bme = 0;
  white = 0;
  ethnicityNotKnown = 0;
  disabled = 0;
  notDisabled = 0;
  disabilityNotDeclared = 0;
  female = 0;
  male = 0;
  add(ethnic: string, disability: string, sex: string, n = 1): void {
    this.headcount += n;
    const bme = ETHNIC.get(ethnic)?.bme;
    if (bme === true) this.bme += n;
    else if (bme === false) this.white += n;
    else this.ethnicityNotKnown += n;
    if (disability === 'yes') this.disabled += n;
    else if (disability === 'no') this.notDisabled += n;
    else this.disabilityNotDeclared += n;
    if (sex === 'F') this.female += n;
    else if (sex === 'M') this.male += n;
  }
  row(group: string, label: string): DiversityRow {
    const pct = (part: number, whole: number) => (whole === 0 ? null : rate1((part / whole) * 100));
    return {
      group,
      label,
      headcount: this.headcount,
      bme: this.bme,
      white: this.white,
      ethnicityNotKnown: this.ethnicityNotKnown,
      bmePercent: pct(this.bme, this.bme + this.white),
      disabled: this.disabled,
      notDisabled: this.notDisabled,
      disabilityNotDeclared: this.disabilityNotDeclared,
      disabledPercent: pct(this.disabled, this.disabled + this.notDisabled),
      female: this.female,
      male: this.male,
      femalePercent: pct(this.female, this.headcount),
    };
  }
}

/** The days the picture looks at. */
interface Period {
  from: string;
  to: string;
  dayBefore: string;
  dayAfter: string;
  /** The same day a year before the end, for the stability index. */
  yearAgo: string;
  /** The first day any count needs: the day before the period or a year before its end. */
  earliest: string;
}

function periodOf(from: string, to: string): Period {
  const dayBefore = addDays(from, -1);
  const yearAgo = yearBefore(to);
  return {
    from,
    to,
    dayBefore,
    dayAfter: addDays(to, 1),
    yearAgo,
    earliest: yearAgo < dayBefore ? yearAgo : dayBefore,
  };
}

/** The roles counted (all, or those of one profession and/or one service), in the order the screens list them. */
interface Scope {
  roles: RoleFacts[];
  roleById: Map<number, RoleFacts>;
  filtered: boolean;
}

function rolesInScope(db: DB, input: Input): Scope {
  const allRoles = readRoles(db);
  const roles = allRoles.filter(
    (r) =>
      (input.profession === null || r.profession === input.profession) &&
      (input.serviceId === null || r.serviceId === input.serviceId),
  );
  return { roles, roleById: new Map(roles.map((r) => [r.id, r])), filtered: roles.length !== allRoles.length };
}

/** The assignments that can count anywhere in the picture: in post at some time from the earliest day to the end. */
function windowOf(period: Period, scope: Scope): { sql: string; params: Record<string, string> } {
  return {
    sql: `${inPostDuring(null, 'earliest', 'to')} ${scope.filtered ? 'AND post_id IN (SELECT value FROM json_each(@roles))' : ''}`,
    params: {
      to: period.to,
      from: period.from,
      earliest: period.earliest,
      yearAgo: period.yearAgo,
      ...(scope.filtered ? { roles: JSON.stringify(scope.roles.map((r) => r.id)) } : {}),
    },
  };
}

/** People in post at the end, starters and leavers of one profession and band. */
interface BandGroup {
  role: RoleFacts;
  endCount: number;
  hours: number;
  starters: number;
  leavers: number;
}

/** People in post at the end of one profession, band and framework stage. */
interface StageGroup {
  role: RoleFacts;
  stage: string;
  endCount: number;
  hours: number;
}

/** The counts the picture is made of, added to by the one-assignment people and then by the others. */
class Tally {
  readonly totals = {
    atStart: 0,
    atEnd: 0,
    yearAgo: 0,
    stayed: 0,
    starters: 0,
    leavers: 0,
    hoursStart: 0,
    hoursEnd: 0,
  };
  readonly groups = new Map<string, BandGroup>();
  readonly stageGroups = new Map<string, StageGroup>();
  /** Hours in post at the end, per role. */
  readonly roleHoursEnd = new Map<number, number>();

  group(r: RoleFacts): BandGroup {
    const key = `${r.profession}|${r.band}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { role: r, endCount: 0, hours: 0, starters: 0, leavers: 0 }));
    return g;
  }

  stageGroup(r: RoleFacts): StageGroup {
    const stage = r.stage ?? 'not-mapped';
    const key = `${r.profession}|${r.band}|${stage}`;
    let g = this.stageGroups.get(key);
    if (!g) this.stageGroups.set(key, (g = { role: r, stage, endCount: 0, hours: 0 }));
    return g;
  }

  addHoursEnd(roleId: number, hours: number): void {
    this.roleHoursEnd.set(roleId, (this.roleHoursEnd.get(roleId) ?? 0) + hours);
  }
}

/**
 * One pass over the window in person order (a covering index, so no sort and no table reads): each person becomes
 * two integers in two comma-separated lists. Someone with one assignment in the window (nearly everyone) is
 * flags + diversity code, and role + hours; someone with several is only named (minus their person id), and worked
 * out one by one (a move between roles, two part-time posts). Reading two strings costs a few milliseconds, where
 * per-row results would cost about 100 ms at 100k staff.
 */
function readWindow(
  db: DB,
  period: Period,
  window: { sql: string; params: Record<string, string> },
): [Int32Array, Int32Array] {
  const [firstList, secondList] = db
    .prepare(
      `SELECT group_concat(a, ','), group_concat(b, ',') FROM (
         SELECT CASE WHEN count(*) = 1 AND post_id < ${MAX_ROLE_ID} AND hours_centi < ${HOURS_BITS}
           THEN ${inPostOn(null, 'from')} + 2 * ${inPostOn(null, 'to')} + 4 * ${inPostOn(null, 'yearAgo')} + 8 * (start_date >= @from AND start_date <= @to)
                + 16 * ifnull(end_date >= @from AND end_date <= @to, 0)
                + CASE WHEN ${inPostOn(null, 'to')} AND p.id IS NOT NULL THEN 32 + ${FLAG_BITS} * (${DIVERSITY_CODE_SQL}) ELSE 0 END
           ELSE -person_id END AS a,
           CASE WHEN count(*) = 1 AND post_id < ${MAX_ROLE_ID} AND hours_centi < ${HOURS_BITS} THEN post_id * ${HOURS_BITS} + hours_centi ELSE 0 END AS b
         FROM assignment INDEXED BY assignment_person_cover LEFT JOIN person p ON p.id = assignment.person_id
         WHERE ${window.sql} GROUP BY person_id)`,
    )
    .raw()
    .get({ ...window.params, year: Number(period.to.slice(0, 4)) }) as [string | null, string | null];
  return [integers(firstList), integers(secondList)];
}

/** Totals of the one-assignment people of one role. */
interface RoleTotals {
  atStart: number;
  hoursStart: number;
  atEnd: number;
  hoursEnd: number;
  yearAgo: number;
  stayed: number;
  starters: number;
  leavers: number;
  codes: Map<number, number>;
}

/** Diversity codes of the one-assignment people in post at the end, counted per band and stage. */
type DiversityGroups = Map<string, { band: Band; stage: string; codes: Map<number, number> }>;

/** The one-assignment people added up per role; the others only listed, for countSeveral. */
function countSingles(first: Int32Array, second: Int32Array, roleById: Map<number, RoleFacts>) {
  const perRole = new Map<number, RoleTotals>();
  const diversityGroups: DiversityGroups = new Map();
  const diversityGroup = (role: RoleFacts) => {
    const stage = role.stage ?? 'not-mapped';
    const key = `${role.band}|${stage}`;
    let g = diversityGroups.get(key);
    if (!g) diversityGroups.set(key, (g = { band: role.band, stage, codes: new Map() }));
    return g;
  };
  const several: number[] = [];
  for (let i = 0; i < first.length; i++) {
    const a = first[i]!;
    if (a < 0) {
      several.push(-a);
      continue;
    }
    const flags = a & (FLAG_BITS - 1);
    const b = second[i]!;
    const hours = b & (HOURS_BITS - 1);
    const roleId = b >>> 16;
    let t = perRole.get(roleId);
    if (!t) {
      const role = roleById.get(roleId);
      const codes = role ? diversityGroup(role).codes : new Map<number, number>();
      perRole.set(
        roleId,
        (t = {
          atStart: 0,
          hoursStart: 0,
          atEnd: 0,
          hoursEnd: 0,
          yearAgo: 0,
          stayed: 0,
          starters: 0,
          leavers: 0,
          codes,
        }),
      );
    }
    if (flags & 1) {
      t.atStart++;
      t.hoursStart += hours;
    }
    if (flags & 2) {
      t.atEnd++;
      t.hoursEnd += hours;
    }
    if (flags & 4) {
      t.yearAgo++;
      if (flags & 2) t.stayed++;
    }
    if (flags & 8) t.starters++;
    if (flags & 16) t.leavers++;
    if (flags & 32) {
      const code = a >>> 6;
      t.codes.set(code, (t.codes.get(code) ?? 0) + 1);
    }
  }
  return { perRole, diversityGroups, several };
}

/** Adds the per-role totals of the one-assignment people, in role id order. */
function addSingles(tally: Tally, perRole: Map<number, RoleTotals>, roleById: Map<number, RoleFacts>): void {
  const { totals } = tally;
  for (const roleId of [...perRole.keys()].sort((a, b) => a - b)) {
    const { atStart, hoursStart, atEnd, hoursEnd, yearAgo, stayed, starters, leavers } = perRole.get(roleId)!;
    const role = roleById.get(roleId);
    if (!role) continue;
    totals.atStart += atStart;
    totals.hoursStart += hoursStart;
    totals.atEnd += atEnd;
    totals.hoursEnd += hoursEnd;
    totals.yearAgo += yearAgo;
    totals.stayed += stayed;
    totals.starters += starters;
    totals.leavers += leavers;
    tally.addHoursEnd(roleId, hoursEnd);
    const g = tally.group(role);
    g.endCount += atEnd;
    g.hours += hoursEnd;
    g.starters += starters;
    g.leavers += leavers;
    const sg = tally.stageGroup(role);
    sg.endCount += atEnd;
    sg.hours += hoursEnd;
  }
}

type PersonFacts = [yearOfBirth: number | null, sex: string, ethnicCategory: string, disability: string];

/** Of the people with several assignments: the [role, hours] of the main one at the end, and their details. */
interface Several {
  mainAtEnd: Map<number, [number, number]>;
  people: Map<number, PersonFacts>;
}

/**
 * The people with several assignments in the window, person by person: counted once in the totals and once in each
 * group they are in.
 */
function countSeveral(
  db: DB,
  period: Period,
  window: { sql: string; params: Record<string, string> },
  several: number[],
  roleById: Map<number, RoleFacts>,
  tally: Tally,
): Several {
  /** person -> [role, hours] of their main assignment at the end: most hours, then the lower role id. */
  const mainAtEnd = new Map<number, [number, number]>();
  const people = new Map<number, PersonFacts>();
  if (several.length > 0) {
    const { from, to, yearAgo, dayBefore, dayAfter } = period;
    const { totals } = tally;
    const rows = db
      .prepare(
        `SELECT person_id, post_id, start_date, end_date, hours_centi, p.year_of_birth, p.sex, p.ethnic_category, p.disability
         FROM assignment INDEXED BY assignment_person_cover JOIN person p ON p.id = assignment.person_id
         WHERE person_id IN (SELECT value FROM json_each(@multi)) AND ${window.sql} ORDER BY person_id`,
      )
      .raw()
      .all({ ...window.params, multi: JSON.stringify(several) }) as [
      number,
      number,
      string,
      string | null,
      number,
      number | null,
      string,
      string,
      string,
    ][];
    for (const [person, , , , , yob, sex, ethnic, disability] of rows)
      people.set(person, [yob, sex, ethnic, disability]);
    const groupSets = new Map<BandGroup, { end: Set<number>; starters: Set<number>; leavers: Set<number> }>();
    const stageSets = new Map<StageGroup, Set<number>>();
    const sets = (g: BandGroup) => {
      let x = groupSets.get(g);
      if (!x) groupSets.set(g, (x = { end: new Set(), starters: new Set(), leavers: new Set() }));
      return x;
    };
    let i = 0;
    while (i < rows.length) {
      const person = rows[i]![0];
      let j = i;
      while (j < rows.length && rows[j]![0] === person) j++;
      const mine = rows.slice(i, j);
      i = j;
      const any = (day: string) => mine.some(([, , start, end]) => isInPostOn(start, end, day));
      const start = any(from);
      const end = any(to);
      const yearBack = any(yearAgo);
      if (start) totals.atStart++;
      if (end) totals.atEnd++;
      if (yearBack) totals.yearAgo++;
      if (yearBack && end) totals.stayed++;
      const wasBefore = any(dayBefore);
      const isAfter = any(dayAfter);
      let starter = false;
      let leaver = false;
      for (const [, roleId, s, e, hours] of mine) {
        const role = roleById.get(roleId)!;
        if (isInPostOn(s, e, from)) totals.hoursStart += hours;
        if (isInPostOn(s, e, to)) {
          totals.hoursEnd += hours;
          tally.addHoursEnd(roleId, hours);
          const g = tally.group(role);
          g.hours += hours;
          sets(g).end.add(person);
          const sg = tally.stageGroup(role);
          sg.hours += hours;
          let ss = stageSets.get(sg);
          if (!ss) stageSets.set(sg, (ss = new Set()));
          ss.add(person);
          const main = mainAtEnd.get(person);
          if (!main || hours > main[1] || (hours === main[1] && roleId < main[0]))
            mainAtEnd.set(person, [roleId, hours]);
        }
        if (!wasBefore && s >= from && s <= to) {
          starter = true;
          sets(tally.group(role)).starters.add(person);
        }
        if (!isAfter && e !== null && e >= from && e <= to) {
          leaver = true;
          sets(tally.group(role)).leavers.add(person);
        }
      }
      if (starter) totals.starters++;
      if (leaver) totals.leavers++;
    }
    for (const [g, x] of groupSets) {
      g.endCount += x.end.size;
      g.starters += x.starters.size;
      g.leavers += x.leavers.size;
    }
    for (const [sg, x] of stageSets) sg.endCount += x.size;
  }
  return { mainAtEnd, people };
}

const stageOrder = (s: string) => ['entry', 'intermediate', 'assistant-practitioner'].indexOf(s) >>> 0;

function professionBandRows(tally: Tally): Pick<WorkforceMetrics, 'byProfessionBand' | 'byProfessionBandStage'> {
  const byProfessionBand = [...tally.groups.values()]
    .filter((g) => g.endCount > 0 || g.starters > 0 || g.leavers > 0)
    .sort((x, y) => byProfessionThenBand(x.role, y.role))
    .map((g) => ({
      ...professionAndBand(g.role),
      headcountEnd: g.endCount,
      fteEnd: fteFromHoursCenti(g.hours),
      starters: g.starters,
      leavers: g.leavers,
    }));
  const byProfessionBandStage = [...tally.stageGroups.values()]
    .filter((g) => g.endCount > 0)
    .sort((x, y) => byProfessionThenBand(x.role, y.role) || stageOrder(x.stage) - stageOrder(y.stage))
    .map((g) => ({
      ...professionAndBand(g.role),
      stage: g.stage,
      stageLabel: stageLabel(g.stage),
      headcountEnd: g.endCount,
      fteEnd: fteFromHoursCenti(g.hours),
    }));
  return { byProfessionBand, byProfessionBandStage };
}

/** Vacancy at the end of the period, over the roles with an establishment: in all, by role and by service. */
function vacancies(
  roles: RoleFacts[],
  roleHoursEnd: Map<number, number>,
): Pick<
  WorkforceMetrics,
  'establishmentFte' | 'inPostFte' | 'vacancyRate' | 'vacancyCoverage' | 'vacancyByRole' | 'vacancyByService'
> {
  const staffing = (r: RoleFacts) => ({
    establishmentCenti: r.establishmentCenti,
    hoursCenti: roleHoursEnd.get(r.id) ?? 0,
  });
  const vacancyByRole = roles.map((r) => {
    const v = vacancyOver([staffing(r)]);
    return {
      roleId: r.id,
      title: r.title,
      serviceName: r.serviceName,
      band: r.band,
      establishmentFte: v.establishmentFte,
      inPostFte: v.coverage.allInPostFte,
      vacancyFte: v.vacancyFte,
      vacancyRate: v.vacancyRate,
    };
  });
  const services = new Map<number, { serviceId: number; serviceName: string; roles: RoleFacts[] }>();
  for (const r of roles) {
    const s = services.get(r.serviceId) ?? { serviceId: r.serviceId, serviceName: r.serviceName, roles: [] };
    s.roles.push(r);
    services.set(r.serviceId, s);
  }
  const vacancyByService = [...services.values()].map((s) => {
    const v = vacancyOver(s.roles.map(staffing));
    return {
      serviceId: s.serviceId,
      serviceName: s.serviceName,
      establishmentFte: v.establishmentFte,
      inPostFte: v.inPostFte,
      vacancyFte: v.vacancyFte,
      vacancyRate: v.vacancyRate,
      coverage: v.coverage,
    };
  });
  const all = vacancyOver(roles.map(staffing));
  return {
    establishmentFte: all.establishmentFte,
    inPostFte: all.inPostFte,
    vacancyRate: all.vacancyRate,
    vacancyCoverage: all.coverage,
    vacancyByRole,
    vacancyByService,
  };
}

/** The people in post at the end, each once, by ethnic category, sex, disability and age, and by band and stage. */
class DiversityCounts {
  readonly ethnic = new Map<string, number>();
  readonly sex = new Map<string, number>();
  readonly disability = new Map<string, number>();
  readonly age = new Map<AgeBand, number>();
  readonly whole = new Diversity();
  readonly byBand = new Map<string, Diversity>();
  readonly byStage = new Map<string, Diversity>();

  constructor(private readonly asAt: string) {}

  add(band: Band, stage: string, [yob, sex, ethnic, disability]: PersonFacts, n: number): void {
    this.ethnic.set(ethnic, (this.ethnic.get(ethnic) ?? 0) + n);
    this.sex.set(sex, (this.sex.get(sex) ?? 0) + n);
    this.disability.set(disability, (this.disability.get(disability) ?? 0) + n);
    const age = ageBand(yob, this.asAt);
    this.age.set(age, (this.age.get(age) ?? 0) + n);
    this.whole.add(ethnic, disability, sex, n);
    let b = this.byBand.get(band);
    if (!b) this.byBand.set(band, (b = new Diversity()));
    b.add(ethnic, disability, sex, n);
    let st = this.byStage.get(stage);
    if (!st) this.byStage.set(stage, (st = new Diversity()));
    st.add(ethnic, disability, sex, n);
  }
}

/** A diversity code of the one pass read back: the age group as a representative year of birth, and the codes. */
function decodePerson(code: number, year: number): PersonFacts {
  let k = code;
  const disability = k % (DISABILITY_VALUES.length + 1);
  k = (k - disability) / (DISABILITY_VALUES.length + 1);
  const ethnic = k % (ETHNIC_VALUES.length + 1);
  k = (k - ethnic) / (ETHNIC_VALUES.length + 1);
  const sex = k % (SEX_VALUES.length + 1);
  const ageGroup = (k - sex) / (SEX_VALUES.length + 1);
  return [
    ageGroupYob(ageGroup, year),
    SEX_VALUES[sex - 1] ?? '',
    ETHNIC_VALUES[ethnic - 1] ?? '',
    DISABILITY_VALUES[disability - 1] ?? '',
  ];
}

/** Diversity of the people in post at the end: the one-assignment people from their codes, then the others. */
function diversityAt(
  to: string,
  diversityGroups: DiversityGroups,
  several: Several,
  roleById: Map<number, RoleFacts>,
): DiversityCounts {
  const counts = new DiversityCounts(to);
  const year = Number(to.slice(0, 4));
  for (const { band, stage, codes } of diversityGroups.values()) {
    for (const [code, n] of codes) counts.add(band, stage, decodePerson(code, year), n);
  }
  for (const [id, [roleId]] of several.mainAtEnd) {
    const role = roleById.get(roleId);
    if (!role) continue;
    counts.add(role.band, role.stage ?? 'not-mapped', several.people.get(id)!, 1);
  }
  return counts;
}

function diversityRows(
  d: DiversityCounts,
): Pick<
  WorkforceMetrics,
  | 'ethnicity'
  | 'bmePercent'
  | 'sex'
  | 'ageBands'
  | 'disability'
  | 'diversityByBand'
  | 'diversityByStage'
  | 'diversityWhole'
> {
  const diversityWhole = d.whole.row('all', 'Whole support workforce');
  return {
    ethnicity: ethnicCategories.items.map((e) => ({
      category: e.code,
      name: e.name,
      group: e.group,
      headcount: d.ethnic.get(e.code) ?? 0,
    })),
    bmePercent: diversityWhole.bmePercent,
    sex: SEX_CODES.map((s) => ({ sex: s, label: SEX_LABELS[s], headcount: d.sex.get(s) ?? 0 })),
    ageBands: ageBandSchema.options.map((a) => ({ ageBand: a, label: ageBandLabels[a], headcount: d.age.get(a) ?? 0 })),
    disability: (Object.keys(DISABILITY_LABELS) as (keyof typeof DISABILITY_LABELS)[]).map((code) => ({
      disability: code,
      label: DISABILITY_LABELS[code],
      headcount: d.disability.get(code) ?? 0,
    })),
    diversityByBand: [...d.byBand.entries()]
      .sort(([a], [b]) => bandOrder(a as Band) - bandOrder(b as Band))
      .map(([band, x]) => x.row(band, `Band ${band}`)),
    diversityByStage: [...d.byStage.entries()]
      .sort(([a], [b]) => stageOrder(a) - stageOrder(b))
      .map(([stage, x]) => x.row(stage, stageLabel(stage))),
    diversityWhole,
  };
}

export function workforceMetrics(db: DB, input: Input): WorkforceMetrics {
  const period = periodOf(input.from, input.to);
  const scope = rolesInScope(db, input);
  const window = windowOf(period, scope);
  const tally = new Tally();

  const [first, second] = readWindow(db, period, window);
  const singles = countSingles(first, second, scope.roleById);
  addSingles(tally, singles.perRole, scope.roleById);
  const several = countSeveral(db, period, window, singles.several, scope.roleById, tally);

  const { totals } = tally;
  return {
    from: period.from,
    to: period.to,
    headcountStart: totals.atStart,
    headcountEnd: totals.atEnd,
    fteStart: fteFromHoursCenti(totals.hoursStart),
    fteEnd: fteFromHoursCenti(totals.hoursEnd),
    starters: totals.starters,
    leavers: totals.leavers,
    leaverRate: rate1(leaverRate(totals.leavers, totals.atStart, totals.atEnd)),
    stabilityIndex: rate1(stabilityIndex(totals.stayed, totals.yearAgo)),
    stabilityBase: { inPostAYearBefore: totals.yearAgo, stillInPost: totals.stayed, yearBefore: period.yearAgo },
    ...professionBandRows(tally),
    ...vacancies(scope.roles, tally.roleHoursEnd),
    ...diversityRows(diversityAt(period.to, singles.diversityGroups, several, scope.roleById)),
    smallCountThreshold: SMALL_COUNT_THRESHOLD,
  };
}
