import type { z } from 'zod';
import { todayIso } from '../../../shared/common/clock';
import type {
  EstablishmentCommit,
  establishmentCommitInputSchema,
  establishmentOptionsSchema,
  EstablishmentPreview,
} from '../../../shared/establishment/channels';
import { establishmentColumns } from '../../../shared/establishment/fields';
import { centiFromWte4, placeKey, type LineIssue } from '../../../shared/establishment/lines';
import { alreadyImportedText } from '../../../shared/import/channels';
import { MAX_LISTED_ISSUES } from '../../../shared/import/channels';
import { fromCenti } from '../../../shared/workforce/channels';
import type { DB } from '../../db/connection';
import type { DatabaseStore } from '../../db/store';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { forgetUpload, getUpload, type ReceivedUpload } from '../common/uploads';
import { workforceSummary } from '../workforce/summary';
import { getEstablishmentBatch } from './batches';
import { matchLines, roleKey, type Matching, type RoleTarget, type ServiceTarget } from './match';
import { establishmentProfileByName, saveEstablishmentProfile } from './profiles';
import { alreadyImported, readReport, type ReadReport } from './read';

/**
 * Preview and commit of an establishment import: the report is read and matched outside any transaction, then
 * written in ONE transaction (which a preview rolls back), so that the preview's counts are the commit's.
 * Each matched line sets its post line's establishment; lines for the same post add up. Post lines the report
 * does not name keep their establishment. Staff are never touched.
 */

type Options = z.output<typeof establishmentOptionsSchema>;
type CommitOptions = z.output<typeof establishmentCommitInputSchema>;

class DryRun extends Error {
  constructor(readonly result: EstablishmentPreview) {
    super('dry run');
  }
}

const count = (n: number) => n.toLocaleString('en-GB');

function vacancyTotals(db: DB, asAt: string): EstablishmentPreview['vacancyBefore'] {
  const s = workforceSummary(db, asAt);
  return { establishmentFte: s.establishmentFte, inPostFte: s.vacancyCoverage.inPostFte, vacancyFte: s.vacancyFte };
}

interface PostTotal {
  role: RoleTarget;
  service: ServiceTarget;
  roleLabel: string;
  band: EstablishmentPreview['changes'][number]['band'];
  serviceLabel: string;
  wte4: number;
  budgetPence: number | null;
  lines: number;
}

const targetKey = (t: { id: number } | { create: object }, create: string) =>
  'id' in t ? `#${t.id}` : `new:${create}`;

/** Matched lines added up per post line (a role in a service). */
function postTotals(matching: Matching): PostTotal[] {
  const totals = new Map<string, PostTotal>();
  for (const m of matching.matched) {
    const roleCreate = 'create' in m.role ? roleKey(m.role.create.title, m.role.create.band) : '';
    const serviceCreate = 'create' in m.service ? placeKey(m.service.create.name) : '';
    const key = `${targetKey(m.role, roleCreate)}|${targetKey(m.service, serviceCreate)}`;
    const total = totals.get(key) ?? {
      role: m.role,
      service: m.service,
      roleLabel: m.line.title,
      band: m.line.band,
      serviceLabel: 'create' in m.service ? m.service.create.name : m.line.service || m.line.costCentre,
      wte4: 0,
      budgetPence: null,
      lines: 0,
    };
    total.wte4 += m.line.wte4;
    if (m.line.budgetPence !== null) total.budgetPence = (total.budgetPence ?? 0) + m.line.budgetPence;
    total.lines++;
    totals.set(key, total);
  }
  return [...totals.values()];
}

function insertBatch(db: DB, actor: Actor, upload: ReceivedUpload, report: ReadReport, options: Options): number {
  return Number(
    db
      .prepare(
        `INSERT INTO import_batch (kind, file_name, size_bytes, sha256, format, encoding, profile_name, user, committed_at, extract_date, options,
           rows_read, added, updated, unchanged, rejected, excluded, leavers, marked_missing, people_added, roles_added, services_added)
         VALUES ('establishment', ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)`,
      )
      .run(
        upload.fileName,
        upload.size,
        upload.sha256,
        report.format,
        report.encoding,
        options.profileName,
        actor.user,
        actor.now().toISOString(),
        todayIso(actor.now()),
      ).lastInsertRowid,
  );
}

const maxId = (db: DB, table: 'service' | 'role' | 'post') =>
  (db.prepare(`SELECT coalesce(max(id), 0) FROM ${table}`).pluck().get() as number) ?? 0;

/** Records the ids a batch inserted into a table as one range (they are consecutive: one writer, one transaction). */
function logInserts(db: DB, batchId: number, entity: 'service' | 'role' | 'post', before: number): number {
  const after = maxId(db, entity);
  if (after > before)
    db.prepare('INSERT INTO import_insert (batch_id, entity, first_id, last_id) VALUES (?, ?, ?, ?)').run(
      batchId,
      entity,
      before + 1,
      after,
    );
  return after - before;
}

interface Written {
  counts: Pick<EstablishmentPreview, 'changed' | 'unchanged' | 'created' | 'rolesCreated' | 'servicesCreated'>;
  changes: EstablishmentPreview['changes'];
  aliases: { titleKey: string; band: string; before: { roleId: number; mergeId: number | null } | null }[];
}

/** Pass 2, inside the transaction: create chosen services and roles, remember aliases, set the post lines. */
function write(db: DB, batchId: number, matching: Matching, budgetMapped: boolean): Written {
  const servicesBefore = maxId(db, 'service');
  const serviceIds = new Map<string, number>();
  const addService = db.prepare('INSERT INTO service (name, cost_centre) VALUES (?, ?)');
  const serviceId = (t: ServiceTarget): number => {
    if ('id' in t) return t.id;
    const key = placeKey(t.create.name);
    let id = serviceIds.get(key);
    if (id === undefined) {
      id = Number(addService.run(t.create.name, t.create.costCentre || null).lastInsertRowid);
      serviceIds.set(key, id);
    }
    return id;
  };
  const rolesBefore = maxId(db, 'role');
  const roleIds = new Map<string, number>();
  const addRole = db.prepare('INSERT INTO role (title, band, profession_code) VALUES (?, ?, ?)');
  const roleId = (t: RoleTarget): number => {
    if ('id' in t) return t.id;
    const key = roleKey(t.create.title, t.create.band);
    let id = roleIds.get(key);
    if (id === undefined) {
      id = Number(addRole.run(t.create.title, t.create.band, t.create.profession).lastInsertRowid);
      roleIds.set(key, id);
    }
    return id;
  };
  const totals = postTotals(matching);
  for (const t of totals) {
    serviceId(t.service);
    roleId(t.role);
  }
  const servicesCreated = logInserts(db, batchId, 'service', servicesBefore);
  const rolesCreated = logInserts(db, batchId, 'role', rolesBefore);

  // A title matched by hand to a role of another title lands there next time.
  const aliases: Written['aliases'] = [];
  const aliasBefore = db.prepare(
    'SELECT role_id AS roleId, merge_id AS mergeId FROM role_alias WHERE title_key = ? AND band = ?',
  );
  const setAlias = db.prepare(
    `INSERT INTO role_alias (title_key, band, role_id, merge_id) VALUES (?, ?, ?, NULL)
     ON CONFLICT (title_key, band) DO UPDATE SET role_id = excluded.role_id, merge_id = NULL`,
  );
  const seen = new Set<string>();
  for (const m of matching.matched) {
    if (m.aliasOf === null) continue;
    const key = m.line.title.trim().toLowerCase();
    if (seen.has(`${key}|${m.line.band}`)) continue;
    seen.add(`${key}|${m.line.band}`);
    const before =
      (aliasBefore.get(key, m.line.band) as { roleId: number; mergeId: number | null } | undefined) ?? null;
    setAlias.run(key, m.line.band, m.aliasOf);
    aliases.push({ titleKey: key, band: m.line.band, before });
  }

  const postsBefore = maxId(db, 'post');
  const findPost = db.prepare(
    'SELECT id, establishment_fte_centi AS centi, budget_pence AS budget FROM post WHERE role_id = ? AND service_id = ?',
  );
  const addPost = db.prepare(
    'INSERT INTO post (role_id, service_id, establishment_fte_centi, budget_pence) VALUES (?, ?, ?, ?)',
  );
  const setPost = db.prepare('UPDATE post SET establishment_fte_centi = ?, budget_pence = ? WHERE id = ?');
  const logChange = db.prepare(
    `INSERT INTO import_change (batch_id, entity, entity_id, action, before) VALUES (?, 'post', ?, 'update', ?)`,
  );
  const names = db.prepare('SELECT r.title, s.name FROM role r, service s WHERE r.id = ? AND s.id = ?').raw();
  let changed = 0;
  let unchanged = 0;
  const changes: EstablishmentPreview['changes'] = [];
  for (const t of totals) {
    const rid = roleId(t.role);
    const sid = serviceId(t.service);
    const centi = centiFromWte4(t.wte4);
    const existing = findPost.get(rid, sid) as { id: number; centi: number; budget: number | null } | undefined;
    // Without a budget column (or a budget on any of its lines) a post line keeps the budget it has.
    const budget = budgetMapped && t.budgetPence !== null ? t.budgetPence : (existing?.budget ?? null);
    const [title, service] = names.get(rid, sid) as [string, string];
    const change = {
      role: title,
      band: t.band,
      service,
      lines: t.lines,
      beforeFte: existing ? fromCenti(existing.centi) : null,
      afterFte: fromCenti(centi),
      beforeBudgetPence: existing?.budget ?? null,
      afterBudgetPence: budget,
    };
    if (!existing) {
      addPost.run(rid, sid, centi, budget);
      if (changes.length < MAX_LISTED_ISSUES) changes.push(change);
    } else if (existing.centi === centi && existing.budget === budget) {
      unchanged++;
    } else {
      logChange.run(
        batchId,
        existing.id,
        JSON.stringify({ establishment_fte_centi: existing.centi, budget_pence: existing.budget }),
      );
      setPost.run(centi, budget, existing.id);
      changed++;
      if (changes.length < MAX_LISTED_ISSUES) changes.push(change);
    }
  }
  const created = logInserts(db, batchId, 'post', postsBefore);
  return { counts: { changed, unchanged, created, rolesCreated, servicesCreated }, changes, aliases };
}

function rejectedIssues(report: ReadReport): LineIssue[] {
  const all: LineIssue[] = [];
  for (const issues of report.rejected.values()) all.push(...issues);
  return all.sort((a, b) => a.line - b.line);
}

async function run(
  store: DatabaseStore,
  actor: Actor,
  options: Options,
  commit: CommitOptions | null,
): Promise<EstablishmentPreview | EstablishmentCommit> {
  const db = store.db;
  const upload = getUpload(store, options.uploadId, 'establishment');
  const before = alreadyImported(db, upload.sha256);
  if (commit && before && !before.undoneAt && !commit.importAgain)
    throw new AppError(
      'conflict',
      `${alreadyImportedText(before)} Confirm that you want to import it again. Nothing has been changed.`,
    );
  const profile = options.profileName ? establishmentProfileByName(db, options.profileName) : null;
  const report = await readReport(upload, options.mapping);
  const matching = matchLines(db, report.lines, options, profile);
  const issues = rejectedIssues(report);
  if (commit) {
    if (report.rejected.size > 0 && !commit.acceptRejected) {
      const details: Record<string, string> = {};
      for (const i of issues.slice(0, 10)) details[`line ${count(i.line)}, ${i.column}`] ??= i.message;
      throw new AppError(
        'conflict',
        `${count(report.rejected.size)} line(s) of ${upload.fileName} have problems and cannot be imported. Fix them in the file, or choose to import the other lines without them. Nothing has been changed.`,
        details,
      );
    }
    if (matching.unmatched.length > 0 && !commit.leaveUnmatched) {
      const details: Record<string, string> = {};
      for (const s of matching.unmatchedServices.slice(0, 10))
        details[`line ${count(s.firstLine)}, service`] = `"${s.text}" matches no service (${count(s.lines)} line(s))`;
      for (const r of matching.unmatchedRoles.slice(0, 10))
        details[`line ${count(r.firstLine)}, role`] =
          `"${r.title}" band ${r.band} matches no role (${count(r.lines)} line(s))`;
      throw new AppError(
        'conflict',
        `${count(matching.unmatched.length)} line(s) of ${upload.fileName} match no role or service. Match them (or create the roles and services) in the app, or choose to leave them out. Nothing has been changed.`,
        details,
      );
    }
    if (matching.matched.length === 0)
      throw new AppError('refused', `No line of ${upload.fileName} can be imported. Nothing has been changed.`);
  }
  const asAt = todayIso(actor.now());
  const vacancyBefore = vacancyTotals(db, asAt);
  try {
    const result = db.transaction(() => {
      const batchId = insertBatch(db, actor, upload, report, options);
      const written = write(db, batchId, matching, options.mapping.budget !== null);
      const combined = postTotals(matching).filter((t) => t.lines > 1).length;
      const preview: EstablishmentPreview = {
        linesRead: report.linesRead,
        matched: matching.matched.length,
        unmatched: matching.unmatched.length,
        rejected: report.rejected.size,
        ...written.counts,
        combined,
        rejectedLines: issues.slice(0, MAX_LISTED_ISSUES),
        rejectedIssueCount: issues.length,
        warnings: report.warnings.slice(0, MAX_LISTED_ISSUES),
        warningCount: report.warnings.length,
        unmatchedServices: matching.unmatchedServices.slice(0, MAX_LISTED_ISSUES),
        unmatchedRoles: matching.unmatchedRoles.slice(0, MAX_LISTED_ISSUES),
        changes: written.changes,
        vacancyBefore,
        vacancyAfter: vacancyTotals(db, asAt),
      };
      if (!commit) throw new DryRun(preview);
      db.prepare(
        `UPDATE import_batch SET rows_read = ?, added = ?, updated = ?, unchanged = ?, rejected = ?, excluded = ?,
           roles_added = ?, services_added = ?, options = ? WHERE id = ?`,
      ).run(
        preview.linesRead,
        preview.created,
        preview.changed,
        preview.unchanged,
        preview.rejected,
        preview.unmatched,
        preview.rolesCreated,
        preview.servicesCreated,
        JSON.stringify({
          mapping: options.mapping,
          matched: preview.matched,
          serviceMatches: matching.serviceMatches,
          aliases: written.aliases,
        }),
        batchId,
      );
      if (options.profileName)
        saveEstablishmentProfile(
          db,
          actor,
          options.profileName,
          establishmentColumns(options.mapping, report.headers),
          matching.serviceMatches,
        );
      recordChange(db, actor, {
        entity: 'import batch',
        entityId: batchId,
        action: 'import',
        after: {
          kind: 'establishment',
          fileName: upload.fileName,
          sha256: upload.sha256,
          profile: options.profileName,
          linesRead: preview.linesRead,
          matched: preview.matched,
          changed: preview.changed,
          created: preview.created,
          unmatched: preview.unmatched,
          rejected: preview.rejected,
        },
      });
      db.prepare('UPDATE import_batch SET audit_id = (SELECT max(id) FROM audit) WHERE id = ?').run(batchId);
      return { ...preview, batch: getEstablishmentBatch(db, batchId) };
    })();
    // Imported: the report is not kept. A refused commit keeps it, so that the lead can choose again.
    forgetUpload(store, upload.id);
    return result;
  } catch (error) {
    if (error instanceof DryRun) return error.result;
    throw error;
  }
}

export function previewEstablishment(
  store: DatabaseStore,
  actor: Actor,
  options: Options,
): Promise<EstablishmentPreview> {
  return run(store, actor, options, null);
}

export async function commitEstablishment(
  store: DatabaseStore,
  actor: Actor,
  options: CommitOptions,
): Promise<EstablishmentCommit> {
  return (await run(store, actor, options, options)) as EstablishmentCommit;
}
