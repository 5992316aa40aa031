import type { z } from 'zod';
import type { FileData } from '../../../shared/common/api';
import type {
  FrameworkOverview,
  ImportPreview,
  VersionInfo,
  adoptInputSchema,
  importInputSchema,
} from '../../../shared/framework/channels';
import {
  DESCRIPTOR_TEMPLATE_HEADER,
  descriptorTemplateRows,
  diffFrameworks,
  framework2021,
  imagingOverlay,
  loadFramework,
  validateDescriptorTable,
  type DescriptorRow,
  type FrameworkVersion,
} from '../../../shared/framework/index';
import type { DB } from '../../db/connection';
import type { DatabaseStore } from '../../db/store';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { CSV_MIME, toCsv, toXlsx, XLSX_MIME, type Sheet } from '../common/export-table';
import { openExtract, ExtractError } from '../common/file-reader';
import { forgetUpload, getUpload, type ReceivedUpload } from '../common/uploads';

interface VersionRow {
  version: string;
  framework_id: string;
  title: string;
  data: string;
  status: 'current' | 'retired';
  origin: string;
  adopted_at: string;
  adopted_by: string;
  retired_at: string | null;
}

const ensured = new WeakSet<DB>();

/**
 * The shipped framework goes into the database the first time the framework is used, as version
 * hee-2021.1 (current). Afterwards versions only change when a lead adopts an imported one.
 */
export function ensureFramework(db: DB): void {
  if (ensured.has(db)) return;
  db.transaction(() => {
    const any = db.prepare('SELECT 1 FROM framework_version LIMIT 1').get();
    if (!any) {
      const at = new Date();
      db.prepare(
        `INSERT INTO framework_version (version, framework_id, title, data, status, origin, adopted_at, adopted_by) VALUES (?, ?, ?, ?, 'current', 'shipped with the app', ?, 'app')`,
      ).run(
        framework2021.version,
        framework2021.id,
        framework2021.title,
        JSON.stringify(framework2021),
        at.toISOString(),
      );
      recordChange(
        db,
        { user: 'app', now: () => at },
        {
          entity: 'framework version',
          entityId: framework2021.version,
          action: 'load',
          after: { version: framework2021.version },
        },
      );
    }
  })();
  ensured.add(db);
}

const parsed = new Map<string, FrameworkVersion>();
function parseVersion(row: Pick<VersionRow, 'version' | 'data'>): FrameworkVersion {
  // Stored versions never change, so each (version, data) pair is validated once per process.
  const key = `${row.version}\u0000${row.data.length}\u0000${row.data.slice(-64)}`;
  let framework = parsed.get(key);
  if (!framework) {
    framework = loadFramework(JSON.parse(row.data));
    parsed.set(key, framework);
  }
  return framework;
}

export function currentFramework(db: DB): FrameworkVersion {
  ensureFramework(db);
  const row = db.prepare(`SELECT version, data FROM framework_version WHERE status = 'current'`).get() as
    VersionRow | undefined;
  if (!row) throw new AppError('internal', 'No framework version is marked as current.');
  return parseVersion(row);
}

export function frameworkVersion(db: DB, version: string): FrameworkVersion {
  ensureFramework(db);
  const row = db.prepare('SELECT version, data FROM framework_version WHERE version = ?').get(version) as
    VersionRow | undefined;
  if (!row) throw new AppError('not-found', `There is no framework version ${version}.`);
  return parseVersion(row);
}

export function retiredVersions(db: DB): Set<string> {
  ensureFramework(db);
  return new Set(
    db.prepare(`SELECT version FROM framework_version WHERE status = 'retired'`).pluck().all() as string[],
  );
}

function versionInfo(db: DB, row: VersionRow): VersionInfo {
  const framework = parseVersion(row);
  const mappings = db
    .prepare('SELECT count(*) FROM role_mapping WHERE framework_version = ?')
    .pluck()
    .get(row.version) as number;
  return {
    version: row.version,
    frameworkId: row.framework_id,
    title: row.title,
    status: row.status,
    origin: row.origin,
    adoptedAt: row.adopted_at,
    adoptedBy: row.adopted_by,
    retiredAt: row.retired_at,
    descriptorCount: framework.descriptors.length,
    provisionalCount:
      framework.descriptors.filter((d) => d.provenance === 'provisional').length +
      framework.domains.filter((d) => d.provenance === 'provisional').length,
    mappingCount: mappings,
  };
}

export function frameworkOverview(db: DB): FrameworkOverview {
  ensureFramework(db);
  const rows = db.prepare('SELECT * FROM framework_version ORDER BY rowid DESC').all() as VersionRow[];
  return { current: currentFramework(db), versions: rows.map((r) => versionInfo(db, r)), overlays: [imagingOverlay] };
}

export async function descriptorTemplate(db: DB, actor: Actor, format: 'xlsx' | 'csv'): Promise<FileData> {
  const framework = currentFramework(db);
  const sheet: Sheet = {
    name: 'Descriptors',
    columns: [
      { header: DESCRIPTOR_TEMPLATE_HEADER[0], type: 'integer', width: 8 },
      { header: DESCRIPTOR_TEMPLATE_HEADER[1], type: 'text', width: 8 },
      { header: DESCRIPTOR_TEMPLATE_HEADER[2], type: 'text', width: 24 },
      { header: DESCRIPTOR_TEMPLATE_HEADER[3], type: 'text', width: 100 },
    ],
    rows: descriptorTemplateRows(framework).map((r) => [Number(r.domain), r.item, r.stage, r.text]),
  };
  const base = `framework-descriptors-${framework.version}`;
  if (format === 'csv') return { fileName: `${base}.csv`, mimeType: CSV_MIME, base64: toCsv(sheet).toString('base64') };
  const bytes = await toXlsx([sheet], { creator: actor.user, created: actor.now() });
  return { fileName: `${base}.xlsx`, mimeType: XLSX_MIME, base64: bytes.toString('base64') };
}

/** Reads an uploaded template (CSV or XLSX, any of the usual encodings) into rows with their line numbers. */
export async function readDescriptorFile(upload: ReceivedUpload): Promise<DescriptorRow[]> {
  let extract;
  try {
    extract = await openExtract(upload.path);
  } catch (err) {
    if (err instanceof ExtractError)
      throw new AppError('invalid-input', `${upload.fileName}: ${err.message} Nothing was changed.`);
    throw err;
  }
  const index = Object.fromEntries(
    DESCRIPTOR_TEMPLATE_HEADER.map((h) => [h, extract.headers.findIndex((x) => x.trim().toLowerCase() === h)]),
  );
  const absent = DESCRIPTOR_TEMPLATE_HEADER.filter((h) => index[h] === -1);
  if (absent.length) {
    extract.close();
    throw new AppError(
      'invalid-input',
      `${upload.fileName} needs the columns domain, item, stage and text (row ${extract.headerLine}); ${absent.join(', ')} ${absent.length === 1 ? 'is' : 'are'} missing. Nothing was changed.`,
    );
  }
  const text = (v: unknown): string =>
    v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
  const rows: DescriptorRow[] = [];
  for await (const record of extract.records) {
    const cell = (h: (typeof DESCRIPTOR_TEMPLATE_HEADER)[number]) => text(record.cells[index[h]!]);
    rows.push({
      row: record.line,
      domain: cell('domain').trim(),
      item: cell('item'),
      stage: cell('stage'),
      text: cell('text'),
    });
    if (rows.length > 20_000)
      throw new AppError(
        'invalid-input',
        `${upload.fileName} has more than 20,000 rows: this is not a descriptor template.`,
      );
  }
  return rows;
}

type ImportInput = z.output<typeof importInputSchema>;

async function checkImport(db: DB, input: ImportInput, upload: ReceivedUpload) {
  const base = currentFramework(db);
  const rows = await readDescriptorFile(upload);
  const result = validateDescriptorTable(rows, base, {
    mode: input.mode,
    ...(input.version ? { version: input.version } : {}),
    source: `Imported from ${upload.fileName}`,
  });
  if (result.ok) {
    const clash = db.prepare('SELECT 1 FROM framework_version WHERE version = ?').get(result.framework.version);
    if (clash) {
      return {
        base,
        result: {
          ok: false as const,
          problems: [
            {
              rows: [],
              message: `Version ${result.framework.version} already exists: give the new version another label.`,
            },
          ],
        },
      };
    }
  }
  return { base, result };
}

/** Reads and checks the file and shows what it would change. Writes nothing. */
export async function previewImport(store: DatabaseStore, input: ImportInput): Promise<ImportPreview> {
  const { base, result } = await checkImport(store.db, input, getUpload(store, input.uploadId, 'descriptors'));
  if (!result.ok) return { ok: false, base: base.version, problems: result.problems };
  const diff = diffFrameworks(base, result.framework);
  return {
    ok: true,
    base: base.version,
    newVersion: result.framework.version,
    importedItems: result.importedItems,
    skippedBlankItems: result.skippedBlankItems,
    added: diff.added,
    removed: diff.removed,
    changed: diff.changed,
    domainsChanged: diff.domainsChanged,
  };
}

/**
 * Adopts the checked file as the new current version; the previous one is retired. Mappings keep the version
 * they were made against (flagged as retired on screen) until a lead saves them again.
 */
export async function adoptImport(
  store: DatabaseStore,
  actor: Actor,
  input: z.output<typeof adoptInputSchema>,
): Promise<VersionInfo> {
  const upload = getUpload(store, input.uploadId, 'descriptors');
  const db = store.db;
  const { base, result } = await checkImport(db, input, upload);
  if (!result.ok) {
    const details: Record<string, string> = {};
    for (const p of result.problems) {
      const key = p.rows.length ? `Row ${p.rows.join(', ')}` : 'File';
      details[key] = details[key] ? `${details[key]} ${p.message}` : p.message;
    }
    throw new AppError(
      'invalid-input',
      `${upload.fileName} has ${result.problems.length} problem(s). Nothing was changed.`,
      details,
    );
  }
  if (base.version !== input.base) {
    throw new AppError(
      'conflict',
      `The framework changed to ${base.version} since you checked the file against ${input.base}. Check it again.`,
    );
  }
  const framework = result.framework;
  const adopted = db.transaction(() => {
    const now = actor.now().toISOString();
    db.prepare(`UPDATE framework_version SET status = 'retired', retired_at = ? WHERE status = 'current'`).run(now);
    db.prepare(
      `INSERT INTO framework_version (version, framework_id, title, data, status, origin, adopted_at, adopted_by) VALUES (?, ?, ?, ?, 'current', ?, ?, ?)`,
    ).run(
      framework.version,
      framework.id,
      framework.title,
      JSON.stringify(framework),
      `Imported from ${upload.fileName} over ${base.version} (${input.mode})`,
      now,
      actor.user,
    );
    recordChange(db, actor, {
      entity: 'framework version',
      entityId: framework.version,
      action: 'import',
      before: { current: base.version },
      after: { current: framework.version, file: upload.fileName, mode: input.mode, items: result.importedItems },
    });
    const row = db.prepare('SELECT * FROM framework_version WHERE version = ?').get(framework.version) as VersionRow;
    return versionInfo(db, row);
  })();
  forgetUpload(store, upload.id);
  return adopted;
}
