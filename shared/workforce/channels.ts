import { z } from 'zod';
import { channel } from '../common/api';
import { thisYear } from '../common/clock';
import { isoDateSchema } from '../common/periods';
import { bandSchema } from '../common/reference';
import { idResultSchema, idSchema, optionalText, requiredText } from '../common/schemas';

/** Services, roles, staff, the staff list and the headcount/FTE summary: the Workforce area's contract. */

export const HOURS_PER_FTE = 37.5;

const trimmed = requiredText;

export { idSchema, isoDateSchema };

// ---------- services ----------
export const serviceInputSchema = z.object({
  id: idSchema.optional(),
  name: trimmed('service name', 120),
  costCentre: optionalText(40),
});
export const serviceViewSchema = z.object({
  id: idSchema,
  name: z.string(),
  costCentre: z.string().nullable(),
  roleCount: z.number().int(),
});
export type ServiceView = z.infer<typeof serviceViewSchema>;

// ---------- roles ----------
/** FTE is kept as whole hundredths so that sums never drift (1.25 FTE = 125). */
export const fteSchema = z
  .number({ error: 'Enter a number' })
  .min(0, 'FTE cannot be negative')
  .max(10_000, 'FTE is too large')
  .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, 'Use at most 2 decimal places');

export const occupationCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .transform((s) => (s === '' ? null : s))
  .nullable()
  .refine((s) => s === null || /^[A-Z0-9]{3}$/.test(s), 'An occupation code has 3 letters or numbers, e.g. S5E');

/** A job role: what the lead maps to the framework. Its services and establishment are its posts. */
export const roleInputSchema = z.object({
  id: idSchema.optional(),
  title: trimmed('role title', 120),
  band: bandSchema,
  /** The role's main profession: the one most of its staff carry (an import sets it; the lead may change it). */
  profession: z.string().min(1, 'Choose a profession'),
});
export type RoleInput = z.input<typeof roleInputSchema>;
export const roleViewSchema = z.object({
  id: idSchema,
  title: z.string(),
  band: bandSchema,
  profession: z.string(),
  professionName: z.string(),
  /** The occupation code most of its staff carry (what the stage suggestion reads), if any. */
  occupationCode: z.string().nullable(),
  /** Set when its staff carry occupation codes of other professions or role types: say which. */
  mixed: z.string().nullable(),
  serviceCount: z.number().int(),
  serviceIds: z.array(idSchema),
  /** Service names, in order, joined with "; " (shortened past a few). */
  services: z.string(),
  establishmentFte: z.number(),
  inPostFte: z.number(),
  headcount: z.number().int(),
  stage: z.enum(['entry', 'intermediate', 'assistant-practitioner']).nullable(),
  mappingStatus: z.enum(['draft', 'agreed']).nullable(),
  /** Mappings from merged roles waiting for the lead to choose one. */
  conflicts: z.number().int(),
});
export type RoleView = z.infer<typeof roleViewSchema>;

/** A post line: a role in a service, where the establishment (funded WTE, and budget if known) is held. */
export const postInputSchema = z.object({
  roleId: idSchema,
  serviceId: idSchema,
  establishmentFte: fteSchema,
  budgetPence: z.number().int().min(0).nullable().default(null),
});
export const postViewSchema = z.object({
  id: idSchema,
  roleId: idSchema,
  roleTitle: z.string(),
  band: bandSchema,
  serviceId: idSchema,
  serviceName: z.string(),
  establishmentFte: z.number(),
  budgetPence: z.number().int().nullable(),
  inPostFte: z.number(),
  headcount: z.number().int(),
});
export type PostView = z.infer<typeof postViewSchema>;

/** Several post lines set at once (the Roles list's "set establishment"): all saved, or none. */
export const postsSaveInputSchema = z.object({
  lines: z
    .array(
      z.object({
        roleId: idSchema,
        serviceId: idSchema,
        establishmentFte: fteSchema,
        /** Left out: the line keeps the budget it has. */
        budgetPence: z.number().int().min(0).nullable().optional(),
      }),
    )
    .min(1, 'Choose at least one role')
    .max(5000, 'Set at most 5,000 lines at once'),
});
export type PostsSaveInput = z.input<typeof postsSaveInputSchema>;
export const postsSaveResultSchema = z.object({
  /** Lines that were there and changed. */
  updated: z.number().int(),
  /** Lines made because the role was not yet in that service. */
  created: z.number().int(),
});

// ---------- grouping roles (merge, suggestions, mapping conflicts) ----------
export const roleMergeInputSchema = z.object({
  /** The roles to bring into `intoRoleId` (it may be listed too; it is kept). */
  roleIds: z.array(idSchema).min(1, 'Choose the roles to merge').max(5000),
  intoRoleId: idSchema,
  /** A new title for the merged role; blank keeps its title. */
  title: optionalText(120).optional(),
  /**
   * When the roles carry different framework mappings: the role whose mapping the merged role keeps (null = none,
   * the others wait as conflicts to settle). Required when two or more are agreed and differ.
   */
  keepMappingOf: idSchema.nullable().optional(),
  /** Roles of different bands are different jobs under Agenda for Change: merged only when the lead says so. */
  allowDifferentBands: z.boolean().default(false),
});
export type RoleMergeInput = z.input<typeof roleMergeInputSchema>;
export const roleMergeViewSchema = z.object({
  id: idSchema,
  intoRoleId: idSchema,
  intoTitle: z.string(),
  /** The kept role's title before the merge, when the merge renamed it. */
  renamedFrom: z.string().nullable(),
  /** The merged roles as they were: title and band. */
  merged: z.array(z.object({ id: idSchema, title: z.string(), band: bandSchema })),
  at: z.string(),
  user: z.string(),
  undoneAt: z.string().nullable(),
  /** Why undo is not possible now, in plain English; null when it is. */
  undoBlockedBy: z.string().nullable(),
  /** Mappings this merge left for the lead to choose between (see mapping conflicts). */
  conflicts: z.number().int(),
  /** What happened to the mappings, in words. */
  mappingNote: z.string().nullable(),
});
export type RoleMergeView = z.infer<typeof roleMergeViewSchema>;
export const roleSuggestionSchema = z.object({
  /** Roles that look like the same job, the one to keep first (most staff). */
  roleIds: z.array(idSchema),
  titles: z.array(z.string()),
  band: bandSchema,
  /** Why they look the same, in plain English: "same title apart from case and ' - Acute'". */
  reason: z.string(),
  staff: z.number().int(),
  /** Each role of the group, in the order of roleIds: what the lead weighs when choosing the one to keep. */
  members: z.array(
    z.object({
      id: idSchema,
      title: z.string(),
      headcount: z.number().int(),
      services: z.string(),
      stage: z.enum(['entry', 'intermediate', 'assistant-practitioner']).nullable(),
      mappingStatus: z.enum(['draft', 'agreed']).nullable(),
    }),
  ),
});
export type RoleSuggestion = z.infer<typeof roleSuggestionSchema>;
export const mappingConflictSchema = z.object({
  id: idSchema,
  roleId: idSchema,
  roleTitle: z.string(),
  /** Where the candidate came from: the old role's title, band, service and code. */
  source: z.string(),
  stage: z.enum(['entry', 'intermediate', 'assistant-practitioner']).nullable(),
  status: z.enum(['draft', 'agreed']),
  rationale: z.string().nullable(),
  agreedBy: z.string().nullable(),
  agreedAt: z.string().nullable(),
  frameworkVersion: z.string(),
  /** Domains assessed in this candidate. */
  assessedDomains: z.number().int(),
  origin: z.enum(['upgrade', 'merge']),
  createdAt: z.string(),
});
export type MappingConflict = z.infer<typeof mappingConflictSchema>;

// ---------- staff ----------
export const SEX_CODES = ['F', 'M', 'X', 'U'] as const;
export const sexSchema = z.enum(SEX_CODES, { error: 'Choose the sex recorded for this person' });
export const SEX_LABELS: Record<z.infer<typeof sexSchema>, string> = {
  F: 'Female',
  M: 'Male',
  X: 'Other or indeterminate',
  U: 'Not known',
};
export const disabilitySchema = z.enum(['yes', 'no', 'not-declared'], {
  error: 'Choose whether this person has declared a disability',
});
export const DISABILITY_LABELS: Record<z.infer<typeof disabilitySchema>, string> = {
  yes: 'Yes',
  no: 'No',
  'not-declared': 'Not declared',
};

export const hoursSchema = z
  .number({ error: 'Enter the contracted hours a week' })
  .min(0, 'Hours cannot be negative')
  .max(100, 'Hours a week cannot be more than 100')
  .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, 'Use at most 2 decimal places');

export const assignmentInputSchema = z
  .object({
    id: idSchema.optional(),
    roleId: z.number({ error: 'Choose a role' }).int().positive('Choose a role'),
    serviceId: z.number({ error: 'Choose a service' }).int().positive('Choose a service'),
    occupationCode: occupationCodeSchema.optional(),
    contractedHours: hoursSchema,
    startDate: z.string({ error: 'Enter the start date' }).min(1, 'Enter the start date').pipe(isoDateSchema),
    endDate: isoDateSchema.nullable(),
    leavingReason: optionalText(120),
  })
  .refine((a) => a.endDate === null || a.endDate >= a.startDate, {
    message: 'The end date must be on or after the start date',
    path: ['endDate'],
  });

export const personInputSchema = z.object({
  id: idSchema.optional(),
  /** Staff or employee number as typed: pseudonymised by the service, never stored in clear. Blank = none. */
  staffNumber: optionalText(40).optional(),
  yearOfBirth: z
    .number({ error: 'Enter a year' })
    .int('Enter a whole year')
    .min(1930, 'Enter a year after 1930')
    // Against the clock when the form is checked, not when the module loaded (the app may run over New Year).
    .refine((year) => year <= thisYear() - 15, 'Check the year of birth')
    .nullable(),
  sex: sexSchema,
  ethnicCategory: z.string({ error: 'Choose an ethnic category' }).min(1, 'Choose an ethnic category'),
  disability: disabilitySchema,
  assignments: z.array(assignmentInputSchema).min(1, 'Add at least one assignment'),
});
export type PersonInput = z.input<typeof personInputSchema>;

export const assignmentViewSchema = z.object({
  id: idSchema,
  ref: z.string(),
  roleId: idSchema,
  roleTitle: z.string(),
  serviceId: idSchema,
  serviceName: z.string(),
  occupationCode: z.string().nullable(),
  contractedHours: z.number(),
  fte: z.number(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  leavingReason: z.string().nullable(),
});
export const personViewSchema = z.object({
  id: idSchema,
  ref: z.string(),
  yearOfBirth: z.number().int().nullable(),
  sex: sexSchema,
  ethnicCategory: z.string(),
  disability: disabilitySchema,
  assignments: z.array(assignmentViewSchema),
});
export type PersonView = z.infer<typeof personViewSchema>;

export const staffListInputSchema = z.object({
  search: z.string().trim().max(100).default(''),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(200),
});
export const staffListSchema = z.object({ total: z.number().int(), people: z.array(personViewSchema) });

// ---------- summary ----------
export const summaryInputSchema = z.object({ asAt: isoDateSchema.optional() }).default({});
export const summaryRowSchema = z.object({
  profession: z.string(),
  professionName: z.string(),
  band: bandSchema,
  headcount: z.number().int(),
  fte: z.number(),
});
/**
 * What a vacancy figure covers. Vacancy is worked out over the post lines (a role in a service) with an
 * establishment set (a line with none, such as one an import has just created, has nothing to be vacant against),
 * so every vacancy figure says how many lines, and how much of the FTE in post, that is.
 */
export const vacancyCoverageSchema = z.object({
  /** Post lines in scope. */
  roles: z.number().int(),
  /** Of those, lines with an establishment above 0 FTE: the only ones vacancy counts. */
  rolesWithEstablishment: z.number().int(),
  /** FTE in post in the lines with an establishment: what the establishment is measured against. */
  inPostFte: z.number(),
  /** FTE in post in every role in scope. */
  allInPostFte: z.number(),
  /** inPostFte / allInPostFte x 100 to 1 decimal place; null when nobody is in post. */
  percent: z.number().nullable(),
});
export type VacancyCoverage = z.infer<typeof vacancyCoverageSchema>;

/** One line of a vacancy table: a role (all its services), a service (all its roles), or a role in a service. */
export const vacancyLineSchema = z.object({
  id: idSchema,
  title: z.string(),
  /** The service, for a role in a service; how many services, for a role; null for a service. */
  detail: z.string().nullable(),
  establishmentFte: z.number(),
  inPostFte: z.number(),
  /** Establishment minus in post (negative when over establishment); null when the line has no establishment. */
  vacancyFte: z.number().nullable(),
});
export type VacancyLine = z.infer<typeof vacancyLineSchema>;
export const summarySchema = z.object({
  asAt: z.string(),
  headcount: z.number().int(),
  fte: z.number(),
  /** Establishment of every post line (lines with none add 0). */
  establishmentFte: z.number(),
  /** Establishment minus FTE in post in the post lines with an establishment; null when no line has one. */
  vacancyFte: z.number().nullable(),
  vacancyCoverage: vacancyCoverageSchema,
  byProfessionBand: z.array(summaryRowSchema),
  byRole: z.array(vacancyLineSchema),
  byService: z.array(vacancyLineSchema),
  byPost: z.array(vacancyLineSchema),
});
export type Summary = z.infer<typeof summarySchema>;

// ---------- the staff list (sorted ids, then rows while scrolling) ----------
const int = z.number().int();
export const STAFF_SORTS = ['ref', 'role', 'profession', 'band', 'fte', 'started', 'left', 'yearOfBirth'] as const;
export const staffIndexInputSchema = z.object({
  search: z.string().trim().max(100).default(''),
  status: z.enum(['in-post', 'left', 'all']).default('all'),
  profession: z.string().min(1).max(8).nullable().default(null),
  band: bandSchema.nullable().default(null),
  sort: z.enum(STAFF_SORTS).default('ref'),
  direction: z.enum(['asc', 'desc']).default('asc'),
});
export type StaffIndexInput = z.input<typeof staffIndexInputSchema>;
export const staffIndexSchema = z.object({ total: int, ids: z.array(int) });

/** One line of the staff list: small, so that thousands can be fetched while scrolling. */
export const staffRowSchema = z.object({
  id: int,
  ref: z.string(),
  roles: z.string(),
  professions: z.string(),
  bands: z.string(),
  fte: z.number(),
  started: z.string().nullable(),
  left: z.string().nullable(),
  inPost: z.boolean(),
  yearOfBirth: z.number().int().nullable(),
  sex: sexSchema,
  ethnicCategory: z.string(),
  disability: disabilitySchema,
});
export type StaffRow = z.infer<typeof staffRowSchema>;

export const staffRecordSchema = z.object({
  person: personViewSchema,
  imports: z.array(
    z.object({ batchId: int, fileName: z.string(), committedAt: z.string(), action: z.string(), undone: z.boolean() }),
  ),
  qualifications: z.array(
    z.object({
      id: int,
      kind: z.string(),
      title: z.string().nullable(),
      level: z.string().nullable(),
      status: z.string(),
      startDate: z.string().nullable(),
      endDate: z.string().nullable(),
    }),
  ),
});
export type StaffRecord = z.infer<typeof staffRecordSchema>;

export const deleteInputSchema = z.object({ id: idSchema });

/** A staff number typed to find someone: turned into its pseudonym, never stored, logged or echoed back. */
export const personFindInputSchema = z.object({
  number: z
    .string()
    .trim()
    .min(1, 'Type an employee or assignment number')
    .max(40, 'A staff number is at most 40 characters'),
});
export const personFindSchema = z.object({
  personId: idSchema,
  ref: z.string(),
  /** Which kind of number matched: the person's employee number, or one of their assignment numbers. */
  matchedBy: z.enum(['employee', 'assignment']),
});
export type PersonFound = z.infer<typeof personFindSchema>;

export const workforceChannels = {
  'workforce/services': channel(z.object({}), z.array(serviceViewSchema), 'Services and teams'),
  'workforce/service-save': channel(serviceInputSchema, serviceViewSchema, 'Add or change a service'),
  'workforce/service-delete': channel(deleteInputSchema, idResultSchema, 'Delete a service that has no roles'),
  'workforce/roles': channel(z.object({}), z.array(roleViewSchema), 'Local roles with establishment and in-post FTE'),
  'workforce/role-save': channel(roleInputSchema, roleViewSchema, 'Add or change a local role'),
  'workforce/role-delete': channel(deleteInputSchema, idResultSchema, 'Delete a role that has no staff'),
  'workforce/posts': channel(
    z.object({ roleId: idSchema.optional() }),
    z.array(postViewSchema),
    'Post lines (a role in a service) with establishment and in post',
  ),
  'workforce/post-save': channel(postInputSchema, postViewSchema, 'Set the establishment of a role in a service'),
  'workforce/posts-save': channel(
    postsSaveInputSchema,
    postsSaveResultSchema,
    'Set the establishment of several post lines at once, in one transaction',
  ),
  'workforce/post-delete': channel(deleteInputSchema, idResultSchema, 'Remove a post line nobody is assigned to'),
  'workforce/roles-merge': channel(roleMergeInputSchema, roleMergeViewSchema, 'Merge roles into one'),
  'workforce/role-merges': channel(z.object({}), z.array(roleMergeViewSchema), 'Merges made, newest first'),
  'workforce/role-merge-undo': channel(deleteInputSchema, roleMergeViewSchema, 'Undo a merge'),
  'workforce/role-suggestions': channel(
    z.object({}),
    z.array(roleSuggestionSchema),
    'Roles that look like the same job, with the reason',
  ),
  'workforce/mapping-conflicts': channel(
    z.object({ roleId: idSchema.optional() }),
    z.array(mappingConflictSchema),
    'Mappings from merged roles waiting for the lead to choose',
  ),
  'workforce/mapping-conflict-settle': channel(
    z.object({ roleId: idSchema, keep: idSchema.nullable() }),
    idResultSchema,
    "Settle a role's mapping conflict: keep one candidate (or none)",
  ),
  'workforce/staff': channel(staffListInputSchema, staffListSchema, 'Staff with their assignments'),
  'workforce/person': channel(deleteInputSchema, personViewSchema, 'One member of staff'),
  'workforce/person-save': channel(
    personInputSchema,
    personViewSchema,
    'Add or change a member of staff and their assignments',
  ),
  'workforce/person-delete': channel(deleteInputSchema, idResultSchema, 'Remove a member of staff'),
  'workforce/staff-index': channel(
    staffIndexInputSchema,
    staffIndexSchema,
    'The staff list order: every matching person id, sorted',
  ),
  'workforce/staff-rows': channel(
    z.object({ ids: z.array(int).max(1000) }),
    z.array(staffRowSchema),
    'Staff list lines for the given people',
  ),
  'workforce/staff-record': channel(
    z.object({ id: z.number().int().positive() }),
    staffRecordSchema,
    "One person's record: assignments, import history and education",
  ),
  'workforce/person-find': channel(
    personFindInputSchema,
    personFindSchema,
    'Find a member of staff by employee or assignment number (the number is hashed, never kept)',
  ),
  'workforce/summary': channel(summaryInputSchema, summarySchema, 'Headcount, FTE and vacancy by profession and band'),
};

/** FTE from contracted hours, both as exact hundredths: 18.75 h -> 0.5 FTE. */
export function fteFromHoursCenti(hoursCenti: number): number {
  return Math.round(hoursCenti / HOURS_PER_FTE) / 100;
}
/** Establishment FTE not filled, to the hundredth; negative when over establishment. */
export function vacancyFte(establishmentFte: number, inPostFte: number): number {
  return Math.round((establishmentFte - inPostFte) * 100) / 100;
}
export const toCenti = (n: number): number => Math.round(n * 100);
export const fromCenti = (n: number): number => n / 100;
