import type { z } from 'zod';
import type {
  GapCounts,
  GapPerson,
  Gaps,
  PersonEducation,
  gapsInputSchema,
  qualificationSaveSchema,
} from '../../../shared/training/channels';
import {
  APPRENTICESHIP_STANDARDS,
  CARE_CERTIFICATE_STANDARDS,
  educationGap,
  nextStage,
  qualificationSchema,
  type EducationGap,
  type GapStatus,
  type Qualification,
} from '../../../shared/training/education';
import { STAGE_IDS, stageById, type StageId } from '../../../shared/framework/index';
import { qualificationLabel, routeName } from '../../../shared/framework/labels';
import { TNA_ROUTE_IDS, type TnaRouteId } from '../../../shared/training/tna';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { readRoles, type RoleFacts } from '../common/roles';
import { inPostOn } from '../common/sql';
import { todayIso } from '../../../shared/common/clock';
import { shortRef } from '../common/pseudonym';
import { currentFramework } from '../framework/versions';

/* ---------- qualifications on a person ---------- */

/** Column values for the qualification table (from migration 1); the full record is kept as JSON in details. */
export function qualificationColumns(q: Qualification): {
  kind: string;
  title: string | null;
  level: string | null;
  status: string;
  start: string | null;
  end: string | null;
} {
  switch (q.kind) {
    case 'care-certificate':
      return {
        kind: q.kind,
        title: 'Care Certificate',
        level: null,
        status: q.standardsCompleted.length === CARE_CERTIFICATE_STANDARDS.length ? 'completed' : 'enrolled',
        start: null,
        end: q.achievedOn ?? null,
      };
    case 'functional-skills-english':
    case 'functional-skills-maths':
      return { kind: q.kind, title: null, level: q.level, status: 'completed', start: null, end: q.achievedOn ?? null };
    case 'rqf':
      return {
        kind: q.kind,
        title: q.title,
        level: String(q.level),
        status: q.status,
        start: null,
        end: q.achievedOn ?? null,
      };
    case 'apprenticeship':
      return {
        kind: q.kind,
        title: q.standard,
        level: String(APPRENTICESHIP_STANDARDS[q.standard].level),
        status: q.status,
        start: q.startDate,
        end: q.endDate,
      };
    case 'foundation-degree':
      return { kind: q.kind, title: q.title, level: '5', status: q.status, start: null, end: q.achievedOn ?? null };
    case 'other':
      return {
        kind: q.kind,
        title: q.title,
        level: q.level === null ? null : String(q.level),
        status: 'completed',
        start: null,
        end: q.achievedOn ?? null,
      };
  }
}

function parseStored(details: string | null): Qualification | null {
  if (!details) return null;
  try {
    const parsed = qualificationSchema.safeParse(JSON.parse(details));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

interface MainRole {
  roleId: number;
  title: string;
  serviceName: string;
  professionName: string;
  stage: StageId | null;
  mappingStatus: 'draft' | 'agreed' | null;
}

/** A person's main assignment on a date: the one with the most contracted hours (then the earliest made). */
function mainRole(db: DB, personId: number, asAt: string): MainRole | null {
  return (
    (db
      .prepare(
        `SELECT r.id AS roleId, r.title, s.name AS serviceName, p.name AS professionName, m.stage, m.status AS mappingStatus
         FROM assignment a JOIN post po ON po.id = a.post_id JOIN role r ON r.id = po.role_id
         JOIN service s ON s.id = po.service_id JOIN profession p ON p.code = a.profession_code
         LEFT JOIN role_mapping m ON m.role_id = r.id
         WHERE a.person_id = @personId AND ${inPostOn('a', 'asAt')}
         ORDER BY a.hours_centi DESC, a.id LIMIT 1`,
      )
      .get({ personId, asAt }) as MainRole | undefined) ?? null
  );
}

export function personEducation(db: DB, personId: number, asAt: string): PersonEducation {
  const person = db.prepare('SELECT id, pseudo_id FROM person WHERE id = ?').get(personId) as
    { id: number; pseudo_id: string } | undefined;
  if (!person) throw new AppError('not-found', `There is no member of staff with id ${personId}.`);
  const role = mainRole(db, personId, asAt);
  const stored = db.prepare('SELECT id, details FROM qualification WHERE person_id = ? ORDER BY id').all(personId) as {
    id: number;
    details: string | null;
  }[];
  const qualifications = stored.flatMap((s) => {
    const q = parseStored(s.details);
    return q ? [{ id: s.id, label: qualificationLabel(q), qualification: q }] : [];
  });
  const qs = qualifications.map((q) => q.qualification);
  const stage = role?.stage ?? null;
  const next = stage ? nextStage(stage) : null;
  return {
    personId,
    ref: shortRef(person.pseudo_id),
    role,
    qualifications,
    gapNow: stage ? educationGap(qs, stage) : null,
    gapNext: next ? educationGap(qs, next) : null,
  };
}

export function saveQualification(
  db: DB,
  actor: Actor,
  input: z.output<typeof qualificationSaveSchema>,
): PersonEducation {
  const asAt = todayIso(actor.now());
  return db.transaction(() => {
    const before = personEducation(db, input.personId, asAt);
    const c = qualificationColumns(input.qualification);
    const details = JSON.stringify(input.qualification);
    let id = input.id;
    let previous: Qualification | null = null;
    if (id !== undefined) {
      const existing = db.prepare('SELECT person_id, details FROM qualification WHERE id = ?').get(id) as
        { person_id: number; details: string | null } | undefined;
      if (!existing || existing.person_id !== input.personId) {
        throw new AppError('not-found', `Qualification ${id} is not recorded for staff member ${before.ref}.`);
      }
      previous = parseStored(existing.details);
      db.prepare(
        'UPDATE qualification SET kind = ?, title = ?, level = ?, status = ?, start_date = ?, end_date = ?, details = ? WHERE id = ?',
      ).run(c.kind, c.title, c.level, c.status, c.start, c.end, details, id);
    } else {
      id = Number(
        db
          .prepare(
            'INSERT INTO qualification (person_id, kind, title, level, status, start_date, end_date, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(input.personId, c.kind, c.title, c.level, c.status, c.start, c.end, details).lastInsertRowid,
      );
    }
    recordChange(db, actor, {
      entity: 'qualification',
      entityId: id,
      action: previous ? 'update' : 'create',
      before: previous ? { person: before.ref, ...previous } : null,
      after: { person: before.ref, ...input.qualification },
    });
    return personEducation(db, input.personId, asAt);
  })();
}

export function deleteQualification(db: DB, actor: Actor, id: number): PersonEducation {
  const asAt = todayIso(actor.now());
  return db.transaction(() => {
    const existing = db.prepare('SELECT person_id, details FROM qualification WHERE id = ?').get(id) as
      { person_id: number; details: string | null } | undefined;
    if (!existing) throw new AppError('not-found', `There is no qualification with id ${id}.`);
    const person = personEducation(db, existing.person_id, asAt);
    db.prepare('DELETE FROM qualification WHERE id = ?').run(id);
    recordChange(db, actor, {
      entity: 'qualification',
      entityId: id,
      action: 'delete',
      before: { person: person.ref, ...(parseStored(existing.details) ?? {}) },
    });
    return personEducation(db, existing.person_id, asAt);
  })();
}

/* ---------- planned study ---------- */

/**
 * The qualifications someone will hold when the study they are enrolled on is finished: enrolled RQF,
 * foundation degree and apprenticeship records count as completed, and a Care Certificate already started
 * counts as complete. Withdrawn study does not count.
 */
export function afterPlannedStudy(qs: Qualification[]): Qualification[] {
  return qs.map((q): Qualification => {
    if ((q.kind === 'rqf' || q.kind === 'foundation-degree' || q.kind === 'apprenticeship') && q.status === 'enrolled')
      return { ...q, status: 'completed' };
    if (q.kind === 'care-certificate' && q.standardsCompleted.length > 0) {
      return { ...q, standardsCompleted: CARE_CERTIFICATE_STANDARDS.map((_, i) => i + 1) };
    }
    return q;
  });
}

/* ---------- gap analysis for the whole workforce ---------- */

/** A role with its place in the listing order, which the per-person lists follow. */
export type ListedRole = RoleFacts & { order: number };

export function listedRoles(db: DB): Map<number, ListedRole> {
  return new Map(readRoles(db).map((r, order) => [r.id, { ...r, order }]));
}

/**
 * Gaps are computed once per distinct (qualification set, stage). The triggers of migration 4 keep each
 * person's set of records as a small id (person_education), so most of 100,000 staff share a few sets.
 */
export class GapCalculator {
  private readonly sets = new Map<number, Qualification[]>([[0, []]]);
  private readonly gaps = new Map<string, EducationGap>();
  constructor(
    private readonly db: DB,
    private readonly transform: (qs: Qualification[]) => Qualification[] = (qs) => qs,
  ) {}

  qualifications(setId: number): Qualification[] {
    let qs = this.sets.get(setId);
    if (!qs) {
      const signature =
        (this.db.prepare('SELECT signature FROM education_set WHERE id = ?').pluck().get(setId) as
          string | undefined) ?? '';
      qs = this.transform(signature.split('\n').flatMap((t) => parseStored(t) ?? []));
      this.sets.set(setId, qs);
    }
    return qs;
  }

  gap(setId: number, stage: StageId): EducationGap {
    const key = `${stage}/${setId}`;
    let gap = this.gaps.get(key);
    if (!gap) {
      gap = educationGap(this.qualifications(setId), stage);
      this.gaps.set(key, gap);
    }
    return gap;
  }
}

export interface Group {
  role: ListedRole;
  setId: number;
  count: number;
}

const ACTIVE = inPostOn('a', 'asAt');

/**
 * People in post on the date counted by (main role, qualification set), inside SQLite: every active
 * assignment is counted, then the few people with more than one are counted once, under their main role
 * (most hours, then the earliest assignment). `secondary` lists the (person, role) pairs taken out.
 */
export function workforceGroups(
  db: DB,
  asAt: string,
): { roles: Map<number, ListedRole>; groups: Group[]; secondary: Set<string> } {
  const roles = listedRoles(db);
  const counts = new Map<string, Group>();
  const rows = db
    .prepare(
      `SELECT a.post_id, coalesce(pe.set_id, 0), count(*) FROM assignment a LEFT JOIN person_education pe ON pe.person_id = a.person_id
       WHERE ${ACTIVE} GROUP BY a.post_id, pe.set_id`,
    )
    .raw()
    .all({ asAt }) as [number, number, number][];
  for (const [roleId, setId, count] of rows) {
    const role = roles.get(roleId);
    if (role) counts.set(`${roleId}/${setId}`, { role, setId, count });
  }
  const multiPeople = db
    .prepare(`SELECT a.person_id FROM assignment a WHERE ${ACTIVE} GROUP BY a.person_id HAVING count(*) > 1`)
    .pluck()
    .all({ asAt }) as number[];
  const multi = multiPeople.length
    ? (db
        .prepare(
          `SELECT a.person_id, a.post_id, a.hours_centi, a.id, coalesce(pe.set_id, 0) FROM json_each(@people) j
           JOIN assignment a ON a.person_id = j.value LEFT JOIN person_education pe ON pe.person_id = a.person_id
           WHERE ${ACTIVE}`,
        )
        .raw()
        .all({ asAt, people: JSON.stringify(multiPeople) }) as [number, number, number, number, number][])
    : [];
  // Main assignment first for each person: most hours, then the earliest made.
  multi.sort((x, y) => x[0] - y[0] || y[2] - x[2] || x[3] - y[3]);
  const secondary = new Set<string>();
  let previous = -1;
  for (const [person, roleId, , id, setId] of multi) {
    if (person === previous) {
      const group = counts.get(`${roleId}/${setId}`);
      if (group) group.count -= 1;
      secondary.add(`${person}/${roleId}/${id}`);
    }
    previous = person;
  }
  return { roles, groups: [...counts.values()].filter((g) => g.count > 0), secondary };
}

export interface AnalysedPerson {
  personId: number;
  ref: string;
  role: ListedRole;
  setId: number;
}

/** The people (main role only) in the given roles, in role order then person id, with their set id. */
export function peopleInRoles(
  db: DB,
  asAt: string,
  roles: Map<number, ListedRole>,
  roleIds: number[] | null,
  secondary: Set<string>,
): AnalysedPerson[] {
  const select = `SELECT a.person_id, a.post_id, a.id, coalesce(pe.set_id, 0) FROM assignment a
       LEFT JOIN person_education pe ON pe.person_id = a.person_id WHERE ${ACTIVE}`;
  type Row = [number, number, number, number];
  let rows: Row[];
  if (roleIds) {
    // One indexed read per role on the page, rather than a scan of every assignment.
    const byRole = db.prepare(`${select} AND a.post_id = @roleId`).raw();
    rows = roleIds.flatMap((roleId) => byRole.all({ asAt, roleId }) as Row[]);
  } else {
    rows = db.prepare(select).raw().all({ asAt }) as Row[];
  }
  const out: AnalysedPerson[] = [];
  const seen = new Set<number>();
  for (const [personId, roleId, id, setId] of rows) {
    const role = roles.get(roleId);
    if (!role || secondary.has(`${personId}/${roleId}/${id}`) || seen.has(personId)) continue;
    seen.add(personId);
    out.push({ personId, ref: '', role, setId });
  }
  return out.sort((a, b) => a.role.order - b.role.order || a.personId - b.personId);
}

/** Fills in the short staff references (from the pseudonym) for the people about to be shown or exported. */
export function withRefs(db: DB, people: AnalysedPerson[]): AnalysedPerson[] {
  if (people.length === 0) return people;
  const refs = new Map(
    (people.length > 5000
      ? (db.prepare('SELECT id, pseudo_id FROM person').raw().all() as [number, string][])
      : (db
          .prepare('SELECT id, pseudo_id FROM person WHERE id IN (SELECT value FROM json_each(?))')
          .raw()
          .all(JSON.stringify(people.map((p) => p.personId))) as [number, string][])
    ).map(([id, pseudo]) => [id, shortRef(pseudo)]),
  );
  return people.map((p) => ({ ...p, ref: refs.get(p.personId) ?? '' }));
}

function emptyCounts(key: string, label: string): GapCounts {
  return { key, label, people: 0, meets: 0, partly: 0, doesNot: 0, unknown: 0, nextMeets: 0 };
}

function add(counts: GapCounts, n: number, now: EducationGap | null, next: EducationGap | null): void {
  counts.people += n;
  const status: GapStatus = now?.status ?? 'unknown';
  if (status === 'meets') counts.meets += n;
  else if (status === 'partly') counts.partly += n;
  else if (status === 'does-not') counts.doesNot += n;
  else counts.unknown += n;
  if (next?.status === 'meets') counts.nextMeets += n;
}

/** A person's gap for their role's stage and the next one; null when the role is not mapped. */
function gapsFor(
  calc: GapCalculator,
  role: ListedRole,
  setId: number,
): { now: EducationGap | null; next: EducationGap | null } {
  const stage = role.stage;
  const next = stage ? nextStage(stage) : null;
  return { now: stage ? calc.gap(setId, stage) : null, next: next ? calc.gap(setId, next) : null };
}

/**
 * The gap analysis: counts by stage, profession and service, demand per training route, and one page of the
 * per-person list. A person whose role is not mapped counts as unknown. Counting works on (role,
 * qualification set) groups; only the roles on the requested page are read person by person.
 */
export function gapAnalysis(db: DB, input: z.output<typeof gapsInputSchema> & { asAt: string }): Gaps {
  const { asAt } = input;
  const framework = currentFramework(db);
  const calc = new GapCalculator(db);
  const { roles, groups, secondary } = workforceGroups(db, asAt);
  const totals = emptyCounts('all', 'All staff');
  const byStage = new Map<string, GapCounts>([
    ...STAGE_IDS.map((s) => [s, emptyCounts(s, stageById(framework, s).name)] as const),
    ['unmapped', emptyCounts('unmapped', 'Role not mapped')] as const,
  ]);
  const byProfession = new Map<string, GapCounts>();
  const byService = new Map<string, GapCounts>();
  const demand = new Map<TnaRouteId, { current: number; next: number }>(
    TNA_ROUTE_IDS.map((r) => [r, { current: 0, next: 0 }]),
  );
  const groupMatches = (g: Group, now: EducationGap | null) =>
    (input.status === 'all' || (now?.status ?? 'unknown') === input.status) &&
    (input.stage === 'all' || (g.role.stage ?? 'unmapped') === input.stage) &&
    (input.serviceId === undefined || g.role.serviceId === input.serviceId) &&
    (input.profession === undefined || g.role.profession === input.profession);
  const listedByRole = new Map<number, { count: number; sets: Set<number> }>();
  for (const g of groups) {
    const { now, next } = gapsFor(calc, g.role, g.setId);
    add(totals, g.count, now, next);
    add(byStage.get(g.role.stage ?? 'unmapped')!, g.count, now, next);
    let prof = byProfession.get(g.role.profession);
    if (!prof) byProfession.set(g.role.profession, (prof = emptyCounts(g.role.profession, g.role.professionName)));
    add(prof, g.count, now, next);
    let svc = byService.get(String(g.role.serviceId));
    if (!svc)
      byService.set(String(g.role.serviceId), (svc = emptyCounts(String(g.role.serviceId), g.role.serviceName)));
    add(svc, g.count, now, next);
    if (now && now.status !== 'meets') for (const r of now.routes) demand.get(r)!.current += g.count;
    if (now?.status === 'meets' && next) for (const r of next.routes) demand.get(r)!.next += g.count;
    if (groupMatches(g, now)) {
      const entry = listedByRole.get(g.role.id) ?? { count: 0, sets: new Set<number>() };
      entry.count += g.count;
      entry.sets.add(g.setId);
      listedByRole.set(g.role.id, entry);
    }
  }

  // The page: walk the roles in display order to find which ones hold rows offset..offset+limit, then read only those.
  const ordered = [...listedByRole].sort((a, b) => roles.get(a[0])!.order - roles.get(b[0])!.order);
  const total = ordered.reduce((s, [, e]) => s + e.count, 0);
  const pageRoles: number[] = [];
  let skipped = 0;
  let position = 0;
  for (const [roleId, e] of ordered) {
    if (position + e.count > input.offset && position < input.offset + input.limit) {
      if (pageRoles.length === 0) skipped = position;
      pageRoles.push(roleId);
    }
    position += e.count;
  }
  const pagePeople = pageRoles.length
    ? peopleInRoles(db, asAt, roles, pageRoles, secondary).filter(
        (p) =>
          listedByRole.get(p.role.id)!.sets.has(p.setId) &&
          groupMatches({ role: p.role, setId: p.setId, count: 1 }, gapsFor(calc, p.role, p.setId).now),
      )
    : [];
  const page = withRefs(db, pagePeople.slice(input.offset - skipped, input.offset - skipped + input.limit));
  const byLabel = (a: GapCounts, b: GapCounts) => a.label.localeCompare(b.label);
  return {
    asAt,
    totals,
    byStage: [...byStage.values()].filter((c) => c.people > 0 || c.key !== 'unmapped'),
    byProfession: [...byProfession.values()].sort(byLabel),
    byService: [...byService.values()].sort(byLabel),
    routeDemand: [...demand].map(([route, d]) => ({ route, name: routeName(route), current: d.current, next: d.next })),
    people: { total, rows: page.map((p) => toGapPerson(p, gapsFor(calc, p.role, p.setId))) },
  };
}

export function toGapPerson(
  p: AnalysedPerson,
  gaps: { now: EducationGap | null; next: EducationGap | null },
): GapPerson {
  return {
    personId: p.personId,
    ref: p.ref,
    roleTitle: p.role.title,
    serviceName: p.role.serviceName,
    professionName: p.role.professionName,
    stage: p.role.stage,
    status: gaps.now?.status ?? 'unknown',
    missing: gaps.now ? gaps.now.missing : ['The role is not mapped to a framework stage yet.'],
    nextStage: gaps.next?.stage ?? null,
    nextStatus: gaps.next?.status ?? null,
  };
}

/** Every person in post with their gaps, for the export. */
export function allGaps(
  db: DB,
  asAt: string,
): { person: AnalysedPerson; now: EducationGap | null; next: EducationGap | null }[] {
  const calc = new GapCalculator(db);
  const { roles, secondary } = workforceGroups(db, asAt);
  return withRefs(db, peopleInRoles(db, asAt, roles, null, secondary)).map((person) => ({
    person,
    ...gapsFor(calc, person.role, person.setId),
  }));
}
