import { z } from 'zod';
import { channel, fileSchema } from '../common/api';
import { financialYearSchema, isoDateSchema } from '../common/periods';
import { idSchema, requiredText, textOrBlank } from '../common/schemas';
import { requirementCodeSchema } from '../funding/streams';

/**
 * A return: what the trust tells its ICS AHP faculty and HEE about its support workforce for one period (issue 12).
 * Its figures are tables of cells (one CSV row a cell), each cell with its disclosure status; sections A (about),
 * G's checklist and H (readiness, typed by the lead) are text. Nothing in a return is about a single person.
 */

// ---------- periods ----------

/** "2025/26" (the NHS financial year) or "2025/26-Q2" (its second quarter, July to September). */
export const returnPeriodSchema = z
  .string()
  .trim()
  .regex(/^\d{4}\/\d{2}(-Q[1-4])?$/, 'Enter the period as a financial year like 2025/26 or a quarter like 2025/26-Q2')
  .refine(
    (s) => financialYearSchema.safeParse(s.slice(0, 7)).success,
    'A financial year covers two consecutive years, like 2025/26',
  );
export type ReturnPeriod = z.infer<typeof returnPeriodSchema>;

// ---------- cells and tables ----------

export const CELL_STATUSES = ['exact', 'suppressed-primary', 'suppressed-secondary', 'not-applicable'] as const;
export const cellStatusSchema = z.enum(CELL_STATUSES);
export type CellStatus = z.infer<typeof cellStatusSchema>;
export const CELL_STATUS_LABELS: Record<CellStatus, string> = {
  exact: 'Shown',
  'suppressed-primary': 'Hidden: a count from 1 to the threshold, or a figure based on one',
  'suppressed-secondary': 'Hidden so that other hidden cells cannot be worked out from the totals',
  'not-applicable': 'Not applicable (e.g. a rate with nothing to divide by)',
};

/** Key of the total row or column in every table. */
export const TOTAL = 'Total';

export const measureUnitSchema = z.enum(['count', 'fte', 'percent', 'pence']);
export type MeasureUnit = z.infer<typeof measureUnitSchema>;

export const returnCellSchema = z.object({
  /** Keys of a row and a column of the table; `Total` for totals. */
  row: z.string(),
  column: z.string(),
  measure: z.string(),
  /** Null when hidden (publication version) or not applicable. FTE to 2 decimals, percentages to 1, money in pence. */
  value: z.number().nullable(),
  status: cellStatusSchema,
});
export type ReturnCell = z.infer<typeof returnCellSchema>;

const keyLabel = z.object({ key: z.string(), label: z.string() });
export type KeyLabel = z.infer<typeof keyLabel>;

export const SECTION_IDS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;
export const sectionIdSchema = z.enum(SECTION_IDS);
export type SectionId = z.infer<typeof sectionIdSchema>;
export const SECTION_TITLES: Record<SectionId, string> = {
  A: 'About this return',
  B: 'Workforce',
  C: 'Mapping progress',
  D: 'Education and training',
  E: 'Retention',
  F: 'Diversity',
  G: 'Funding',
  H: 'Readiness and actions',
};

export const returnTableSchema = z.object({
  /** Stable id, e.g. "B1"; documented in the README with its measures. */
  id: z.string(),
  section: sectionIdSchema,
  title: z.string(),
  /** What the rows and columns are, e.g. "stage" and "profession" (CSV row_dimension, column_dimension). */
  rowDimension: z.string(),
  columnDimension: z.string(),
  rows: z.array(keyLabel),
  columns: z.array(keyLabel),
  measures: z.array(z.object({ key: z.string(), label: z.string(), unit: measureUnitSchema })),
  /** Whether small-number protection applies (counts of people and figures based on them); money never. */
  protected: z.boolean(),
  cells: z.array(returnCellSchema),
  note: z.string().nullable(),
});
export type ReturnTable = z.infer<typeof returnTableSchema>;

// ---------- A: about ----------

export const ORGANISATION_KINDS = ['trust', 'ics'] as const;
export const organisationKindSchema = z.enum(ORGANISATION_KINDS);
export type OrganisationKind = z.infer<typeof organisationKindSchema>;

export const returnVersionKindSchema = z.enum(['publication', 'exact']);
/** publication: suppressed, for HEE and anything beyond the ICS; exact: the ICS data-sharing version. */
export type ReturnVersionKind = z.infer<typeof returnVersionKindSchema>;
export const EXACT_MARKING = 'OFFICIAL-SENSITIVE: for the ICS under its data-sharing agreement';

export const aboutSchema = z.object({
  trustName: z.string(),
  odsCode: z.string(),
  organisationKind: organisationKindSchema,
  ics: z.string(),
  ahpFaculty: z.string(),
  period: returnPeriodSchema,
  periodStart: isoDateSchema,
  asAt: isoDateSchema,
  imports: z.array(
    z.object({ kind: z.string(), fileName: z.string(), importedAt: z.string(), sha256: z.string().nullable() }),
  ),
  frameworkVersion: z.string(),
  appVersion: z.string(),
  disclosure: z.object({ threshold: z.number().int().min(1), rules: z.string() }),
  preparedBy: z.string(),
  builtAt: z.string(),
});
export type ReturnAbout = z.infer<typeof aboutSchema>;

// ---------- G: first-phase checklist; H: readiness ----------

export const checklistItemSchema = z.object({ stream: z.string(), text: z.string(), done: z.boolean() });

export const ragSchema = z.enum(['red', 'amber', 'green']);
export type Rag = z.infer<typeof ragSchema>;

export const nextActionSchema = z.object({
  action: requiredText('next action', 500),
  owner: requiredText('owner of the action', 120),
  due: isoDateSchema,
});
export const readinessItemSchema = z.object({
  requirement: requirementCodeSchema,
  rag: ragSchema.nullable().default(null),
  done: textOrBlank(4000),
  nextActions: z.array(nextActionSchema).max(50).default([]),
  risks: textOrBlank(4000),
});
export type ReadinessItem = z.infer<typeof readinessItemSchema>;
/** One item per first-phase requirement (FIRST_PHASE_CONDITIONS), in their order; a missing one counts as empty. */
export const readinessSchema = z.array(readinessItemSchema).max(20);
export type Readiness = z.infer<typeof readinessSchema>;
export type ReadinessInput = z.input<typeof readinessSchema>;

// ---------- the content (what a snapshot freezes and exports write) ----------

export const RETURN_SCHEMA_VERSION = 1;

export const returnContentSchema = z.object({
  schemaVersion: z.literal(RETURN_SCHEMA_VERSION),
  version: returnVersionKindSchema,
  /** EXACT_MARKING on the ICS data-sharing version; null on the publication version. */
  marking: z.string().nullable(),
  about: aboutSchema,
  /** Sections B to G as tables, in order. */
  tables: z.array(returnTableSchema),
  /** Section G: each funding stream's first-phase checklist item with its status. */
  checklist: z.array(checklistItemSchema),
  /** Section H. */
  readiness: z.array(readinessItemSchema.extend({ requirementText: z.string() })),
});
export type ReturnContent = z.infer<typeof returnContentSchema>;

// ---------- checks, states, views ----------

export const RETURN_STATUSES = ['draft', 'checked', 'signed-off', 'sent'] as const;
export const returnStatusSchema = z.enum(RETURN_STATUSES);
export type ReturnStatus = z.infer<typeof returnStatusSchema>;

export const checkCodeSchema = z.enum([
  'no-ods-code',
  'no-staff',
  'audit-failed',
  'roles-draft',
  'funding-unallocated',
  'readiness-empty',
  'threshold-lowered',
  'no-returns',
  'trusts-missing',
]);
export const checkSchema = z.object({ code: checkCodeSchema, message: z.string() });
export type ReturnCheck = z.infer<typeof checkSchema>;
export const checksSchema = z.object({
  /** Block sign-off. */
  errors: z.array(checkSchema),
  /** Need an acknowledgement with a reason before sign-off. */
  warnings: z.array(checkSchema),
  audit: z.object({
    ok: z.boolean(),
    hiddenCells: z.number().int(),
    exposedCells: z.array(z.string()),
    ms: z.number(),
  }),
  /** The reason the warnings were accepted, by whom and when; null until they are. */
  warningsAccepted: z.object({ reason: z.string(), by: z.string(), at: z.string() }).nullable(),
});
export type ReturnChecks = z.infer<typeof checksSchema>;

export const signOffSchema = z.object({
  name: z.string(),
  role: z.string(),
  /** The computer user who signed it off. */
  user: z.string(),
  at: z.string(),
});

export const returnSummarySchema = z.object({
  id: idSchema,
  period: returnPeriodSchema,
  asAt: isoDateSchema,
  /** 1 for the first return of the period; a correction is the next number. */
  version: z.number().int().positive(),
  status: returnStatusSchema,
  correctionReason: z.string().nullable(),
  /** The signed-off return this one corrects; and the one that corrected this one. */
  supersedesId: idSchema.nullable(),
  supersededById: idSchema.nullable(),
  builtAt: z.string(),
  builtBy: z.string(),
  signOff: signOffSchema.nullable(),
  sentOn: isoDateSchema.nullable(),
  /** SHA-256 (hex) of the frozen snapshot and the previous signed-off return's hash; null until signed off. */
  hash: z.string().nullable(),
  previousHash: z.string().nullable(),
  errorCount: z.number().int(),
  warningCount: z.number().int(),
});
export type ReturnSummary = z.infer<typeof returnSummarySchema>;

export const returnViewSchema = returnSummarySchema.extend({
  checks: checksSchema,
  readiness: readinessSchema,
  content: returnContentSchema,
});
export type ReturnView = z.infer<typeof returnViewSchema>;

export const buildResultSchema = z.object({
  id: idSchema,
  period: returnPeriodSchema,
  asAt: isoDateSchema,
  status: returnStatusSchema,
  errors: z.array(checkSchema),
  warnings: z.array(checkSchema),
});
export type BuildResult = z.infer<typeof buildResultSchema>;

// ---------- inputs ----------

export const buildInputSchema = z.object({
  period: returnPeriodSchema,
  /** Defaults to the period's last day. */
  asAt: isoDateSchema.nullable().default(null),
  /** Needed when the period already has a signed-off return: this one corrects it. */
  correctionReason: z.string().trim().max(2000).nullable().default(null),
});
export type BuildInput = z.input<typeof buildInputSchema>;

export const showInputSchema = z.object({ id: idSchema, version: returnVersionKindSchema.default('publication') });

const acceptWarnings = z
  .string()
  .trim()
  .max(2000)
  .transform((s) => (s === '' ? null : s))
  .nullable()
  .default(null);

export const checkInputSchema = z.object({ id: idSchema, acceptWarnings });

export const signInputSchema = z.object({
  id: idSchema,
  name: requiredText('name of the person signing off', 120),
  role: requiredText('role of the person signing off', 120),
  /** The reason the warnings are accepted; required when there are warnings. */
  acceptWarnings,
});
export type SignInput = z.input<typeof signInputSchema>;

export const readinessInputSchema = z.object({ id: idSchema, readiness: readinessSchema });
export type ReadinessSaveInput = z.input<typeof readinessInputSchema>;

export const sentInputSchema = z.object({ id: idSchema, sentOn: isoDateSchema });

export const diffInputSchema = z.object({
  fromId: idSchema,
  toId: idSchema,
  version: returnVersionKindSchema.default('exact'),
});

const cellValue = z.object({ value: z.number().nullable(), status: cellStatusSchema });
export const diffSchema = z.object({
  from: returnSummarySchema,
  to: returnSummarySchema,
  version: returnVersionKindSchema,
  /** Cells whose value or status differ; `before`/`after` null when the cell is only in one version. */
  cells: z.array(
    z.object({
      table: z.string(),
      row: z.string(),
      column: z.string(),
      measure: z.string(),
      before: cellValue.nullable(),
      after: cellValue.nullable(),
    }),
  ),
  /** Text that differs (about, checklist, readiness), by a dotted path. */
  text: z.array(z.object({ path: z.string(), before: z.string().nullable(), after: z.string().nullable() })),
  unchangedCells: z.number().int(),
});
export type ReturnDiff = z.infer<typeof diffSchema>;

export const returnSettingsSchema = z.object({
  /** Counts from 1 to this are hidden in the publication version. */
  threshold: z.number().int().min(1).max(100),
});
export const DEFAULT_THRESHOLD = 7;
export const THRESHOLD_LOWERED_WARNING =
  'A threshold below 7 publishes smaller counts: check that your ICS and HEE accept it before sending returns.';

export const chainSchema = z.object({
  ok: z.boolean(),
  /** Signed-off returns in the order they were signed, each with whether its stored hash still matches. */
  returns: z.array(z.object({ id: idSchema, period: z.string(), version: z.number().int(), ok: z.boolean() })),
  message: z.string(),
});
export type ChainCheck = z.infer<typeof chainSchema>;

export const returnsChannels = {
  'returns/list': channel(
    z.object({}),
    z.object({ returns: z.array(returnSummarySchema), threshold: z.number().int() }),
    'Every return, newest first',
  ),
  'returns/build': channel(
    buildInputSchema,
    buildResultSchema,
    'Build a draft return for a period from the data as it is now, with its checks',
  ),
  'returns/rebuild': channel(
    z.object({ id: idSchema }),
    buildResultSchema,
    "Build a draft again from the data as it is now (the lead's readiness text is kept)",
  ),
  'returns/show': channel(
    showInputSchema,
    returnViewSchema,
    'A return: its figures (publication or exact version) and checks',
  ),
  'returns/readiness-save': channel(
    readinessInputSchema,
    returnViewSchema,
    'Save the readiness and actions section of a draft (a checked return goes back to draft)',
  ),
  'returns/check': channel(
    checkInputSchema,
    returnViewSchema,
    'Run the checks; a return with no errors, and its warnings accepted with a reason, becomes checked',
  ),
  'returns/sign': channel(
    signInputSchema,
    returnViewSchema,
    'Sign off a return: its figures are frozen as a snapshot with a hash chained to the previous one',
  ),
  'returns/sent': channel(sentInputSchema, returnViewSchema, 'Record the date a signed-off return was sent'),
  'returns/delete': channel(z.object({ id: idSchema }), z.object({ id: idSchema }), 'Delete a draft return'),
  'returns/diff': channel(diffInputSchema, diffSchema, 'Compare two returns cell by cell'),
  'returns/verify': channel(
    z.object({}),
    chainSchema,
    'Check that no signed-off return has been changed since it was signed (the hash chain)',
  ),
  'returns/settings': channel(z.object({}), returnSettingsSchema, 'The small-number threshold'),
  'returns/settings-save': channel(
    returnSettingsSchema,
    returnSettingsSchema.extend({ warning: z.string().nullable() }),
    'Change the small-number threshold (lowering it below 7 warns)',
  ),
};

// ---------- exports (issue 12, branch helper-returns-exports): a block of its own so the branches merge cleanly ----------

export const RETURN_EXPORT_FORMATS = ['xlsx', 'csv', 'json', 'pdf'] as const;
export const returnExportFormatSchema = z.enum(RETURN_EXPORT_FORMATS);
export type ReturnExportFormat = z.infer<typeof returnExportFormatSchema>;

export const returnExportInputSchema = z.object({
  id: idSchema,
  format: returnExportFormatSchema,
  version: returnVersionKindSchema.default('publication'),
});
export type ReturnExportInput = z.input<typeof returnExportInputSchema>;

export const returnsExportChannels = {
  'returns/export': channel(
    returnExportInputSchema,
    fileSchema,
    'A signed-off return as a file (XLSX, CSV, JSON or PDF) from its frozen snapshot, publication or exact version',
  ),
};
