import type { z } from 'zod';
import { addDays } from '../../../shared/common/periods';
import { BAND_CODES, ethnicCategories, type Band } from '../../../shared/common/reference';
import { DISABILITY_LABELS, SEX_CODES, SEX_LABELS, fteFromHoursCenti } from '../../../shared/workforce/channels';
import {
  ageBand,
  ageBandLabels,
  ageBandSchema,
  leaverRate,
  roundForDisplay,
  SMALL_COUNT_THRESHOLD,
  stabilityIndex,
  vacancyRate,
  type AgeBand,
} from '../../../shared/picture/metrics';
import { stageLabel, type DiversityRow, type metricsInputSchema, type WorkforceMetrics } from '../../../shared/picture/channels';
import type { DB } from '../../db/connection';

/**
 * The workforce picture for a period [from, to]. Definitions (README "Workforce picture"):
 * - in post on a day: an assignment has started on or before it and has not ended before it;
 * - headcount counts people (once, however many assignments); FTE adds up contracted hours / 37.5;
 * - starters: people not in post the day before the period who start an assignment in it;
 * - leavers: people whose assignment ends in the period and who are not in post the day after it;
 * - leaver rate = leavers / average of headcount at start and end x 100 (NHS Digital);
 * - stability index = people in post both a year before the end and at the end / people in post a year
 *   before the end x 100;
 * - vacancy rate = (establishment FTE - in-post FTE at the end) / establishment FTE x 100;
 * - diversity counts the people in post at the end, each once, in the band and stage of their main assignment
 *   (most hours), against the whole support workforce in scope.
 * The scope is every role, or the roles of one profession and/or one service.
 *
 * Done as SQL totals per role over a covering index for the people with one assignment, plus a person-by-person
 * pass over the few with several (a move between roles, two part-time posts).
 */

type Input = z.output<typeof metricsInputSchema>;

interface RoleRow {
  id: number;
  title: string;
  serviceId: number;
  serviceName: string;
  profession: string;
  professionName: string;
  sort: number;
  band: Band;
  est: number;
  stage: string | null;
}

const rate1 = (n: number | null) => roundForDisplay(n, 1);
const fte2 = (hoursCenti: number) => fteFromHoursCenti(hoursCenti);
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

export function workforceMetrics(db: DB, input: Input): WorkforceMetrics {
  const { from, to } = input;
  const dayBefore = addDays(from, -1);
  const dayAfter = addDays(to, 1);
  const yearAgo = yearBefore(to);
  const earliest = yearAgo < dayBefore ? yearAgo : dayBefore;

  const allRoles = db
    .prepare(
      `SELECT r.id, r.title, r.service_id AS serviceId, s.name AS serviceName, r.profession_code AS profession, p.name AS professionName,
              p.sort, r.band, r.establishment_fte_centi AS est, m.stage
       FROM role r JOIN service s ON s.id = r.service_id JOIN profession p ON p.code = r.profession_code
       LEFT JOIN role_mapping m ON m.role_id = r.id
       ORDER BY s.name, r.title`,
    )
    .all() as RoleRow[];
  const roles = allRoles.filter(
    (r) => (input.profession === null || r.profession === input.profession) && (input.serviceId === null || r.serviceId === input.serviceId),
  );
  const roleById = new Map(roles.map((r) => [r.id, r]));
  const filtered = roles.length !== allRoles.length;

  // Per profession x band (x stage) groups and per-role in-post hours.
  const groupKey = (r: RoleRow) => `${r.profession}|${r.band}`;
  interface Group {
    role: RoleRow;
    endCount: number;
    hours: number;
    starters: number;
    leavers: number;
  }
  const groups = new Map<string, Group>();
  const group = (r: RoleRow) => {
    const key = groupKey(r);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { role: r, endCount: 0, hours: 0, starters: 0, leavers: 0 }));
    return g;
  };
  const stageGroups = new Map<string, { role: RoleRow; stage: string; endCount: number; hours: number }>();
  const stageGroup = (r: RoleRow) => {
    const stage = r.stage ?? 'not-mapped';
    const key = `${groupKey(r)}|${stage}`;
    let g = stageGroups.get(key);
    if (!g) stageGroups.set(key, (g = { role: r, stage, endCount: 0, hours: 0 }));
    return g;
  };
  const roleHoursEnd = new Map<number, number>();
  const totals = { atStart: 0, atEnd: 0, yearAgo: 0, stayed: 0, starters: 0, leavers: 0, hoursStart: 0, hoursEnd: 0 };

  const scope = filtered ? 'AND role_id IN (SELECT value FROM json_each(@roles))' : '';
  const window = `start_date <= @to AND (end_date IS NULL OR end_date >= @earliest) ${scope}`;
  const live = (day: string) => `(start_date <= @${day} AND (end_date IS NULL OR end_date >= @${day}))`;
  const params = { to, from, earliest, yearAgo, ...(filtered ? { roles: JSON.stringify(roles.map((r) => r.id)) } : {}) };

  // One pass over the window in person order (a covering index, so no sort and no table reads): each person becomes
  // two integers in two comma-separated lists. Someone with one assignment in the window (nearly everyone) is
  // flags + diversity code, and role + hours; someone with several is only named (minus their person id), and worked
  // out one by one below (a move between roles, two part-time posts). Reading two strings costs a few milliseconds,
  // where per-row results would cost about 100 ms at 100k staff.
  const [firstList, secondList] = db
    .prepare(
      `SELECT group_concat(a, ','), group_concat(b, ',') FROM (
         SELECT CASE WHEN count(*) = 1 AND role_id < ${MAX_ROLE_ID} AND hours_centi < ${HOURS_BITS}
           THEN ${live('from')} + 2 * ${live('to')} + 4 * ${live('yearAgo')} + 8 * (start_date >= @from AND start_date <= @to)
                + 16 * ifnull(end_date >= @from AND end_date <= @to, 0)
                + CASE WHEN ${live('to')} AND p.id IS NOT NULL THEN 32 + ${FLAG_BITS} * (${DIVERSITY_CODE_SQL}) ELSE 0 END
           ELSE -person_id END AS a,
           CASE WHEN count(*) = 1 AND role_id < ${MAX_ROLE_ID} AND hours_centi < ${HOURS_BITS} THEN role_id * ${HOURS_BITS} + hours_centi ELSE 0 END AS b
         FROM assignment INDEXED BY assignment_person_cover LEFT JOIN person p ON p.id = assignment.person_id
         WHERE ${window} GROUP BY person_id)`,
    )
    .raw()
    .get({ ...params, year: Number(to.slice(0, 4)) }) as [string | null, string | null];
  /** Per role, in role id order as before: totals of the one-assignment people, and their band and stage group's diversity counts. */
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
  const perRole = new Map<number, RoleTotals>();
  /** Diversity codes of the one-assignment people counted per band and stage (shared by the roles of each). */
  const diversityGroups = new Map<string, { band: Band; stage: string; codes: Map<number, number> }>();
  const diversityGroup = (role: RoleRow) => {
    const stage = role.stage ?? 'not-mapped';
    const key = `${role.band}|${stage}`;
    let g = diversityGroups.get(key);
    if (!g) diversityGroups.set(key, (g = { band: role.band, stage, codes: new Map() }));
    return g;
  };
  const multi: number[] = [];
  const first = integers(firstList);
  const second = integers(secondList);
  for (let i = 0; i < first.length; i++) {
    const a = first[i]!;
    if (a < 0) {
      multi.push(-a);
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
      perRole.set(roleId, (t = { atStart: 0, hoursStart: 0, atEnd: 0, hoursEnd: 0, yearAgo: 0, stayed: 0, starters: 0, leavers: 0, codes }));
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
  const roleOrder = [...perRole.keys()].sort((a, b) => a - b);
  const multiJson = JSON.stringify(multi);
  for (const roleId of roleOrder) {
    const { atStart, hoursStart, atEnd, hoursEnd, yearAgo: yearAgoCount, stayed, starters, leavers } = perRole.get(roleId)!;
    const role = roleById.get(roleId);
    if (!role) continue;
    totals.atStart += atStart;
    totals.hoursStart += hoursStart;
    totals.atEnd += atEnd;
    totals.hoursEnd += hoursEnd;
    totals.yearAgo += yearAgoCount;
    totals.stayed += stayed;
    totals.starters += starters;
    totals.leavers += leavers;
    roleHoursEnd.set(roleId, (roleHoursEnd.get(roleId) ?? 0) + hoursEnd);
    const g = group(role);
    g.endCount += atEnd;
    g.hours += hoursEnd;
    g.starters += starters;
    g.leavers += leavers;
    const sg = stageGroup(role);
    sg.endCount += atEnd;
    sg.hours += hoursEnd;
  }

  // The people with several assignments, person by person.
  /** person -> [role, hours] of their main assignment (most hours) at the end. */
  const mainAtEnd = new Map<number, [number, number]>();
  /** person -> year of birth, sex, ethnic category, disability, for those of them in post at the end. */
  const multiPeople = new Map<number, [number | null, string, string, string]>();
  if (multi.length > 0) {
    const rows = db
      .prepare(
        `SELECT person_id, role_id, start_date, end_date, hours_centi, p.year_of_birth, p.sex, p.ethnic_category, p.disability
         FROM assignment INDEXED BY assignment_person_cover JOIN person p ON p.id = assignment.person_id
         WHERE person_id IN (SELECT value FROM json_each(@multi)) AND ${window} ORDER BY person_id`,
      )
      .raw()
      .all({ ...params, multi: multiJson }) as [number, number, string, string | null, number, number | null, string, string, string][];
    for (const [person, , , , , yob, sex, ethnic, disability] of rows) multiPeople.set(person, [yob, sex, ethnic, disability]);
    const inPost = (start: string, end: string | null, day: string) => start <= day && (end === null || end >= day);
    const groupSets = new Map<Group, { end: Set<number>; starters: Set<number>; leavers: Set<number> }>();
    const stageSets = new Map<object, Set<number>>();
    const sets = (g: Group) => {
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
      const any = (day: string) => mine.some(([, , start, end]) => inPost(start, end, day));
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
        if (inPost(s, e, from)) totals.hoursStart += hours;
        if (inPost(s, e, to)) {
          totals.hoursEnd += hours;
          roleHoursEnd.set(roleId, (roleHoursEnd.get(roleId) ?? 0) + hours);
          const g = group(role);
          g.hours += hours;
          sets(g).end.add(person);
          const sg = stageGroup(role);
          sg.hours += hours;
          let ss = stageSets.get(sg);
          if (!ss) stageSets.set(sg, (ss = new Set()));
          ss.add(person);
          const main = mainAtEnd.get(person);
          if (!main || hours > main[1] || (hours === main[1] && roleId < main[0])) mainAtEnd.set(person, [roleId, hours]);
        }
        if (!wasBefore && s >= from && s <= to) {
          starter = true;
          sets(group(role)).starters.add(person);
        }
        if (!isAfter && e !== null && e >= from && e <= to) {
          leaver = true;
          sets(group(role)).leavers.add(person);
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
    for (const [sg, x] of stageSets) (sg as { endCount: number }).endCount += x.size;
  }

  const bandOrder = (b: Band) => BAND_CODES.indexOf(b);
  const byGroupOrder = (x: { role: RoleRow }, y: { role: RoleRow }) =>
    x.role.sort - y.role.sort || bandOrder(x.role.band) - bandOrder(y.role.band);
  const byProfessionBand = [...groups.values()]
    .filter((g) => g.endCount > 0 || g.starters > 0 || g.leavers > 0)
    .sort(byGroupOrder)
    .map((g) => ({
      profession: g.role.profession,
      professionName: g.role.professionName,
      band: g.role.band,
      headcountEnd: g.endCount,
      fteEnd: fte2(g.hours),
      starters: g.starters,
      leavers: g.leavers,
    }));
  const stageOrder = (s: string) => ['entry', 'intermediate', 'assistant-practitioner'].indexOf(s) >>> 0;
  const byProfessionBandStage = [...stageGroups.values()]
    .filter((g) => g.endCount > 0)
    .sort((x, y) => byGroupOrder(x, y) || stageOrder(x.stage) - stageOrder(y.stage))
    .map((g) => ({
      profession: g.role.profession,
      professionName: g.role.professionName,
      band: g.role.band,
      stage: g.stage,
      stageLabel: stageLabel(g.stage),
      headcountEnd: g.endCount,
      fteEnd: fte2(g.hours),
    }));

  // Vacancy at the end of the period, by role and by service.
  const vacancyByRole = roles.map((r) => {
    const inPostCenti = roleHoursEnd.get(r.id) ?? 0;
    const establishmentFte = r.est / 100;
    const inPostFte = fte2(inPostCenti);
    return {
      roleId: r.id,
      title: r.title,
      serviceName: r.serviceName,
      band: r.band,
      establishmentFte,
      inPostFte,
      vacancyFte: Math.round((establishmentFte - inPostFte) * 100) / 100,
      vacancyRate: rate1(vacancyRate(establishmentFte, inPostFte)),
    };
  });
  const services = new Map<number, { serviceId: number; serviceName: string; est: number; hours: number }>();
  for (const r of roles) {
    const s = services.get(r.serviceId) ?? { serviceId: r.serviceId, serviceName: r.serviceName, est: 0, hours: 0 };
    s.est += r.est;
    s.hours += roleHoursEnd.get(r.id) ?? 0;
    services.set(r.serviceId, s);
  }
  const vacancyByService = [...services.values()].map((s) => {
    const establishmentFte = s.est / 100;
    const inPostFte = fte2(s.hours);
    return {
      serviceId: s.serviceId,
      serviceName: s.serviceName,
      establishmentFte,
      inPostFte,
      vacancyFte: Math.round((establishmentFte - inPostFte) * 100) / 100,
      vacancyRate: rate1(vacancyRate(establishmentFte, inPostFte)),
    };
  });
  const establishmentCenti = roles.reduce((sum, r) => sum + r.est, 0);
  const establishmentFte = establishmentCenti / 100;
  const inPostFte = fte2(totals.hoursEnd);

  // Diversity of the people in post at the end: SQL totals for the one-assignment people, then the others.
  const ethnicCounts = new Map<string, number>();
  const sexCounts = new Map<string, number>();
  const disabilityCounts = new Map<string, number>();
  const ageCounts = new Map<AgeBand, number>();
  const whole = new Diversity();
  const byBand = new Map<string, Diversity>();
  const byStage = new Map<string, Diversity>();
  const addPeople = (band: Band, stage: string, yob: number | null, sex: string, ethnic: string, disability: string, n: number) => {
    ethnicCounts.set(ethnic, (ethnicCounts.get(ethnic) ?? 0) + n);
    sexCounts.set(sex, (sexCounts.get(sex) ?? 0) + n);
    disabilityCounts.set(disability, (disabilityCounts.get(disability) ?? 0) + n);
    const age = ageBand(yob, to);
    ageCounts.set(age, (ageCounts.get(age) ?? 0) + n);
    whole.add(ethnic, disability, sex, n);
    let b = byBand.get(band);
    if (!b) byBand.set(band, (b = new Diversity()));
    b.add(ethnic, disability, sex, n);
    let st = byStage.get(stage);
    if (!st) byStage.set(stage, (st = new Diversity()));
    st.add(ethnic, disability, sex, n);
  };
  const year = Number(to.slice(0, 4));
  for (const { band, stage, codes } of diversityGroups.values()) {
    for (const [code, n] of codes) {
      let k = code;
      const disability = k % (DISABILITY_VALUES.length + 1);
      k = (k - disability) / (DISABILITY_VALUES.length + 1);
      const ethnic = k % (ETHNIC_VALUES.length + 1);
      k = (k - ethnic) / (ETHNIC_VALUES.length + 1);
      const sex = k % (SEX_VALUES.length + 1);
      const ageGroup = (k - sex) / (SEX_VALUES.length + 1);
      addPeople(
        band,
        stage,
        ageGroupYob(ageGroup, year),
        SEX_VALUES[sex - 1] ?? '',
        ETHNIC_VALUES[ethnic - 1] ?? '',
        DISABILITY_VALUES[disability - 1] ?? '',
        n,
      );
    }
  }
  for (const [id, [roleId]] of mainAtEnd) {
    const role = roleById.get(roleId);
    if (!role) continue;
    const [yob, sex, ethnic, disability] = multiPeople.get(id)!;
    addPeople(role.band, role.stage ?? 'not-mapped', yob, sex, ethnic, disability, 1);
  }
  const diversityWhole = whole.row('all', 'Whole support workforce');

  return {
    from,
    to,
    headcountStart: totals.atStart,
    headcountEnd: totals.atEnd,
    fteStart: fte2(totals.hoursStart),
    fteEnd: inPostFte,
    starters: totals.starters,
    leavers: totals.leavers,
    leaverRate: rate1(leaverRate(totals.leavers, totals.atStart, totals.atEnd)),
    stabilityIndex: rate1(stabilityIndex(totals.stayed, totals.yearAgo)),
    stabilityBase: { inPostAYearBefore: totals.yearAgo, stillInPost: totals.stayed, yearBefore: yearAgo },
    establishmentFte,
    inPostFte,
    vacancyRate: rate1(vacancyRate(establishmentFte, inPostFte)),
    byProfessionBand,
    byProfessionBandStage,
    vacancyByRole,
    vacancyByService,
    ethnicity: ethnicCategories.items.map((e) => ({ category: e.code, name: e.name, group: e.group, headcount: ethnicCounts.get(e.code) ?? 0 })),
    bmePercent: diversityWhole.bmePercent,
    sex: SEX_CODES.map((s) => ({ sex: s, label: SEX_LABELS[s], headcount: sexCounts.get(s) ?? 0 })),
    ageBands: ageBandSchema.options.map((a) => ({ ageBand: a, label: ageBandLabels[a], headcount: ageCounts.get(a) ?? 0 })),
    disability: (Object.keys(DISABILITY_LABELS) as (keyof typeof DISABILITY_LABELS)[]).map((d) => ({
      disability: d,
      label: DISABILITY_LABELS[d],
      headcount: disabilityCounts.get(d) ?? 0,
    })),
    diversityByBand: [...byBand.entries()].sort(([a], [b]) => bandOrder(a as Band) - bandOrder(b as Band)).map(([band, d]) => d.row(band, `Band ${band}`)),
    diversityByStage: [...byStage.entries()].sort(([a], [b]) => stageOrder(a) - stageOrder(b)).map(([stage, d]) => d.row(stage, stageLabel(stage))),
    diversityWhole,
    smallCountThreshold: SMALL_COUNT_THRESHOLD,
  };
}
