import { z } from 'zod';
import professionsFile from './professions.json';
import occupationCodesFile from './occupation-codes.json';
import ethnicCategoriesFile from './ethnic-categories.json';
import afcPayFile from './afc-pay.json';
import { financialYearOf, financialYearRange, financialYearSchema } from '../periods';

/** Reference data ships as versioned JSON files; each is validated here, once, when first imported. */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date in the form YYYY-MM-DD');

export const BAND_CODES = ['1', '2', '3', '4', '5', '6', '7', '8a', '8b', '8c', '8d', '9'] as const;
export const bandSchema = z.enum(BAND_CODES);
export type Band = z.infer<typeof bandSchema>;

export const professionSchema = z.object({ code: z.string().min(1).max(8), name: z.string().min(1) });
export type Profession = z.infer<typeof professionSchema>;

const datasetHeader = { dataset: z.string(), version: z.string().min(1), source: z.string().min(1) };

export const professionsDatasetSchema = z.object({ ...datasetHeader, items: z.array(professionSchema).min(1) });

export const supportRoleSchema = z.enum([
  'assistant-practitioner',
  'assistant',
  'student-trainee',
  'healthcare-assistant',
  'support-worker',
]);
export type SupportRole = z.infer<typeof supportRoleSchema>;

export const occupationCodesDatasetSchema = z.object({
  ...datasetHeader,
  groups: z.array(z.object({ prefix: z.string().length(2), supportRole: supportRoleSchema, label: z.string() })),
  areas: z.array(
    z.object({
      groups: z.array(z.string().length(2)).min(1),
      area: z.string().length(1),
      profession: z.string().nullable(),
      professionChoices: z.array(z.string()).optional(),
      label: z.string(),
    }),
  ),
});

export const ethnicCategorySchema = z.object({
  code: z.string().min(1).max(2),
  name: z.string(),
  group: z.string(),
  /** null for "not stated" and "not known": they are neither BME nor white. */
  bme: z.boolean().nullable(),
});
export type EthnicCategory = z.infer<typeof ethnicCategorySchema>;
export const ethnicCategoriesDatasetSchema = z.object({
  ...datasetHeader,
  items: z.array(ethnicCategorySchema).min(1),
});

export const payPointSchema = z.object({
  effectiveFrom: isoDate,
  band: bandSchema,
  step: z.string().min(1),
  annualPence: z.number().int().positive(),
});
export type PayPoint = z.infer<typeof payPointSchema>;

/** One pay year's Agenda for Change table: in force from 1 April of the year until the next year's table. */
export const payYearSchema = z
  .object({
    year: financialYearSchema,
    effectiveFrom: isoDate,
    provenance: z.enum(['confirmed', 'provisional']),
    source: z.string().min(1),
    payPoints: z.array(payPointSchema.omit({ effectiveFrom: true })).min(1),
  })
  .refine((y) => y.effectiveFrom === financialYearRange(y.year).from, {
    message: 'A pay year takes effect on 1 April of its first year',
    path: ['effectiveFrom'],
  });
export type PayYear = z.infer<typeof payYearSchema>;
export const afcPayDatasetSchema = z.object({ ...datasetHeader, years: z.array(payYearSchema).min(1) });

function unique<T>(items: T[], key: (t: T) => string, what: string): T[] {
  const seen = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) throw new Error(`Reference data ${what} repeats ${k}`);
    seen.add(k);
  }
  return items;
}

export const professions = professionsDatasetSchema.parse(professionsFile);
unique(professions.items, (p) => p.code, 'professions');
export const occupationCodes = occupationCodesDatasetSchema.parse(occupationCodesFile);
export const ethnicCategories = ethnicCategoriesDatasetSchema.parse(ethnicCategoriesFile);
unique(ethnicCategories.items, (e) => e.code, 'ethnic categories');
const afcPayFileParsed = afcPayDatasetSchema.parse(afcPayFile);
unique(afcPayFileParsed.years, (y) => y.year, 'AfC pay years');
/** The shipped pay tables, by year, and every pay point with the date it takes effect. */
export const afcPay = {
  ...afcPayFileParsed,
  payPoints: afcPayFileParsed.years.flatMap((y) => y.payPoints.map((p) => ({ effectiveFrom: y.effectiveFrom, ...p }))),
};
unique(afcPay.payPoints, (p) => `${p.effectiveFrom}/${p.band}/${p.step}`, 'AfC pay points');

export const referenceDatasets = [professions, occupationCodes, ethnicCategories, afcPay].map((d) => ({
  dataset: d.dataset,
  version: d.version,
  source: d.source,
}));

export interface OccupationCodeMeaning {
  code: string;
  supportRole: SupportRole;
  supportRoleLabel: string;
  /** Profession code, or null when the area covers several professions (art, music and drama therapy). */
  profession: string | null;
  professionChoices: string[];
  areaLabel: string;
}

/** What an NHS occupation code says about a support role; null when it is not an AHP support code. */
export function describeOccupationCode(raw: string): OccupationCodeMeaning | null {
  const code = raw.trim().toUpperCase();
  if (!/^[A-Z0-9]{3}$/.test(code)) return null;
  const prefix = code.slice(0, 2);
  const group = occupationCodes.groups.find((g) => g.prefix === prefix);
  if (!group) return null;
  const area = occupationCodes.areas.find((a) => a.area === code[2] && a.groups.includes(prefix));
  if (!area) return null;
  return {
    code,
    supportRole: group.supportRole,
    supportRoleLabel: group.label,
    profession: area.profession,
    professionChoices: area.professionChoices ?? (area.profession ? [area.profession] : []),
    areaLabel: area.label,
  };
}

/** The pay point in force on a date: the latest effectiveFrom on or before it. */
export function payPointOn(
  date: string,
  band: Band,
  step: string,
  points: PayPoint[] = afcPay.payPoints,
): PayPoint | null {
  let best: PayPoint | null = null;
  for (const p of points) {
    if (p.band !== band || p.step !== step || p.effectiveFrom > date) continue;
    if (!best || p.effectiveFrom > best.effectiveFrom) best = p;
  }
  return best;
}

/**
 * What to tell the user when a date's pay year has no table and an earlier year's is used:
 * "2025/26 pay used for 2026/27: no later pay scale entered". Null when the date's own year is used.
 */
export function payYearNote(date: string, point: Pick<PayPoint, 'effectiveFrom'>): string | null {
  const wanted = financialYearOf(date);
  const used = financialYearOf(point.effectiveFrom);
  return used === wanted ? null : `${used} pay used for ${wanted}: no later pay scale entered`;
}

/** The bands that have pay points, in band order: the only ones backfill can be costed at. */
export function bandsWithPay(points: Pick<PayPoint, 'band'>[] = afcPay.payPoints): Band[] {
  const present = new Set(points.map((p) => p.band));
  return BAND_CODES.filter((b) => present.has(b));
}

export function professionName(code: string): string {
  return professions.items.find((p) => p.code === code)?.name ?? code;
}
