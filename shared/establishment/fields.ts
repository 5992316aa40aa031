import { z } from 'zod';
import { applyColumns, columnsOf, guessColumns, type Mapping } from '../common/columns';

/**
 * The columns of a finance establishment report (one line per funded post or part of one): where the post is
 * (cost centre or service), what job (title and band), its funded WTE and, when finance gives it, its budget.
 */

export const establishmentFieldSchema = z.enum(['costCentre', 'service', 'title', 'band', 'wte', 'budget']);
export type EstablishmentField = z.infer<typeof establishmentFieldSchema>;
export const ESTABLISHMENT_FIELDS = establishmentFieldSchema.options;

export const establishmentFieldLabels: Record<EstablishmentField, string> = {
  costCentre: 'Cost centre',
  service: 'Service',
  title: 'Job title or role',
  band: 'Pay band (Agenda for Change)',
  wte: 'Funded WTE',
  budget: 'Budget (pounds)',
};

export const establishmentMappingSchema = z.record(establishmentFieldSchema, z.number().int().nonnegative().nullable());
export type EstablishmentMapping = Mapping<EstablishmentField>;

const ALIASES: Record<EstablishmentField, readonly string[]> = {
  costCentre: ['Cost Centre', 'Cost Center', 'Cost Centre Code', 'CC', 'Cost Code', 'Budget Code'],
  service: ['Service', 'Department', 'Service Name', 'Cost Centre Name', 'Team', 'Specialty', 'Directorate'],
  title: ['Job Title', 'Role', 'Post Title', 'Position Title', 'Job Role', 'Post', 'Title', 'Position'],
  band: ['Band', 'AfC Band', 'Pay Band', 'Grade', 'Pay Grade'],
  wte: ['Funded WTE', 'Budgeted WTE', 'Establishment WTE', 'WTE', 'FTE', 'Funded FTE', 'Budget WTE', 'Establishment'],
  budget: ['Budget', 'Annual Budget', 'Budget £', 'Funded Budget', 'Budget (£)', 'Pay Budget', 'Amount'],
};

const KEYWORDS: readonly (readonly [EstablishmentField, readonly string[]])[] = [
  ['costCentre', ['cost', 'centre', 'code']],
  ['costCentre', ['cost', 'code']],
  ['service', ['service']],
  ['wte', ['wte']],
  ['wte', ['fte']],
  ['band', ['band']],
  ['band', ['grade']],
  ['title', ['title']],
  ['title', ['role']],
  ['budget', ['budget']],
  ['costCentre', ['cost', 'centre']],
];

export function guessEstablishmentMapping(headers: readonly string[]): EstablishmentMapping {
  return guessColumns(ESTABLISHMENT_FIELDS, ALIASES, KEYWORDS, headers);
}

export const establishmentColumnsSchema = z.partialRecord(establishmentFieldSchema, z.string().min(1).nullable());
export type EstablishmentColumns = z.infer<typeof establishmentColumnsSchema>;

export function applyEstablishmentProfile(
  columns: EstablishmentColumns,
  headers: readonly string[],
): { mapping: EstablishmentMapping; missingHeaders: string[] } {
  return applyColumns(ESTABLISHMENT_FIELDS, columns, headers);
}

export function establishmentColumns(mapping: Partial<EstablishmentMapping>, headers: readonly string[]) {
  return columnsOf(ESTABLISHMENT_FIELDS, mapping, headers);
}

/** Required columns that are not mapped, in plain English: title, band, WTE, and a cost centre or a service. */
export function missingEstablishmentFields(mapping: Partial<Record<EstablishmentField, number | null>>): string[] {
  const has = (f: EstablishmentField) => mapping[f] !== null && mapping[f] !== undefined;
  const missing = (['title', 'band', 'wte'] as const).filter((f) => !has(f)).map((f) => establishmentFieldLabels[f]);
  if (!has('costCentre') && !has('service')) missing.unshift('Cost centre or service (at least one)');
  return missing;
}
