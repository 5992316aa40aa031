import { z } from 'zod';
import { bandSchema, type Band } from '../common/reference';
import framework2021File from './framework-2021.json';
import imagingOverlayFile from './overlay-imaging.json';

/**
 * The HEE 2021 framework as a versioned data set. Every stage, domain and descriptor says whether it is
 * confirmed from a public source or provisional, so the screens can show the difference and a lead can
 * correct it by importing a new version instead of waiting for a software release.
 */

export const STAGE_IDS = ['entry', 'intermediate', 'assistant-practitioner'] as const;
export const stageIdSchema = z.enum(STAGE_IDS);
export type StageId = z.infer<typeof stageIdSchema>;

export const provenanceSchema = z.enum(['confirmed', 'provisional']);
export type Provenance = z.infer<typeof provenanceSchema>;

const itemIdSchema = z.string().regex(/^\d+\.\d+$/, 'Use an item number like 1.1');

export const stageSchema = z.object({
  id: stageIdSchema,
  name: z.string().min(1),
  localLabel: z.string().min(1),
  /** Guidance only: the framework is explicitly not a banding guide. */
  typicalBand: bandSchema,
  typicalBandProvenance: provenanceSchema,
  supervision: z.string().min(1),
  order: z.number().int().positive(),
});
export type Stage = z.infer<typeof stageSchema>;

export const domainSchema = z.object({
  number: z.number().int().min(1),
  name: z.string().min(1),
  provenance: provenanceSchema,
});
export type Domain = z.infer<typeof domainSchema>;

export const descriptorSchema = z.object({
  domain: z.number().int().min(1),
  item: itemIdSchema,
  title: z.string().min(1).optional(),
  stage: stageIdSchema,
  /** True when the lead marked the item "n/a" for this stage; the text is then "n/a". */
  notApplicable: z.boolean().default(false),
  text: z.string().trim().min(1),
  provenance: provenanceSchema,
  source: z.string().min(1),
});
export type Descriptor = z.infer<typeof descriptorSchema>;

export const frameworkVersionSchema = z.object({
  id: z.string().min(1),
  version: z.string().min(1),
  title: z.string().min(1),
  source: z.string().min(1),
  stages: z.array(stageSchema).length(STAGE_IDS.length),
  domains: z.array(domainSchema).min(1),
  descriptors: z.array(descriptorSchema),
});
export type FrameworkVersion = z.infer<typeof frameworkVersionSchema>;

export const overlayRoleSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  stage: stageIdSchema.nullable(),
  typicalBand: bandSchema.nullable(),
  provenance: provenanceSchema,
});
export type OverlayRole = z.infer<typeof overlayRoleSchema>;

/** A profession overlay (SoR imaging, BDA dietetics, RCSLT) in the same shape as the framework itself. */
export const overlaySchema = z.object({
  id: z.string().min(1),
  version: z.string().min(1),
  title: z.string().min(1),
  profession: z.string().min(1),
  provenance: provenanceSchema,
  source: z.string().min(1),
  baseFramework: z.string().min(1),
  roles: z.array(overlayRoleSchema).min(1),
  descriptors: z.array(descriptorSchema),
});
export type Overlay = z.infer<typeof overlaySchema>;

function descriptorKey(d: { item: string; stage: string }): string {
  return `${d.item}/${d.stage}`;
}

/** Cross-record rules zod cannot express alone; returns plain-English problems. */
function integrityProblems(domains: Domain[], descriptors: Descriptor[]): string[] {
  const problems: string[] = [];
  const domainNumbers = new Set(domains.map((d) => d.number));
  if (domainNumbers.size !== domains.length) problems.push('A domain number is repeated.');
  const seen = new Set<string>();
  for (const d of descriptors) {
    if (!domainNumbers.has(d.domain))
      problems.push(`Descriptor ${d.item} (${d.stage}) names unknown domain ${d.domain}.`);
    if (!d.item.startsWith(`${d.domain}.`)) problems.push(`Item ${d.item} does not belong to domain ${d.domain}.`);
    const key = descriptorKey(d);
    if (seen.has(key)) problems.push(`Item ${d.item} is given twice for stage ${d.stage}.`);
    seen.add(key);
  }
  return problems;
}

/** Validates a framework version at load; throws with every problem listed. */
export function loadFramework(raw: unknown): FrameworkVersion {
  const framework = frameworkVersionSchema.parse(raw);
  const problems = integrityProblems(framework.domains, framework.descriptors);
  const stageIds = new Set(framework.stages.map((s) => s.id));
  if (stageIds.size !== STAGE_IDS.length) problems.push('Each of the three stages must appear exactly once.');
  if (problems.length) throw new Error(`Framework ${framework.version} is not valid:\n${problems.join('\n')}`);
  return { ...framework, stages: [...framework.stages].sort((a, b) => a.order - b.order) };
}

export function loadOverlay(raw: unknown): Overlay {
  const overlay = overlaySchema.parse(raw);
  const domains = [...new Set(overlay.descriptors.map((d) => d.domain))].map((number) => ({
    number,
    name: String(number),
    provenance: 'provisional' as const,
  }));
  const problems = integrityProblems(domains, overlay.descriptors);
  if (new Set(overlay.roles.map((r) => r.id)).size !== overlay.roles.length) problems.push('A role id is repeated.');
  if (problems.length) throw new Error(`Overlay ${overlay.version} is not valid:\n${problems.join('\n')}`);
  return overlay;
}

export const framework2021 = loadFramework(framework2021File);
export const imagingOverlay = loadOverlay(imagingOverlayFile);

/** Domains with no descriptor text in this version: in the shipped one, domains 2 to 8. */
export function domainsWithoutDescriptors(framework: FrameworkVersion): number[] {
  const described = new Set(framework.descriptors.map((d) => d.domain));
  return framework.domains.map((d) => d.number).filter((n) => !described.has(n));
}

export function stageById(framework: FrameworkVersion, id: StageId): Stage {
  const stage = framework.stages.find((s) => s.id === id);
  if (!stage) throw new Error(`Framework ${framework.version} has no stage ${id}`);
  return stage;
}

export function typicalBandFor(framework: FrameworkVersion, id: StageId): Band {
  return stageById(framework, id).typicalBand;
}

/* ---------- Descriptor import: table rows -> new framework version ---------- */

export const DESCRIPTOR_TEMPLATE_HEADER = ['domain', 'item', 'stage', 'text'] as const;

export const descriptorRowSchema = z.object({
  domain: z.union([z.string(), z.number()]),
  item: z.string(),
  stage: z.string(),
  text: z.string(),
  /** Spreadsheet row number for messages; defaults to index + 2 (row 1 is the header). */
  row: z.number().int().positive().optional(),
});
export type DescriptorRow = z.infer<typeof descriptorRowSchema>;

export interface DescriptorProblem {
  /** Spreadsheet row numbers the problem refers to (header is row 1). */
  rows: number[];
  message: string;
}

export type DescriptorImportResult =
  | { ok: true; framework: FrameworkVersion; importedItems: string[]; skippedBlankItems: string[] }
  | { ok: false; problems: DescriptorProblem[] };

export interface DescriptorImportOptions {
  /** New version label; default bumps the last number of the base version (hee-2021.1 -> hee-2021.2). */
  version?: string;
  source?: string;
  provenance?: Provenance;
  /** 'merge' (default) replaces only the items in the table; 'replace' drops every item not in it. */
  mode?: 'merge' | 'replace';
}

const NOT_APPLICABLE = /^(n\/?a|not applicable)$/i;

export function bumpVersion(version: string): string {
  const m = /^(.*?)(\d+)$/.exec(version);
  return m ? `${m[1]}${Number(m[2]) + 1}` : `${version}.1`;
}

/**
 * Accepts a stage id, its name, its short name ("Entry"), or its career framework level, written out
 * ("Career framework level 2") or short, as teams write it ("Level 2").
 */
export function parseStage(framework: FrameworkVersion, raw: string): StageId | null {
  const wanted = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!wanted) return null;
  for (const s of framework.stages) {
    const shortName = s.name.replace(/\s*\(.*\)\s*$/, '').toLowerCase();
    const local = s.localLabel.toLowerCase().replace(/^career framework /, '');
    const names = [s.id, s.name.toLowerCase(), shortName, local, `career framework ${local}`, s.id.replace(/-/g, ' ')];
    if (names.includes(wanted)) return s.id;
  }
  return null;
}

/**
 * Checks a descriptor table (from the CSV/XLSX template) against a base version. Rules:
 * every item must have a row for all three stages; a stage that does not apply is written "n/a" (or
 * "not applicable"), never left out, so a forgotten row cannot pass as "not applicable". An item whose
 * rows are all blank is a template placeholder the lead did not fill: it is skipped, not an error.
 */
export function validateDescriptorTable(
  rows: DescriptorRow[],
  base: FrameworkVersion,
  options: DescriptorImportOptions = {},
): DescriptorImportResult {
  const problems: DescriptorProblem[] = [];
  const domainNumbers = new Set(base.domains.map((d) => d.number));
  const byItem = new Map<string, { domain: number; rows: { row: number; stage: StageId; text: string }[] }>();
  const firstRowOf = new Map<string, number>();

  rows.forEach((raw, index) => {
    const row = raw.row ?? index + 2;
    const domainText = String(raw.domain).trim();
    const item = raw.item.trim();
    const text = raw.text.trim();
    const domain = /^\d+$/.test(domainText) ? Number(domainText) : NaN;
    let bad = false;
    if (!domainNumbers.has(domain)) {
      problems.push({ rows: [row], message: `Domain "${domainText}" is not one of the framework's domains.` });
      bad = true;
    }
    if (!/^\d+\.\d+$/.test(item)) {
      problems.push({ rows: [row], message: `Item "${item}" should be a number like ${domainText || '1'}.1.` });
      bad = true;
    } else if (!bad && !item.startsWith(`${domain}.`)) {
      problems.push({ rows: [row], message: `Item ${item} does not belong to domain ${domain}.` });
      bad = true;
    }
    const stage = parseStage(base, raw.stage);
    if (!stage) {
      problems.push({
        rows: [row],
        message: `Stage "${raw.stage.trim()}" is not entry, intermediate or assistant-practitioner.`,
      });
      bad = true;
    }
    if (bad || !stage) return;
    const key = `${item}/${stage}`;
    const earlier = firstRowOf.get(key);
    if (earlier !== undefined) {
      problems.push({ rows: [earlier, row], message: `Item ${item} appears more than once for stage ${stage}.` });
      return;
    }
    firstRowOf.set(key, row);
    const entry = byItem.get(item) ?? { domain, rows: [] };
    entry.rows.push({ row, stage, text });
    byItem.set(item, entry);
  });

  const skippedBlankItems: string[] = [];
  const descriptors: Descriptor[] = [];
  const titles = new Map(base.descriptors.filter((d) => d.title).map((d) => [d.item, d.title]));
  for (const [item, entry] of byItem) {
    if (entry.rows.every((r) => r.text === '')) {
      skippedBlankItems.push(item);
      continue;
    }
    for (const r of entry.rows) {
      if (r.text === '')
        problems.push({
          rows: [r.row],
          message: `Item ${item}, stage ${r.stage}: the text is empty (write n/a if it does not apply).`,
        });
    }
    const covered = new Set(entry.rows.map((r) => r.stage));
    const missing = STAGE_IDS.filter((s) => !covered.has(s));
    if (missing.length) {
      problems.push({
        rows: entry.rows.map((r) => r.row),
        message: `Item ${item} has no row for ${missing.join(', ')}: add the text, or n/a if it does not apply.`,
      });
    }
    for (const r of entry.rows) {
      const notApplicable = NOT_APPLICABLE.test(r.text);
      const title = titles.get(item);
      descriptors.push({
        domain: entry.domain,
        item,
        ...(title ? { title } : {}),
        stage: r.stage,
        notApplicable,
        text: notApplicable ? 'n/a' : r.text,
        provenance: options.provenance ?? 'confirmed',
        source: options.source ?? `Descriptor table imported over ${base.version}`,
      });
    }
  }
  if (problems.length) {
    problems.sort((a, b) => (a.rows[0] ?? 0) - (b.rows[0] ?? 0));
    return { ok: false, problems };
  }

  const importedItems = [...new Set(descriptors.map((d) => d.item))];
  const replaced = new Set(importedItems);
  const kept = options.mode === 'replace' ? [] : base.descriptors.filter((d) => !replaced.has(d.item));
  const framework = loadFramework({
    ...base,
    version: options.version ?? bumpVersion(base.version),
    descriptors: sortDescriptors([...kept, ...descriptors]),
  });
  return { ok: true, framework, importedItems, skippedBlankItems };
}

function compareItems(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number);
  const [b1 = 0, b2 = 0] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
}

function sortDescriptors(descriptors: Descriptor[]): Descriptor[] {
  return [...descriptors].sort(
    (a, b) => compareItems(a.item, b.item) || STAGE_IDS.indexOf(a.stage) - STAGE_IDS.indexOf(b.stage),
  );
}

export interface FrameworkDiff {
  from: string;
  to: string;
  added: Descriptor[];
  removed: Descriptor[];
  changed: { before: Descriptor; after: Descriptor; fields: ('text' | 'notApplicable' | 'provenance' | 'title')[] }[];
  domainsChanged: { number: number; before: Domain | null; after: Domain | null }[];
}

/** What a new version changes, for the lead to review before making it current. Source text is not compared. */
export function diffFrameworks(a: FrameworkVersion, b: FrameworkVersion): FrameworkDiff {
  const before = new Map(a.descriptors.map((d) => [descriptorKey(d), d]));
  const after = new Map(b.descriptors.map((d) => [descriptorKey(d), d]));
  const added: Descriptor[] = [];
  const removed: Descriptor[] = [];
  const changed: FrameworkDiff['changed'] = [];
  for (const [key, next] of after) {
    const prev = before.get(key);
    if (!prev) {
      added.push(next);
      continue;
    }
    const fields = (['text', 'notApplicable', 'provenance', 'title'] as const).filter((f) => prev[f] !== next[f]);
    if (fields.length) changed.push({ before: prev, after: next, fields });
  }
  for (const [key, prev] of before) if (!after.has(key)) removed.push(prev);

  const domainsBefore = new Map(a.domains.map((d) => [d.number, d]));
  const domainsAfter = new Map(b.domains.map((d) => [d.number, d]));
  const domainsChanged: FrameworkDiff['domainsChanged'] = [];
  for (const number of [...new Set([...domainsBefore.keys(), ...domainsAfter.keys()])].sort((x, y) => x - y)) {
    const x = domainsBefore.get(number) ?? null;
    const y = domainsAfter.get(number) ?? null;
    if (x?.name !== y?.name || x?.provenance !== y?.provenance) domainsChanged.push({ number, before: x, after: y });
  }
  return {
    from: a.version,
    to: b.version,
    added: sortDescriptors(added),
    removed: sortDescriptors(removed),
    changed,
    domainsChanged,
  };
}

export interface TemplateRow {
  domain: string;
  item: string;
  stage: StageId;
  text: string;
}

/**
 * Rows for the exportable template, in DESCRIPTOR_TEMPLATE_HEADER order: every descriptor the version
 * has, then a blank placeholder item (N.1, all three stages) for each domain that has none yet.
 * Exporters must still neutralise formula-like text (CSV injection) at the edge.
 */
export function descriptorTemplateRows(framework: FrameworkVersion): TemplateRow[] {
  const rows: TemplateRow[] = [];
  const sorted = sortDescriptors(framework.descriptors);
  for (const domain of [...framework.domains].sort((x, y) => x.number - y.number)) {
    const own = sorted.filter((d) => d.domain === domain.number);
    if (own.length) {
      for (const d of own) rows.push({ domain: String(d.domain), item: d.item, stage: d.stage, text: d.text });
    } else {
      for (const stage of STAGE_IDS)
        rows.push({ domain: String(domain.number), item: `${domain.number}.1`, stage, text: '' });
    }
  }
  return rows;
}
