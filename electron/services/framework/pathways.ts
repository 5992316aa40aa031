import type { z } from 'zod';
import type {
  PathwayStepView,
  PathwayView,
  pathwaySaveSchema,
  pathwayStepInputSchema,
} from '../../../shared/framework/channels';
import { stageById, type FrameworkVersion, type StageId } from '../../../shared/framework/index';
import type { Band } from '../../../shared/common/reference';
import { routeName } from '../../../shared/framework/labels';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { inPostOn } from '../common/sql';
import { todayIso } from '../../../shared/common/clock';
import { afterPlannedStudy, GapCalculator } from '../training/education';
import { currentFramework } from './versions';

interface StepRow {
  id: number;
  pathway_id: number;
  position: number;
  kind: PathwayStepView['kind'];
  profession_code: string | null;
  stage: StageId | null;
  label: string | null;
  route: PathwayStepView['route'];
  requirement_stage: StageId | null;
  profession_name: string | null;
}
interface StepRole {
  id: number;
  title: string;
  band: Band;
  stage: StageId | null;
  services: number;
  staff: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The roles of each step. A roles step has the roles the lead chose. A stage step has every role whose main
 * profession (role.profession_code, the one the role list shows and the lead maps) is the step's profession
 * and whose mapping puts it at the step's stage. Assignments carry their own profession code too, but counting
 * by it would split one mapped role's staff between steps and disagree with the role list, so it is not used.
 */
function stepRoles(db: DB, steps: StepRow[], asAt: string): Map<number, StepRole[]> {
  const select = `SELECT r.id, r.title, r.band, m.stage,
            (SELECT count(*) FROM post po WHERE po.role_id = r.id) AS services,
            (SELECT count(DISTINCT a.person_id) FROM post po JOIN assignment a ON a.post_id = po.id
             WHERE po.role_id = r.id AND ${inPostOn('a', 'asAt')}) AS staff
     FROM role r LEFT JOIN role_mapping m ON m.role_id = r.id`;
  const chosen = db.prepare(
    `${select} WHERE r.id IN (SELECT role_id FROM pathway_step_role WHERE step_id = @step) ORDER BY r.title, r.band`,
  );
  const atStage = db.prepare(
    `${select} WHERE r.profession_code = @profession AND m.stage = @stage ORDER BY r.title, r.band`,
  );
  return new Map(
    steps.map((s) => [
      s.id,
      (s.kind === 'roles'
        ? chosen.all({ step: s.id, asAt })
        : s.kind === 'stage'
          ? atStage.all({ profession: s.profession_code, stage: s.stage, asAt })
          : []) as StepRole[],
    ]),
  );
}

/** People in post on the date in any of the roles, each counted once, by qualification set. */
function groupsOf(db: DB, roleIds: number[], asAt: string): { setId: number; count: number }[] {
  if (roleIds.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT coalesce(pe.set_id, 0), count(DISTINCT a.person_id)
       FROM assignment a JOIN post po ON po.id = a.post_id LEFT JOIN person_education pe ON pe.person_id = a.person_id
       WHERE ${inPostOn('a', 'asAt')} AND po.role_id IN (SELECT value FROM json_each(@roles))
       GROUP BY pe.set_id`,
    )
    .raw()
    .all({ asAt, roles: JSON.stringify(roleIds) }) as [number, number][];
  return rows.map(([setId, count]) => ({ setId, count }));
}

interface Requirement {
  stage: StageId | null;
  source: PathwayStepView['requirementSource'];
  note: string | null;
}

/**
 * The education a step asks for: the lead's choice; for a stage step its stage; for a roles step the roles'
 * mapped stage when the mapped roles agree. When they differ nothing is assumed and the step says so.
 */
function requirementOf(framework: FrameworkVersion, s: StepRow, roles: StepRole[]): Requirement {
  if (s.requirement_stage) return { stage: s.requirement_stage, source: 'chosen', note: null };
  if (s.kind === 'stage') return { stage: s.stage, source: 'stage', note: null };
  const stages = new Map<StageId, number>();
  for (const r of roles) if (r.stage) stages.set(r.stage, (stages.get(r.stage) ?? 0) + 1);
  if (stages.size === 1) return { stage: [...stages.keys()][0]!, source: 'mapping', note: null };
  if (stages.size > 1) {
    const list = [...stages].map(([stage, n]) => `${stageById(framework, stage).name}: ${plural(n, 'role')}`);
    return {
      stage: null,
      source: 'differ',
      note: `The roles' mapped stages differ (${list.join('; ')}). Choose the education this step needs.`,
    };
  }
  return { stage: null, source: 'none', note: null };
}

function describe(framework: FrameworkVersion, s: StepRow, roles: StepRole[]): { label: string; detail: string } {
  const profession = s.profession_name ?? s.profession_code ?? '';
  if (s.kind === 'registered-profession')
    return { label: s.label ?? `Registered ${profession}`, detail: 'Registered profession (HCPC)' };
  const roleList = roles.map((r) => `${r.title} (band ${r.band})`).join('; ');
  if (s.kind === 'stage') {
    const stageName = s.stage ? stageById(framework, s.stage).name : '';
    return {
      label: s.label ?? `${profession}: ${stageName}`,
      detail: roles.length
        ? `Every ${profession.toLowerCase()} role mapped to this stage: ${roleList}`
        : `No ${profession.toLowerCase()} role is mapped to this stage yet`,
    };
  }
  const first = roles[0];
  const generated =
    roles.length === 1 && first
      ? first.title
      : `${first?.title ?? 'Roles'} and ${plural(roles.length - 1, 'other role')}`;
  if (roles.length === 1 && first) {
    const stage = first.stage ? stageById(framework, first.stage).name : 'not mapped';
    return {
      label: s.label ?? generated,
      detail: `${plural(first.services, 'service')}, band ${first.band}, ${stage}`,
    };
  }
  return { label: s.label ?? generated, detail: `${plural(roles.length, 'role')}: ${roleList}` };
}

/**
 * Career pathways with, for each step before the last, how many people in the step's roles meet the next
 * step's education requirement now, and how many will once the study they are enrolled on is finished.
 */
export function listPathways(db: DB, asAt: string): PathwayView[] {
  const framework = currentFramework(db);
  const pathways = db.prepare('SELECT id, name, description FROM pathway ORDER BY name').all() as {
    id: number;
    name: string;
    description: string | null;
  }[];
  if (pathways.length === 0) return [];
  const steps = db
    .prepare(
      `SELECT st.id, st.pathway_id, st.position, st.kind, st.profession_code, st.stage, st.label, st.route,
              st.requirement_stage, p.name AS profession_name
       FROM pathway_step st LEFT JOIN profession p ON p.code = st.profession_code
       ORDER BY st.pathway_id, st.position`,
    )
    .all() as StepRow[];
  const rolesByStep = stepRoles(db, steps, asAt);
  const now = new GapCalculator(db);
  const planned = new GapCalculator(db, afterPlannedStudy);

  return pathways.map((p) => {
    const own = steps.filter((s) => s.pathway_id === p.id);
    const roles = own.map((s) => rolesByStep.get(s.id) ?? []);
    const requirements = own.map((s, i) => requirementOf(framework, s, roles[i]!));
    return {
      id: p.id,
      name: p.name,
      description: p.description,
      steps: own.map((s, i) => {
        const req = requirements[i]!;
        const nextReq = requirements[i + 1]?.stage ?? null;
        const hasNext = i + 1 < own.length && s.kind !== 'registered-profession';
        const groups = groupsOf(
          db,
          roles[i]!.map((r) => r.id),
          asAt,
        );
        const count = (calc: GapCalculator) =>
          nextReq
            ? groups.reduce((n, g) => n + (calc.gap(g.setId, nextReq).status === 'meets' ? g.count : 0), 0)
            : null;
        return {
          position: s.position,
          kind: s.kind,
          roles: roles[i]!.map((r) => ({ id: r.id, title: r.title, band: r.band, staff: r.staff })),
          professionCode: s.profession_code,
          stage: s.stage,
          ...describe(framework, s, roles[i]!),
          labelChosen: s.label,
          route: s.route,
          routeName: routeName(s.route),
          requirementStage: req.stage,
          requirementSource: req.source,
          requirementNote: req.note,
          requirementStageChosen: s.requirement_stage,
          people: groups.reduce((n, g) => n + g.count, 0),
          meetNextNow: hasNext ? count(now) : null,
          meetNextAfterTraining: hasNext ? count(planned) : null,
        };
      }),
    };
  });
}

function getPathway(db: DB, id: number, asAt: string): PathwayView {
  const found = listPathways(db, asAt).find((p) => p.id === id);
  if (!found) throw new AppError('not-found', `There is no career pathway with id ${id}.`);
  return found;
}

export function savePathway(db: DB, actor: Actor, input: z.output<typeof pathwaySaveSchema>): PathwayView {
  const asAt = todayIso(actor.now());
  return db.transaction(() => {
    const clash = db.prepare('SELECT id FROM pathway WHERE name = ? AND id IS NOT ?').get(input.name, input.id ?? null);
    if (clash)
      throw new AppError('conflict', `There is already a pathway called ${input.name}.`, {
        name: 'This name is already used',
      });
    input.steps.forEach((s, i) => checkStep(db, s, i));
    const now = actor.now().toISOString();
    let id = input.id;
    const before = id !== undefined ? getPathway(db, id, asAt) : null;
    if (id !== undefined) {
      db.prepare('UPDATE pathway SET name = ?, description = ?, updated_at = ? WHERE id = ?').run(
        input.name,
        input.description,
        now,
        id,
      );
      db.prepare('DELETE FROM pathway_step WHERE pathway_id = ?').run(id);
    } else {
      id = Number(
        db
          .prepare('INSERT INTO pathway (name, description, updated_at) VALUES (?, ?, ?)')
          .run(input.name, input.description, now).lastInsertRowid,
      );
    }
    const insert = db.prepare(
      'INSERT INTO pathway_step (pathway_id, position, kind, profession_code, stage, label, route, requirement_stage) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertRole = db.prepare('INSERT INTO pathway_step_role (step_id, role_id) VALUES (?, ?)');
    input.steps.forEach((s, i) => {
      const stepId = insert.run(
        id,
        i + 1,
        s.kind,
        s.kind === 'roles' ? null : s.professionCode,
        s.kind === 'stage' ? s.stage : null,
        s.kind === 'registered-profession' ? null : s.label,
        s.route,
        s.requirementStage,
      ).lastInsertRowid;
      if (s.kind === 'roles') for (const roleId of s.roleIds) insertRole.run(stepId, roleId);
    });
    const after = getPathway(db, id, asAt);
    const shape = (p: PathwayView | null) =>
      p && {
        name: p.name,
        description: p.description,
        steps: p.steps.map((s) => ({
          kind: s.kind,
          label: s.label,
          roles: s.kind === 'roles' ? s.roles.map((r) => `${r.title} (band ${r.band})`) : undefined,
          route: s.route,
          requirementStage: s.requirementStageChosen,
        })),
      };
    recordChange(db, actor, {
      entity: 'pathway',
      entityId: id,
      action: before ? 'update' : 'create',
      before: shape(before),
      after: shape(after),
    });
    return after;
  })();
}

/** Refuses a step naming a role or profession that does not exist, with the field to fix. */
function checkStep(db: DB, s: z.output<typeof pathwayStepInputSchema>, i: number): void {
  if (s.kind === 'roles') {
    const known = new Set(
      db
        .prepare('SELECT id FROM role WHERE id IN (SELECT value FROM json_each(?))')
        .pluck()
        .all(JSON.stringify(s.roleIds)) as number[],
    );
    const unknown = s.roleIds.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw new AppError(
        'invalid-input',
        `Step ${i + 1}: there is no role with id ${unknown.join(', ')}. Nothing was saved.`,
        { [`steps.${i}.roleIds`]: 'Choose roles that exist' },
      );
    return;
  }
  if (!db.prepare('SELECT 1 FROM profession WHERE code = ?').get(s.professionCode)) {
    throw new AppError('invalid-input', `Step ${i + 1}: unknown profession ${s.professionCode}. Nothing was saved.`, {
      [`steps.${i}.professionCode`]: 'Choose a profession',
    });
  }
}

export function deletePathway(db: DB, actor: Actor, id: number): { id: number } {
  return db.transaction(() => {
    const before = getPathway(db, id, todayIso(actor.now()));
    db.prepare('DELETE FROM pathway WHERE id = ?').run(id);
    recordChange(db, actor, {
      entity: 'pathway',
      entityId: id,
      action: 'delete',
      before: { name: before.name, steps: before.steps.map((s) => s.label) },
    });
    return { id };
  })();
}
