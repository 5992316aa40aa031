import type { z } from 'zod';
import type { PathwayView, pathwaySaveSchema } from '../../../shared/framework/channels';
import { stageById, type StageId } from '../../../shared/framework/index';
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
  kind: 'role' | 'registered-profession';
  role_id: number | null;
  profession_code: string | null;
  route: PathwayView['steps'][number]['route'];
  requirement_stage: StageId | null;
  role_title: string | null;
  service_name: string | null;
  role_band: string | null;
  mapped_stage: StageId | null;
  profession_name: string | null;
}

/**
 * Career pathways with, for each role step, how many people in that role meet the next step's education
 * requirement now, and how many will once the study they are enrolled on is finished.
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
      `SELECT st.id, st.pathway_id, st.position, CASE st.kind WHEN 'roles' THEN 'role' ELSE st.kind END AS kind,
              sr.role_id, st.profession_code, st.route, st.requirement_stage, r.title AS role_title,
              (SELECT count(*) || ' service(s)' FROM post po WHERE po.role_id = r.id) AS service_name, r.band AS role_band,
              m.stage AS mapped_stage, coalesce(p.name, rp.name) AS profession_name
       FROM pathway_step st
       LEFT JOIN (SELECT step_id, min(role_id) AS role_id FROM pathway_step_role GROUP BY step_id) sr ON sr.step_id = st.id
       LEFT JOIN role r ON r.id = sr.role_id
       LEFT JOIN role_mapping m ON m.role_id = sr.role_id
       LEFT JOIN profession p ON p.code = st.profession_code LEFT JOIN profession rp ON rp.code = r.profession_code
       ORDER BY st.pathway_id, st.position`,
    )
    .all() as StepRow[];
  // Everyone holding the role on the date (as the role's headcount counts them), by qualification set.
  const stepRoles = [...new Set(steps.flatMap((s) => (s.role_id ? [s.role_id] : [])))];
  const groupsByRole = new Map<number, { setId: number; count: number }[]>();
  const rows = db
    .prepare(
      `SELECT po.role_id, coalesce(pe.set_id, 0), count(DISTINCT a.person_id)
       FROM assignment a JOIN post po ON po.id = a.post_id LEFT JOIN person_education pe ON pe.person_id = a.person_id
       WHERE ${inPostOn('a', 'asAt')} AND po.role_id IN (SELECT value FROM json_each(@roles))
       GROUP BY po.role_id, pe.set_id`,
    )
    .raw()
    .all({ asAt, roles: JSON.stringify(stepRoles) }) as [number, number, number][];
  for (const [roleId, setId, count] of rows) {
    const list = groupsByRole.get(roleId);
    if (list) list.push({ setId, count });
    else groupsByRole.set(roleId, [{ setId, count }]);
  }
  const now = new GapCalculator(db);
  const planned = new GapCalculator(db, afterPlannedStudy);

  return pathways.map((p) => {
    const own = steps.filter((s) => s.pathway_id === p.id);
    const requirement = (s: StepRow): { stage: StageId | null; source: 'chosen' | 'mapping' | 'none' } =>
      s.requirement_stage
        ? { stage: s.requirement_stage, source: 'chosen' }
        : s.mapped_stage
          ? { stage: s.mapped_stage, source: 'mapping' }
          : { stage: null, source: 'none' };
    return {
      id: p.id,
      name: p.name,
      description: p.description,
      steps: own.map((s, i) => {
        const req = requirement(s);
        const next = own[i + 1];
        const nextReq = next ? requirement(next).stage : null;
        const groups = s.role_id ? (groupsByRole.get(s.role_id) ?? []) : [];
        const count = (calc: GapCalculator) =>
          nextReq
            ? groups.reduce((n, g) => n + (calc.gap(g.setId, nextReq).status === 'meets' ? g.count : 0), 0)
            : null;
        return {
          position: s.position,
          kind: s.kind,
          roleId: s.role_id,
          professionCode: s.profession_code,
          label: s.kind === 'role' ? (s.role_title ?? '') : `Registered ${s.profession_name ?? s.profession_code}`,
          detail:
            s.kind === 'role'
              ? `${s.service_name}, band ${s.role_band}${s.mapped_stage ? `, ${stageById(framework, s.mapped_stage).name}` : ', not mapped'}`
              : 'Registered profession (HCPC)',
          route: s.route,
          routeName: routeName(s.route),
          requirementStage: req.stage,
          requirementSource: req.source,
          requirementStageChosen: s.requirement_stage,
          people: groups.reduce((n, g) => n + g.count, 0),
          meetNextNow: next && s.kind === 'role' ? count(now) : null,
          meetNextAfterTraining: next && s.kind === 'role' ? count(planned) : null,
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
    input.steps.forEach((s, i) => {
      if (s.kind === 'role' && !db.prepare('SELECT 1 FROM role WHERE id = ?').get(s.roleId)) {
        throw new AppError('invalid-input', `Step ${i + 1}: choose a role that exists.`, {
          [`steps.${i}.roleId`]: 'Choose a role',
        });
      }
      if (
        s.kind === 'registered-profession' &&
        !db.prepare('SELECT 1 FROM profession WHERE code = ?').get(s.professionCode)
      ) {
        throw new AppError('invalid-input', `Step ${i + 1}: unknown profession ${s.professionCode}.`, {
          [`steps.${i}.professionCode`]: 'Choose a profession',
        });
      }
    });
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
      'INSERT INTO pathway_step (pathway_id, position, kind, profession_code, route, requirement_stage) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertRole = db.prepare('INSERT INTO pathway_step_role (step_id, role_id) VALUES (?, ?)');
    input.steps.forEach((s, i) => {
      const stepId = insert.run(
        id,
        i + 1,
        s.kind === 'role' ? 'roles' : s.kind,
        s.kind === 'registered-profession' ? s.professionCode : null,
        s.route,
        s.requirementStage,
      ).lastInsertRowid;
      if (s.kind === 'role') insertRole.run(stepId, s.roleId);
    });
    const after = getPathway(db, id, asAt);
    const shape = (p: PathwayView | null) =>
      p && {
        name: p.name,
        description: p.description,
        steps: p.steps.map((s) => ({ label: s.label, route: s.route, requirementStage: s.requirementStageChosen })),
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
