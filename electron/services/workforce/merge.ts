import type { z } from 'zod';
import { dateLabel } from '../../../shared/common/periods';
import type { Band } from '../../../shared/common/reference';
import { stageLabel } from '../../../shared/picture/channels';
import type {
  MappingConflict,
  RoleMergeView,
  RoleSuggestion,
  roleMergeInputSchema,
} from '../../../shared/workforce/channels';
import { suggestRoleGroups } from '../../../shared/workforce/titles';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { listRoles } from './roles';

/**
 * Grouping roles: several job roles brought into one (their posts, staff, pathway steps and titles), undone
 * exactly while nothing has moved on, and the mapping conflicts a merge or the upgrade to job roles left to settle.
 * What a merge changed is kept in role_merge.merged (a MergeRecord) so that undo puts back the very rows it moved.
 */

interface RoleRow {
  id: number;
  title: string;
  band: Band;
  profession: string;
}

interface MappingColumns {
  framework_version: string;
  stage: string | null;
  status: 'draft' | 'agreed';
  rationale: string | null;
  agreed_by: string | null;
  agreed_at: string | null;
  updated_at: string;
  updated_by: string;
  stage_basis: string;
}
interface Assessment {
  domain: number;
  rating: string;
  evidence: string | null;
}
interface MappingSnapshot {
  row: MappingColumns;
  assessments: Assessment[];
}

interface PostState {
  id: number;
  serviceId: number;
  establishmentCenti: number;
  budgetPence: number | null;
}

/** Everything a merge changed, as it was: role_merge.merged. */
interface MergeRecord {
  into: RoleRow;
  intoAfter: { title: string; profession: string };
  roles: RoleRow[];
  /** Posts that changed role (the target had no post in their service). */
  movedPosts: { id: number; fromRole: number }[];
  /** Posts folded into the target's post in the same service: their staff moved there and establishments added. */
  foldedPosts: (PostState & {
    roleId: number;
    intoPost: number;
    intoBefore: { establishmentCenti: number; budgetPence: number | null };
    assignments: number[];
  })[];
  /** Pathway steps that named a merged role: moved to the target, or dropped where the step named it already. */
  steps: { stepId: number; roleId: number; moved: boolean }[];
  /** Titles remembered for the import: added by this merge (with any alias they replaced), or re-pointed. */
  aliasesAdded: { titleKey: string; band: string; replaced: { roleId: number; mergeId: number | null } | null }[];
  aliasesMoved: { titleKey: string; band: string; roleId: number }[];
  /** Every role's mapping before (the target's included). */
  mappings: { roleId: number; mapping: MappingSnapshot | null }[];
  conflictsMoved: { id: number; roleId: number }[];
  conflictsAdded: number[];
  /** Import undo records that named a folded post, pointed at the post it was folded into (see foldImportRecords). */
  importRecords?: { batchId: number; assignmentId: number; fromPost: number; toPost: number }[];
  mappingNote: string | null;
  /** The merged role as the merge left it: undo is offered while it is still so. */
  after: {
    mapping: MappingSnapshot | null;
    posts: PostState[];
    staff: number;
    maxAssignmentId: number;
    conflicts: number[];
  };
}

interface MergeRow {
  id: number;
  into_role_id: number;
  merged: string;
  audit_id: number | null;
  at: string;
  user: string;
  undone_at: string | null;
  undone_by: string | null;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
const listed = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
const onDate = (iso: string) => dateLabel(iso.slice(0, 10));

function roleRow(db: DB, id: number): RoleRow | undefined {
  return db.prepare('SELECT id, title, band, profession_code AS profession FROM role WHERE id = ?').get(id) as
    RoleRow | undefined;
}

function mappingOf(db: DB, roleId: number): MappingSnapshot | null {
  const row = db
    .prepare(
      `SELECT framework_version, stage, status, rationale, agreed_by, agreed_at, updated_at, updated_by, stage_basis
       FROM role_mapping WHERE role_id = ?`,
    )
    .get(roleId) as MappingColumns | undefined;
  if (!row) return null;
  const assessments = db
    .prepare('SELECT domain, rating, evidence FROM domain_assessment WHERE role_id = ? ORDER BY domain')
    .all(roleId) as Assessment[];
  return { row, assessments };
}

/** Two mappings are the same decision when these agree (as in the upgrade to job roles). */
const signature = (m: MappingSnapshot) =>
  JSON.stringify([m.row.framework_version, m.row.stage, m.row.status, m.row.rationale, m.assessments]);

function writeMapping(db: DB, roleId: number, m: MappingSnapshot): void {
  db.prepare(
    `INSERT INTO role_mapping (role_id, framework_version, stage, status, rationale, agreed_by, agreed_at, updated_at,
                               updated_by, stage_basis)
     VALUES (@roleId, @framework_version, @stage, @status, @rationale, @agreed_by, @agreed_at, @updated_at, @updated_by,
             @stage_basis)`,
  ).run({ roleId, ...m.row });
  const insert = db.prepare('INSERT INTO domain_assessment (role_id, domain, rating, evidence) VALUES (?, ?, ?, ?)');
  for (const a of m.assessments) insert.run(roleId, a.domain, a.rating, a.evidence);
}

function removeMapping(db: DB, roleId: number): void {
  db.prepare('DELETE FROM domain_assessment WHERE role_id = ?').run(roleId);
  db.prepare('DELETE FROM role_mapping WHERE role_id = ?').run(roleId);
}

/** "Entry level (Support Worker), agreed by Lead on 1 Feb 2022" */
function describeMapping(m: MappingSnapshot): string {
  const stage = m.row.stage ? stageLabel(m.row.stage) : 'no stage';
  return m.row.status === 'agreed'
    ? `${stage}, agreed by ${m.row.agreed_by ?? 'someone'}${m.row.agreed_at ? ` on ${onDate(m.row.agreed_at)}` : ''}`
    : `${stage}, draft`;
}

function postsOf(db: DB, roleId: number): PostState[] {
  return db
    .prepare(
      `SELECT id, service_id AS serviceId, establishment_fte_centi AS establishmentCenti, budget_pence AS budgetPence
       FROM post WHERE role_id = ? ORDER BY id`,
    )
    .all(roleId) as PostState[];
}

const staffOf = (db: DB, roleId: number) =>
  db
    .prepare('SELECT count(*) FROM assignment a JOIN post po ON po.id = a.post_id WHERE po.role_id = ?')
    .pluck()
    .get(roleId) as number;

const conflictIds = (db: DB, roleId: number) =>
  db.prepare('SELECT id FROM role_mapping_conflict WHERE role_id = ? ORDER BY id').pluck().all(roleId) as number[];

/** The profession most of the role's staff carry (past and present), or its own when it has none. */
function mainProfession(db: DB, roleId: number, current: string): string {
  const top = db
    .prepare(
      `SELECT a.profession_code FROM assignment a JOIN post po ON po.id = a.post_id WHERE po.role_id = ?
       GROUP BY a.profession_code ORDER BY count(*) DESC, a.profession_code LIMIT 1`,
    )
    .pluck()
    .get(roleId) as string | undefined;
  return top ?? current;
}

/**
 * An import's undo puts an assignment back in the post its record names; a folded post is gone, so those records
 * are pointed at the post it was folded into (the same job in the same service), and pointed back by the merge's
 * undo. One pass over the assignment records, only when posts were folded.
 */
function foldImportRecords(db: DB, folded: MergeRecord['foldedPosts']): NonNullable<MergeRecord['importRecords']> {
  if (folded.length === 0) return [];
  const into = new Map(folded.map((p) => [p.id, p.intoPost]));
  const rows = db
    .prepare(
      `SELECT batch_id AS batchId, entity_id AS assignmentId, json_extract(before, '$.post_id') AS fromPost
       FROM import_change WHERE entity = 'assignment' AND json_extract(before, '$.post_id') IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify([...into.keys()])) as { batchId: number; assignmentId: number; fromPost: number }[];
  const point = db.prepare(
    `UPDATE import_change SET before = json_set(before, '$.post_id', CAST(? AS INTEGER)) WHERE batch_id = ? AND entity = 'assignment' AND entity_id = ?`,
  );
  return rows.map((r) => {
    const toPost = into.get(r.fromPost)!;
    point.run(toPost, r.batchId, r.assignmentId);
    return { ...r, toPost };
  });
}

type MergeInput = z.output<typeof roleMergeInputSchema>;

/** The checks every merge passes before anything is written: each failure says what to do. */
function checkedRoles(db: DB, input: MergeInput): { into: RoleRow; roles: RoleRow[] } {
  const into = roleRow(db, input.intoRoleId);
  if (!into) throw new AppError('not-found', `There is no role with id ${input.intoRoleId} to merge into.`);
  const ids = [...new Set(input.roleIds)].filter((id) => id !== into.id);
  if (ids.length === 0)
    throw new AppError('invalid-input', `Choose at least one other role to merge into ${into.title}.`, {
      roleIds: 'Choose the roles to merge',
    });
  const roles = ids.map((id) => roleRow(db, id));
  const unknown = ids.filter((_, i) => !roles[i]);
  if (unknown.length > 0)
    throw new AppError('not-found', `There is no role with id ${listed(unknown.map(String))}. Nothing was merged.`, {
      roleIds: 'Unknown role',
    });
  const found = roles as RoleRow[];
  const otherBands = found.filter((r) => r.band !== into.band);
  if (otherBands.length > 0 && !input.allowDifferentBands)
    throw new AppError(
      'conflict',
      `${into.title} is band ${into.band}, but ${listed(otherBands.map((r) => `${r.title} is band ${r.band}`))}. ` +
        'Roles of different bands are usually different jobs under Agenda for Change, so they are not merged ' +
        'unless you say so ("merge roles of different bands", or --allow-different-bands). Nothing was merged.',
      { roleIds: 'Roles of different bands' },
    );
  return { into, roles: found };
}

interface MappingPlan {
  kept: MappingSnapshot | null;
  /** Candidates to wait for the lead: where each came from, and the mapping. */
  candidates: { source: string; mapping: MappingSnapshot }[];
  note: string | null;
}

/**
 * What the merged role's mapping is. Identical mappings are one. When they differ: the one the lead chose; none
 * (all wait as conflicts) when the lead says so or when at most one of them is agreed; and when two or more
 * differing mappings are agreed the merge is refused until the lead chooses (nothing is silently chosen).
 */
function planMapping(
  group: RoleRow[],
  mappings: Map<number, MappingSnapshot | null>,
  keep: number | null | undefined,
): MappingPlan {
  const mapped = group.filter((r) => mappings.get(r.id));
  const distinct = new Map<string, RoleRow>();
  for (const r of mapped) {
    const sig = signature(mappings.get(r.id)!);
    if (!distinct.has(sig)) distinct.set(sig, r);
  }
  const source = (r: RoleRow) => `${r.title}, band ${r.band} (role ${r.id}, merged)`;
  if (typeof keep === 'number') {
    const chosen = group.find((r) => r.id === keep);
    if (!chosen)
      throw new AppError('invalid-input', `Role ${keep} is not one of the roles being merged: choose one of theirs.`, {
        keepMappingOf: 'Choose one of the roles being merged',
      });
    const kept = mappings.get(keep);
    if (!kept)
      throw new AppError('invalid-input', `${chosen.title} has no mapping to keep: choose a role that is mapped.`, {
        keepMappingOf: 'This role is not mapped',
      });
    const others = [...distinct.values()].filter((r) => signature(mappings.get(r.id)!) !== signature(kept));
    return {
      kept,
      candidates: [],
      note:
        others.length > 0
          ? `Kept the mapping of ${chosen.title} (${describeMapping(kept)}); set aside the different mapping of ${listed(others.map((r) => r.title))} (undo the merge to get it back).`
          : null,
    };
  }
  if (distinct.size <= 1) {
    const only = [...distinct.values()][0];
    return { kept: only ? mappings.get(only.id)! : null, candidates: [], note: null };
  }
  const agreed = [...distinct.values()].filter((r) => mappings.get(r.id)!.row.status === 'agreed');
  if (keep === undefined && agreed.length >= 2)
    throw new AppError(
      'conflict',
      `These roles carry different agreed mappings, so choose which one the merged role keeps: ` +
        `${[...distinct.values()].map((r) => `${r.title} (role ${r.id}): ${describeMapping(mappings.get(r.id)!)}`).join('; ')}. ` +
        'Choose one (--keep-mapping ID), or none to settle later. Nothing was merged.',
      { keepMappingOf: 'Choose which mapping to keep' },
    );
  const candidates = [...distinct.values()].map((r) => ({ source: source(r), mapping: mappings.get(r.id)! }));
  return {
    kept: null,
    candidates,
    note: `Their mappings differ, so none was chosen: ${plural(candidates.length, 'mapping waits', 'mappings wait')} under "Mapping conflicts to settle".`,
  };
}

export function mergeRoles(db: DB, actor: Actor, input: MergeInput): RoleMergeView {
  return db.transaction(() => {
    const { into, roles } = checkedRoles(db, input);
    const group = [into, ...roles];
    const ids = new Set(group.map((r) => r.id));
    const newTitle = input.title ?? null;
    if (newTitle !== null) {
      const clash = db
        .prepare('SELECT id, title FROM role WHERE title = ? COLLATE NOCASE AND band = ?')
        .get(newTitle, into.band) as { id: number; title: string } | undefined;
      if (clash && !ids.has(clash.id))
        throw new AppError(
          'conflict',
          `There is already another role called ${clash.title} at band ${into.band}: include it in the merge or choose another title.`,
          { title: 'This title and band are already used' },
        );
    }
    const mappings = new Map(group.map((r) => [r.id, mappingOf(db, r.id)]));
    const plan = planMapping(group, mappings, input.keepMappingOf);
    const now = actor.now().toISOString();

    const record: MergeRecord = {
      into,
      intoAfter: { title: into.title, profession: into.profession },
      roles,
      movedPosts: [],
      foldedPosts: [],
      steps: [],
      aliasesAdded: [],
      aliasesMoved: [],
      mappings: group.map((r) => ({ roleId: r.id, mapping: mappings.get(r.id) ?? null })),
      conflictsMoved: [],
      conflictsAdded: [],
      mappingNote: plan.note,
      after: { mapping: null, posts: [], staff: 0, maxAssignmentId: 0, conflicts: [] },
    };

    const targetPosts = new Map(postsOf(db, into.id).map((p) => [p.serviceId, p]));
    const moveAssignments = db.prepare('UPDATE assignment SET post_id = ? WHERE post_id = ?');
    for (const r of roles) {
      for (const p of postsOf(db, r.id)) {
        const there = targetPosts.get(p.serviceId);
        if (!there) {
          db.prepare('UPDATE post SET role_id = ? WHERE id = ?').run(into.id, p.id);
          record.movedPosts.push({ id: p.id, fromRole: r.id });
          targetPosts.set(p.serviceId, p);
          continue;
        }
        const assignments = db
          .prepare('SELECT id FROM assignment WHERE post_id = ? ORDER BY id')
          .pluck()
          .all(p.id) as number[];
        const intoBefore = { establishmentCenti: there.establishmentCenti, budgetPence: there.budgetPence };
        moveAssignments.run(there.id, p.id);
        there.establishmentCenti += p.establishmentCenti;
        there.budgetPence =
          there.budgetPence === null && p.budgetPence === null ? null : (there.budgetPence ?? 0) + (p.budgetPence ?? 0);
        db.prepare('UPDATE post SET establishment_fte_centi = ?, budget_pence = ? WHERE id = ?').run(
          there.establishmentCenti,
          there.budgetPence,
          there.id,
        );
        db.prepare('DELETE FROM post WHERE id = ?').run(p.id);
        record.foldedPosts.push({ ...p, roleId: r.id, intoPost: there.id, intoBefore, assignments });
      }

      for (const stepId of db
        .prepare('SELECT step_id FROM pathway_step_role WHERE role_id = ? ORDER BY step_id')
        .pluck()
        .all(r.id) as number[]) {
        const already = db
          .prepare('SELECT 1 FROM pathway_step_role WHERE step_id = ? AND role_id = ?')
          .get(stepId, into.id);
        if (already) db.prepare('DELETE FROM pathway_step_role WHERE step_id = ? AND role_id = ?').run(stepId, r.id);
        else
          db.prepare('UPDATE pathway_step_role SET role_id = ? WHERE step_id = ? AND role_id = ?').run(
            into.id,
            stepId,
            r.id,
          );
        record.steps.push({ stepId, roleId: r.id, moved: !already });
      }

      for (const a of db
        .prepare('SELECT title_key AS titleKey, band FROM role_alias WHERE role_id = ? ORDER BY title_key, band')
        .all(r.id) as { titleKey: string; band: string }[]) {
        db.prepare('UPDATE role_alias SET role_id = ? WHERE title_key = ? AND band = ?').run(
          into.id,
          a.titleKey,
          a.band,
        );
        record.aliasesMoved.push({ ...a, roleId: r.id });
      }
      for (const c of conflictIds(db, r.id)) {
        db.prepare('UPDATE role_mapping_conflict SET role_id = ? WHERE id = ?').run(into.id, c);
        record.conflictsMoved.push({ id: c, roleId: r.id });
      }
    }

    record.importRecords = foldImportRecords(db, record.foldedPosts);

    // The merged roles go (their mappings first), then the target is renamed: a new title may be one of theirs.
    for (const r of group) removeMapping(db, r.id);
    for (const r of roles) db.prepare('DELETE FROM role WHERE id = ?').run(r.id);
    if (plan.kept) writeMapping(db, into.id, plan.kept);
    const insertConflict = db.prepare(
      `INSERT INTO role_mapping_conflict (role_id, source, mapping, origin, created_at) VALUES (?, ?, ?, 'merge', ?)`,
    );
    for (const c of plan.candidates) {
      const m = c.mapping;
      const json = JSON.stringify({
        frameworkVersion: m.row.framework_version,
        stage: m.row.stage,
        status: m.row.status,
        rationale: m.row.rationale,
        agreedBy: m.row.agreed_by,
        agreedAt: m.row.agreed_at,
        updatedAt: m.row.updated_at,
        updatedBy: m.row.updated_by,
        stageBasis: m.row.stage_basis,
        assessments: m.assessments,
      });
      record.conflictsAdded.push(Number(insertConflict.run(into.id, c.source, json, now).lastInsertRowid));
    }
    if (newTitle !== null && newTitle !== into.title) {
      db.prepare('UPDATE role SET title = ? WHERE id = ?').run(newTitle, into.id);
      record.intoAfter.title = newTitle;
    }
    const profession = mainProfession(db, into.id, into.profession);
    db.prepare('UPDATE role SET profession_code = ? WHERE id = ?').run(profession, into.id);
    record.intoAfter.profession = profession;

    const mergeId = Number(
      db
        .prepare(`INSERT INTO role_merge (into_role_id, merged, at, user) VALUES (?, '{}', ?, ?)`)
        .run(into.id, now, actor.user).lastInsertRowid,
    );
    // The import finds next month's rows by these titles: each merged title, and the target's old one if renamed.
    const titles = [...roles, ...(record.intoAfter.title !== into.title ? [into] : [])];
    const newKey = db.prepare('SELECT lower(trim(?))').pluck().get(record.intoAfter.title) as string;
    for (const r of titles) {
      const key = db.prepare('SELECT lower(trim(?))').pluck().get(r.title) as string;
      if (key === newKey && r.band === into.band) continue; // the role's own title already finds it
      const existing = db
        .prepare('SELECT role_id AS roleId, merge_id AS mergeId FROM role_alias WHERE title_key = ? AND band = ?')
        .get(key, r.band) as { roleId: number; mergeId: number | null } | undefined;
      if (existing && existing.roleId === into.id) continue;
      db.prepare(
        `INSERT INTO role_alias (title_key, band, role_id, merge_id) VALUES (?, ?, ?, ?)
         ON CONFLICT (title_key, band) DO UPDATE SET role_id = excluded.role_id, merge_id = excluded.merge_id`,
      ).run(key, r.band, into.id, mergeId);
      record.aliasesAdded.push({ titleKey: key, band: r.band, replaced: existing ?? null });
    }

    record.after = {
      mapping: mappingOf(db, into.id),
      posts: postsOf(db, into.id),
      staff: staffOf(db, into.id),
      maxAssignmentId: (db.prepare('SELECT coalesce(max(id), 0) FROM assignment').pluck().get() as number) ?? 0,
      conflicts: conflictIds(db, into.id),
    };
    db.prepare('UPDATE role_merge SET merged = ? WHERE id = ?').run(JSON.stringify(record), mergeId);
    recordChange(db, actor, {
      entity: 'role merge',
      entityId: mergeId,
      action: 'create',
      before: { into, roles, mappings: record.mappings },
      after: {
        title: mergeTitle(record),
        into: { id: into.id, ...record.intoAfter },
        postsMoved: record.movedPosts.length,
        postsFolded: record.foldedPosts.length,
        staffMoved: record.foldedPosts.reduce((n, p) => n + p.assignments.length, 0),
        aliases: record.aliasesAdded.map((a) => `${a.titleKey} (band ${a.band})`),
        mapping: record.after.mapping ? describeMapping(record.after.mapping) : null,
        conflictsAdded: record.conflictsAdded.length,
        note: plan.note,
      },
    });
    const auditId = db.prepare('SELECT max(id) FROM audit').pluck().get() as number;
    db.prepare('UPDATE role_merge SET audit_id = ? WHERE id = ?').run(auditId, mergeId);
    return toView(db, mergeRow(db, mergeId));
  })();
}

/** What the audit trail calls a merge: "merge of A and B into C". */
const mergeTitle = (record: MergeRecord) =>
  `merge of ${listed(record.roles.map((r) => r.title))} into ${record.intoAfter.title}`;

function mergeRow(db: DB, id: number): MergeRow {
  const row = db.prepare('SELECT * FROM role_merge WHERE id = ?').get(id) as MergeRow | undefined;
  if (!row) throw new AppError('not-found', `There is no merge ${id}.`);
  return row;
}

/** The first audit row about this after the merge: when and by whom something moved on. */
function changedSince(db: DB, auditId: number | null, entity: string, entityId: number): string {
  const row = db
    .prepare('SELECT at, user FROM audit WHERE id > ? AND entity = ? AND entity_id = ? ORDER BY id LIMIT 1')
    .get(auditId ?? 0, entity, String(entityId)) as { at: string; user: string } | undefined;
  return row ? ` on ${onDate(row.at)} by ${row.user}` : ' since';
}

/** Why this merge cannot be undone now, in plain English; null when it can. */
function undoBlockedBy(db: DB, row: MergeRow, record: MergeRecord): string | null {
  if (row.undone_at) return `This merge was undone on ${onDate(row.undone_at)} by ${row.undone_by ?? 'someone'}.`;
  const reasons: string[] = [];
  const laterMerges = (
    db.prepare('SELECT * FROM role_merge WHERE id > ? AND undone_at IS NULL ORDER BY id').all(row.id) as MergeRow[]
  ).filter((m) => {
    if (m.into_role_id === row.into_role_id) return true;
    const later = JSON.parse(m.merged) as MergeRecord;
    return later.roles.some((r) => r.id === row.into_role_id);
  });
  if (laterMerges.length > 0)
    reasons.push(
      `a later merge used it (merge ${laterMerges[0]!.id} on ${onDate(laterMerges[0]!.at)}): undo that one first`,
    );
  const into = roleRow(db, row.into_role_id);
  if (!into) {
    reasons.push('the merged role has since been deleted');
    return `It cannot be undone: ${listed(reasons)}.`;
  }
  if (laterMerges.length === 0) {
    if (into.title !== record.intoAfter.title || into.band !== record.into.band)
      reasons.push(
        `the merged role was renamed or re-banded${changedSince(db, row.audit_id, 'role', into.id)} (now ${into.title}, band ${into.band})`,
      );
    // Settling a conflict changes the mapping too: it is said once, as what the lead did.
    if (JSON.stringify(conflictIds(db, into.id)) !== JSON.stringify(record.after.conflicts))
      reasons.push(
        `the merged role's mapping conflicts were settled${changedSince(db, row.audit_id, 'role mapping', into.id)}`,
      );
    else if (JSON.stringify(mappingOf(db, into.id)) !== JSON.stringify(record.after.mapping))
      reasons.push(`the merged role's mapping was changed${changedSince(db, row.audit_id, 'role mapping', into.id)}`);
    const posts = postsOf(db, into.id);
    if (JSON.stringify(posts) !== JSON.stringify(record.after.posts))
      reasons.push(
        `its establishment or services were changed since (${plural(posts.length, 'service', 'services')} now)`,
      );
    const staff = staffOf(db, into.id);
    const newer = db
      .prepare('SELECT count(*) FROM assignment a JOIN post po ON po.id = a.post_id WHERE po.role_id = ? AND a.id > ?')
      .pluck()
      .get(into.id, record.after.maxAssignmentId) as number;
    const movedOut = record.foldedPosts
      .flatMap((p) => p.assignments.map((a) => [a, p.intoPost] as const))
      .filter(
        ([a, post]) =>
          (db.prepare('SELECT post_id FROM assignment WHERE id = ?').pluck().get(a) as number | undefined) !== post,
      ).length;
    if (newer > 0 || staff > record.after.staff)
      reasons.push(
        `an import or an edit since then added staff to it (${plural(Math.max(newer, staff - record.after.staff), 'assignment', 'assignments')})`,
      );
    else if (staff < record.after.staff || movedOut > 0)
      reasons.push('staff it brought together have since been moved or removed');
    const laterImport = db
      .prepare(
        `SELECT b.id, b.file_name AS fileName, b.committed_at AS at FROM import_batch b
         WHERE b.committed_at > ? AND b.undone_at IS NULL AND EXISTS (
           SELECT 1 FROM import_change c JOIN assignment a ON a.id = c.entity_id JOIN post po ON po.id = a.post_id
           WHERE c.batch_id = b.id AND c.entity = 'assignment' AND po.role_id = ?)
         ORDER BY b.id LIMIT 1`,
      )
      .get(row.at, into.id) as { id: number; fileName: string; at: string } | undefined;
    if (laterImport && !reasons.some((r) => r.startsWith('an import')))
      reasons.push(
        `import ${laterImport.id} (${laterImport.fileName}, ${onDate(laterImport.at)}) changed its staff since: undo that import first`,
      );
  }
  for (const r of record.roles) {
    const taken = roleRow(db, r.id);
    if (taken) reasons.push(`role number ${r.id} is now used by ${taken.title}`);
    const sameTitle = db
      .prepare('SELECT title FROM role WHERE title = ? COLLATE NOCASE AND band = ? AND id <> ?')
      .pluck()
      .get(r.title, r.band, row.into_role_id) as string | undefined;
    if (sameTitle) reasons.push(`a role called ${sameTitle} (band ${r.band}) has been added since`);
  }
  return reasons.length > 0 ? `It cannot be undone: ${listed(reasons)}.` : null;
}

function toView(db: DB, row: MergeRow, withBlock = true): RoleMergeView {
  const record = JSON.parse(row.merged) as MergeRecord;
  const into = roleRow(db, row.into_role_id);
  return {
    id: row.id,
    intoRoleId: row.into_role_id,
    intoTitle: into?.title ?? record.intoAfter.title,
    renamedFrom: record.intoAfter.title !== record.into.title ? record.into.title : null,
    merged: record.roles.map((r) => ({ id: r.id, title: r.title, band: r.band })),
    at: row.at,
    user: row.user,
    undoneAt: row.undone_at,
    undoBlockedBy: withBlock ? undoBlockedBy(db, row, record) : null,
    conflicts: record.conflictsAdded.length,
    mappingNote: record.mappingNote,
  };
}

export function listMerges(db: DB): RoleMergeView[] {
  return (db.prepare('SELECT * FROM role_merge ORDER BY id DESC').all() as MergeRow[]).map((r) => toView(db, r));
}

/** Puts back exactly what the merge changed, in the reverse order, while nothing has moved on since. */
export function undoMerge(db: DB, actor: Actor, id: number): RoleMergeView {
  return db.transaction(() => {
    const row = mergeRow(db, id);
    const record = JSON.parse(row.merged) as MergeRecord;
    const blocked = undoBlockedBy(db, row, record);
    if (blocked) throw new AppError('conflict', `The merge into ${record.intoAfter.title} was not undone. ${blocked}`);
    const into = record.into;

    for (const c of record.conflictsAdded) db.prepare('DELETE FROM role_mapping_conflict WHERE id = ?').run(c);
    removeMapping(db, into.id);
    db.prepare('UPDATE role SET title = ?, profession_code = ? WHERE id = ?').run(into.title, into.profession, into.id);
    const insertRole = db.prepare('INSERT INTO role (id, title, band, profession_code) VALUES (?, ?, ?, ?)');
    for (const r of record.roles) insertRole.run(r.id, r.title, r.band, r.profession);

    for (const p of record.movedPosts) db.prepare('UPDATE post SET role_id = ? WHERE id = ?').run(p.fromRole, p.id);
    for (const p of [...record.foldedPosts].reverse()) {
      db.prepare(
        'INSERT INTO post (id, role_id, service_id, establishment_fte_centi, budget_pence) VALUES (?, ?, ?, ?, ?)',
      ).run(p.id, p.roleId, p.serviceId, p.establishmentCenti, p.budgetPence);
      db.prepare('UPDATE post SET establishment_fte_centi = ?, budget_pence = ? WHERE id = ?').run(
        p.intoBefore.establishmentCenti,
        p.intoBefore.budgetPence,
        p.intoPost,
      );
      const back = db.prepare('UPDATE assignment SET post_id = ? WHERE id = ?');
      for (const a of p.assignments) back.run(p.id, a);
    }

    const pointBack = db.prepare(
      `UPDATE import_change SET before = json_set(before, '$.post_id', CAST(? AS INTEGER))
       WHERE batch_id = ? AND entity = 'assignment' AND entity_id = ? AND json_extract(before, '$.post_id') = ?`,
    );
    for (const r of record.importRecords ?? []) pointBack.run(r.fromPost, r.batchId, r.assignmentId, r.toPost);

    for (const s of record.steps) {
      if (!db.prepare('SELECT 1 FROM pathway_step WHERE id = ?').get(s.stepId)) continue; // the step was removed since
      if (s.moved)
        db.prepare('UPDATE pathway_step_role SET role_id = ? WHERE step_id = ? AND role_id = ?').run(
          s.roleId,
          s.stepId,
          into.id,
        );
      else
        db.prepare('INSERT OR IGNORE INTO pathway_step_role (step_id, role_id) VALUES (?, ?)').run(s.stepId, s.roleId);
    }

    for (const a of record.aliasesAdded) {
      if (a.replaced)
        db.prepare('UPDATE role_alias SET role_id = ?, merge_id = ? WHERE title_key = ? AND band = ?').run(
          a.replaced.roleId,
          a.replaced.mergeId,
          a.titleKey,
          a.band,
        );
      else db.prepare('DELETE FROM role_alias WHERE title_key = ? AND band = ?').run(a.titleKey, a.band);
    }
    for (const a of record.aliasesMoved)
      db.prepare('UPDATE role_alias SET role_id = ? WHERE title_key = ? AND band = ?').run(
        a.roleId,
        a.titleKey,
        a.band,
      );

    for (const m of record.mappings) if (m.mapping) writeMapping(db, m.roleId, m.mapping);
    for (const c of record.conflictsMoved)
      db.prepare('UPDATE role_mapping_conflict SET role_id = ? WHERE id = ?').run(c.roleId, c.id);

    const at = actor.now().toISOString();
    db.prepare('UPDATE role_merge SET undone_at = ?, undone_by = ? WHERE id = ?').run(at, actor.user, id);
    recordChange(db, actor, {
      entity: 'role merge',
      entityId: id,
      action: 'restore',
      before: { into: { id: into.id, ...record.intoAfter } },
      after: { title: mergeTitle(record), undone: true, roles: [into, ...record.roles] },
    });
    return toView(db, mergeRow(db, id), false);
  })();
}

/** Roles that look like the same job (same band, same title once normalised), with the reason. */
export function roleSuggestions(db: DB, asAt: string): RoleSuggestion[] {
  const roles = listRoles(db, asAt);
  const byId = new Map(roles.map((r) => [r.id, r]));
  return suggestRoleGroups(roles).map((g) => ({
    ...g,
    members: g.roleIds.map((id) => {
      const { title, headcount, services, stage, mappingStatus } = byId.get(id)!;
      return { id, title, headcount, services, stage, mappingStatus };
    }),
  }));
}

interface ConflictRow {
  id: number;
  roleId: number;
  roleTitle: string;
  source: string;
  mapping: string;
  origin: 'upgrade' | 'merge';
  createdAt: string;
}
/** A candidate as stored (JSON written by the upgrade or a merge): fields may be missing, read as null. */
interface ConflictMapping {
  frameworkVersion: string;
  stage?: MappingConflict['stage'];
  status: MappingConflict['status'];
  rationale?: string | null;
  agreedBy?: string | null;
  agreedAt?: string | null;
  updatedAt: string;
  updatedBy: string | null;
  stageBasis: string | null;
  /** The upgrade wrote these as JSON text from json_group_array; a merge as an array. */
  assessments: Assessment[] | string | null;
}

const assessmentsOf = (m: ConflictMapping): Assessment[] =>
  (typeof m.assessments === 'string' ? (JSON.parse(m.assessments) as Assessment[]) : (m.assessments ?? [])).filter(
    (a) => a && a.domain !== null,
  );

const CONFLICT_SELECT = `SELECT c.id, c.role_id AS roleId, r.title AS roleTitle, c.source, c.mapping, c.origin,
  c.created_at AS createdAt FROM role_mapping_conflict c JOIN role r ON r.id = c.role_id`;

/** The candidate mappings waiting for the lead, by role then as they came. */
export function mappingConflicts(db: DB, roleId?: number): MappingConflict[] {
  const rows = (
    roleId === undefined
      ? db.prepare(`${CONFLICT_SELECT} ORDER BY r.title COLLATE NOCASE, r.band, c.id`).all()
      : db.prepare(`${CONFLICT_SELECT} WHERE c.role_id = ? ORDER BY c.id`).all(roleId)
  ) as ConflictRow[];
  return rows.map((c) => {
    const m = JSON.parse(c.mapping) as ConflictMapping;
    return {
      id: c.id,
      roleId: c.roleId,
      roleTitle: c.roleTitle,
      source: c.source,
      stage: m.stage ?? null,
      status: m.status,
      rationale: m.rationale ?? null,
      agreedBy: m.agreedBy ?? null,
      agreedAt: m.agreedAt ?? null,
      frameworkVersion: m.frameworkVersion,
      assessedDomains: assessmentsOf(m).length,
      origin: c.origin,
      createdAt: c.createdAt,
    };
  });
}

/**
 * Settles a role's conflict: the kept candidate becomes its mapping (with its domain assessments, as it was
 * agreed or drafted), or, with none kept, the role's own mapping stays as it is (unmapped after an upgrade).
 */
export function settleConflict(db: DB, actor: Actor, roleId: number, keep: number | null): { id: number } {
  return db.transaction(() => {
    const role = roleRow(db, roleId);
    if (!role) throw new AppError('not-found', `There is no role with id ${roleId}.`);
    const rows = db
      .prepare('SELECT id, source, mapping FROM role_mapping_conflict WHERE role_id = ? ORDER BY id')
      .all(roleId) as { id: number; source: string; mapping: string }[];
    if (rows.length === 0) throw new AppError('not-found', `${role.title} has no mapping conflicts to settle.`);
    const before = mappingOf(db, roleId);
    let kept: MappingSnapshot | null = null;
    if (keep !== null) {
      const chosen = rows.find((r) => r.id === keep);
      if (!chosen)
        throw new AppError('invalid-input', `Choose one of the mappings waiting for ${role.title}.`, {
          keep: 'Choose one of the mappings listed',
        });
      const m = JSON.parse(chosen.mapping) as ConflictMapping;
      if (!db.prepare('SELECT 1 FROM framework_version WHERE version = ?').get(m.frameworkVersion))
        throw new AppError(
          'conflict',
          `That mapping was made against framework version ${m.frameworkVersion}, which is no longer in this database.`,
        );
      const chosenMapping: MappingSnapshot = {
        row: {
          framework_version: m.frameworkVersion,
          stage: m.stage ?? null,
          status: m.status,
          rationale: m.rationale ?? null,
          agreed_by: m.agreedBy ?? null,
          agreed_at: m.agreedAt ?? null,
          updated_at: actor.now().toISOString(),
          updated_by: actor.user,
          stage_basis: m.stageBasis ?? 'chosen',
        },
        assessments: assessmentsOf(m),
      };
      kept = chosenMapping;
      removeMapping(db, roleId);
      writeMapping(db, roleId, chosenMapping);
    }
    db.prepare('DELETE FROM role_mapping_conflict WHERE role_id = ?').run(roleId);
    recordChange(db, actor, {
      entity: 'role mapping',
      entityId: roleId,
      action: kept ? (before ? 'update' : 'create') : 'update',
      before: { mapping: before, candidates: rows.map((r) => ({ source: r.source, mapping: JSON.parse(r.mapping) })) },
      after: {
        settled: kept ? `kept the mapping from ${rows.find((r) => r.id === keep)!.source}` : 'kept none',
        mapping: kept ?? before,
      },
    });
    return { id: roleId };
  })();
}
