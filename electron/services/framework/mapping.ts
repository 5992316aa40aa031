import type { z } from 'zod';
import type {
  BulkResult,
  MappingDetail,
  MappingRow,
  Variation,
  bulkInputSchema,
  mappingSaveSchema,
} from '../../../shared/framework/channels';
import { stageById, type FrameworkVersion, type StageId } from '../../../shared/framework/index';
import { suggestStage } from '../../../shared/framework/suggest';
import { analyseVariation } from '../../../shared/framework/variation';
import type { DB } from '../../db/connection';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { todayIso } from '../../../shared/common/clock';
import { getRole, listRoles } from '../workforce/roles';
import type { RoleView } from '../../../shared/workforce/channels';
import { currentFramework, frameworkVersion, retiredVersions } from './versions';

interface MappingDbRow {
  role_id: number;
  framework_version: string;
  stage: StageId | null;
  status: 'draft' | 'agreed';
  rationale: string | null;
  agreed_by: string | null;
  agreed_at: string | null;
  updated_at: string;
  updated_by: string;
  stage_basis: 'chosen' | 'accepted-suggestion';
  assessed: number;
}

const MAPPING_SELECT = `SELECT m.*, (SELECT count(*) FROM domain_assessment d WHERE d.role_id = m.role_id) AS assessed FROM role_mapping m`;

function mappingRows(db: DB): Map<number, MappingDbRow> {
  return new Map((db.prepare(MAPPING_SELECT).all() as MappingDbRow[]).map((m) => [m.role_id, m]));
}

function toMapping(m: MappingDbRow, retired: Set<string>): NonNullable<MappingRow['mapping']> {
  return {
    stage: m.stage,
    status: m.status,
    rationale: m.rationale,
    frameworkVersion: m.framework_version,
    versionRetired: retired.has(m.framework_version),
    agreedBy: m.agreed_by,
    agreedAt: m.agreed_at,
    updatedAt: m.updated_at,
    updatedBy: m.updated_by,
    stageBasis: m.stage_basis,
    assessedDomains: m.assessed,
  };
}

function buildRow(
  framework: FrameworkVersion,
  r: RoleView,
  m: MappingDbRow | undefined,
  retired: Set<string>,
): MappingRow {
  const suggestion = suggestStage({ occupationCode: r.occupationCode, band: r.band, title: r.title }, framework);
  return {
    roleId: r.id,
    title: r.title,
    services: r.services,
    serviceCount: r.serviceCount,
    serviceIds: r.serviceIds,
    profession: r.profession,
    professionName: r.professionName,
    occupationCode: r.occupationCode,
    band: r.band,
    headcount: r.headcount,
    suggestion: suggestion
      ? { stage: suggestion.stage, reason: suggestion.reason, strength: suggestion.strength }
      : null,
    mapping: m ? toMapping(m, retired) : null,
  };
}

/** Every local role with the app's suggestion beside it (never applied) and the lead's mapping, if any. */
export function listMappings(db: DB, asAt: string): { currentVersion: string; rows: MappingRow[] } {
  const framework = currentFramework(db);
  const mappings = mappingRows(db);
  const retired = retiredVersions(db);
  return {
    currentVersion: framework.version,
    rows: listRoles(db, asAt).map((r) => buildRow(framework, r, mappings.get(r.id), retired)),
  };
}

function row(db: DB, roleId: number, asAt: string): MappingRow {
  const m = db.prepare(`${MAPPING_SELECT} WHERE m.role_id = ?`).get(roleId) as MappingDbRow | undefined;
  return buildRow(currentFramework(db), getRole(db, roleId, asAt), m, retiredVersions(db));
}

export function getMapping(db: DB, roleId: number, asAt: string): MappingDetail {
  const current = currentFramework(db);
  const r = row(db, roleId, asAt);
  const assessments = db
    .prepare('SELECT domain, rating, evidence FROM domain_assessment WHERE role_id = ? ORDER BY domain')
    .all(roleId) as MappingDetail['assessments'];
  return {
    row: r,
    assessments,
    framework: r.mapping ? frameworkVersion(db, r.mapping.frameworkVersion) : current,
    currentVersion: current.version,
  };
}

/** What the audit trail keeps for a mapping: everything a lead decided, without the framework text. */
function auditShape(detail: MappingDetail) {
  return detail.row.mapping ? { ...detail.row.mapping, assessments: detail.assessments } : null;
}

function upsert(
  db: DB,
  actor: Actor,
  roleId: number,
  framework: FrameworkVersion,
  values: { stage: StageId | null; rationale: string | null; basis: 'chosen' | 'accepted-suggestion' },
): void {
  db.prepare(
    `INSERT INTO role_mapping (role_id, framework_version, stage, status, rationale, agreed_by, agreed_at, updated_at, updated_by, stage_basis)
     VALUES (@roleId, @version, @stage, 'draft', @rationale, NULL, NULL, @now, @user, @basis)
     ON CONFLICT(role_id) DO UPDATE SET framework_version = excluded.framework_version, stage = excluded.stage, status = 'draft',
       rationale = excluded.rationale, agreed_by = NULL, agreed_at = NULL, updated_at = excluded.updated_at,
       updated_by = excluded.updated_by, stage_basis = excluded.stage_basis`,
  ).run({
    roleId,
    version: framework.version,
    stage: values.stage,
    rationale: values.rationale,
    now: actor.now().toISOString(),
    user: actor.user,
    basis: values.basis,
  });
}

/**
 * Saves a role's mapping as a draft against the current framework version (saving a mapping made against a
 * retired version brings it up to date). Changing an agreed mapping returns it to draft.
 */
export function saveMapping(db: DB, actor: Actor, input: z.output<typeof mappingSaveSchema>): MappingDetail {
  const asAt = todayIso(actor.now());
  return db.transaction(() => {
    const framework = currentFramework(db);
    const before = getMapping(db, input.roleId, asAt);
    const domains = new Set(framework.domains.map((d) => d.number));
    const seen = new Set<number>();
    input.assessments.forEach((a, i) => {
      if (!domains.has(a.domain))
        throw new AppError('invalid-input', `Domain ${a.domain} is not in framework ${framework.version}.`, {
          [`assessments.${i}.domain`]: 'Unknown domain',
        });
      if (seen.has(a.domain))
        throw new AppError('invalid-input', `Domain ${a.domain} is assessed twice.`, {
          [`assessments.${i}.domain`]: 'Assessed twice',
        });
      seen.add(a.domain);
    });
    if (
      input.basis === 'accepted-suggestion' &&
      (!before.row.suggestion || before.row.suggestion.stage !== input.stage)
    ) {
      throw new AppError('invalid-input', 'The stage chosen is not the suggested stage; save it as your own choice.', {
        stage: 'Not the suggested stage',
      });
    }
    if (input.stage === null && input.assessments.length === 0 && !input.rationale && !before.row.mapping) {
      throw new AppError('invalid-input', 'Choose a stage, write a rationale or assess a domain before saving.', {
        stage: 'Choose a stage',
      });
    }
    upsert(db, actor, input.roleId, framework, { stage: input.stage, rationale: input.rationale, basis: input.basis });
    db.prepare('DELETE FROM domain_assessment WHERE role_id = ?').run(input.roleId);
    const insert = db.prepare('INSERT INTO domain_assessment (role_id, domain, rating, evidence) VALUES (?, ?, ?, ?)');
    for (const a of input.assessments) insert.run(input.roleId, a.domain, a.rating, a.evidence);
    const after = getMapping(db, input.roleId, asAt);
    recordChange(db, actor, {
      entity: 'role mapping',
      entityId: input.roleId,
      action: before.row.mapping ? 'update' : 'create',
      before: auditShape(before),
      after: auditShape(after),
    });
    return after;
  })();
}

export function deleteMapping(db: DB, actor: Actor, roleId: number): { roleId: number } {
  return db.transaction(() => {
    const before = getMapping(db, roleId, todayIso(actor.now()));
    if (!before.row.mapping) throw new AppError('not-found', `${before.row.title} is not mapped.`);
    const used = db.prepare('SELECT count(*) FROM pathway_step_role WHERE role_id = ?').pluck().get(roleId) as number;
    db.prepare('DELETE FROM role_mapping WHERE role_id = ?').run(roleId);
    recordChange(db, actor, {
      entity: 'role mapping',
      entityId: roleId,
      action: 'delete',
      before: auditShape(before),
      after: used ? { note: `role is in ${used} pathway step(s)` } : null,
    });
    return { roleId };
  })();
}

const stageName = (framework: FrameworkVersion, stage: StageId) => stageById(framework, stage).name;

/** Several roles at once: each change is checked, audited one row per role, and all in one transaction. */
export function bulkMapping(db: DB, actor: Actor, input: z.output<typeof bulkInputSchema>): BulkResult {
  const asAt = todayIso(actor.now());
  return db.transaction(() => {
    const framework = currentFramework(db);
    const all = new Map(listMappings(db, asAt).rows.map((r) => [r.roleId, r]));
    const skipped: BulkResult['skipped'] = [];
    let updated = 0;
    for (const roleId of [...new Set(input.roleIds)]) {
      const r = all.get(roleId);
      if (!r) throw new AppError('not-found', `There is no role with id ${roleId}.`);
      const m = r.mapping;
      const skip = (reason: string) => skipped.push({ roleId, title: r.title, reason });
      const before = m ? getMapping(db, roleId, asAt) : null;

      if (input.action === 'agree') {
        if (!m || !m.stage) {
          skip('No stage chosen yet.');
          continue;
        }
        if (m.versionRetired) {
          skip(
            `Mapped against retired framework version ${m.frameworkVersion}: open it and save it against ${framework.version} first.`,
          );
          continue;
        }
        if (m.status === 'agreed') {
          skip('Already agreed.');
          continue;
        }
        db.prepare(`UPDATE role_mapping SET status = 'agreed', agreed_by = ?, agreed_at = ? WHERE role_id = ?`).run(
          actor.user,
          actor.now().toISOString(),
          roleId,
        );
      } else {
        const stage = input.action === 'set-stage' ? input.stage : r.suggestion?.stage;
        if (!stage) {
          skip('There is no suggestion for this role.');
          continue;
        }
        if (m && m.stage === stage && !m.versionRetired) {
          skip(`Already mapped to ${stageName(framework, stage)}.`);
          continue;
        }
        const rationale =
          m?.rationale ??
          (input.action === 'accept-suggestion' && r.suggestion ? `Suggestion accepted: ${r.suggestion.reason}` : null);
        upsert(db, actor, roleId, framework, {
          stage,
          rationale,
          basis: input.action === 'accept-suggestion' ? 'accepted-suggestion' : 'chosen',
        });
      }
      updated += 1;
      const after = getMapping(db, roleId, asAt);
      recordChange(db, actor, {
        entity: 'role mapping',
        entityId: roleId,
        action: m ? 'update' : 'create',
        before: before ? auditShape(before) : null,
        after: { ...auditShape(after), bulk: input.action },
      });
    }
    return { updated, skipped };
  })();
}

/** Stage, band and title variation across roles, as a matrix and a list of findings. */
export function variation(db: DB, asAt: string): Variation {
  const framework = currentFramework(db);
  const stages = new Map(
    (db.prepare('SELECT role_id, stage FROM role_mapping').raw().all() as [number, StageId | null][]).map(
      ([id, stage]) => [id, stage],
    ),
  );
  const roles = listRoles(db, asAt).map((r) => ({
    id: String(r.id),
    title: r.title,
    service: r.services,
    profession: r.professionName,
    band: r.band,
    stage: stages.get(r.id) ?? null,
    occupationCode: r.occupationCode,
  }));
  const { findings, matrix } = analyseVariation(roles, framework);
  return {
    roles,
    matrix,
    findings: findings.map((f) => ({
      kind: f.kind,
      stage: 'stage' in f ? f.stage : null,
      message: f.message,
      roleIds: f.roleIds,
    })),
  };
}
