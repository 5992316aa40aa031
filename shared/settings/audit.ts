import { z } from 'zod';
import { formatPence } from '../common/money';

/**
 * The audit trail as people read it: filters (area, person, dates), pages of entries where a bulk action (the
 * same user, action and area, written together) is one entry, and each change's before and after in words.
 */

const instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'Use a date and time');

export const auditInputSchema = z.object({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(25),
  /** An area: the kind of thing changed (role mapping, person, tna item...). */
  entity: z.string().trim().min(1).max(60).optional(),
  /** A staff reference as the screens show it (the first characters of the pseudonym). */
  person: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{4,32}$/, 'Enter a staff reference as the screens show it, for example 3FA2C81B')
    .optional(),
  /** From this instant (inclusive) to that one (exclusive); the screens send local midnights. */
  from: instant.optional(),
  to: instant.optional(),
});
export type AuditInput = z.input<typeof auditInputSchema>;

export const auditChangeSchema = z.object({
  field: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type AuditChange = z.infer<typeof auditChangeSchema>;

export const auditRowSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  entityId: z.string().nullable(),
  /** What the row is about, in words: a title, a name or a staff reference, when the row says. */
  subject: z.string().nullable(),
  changes: z.array(auditChangeSchema),
});
export type AuditRow = z.infer<typeof auditRowSchema>;

export const auditGroupSchema = z.object({
  /** The first row's id: stable, so the screens can key on it. */
  id: z.number().int(),
  at: z.string(),
  user: z.string(),
  entity: z.string(),
  action: z.string(),
  count: z.number().int(),
  summary: z.string(),
  /** The group's rows, at most GROUP_ROWS_SHOWN of them; `count` says how many there are. */
  rows: z.array(auditRowSchema),
});
export type AuditGroup = z.infer<typeof auditGroupSchema>;

export const auditPageSchema = z.object({
  /** Entries (groups) matching the filters, across every page. */
  total: z.number().int(),
  /** Audit rows matching the filters. */
  rows: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  entries: z.array(auditGroupSchema),
  /** The areas that have entries, for the filter. */
  areas: z.array(z.object({ entity: z.string(), label: z.string() })),
});
export type AuditPage = z.infer<typeof auditPageSchema>;

export const GROUP_ROWS_SHOWN = 100;

interface AreaWords {
  label: string;
  one: string;
  many: string;
  /** The field a bulk action sets: "25 roles set to intermediate". */
  key?: string;
  /** Verbs for the area where "added", "changed", "removed" would mislead. */
  verbs?: Partial<Record<string, string>>;
}

/** The areas by the names stored in the audit table (electron/services/common/audit.ts), in words. */
const AREAS: Record<string, AreaWords> = {
  organisation: { label: 'Trust', one: 'trust', many: 'trusts' },
  database: { label: 'Database', one: 'database', many: 'databases' },
  'demo trust': { label: 'Demo trust', one: 'demo trust', many: 'demo trusts' },
  service: { label: 'Services', one: 'service', many: 'services' },
  role: { label: 'Roles', one: 'role', many: 'roles' },
  post: { label: 'Establishment', one: 'post line', many: 'post lines' },
  'role merge': { label: 'Role merges', one: 'merge', many: 'merges', verbs: { create: 'done', restore: 'undone' } },
  person: { label: 'Staff', one: 'person', many: 'people' },
  'import batch': { label: 'Staff import', one: 'import', many: 'imports' },
  'import profile': { label: 'Import profiles', one: 'profile', many: 'profiles' },
  'framework version': { label: 'Framework versions', one: 'version', many: 'versions' },
  'role mapping': {
    label: 'Role mapping',
    one: 'role',
    many: 'roles',
    key: 'stage',
    verbs: { create: 'mapped', update: 'remapped', delete: 'unmapped' },
  },
  pathway: { label: 'Career pathways', one: 'pathway', many: 'pathways' },
  qualification: { label: 'Qualifications', one: 'qualification', many: 'qualifications' },
  'tna item': { label: 'Training needs', one: 'training need', many: 'training needs' },
  'tna settings': { label: 'TNA settings', one: 'setting', many: 'settings' },
  'afc pay year': { label: 'Agenda for Change pay', one: 'pay year', many: 'pay years' },
  'funding-stream': { label: 'Funding streams', one: 'stream', many: 'streams' },
  'funding-plan-line': { label: 'Funding plan', one: 'plan line', many: 'plan lines' },
  'funding-category': { label: 'Funding categories', one: 'category', many: 'categories' },
  'funding-ledger-entry': { label: 'Funding ledger', one: 'ledger entry', many: 'ledger entries' },
  'funding-ledger-batch': { label: 'Ledger import', one: 'import', many: 'imports' },
  'funding-ledger-rule': { label: 'Ledger rules', one: 'rule', many: 'rules' },
  'funding-ledger-rules': { label: 'Ledger rules', one: 'rule set', many: 'rule sets' },
  'funding-import-profile': { label: 'Ledger import profiles', one: 'profile', many: 'profiles' },
  'pseudonymisation key': { label: 'Pseudonymisation key', one: 'key', many: 'keys' },
};

export function areaWords(entity: string): AreaWords {
  const known = AREAS[entity];
  if (known) return known;
  const words = entity.replace(/[-_]/g, ' ');
  return { label: words.replace(/^./, (c) => c.toUpperCase()), one: words, many: `${words}s` };
}

const VERBS: Record<string, string> = {
  create: 'added',
  update: 'changed',
  delete: 'removed',
  import: 'imported',
  load: 'loaded',
  restore: 'restored',
  export: 'exported',
};
const verb = (action: string, area?: AreaWords) => area?.verbs?.[action] ?? VERBS[action] ?? action;

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseJson(text: string | null): Json {
  if (text === null) return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/** "onCostPercent" -> "On-cost percent"; "totalPence" -> "Total". */
function fieldLabel(key: string): string {
  const words = key
    .replace(/Pence$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/^on cost/, 'on-cost');
  return words.replace(/^./, (c) => c.toUpperCase());
}

const MAX_TEXT = 300;

/** A value in words: money in pounds, lists joined, yes or no, nested objects as "field: value". */
export function valueText(value: Json, key = ''): string | null {
  if (value === null || value === undefined) return null;
  let text: string;
  if (typeof value === 'number')
    text = /Pence$/.test(key) && Number.isInteger(value) ? formatPence(value) : String(value);
  else if (typeof value === 'boolean') text = value ? 'yes' : 'no';
  else if (typeof value === 'string') text = value;
  else if (Array.isArray(value)) {
    text = value.length === 0 ? 'none' : value.map((v) => valueText(v) ?? '-').join(isObject(value[0]) ? '; ' : ', ');
  } else if (isObject(value)) {
    text = Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      // Inside a money field ("payPence": { "band 3 entry": 2583600 }) every amount is money.
      .map(([k, v]) => `${fieldLabel(k).toLowerCase()}: ${valueText(v, /Pence$/.test(key) ? `${k}Pence` : k)}`)
      .join(', ');
  } else text = String(value);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/** Bookkeeping fields that change with every save and say nothing about what changed. */
const NOISE = new Set(['updatedAt', 'updatedBy', 'createdAt', 'id']);

/** Field by field, what a row changed: only fields that differ (all of them for an addition or a removal). */
export function describeChanges(beforeText: string | null, afterText: string | null): AuditChange[] {
  const before = parseJson(beforeText);
  const after = parseJson(afterText);
  if (!isObject(before) && !isObject(after)) {
    const [b, a] = [valueText(before), valueText(after)];
    return b === null && a === null ? [] : [{ field: 'Value', before: b, after: a }];
  }
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !NOISE.has(k));
  return keys.flatMap((k) => {
    if (JSON.stringify(b[k]) === JSON.stringify(a[k])) return [];
    const [was, now] = [valueText(b[k], k), valueText(a[k], k)];
    return was === null && now === null ? [] : [{ field: fieldLabel(k), before: was, after: now }];
  });
}

/** What a row is about, from its own record: a title, a name, or a staff reference. */
export function subjectOf(beforeText: string | null, afterText: string | null): string | null {
  for (const v of [parseJson(afterText), parseJson(beforeText)]) {
    if (!isObject(v)) continue;
    for (const k of ['title', 'name', 'ref', 'person', 'fileName', 'version']) {
      if (typeof v[k] === 'string' && v[k]) return k === 'person' || k === 'ref' ? `staff ${v[k]}` : (v[k] as string);
    }
  }
  return null;
}

/**
 * One line for an entry: "Role mapping: 25 roles set to intermediate" for a bulk action that set the same value
 * everywhere, "Role mapping: 25 roles changed" otherwise, "Roles: Rehab assistant changed" for one row.
 */
export function summarise(
  entity: string,
  action: string,
  rows: { entityId: string | null; before: string | null; after: string | null; subject?: string | null }[],
  count = rows.length,
): string {
  const area = areaWords(entity);
  if (count === 1 && rows[0]) {
    const r = rows[0];
    const subject = r.subject ?? subjectOf(r.before, r.after) ?? (r.entityId ? `${area.one} ${r.entityId}` : area.one);
    return `${area.label}: ${subject} ${verb(action, area)}`;
  }
  if (area.key && (action === 'update' || action === 'create') && rows.length === count) {
    const values = rows.map((r) => {
      const after = parseJson(r.after);
      return isObject(after) ? JSON.stringify(after[area.key!] ?? null) : 'null';
    });
    if (values.every((v) => v === values[0]) && values[0] !== 'null') {
      return `${area.label}: ${count} ${area.many} set to ${valueText(JSON.parse(values[0]!) as Json)}`;
    }
  }
  return `${area.label}: ${count} ${area.many} ${verb(action, area)}`;
}
