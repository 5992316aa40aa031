import { STAGE_IDS } from '../../../shared/framework/index';
import { leaverRate, roundForDisplay, stabilityIndex } from '../../../shared/picture/metrics';
import { stageLabel } from '../../../shared/picture/channels';
import { TOTAL, type KeyLabel } from '../../../shared/returns/channels';
import { rateBasis, ReturnTables, type CountIds, type FteOf } from './tables';

/**
 * A return's tables from its figures (issue 12), whoever worked the figures out: a trust from its staff records
 * (build.ts), an ICS by adding up its trusts' returns (electron/services/ics). Both go through this one function,
 * so an ICS return has the same tables, the same shared totals for disclosure control and the same rates, worked
 * out from the summed parts and never averaged.
 */

export const STAGES = [...STAGE_IDS, 'not-mapped'] as const;
export type Stage = (typeof STAGES)[number];
export const stageRows: KeyLabel[] = STAGES.map((s) => ({ key: s, label: stageLabel(s) }));
export const stageIndex = (s: Stage): number => STAGES.indexOf(s);
const STAGES_AND_TOTAL = [...STAGES, TOTAL] as const;

export const GAP_STATUSES = ['meets', 'partly', 'does-not', 'unknown'] as const;
export const GAP_LABELS: Record<(typeof GAP_STATUSES)[number], string> = {
  meets: 'Meets',
  partly: 'Partly meets',
  'does-not': 'Does not meet',
  unknown: 'Not known',
};
export const MAPPING_ROWS: KeyLabel[] = [
  { key: 'agreed', label: 'Agreed' },
  { key: 'draft', label: 'Draft' },
  { key: 'not-mapped', label: 'Not mapped' },
];
export const STUDY_STATUSES = ['enrolled', 'completed', 'withdrawn'] as const;
export const MONEY_COLUMNS: KeyLabel[] = [
  { key: 'allocated', label: 'Allocation' },
  { key: 'received', label: 'Received' },
  { key: 'planned', label: 'Planned' },
  { key: 'committed', label: 'Committed' },
  { key: 'actual', label: 'Actual' },
  { key: 'forecast', label: 'Forecast' },
  { key: 'variance', label: 'Variance' },
];
export const CATEGORY_COLUMNS = MONEY_COLUMNS.filter((c) =>
  ['planned', 'committed', 'actual', 'forecast'].includes(c.key),
);

/** Establishment and in-post FTE of a group of post lines, with the vacancy worked out from them (vacancyOver). */
export interface VacancyFigures {
  establishmentFte: number;
  inPostFte: number;
  vacancyFte: number | null;
  vacancyRate: number | null;
}

/** A row of money, one value (pence) per column of MONEY_COLUMNS or CATEGORY_COLUMNS. */
export interface MoneyRow {
  key: string;
  label: string;
  pence: number[];
}

/** Everything a return's tables B to G are drawn from. Matrices are [stage][column] in STAGES order. */
export interface ReturnFigures {
  professions: KeyLabel[];
  bands: KeyLabel[];
  byProfession: number[][];
  byProfessionFte: FteOf;
  byBand: number[][];
  byBandFte: FteOf;
  /** Per stage (STAGES order) then the total. */
  vacancyByStage: VacancyFigures[];
  /** Per profession (professions order) then the total. */
  vacancyByProfession: VacancyFigures[];
  /** Job roles by mapping status (MAPPING_ROWS order), and staff in post by the status of their role. */
  rolesByMapping: number[];
  staffByMapping: number[];
  findings: { key: string; label: string; count: number }[];
  /** [stage][GAP_STATUSES]. */
  education: number[][];
  /** [standard][STUDY_STATUSES], standards in `standards` order. */
  standards: string[];
  apprenticeships: number[][];
  /** [stage][1]. */
  careCertificate: number[][];
  tna: { key: string; label: string; items: number; cohort: number; pence: number }[];
  /** Each [stage][1]. yearAgo and stayed are null when a trust's return did not publish them (stability unknown). */
  retention: {
    start: number[][];
    starters: number[][];
    leavers: number[][];
    yearAgo: number[][] | null;
    stayed: number[][] | null;
  };
  ethnicity: number[][];
  sex: { columns: KeyLabel[]; values: number[][] };
  ages: { columns: KeyLabel[]; values: number[][] };
  disability: { columns: KeyLabel[]; values: number[][] };
  funding: {
    title: string;
    rowDimension: string;
    rows: MoneyRow[];
    total: number[];
    categories: MoneyRow[];
  };
}

/** Tables an ICS return adds (the trust comparison), given the ids of the ICS totals they share. */
export type ExtraTables = (t: ReturnTables, ids: AssembledIds) => void;

/** The model ids of the ICS-level totals the trust comparison tables share. */
export interface AssembledIds {
  b1: CountIds;
  d1: CountIds;
  e1: CountIds;
  e3: CountIds;
  e5: CountIds | null;
  e6: CountIds | null;
  f1: CountIds;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const withTotalRows = (rows: KeyLabel[]): KeyLabel[] => [...rows, { key: TOTAL, label: 'Total' }];

export function assembleTables(f: ReturnFigures, extras?: ExtraTables): ReturnTables {
  const t = new ReturnTables();

  // ---------- B: workforce ----------
  const b1 = t.counts(
    {
      id: 'B1',
      section: 'B',
      title: 'Staff in post by stage and profession',
      rowDimension: 'stage',
      columnDimension: 'profession',
      rows: stageRows,
      columns: f.professions,
    },
    f.byProfession,
    { fte: f.byProfessionFte },
  );
  // Shares B1's stage totals and grand total: the same ids, so protection sees both tables as one system.
  const shared: CountIds = (row, column) => b1(row, column);
  t.counts(
    {
      id: 'B2',
      section: 'B',
      title: 'Staff in post by stage and band',
      rowDimension: 'stage',
      columnDimension: 'band',
      rows: stageRows,
      columns: f.bands,
    },
    f.byBand,
    { fte: f.byBandFte, shareRows: shared },
  );
  const stageTotal = (s: Stage) => sum(f.byProfession[stageIndex(s)]!);
  const grandTotal = sum(f.byProfession.flat());
  vacancyTable(
    t,
    'B3',
    'Establishment, in post and vacancy by stage',
    'stage',
    [
      ...STAGES.map((s) => ({ key: s, label: stageLabel(s), countId: b1(s, TOTAL), headcount: stageTotal(s) })),
      { key: TOTAL, label: 'Total', countId: b1(TOTAL, TOTAL), headcount: grandTotal },
    ],
    f.vacancyByStage,
  );
  vacancyTable(
    t,
    'B4',
    'Establishment, in post and vacancy by profession',
    'profession',
    [
      ...f.professions.map((p, i) => ({
        key: p.key,
        label: p.label,
        countId: b1(TOTAL, p.key),
        headcount: sum(f.byProfession.map((row) => row[i]!)),
      })),
      { key: TOTAL, label: 'Total', countId: b1(TOTAL, TOTAL), headcount: grandTotal },
    ],
    f.vacancyByProfession,
  );

  // ---------- C: mapping progress ----------
  t.figures(
    {
      id: 'C1',
      section: 'C',
      title: 'Job roles by mapping status',
      rowDimension: 'mapping status',
      columnDimension: 'measure',
      rows: withTotalRows(MAPPING_ROWS),
      columns: [{ key: 'roles', label: 'Roles' }],
      note: 'Counts of job roles, not of people.',
    },
    ['count'],
    [
      ...MAPPING_ROWS.map((r, i) => ({ key: r.key, n: f.rolesByMapping[i]! })),
      { key: TOTAL, n: sum(f.rolesByMapping) },
    ].map((r) => ({ row: r.key, column: 'roles', measure: 'count', value: r.n, basis: null })),
    false,
  );
  t.counts(
    {
      id: 'C2',
      section: 'C',
      title: 'Staff in post by the mapping status of their role',
      rowDimension: 'mapping status',
      columnDimension: 'measure',
      rows: MAPPING_ROWS,
      columns: [{ key: 'staff', label: 'Staff' }],
    },
    f.staffByMapping.map((n) => [n]),
    { single: true },
  );
  t.figures(
    {
      id: 'C3',
      section: 'C',
      title: 'Variation findings by kind',
      rowDimension: 'finding',
      columnDimension: 'measure',
      rows: withTotalRows(f.findings.map((k) => ({ key: k.key, label: k.label }))),
      columns: [{ key: 'findings', label: 'Findings' }],
      note: 'Findings about job roles, not people.',
    },
    ['count'],
    [...f.findings, { key: TOTAL, count: sum(f.findings.map((k) => k.count)) }].map((k) => ({
      row: k.key,
      column: 'findings',
      measure: 'count',
      value: k.count,
      basis: null,
    })),
    false,
  );

  // ---------- D: education and training ----------
  const d1 = t.counts(
    {
      id: 'D1',
      section: 'D',
      title: "Staff in post against their stage's education requirement",
      rowDimension: 'stage',
      columnDimension: 'education status',
      rows: stageRows,
      columns: GAP_STATUSES.map((g) => ({ key: g, label: GAP_LABELS[g] })),
      note: 'Staff in roles not yet mapped have no stage requirement: they are counted as not known.',
    },
    f.education,
    { shareRows: shared },
  );
  t.counts(
    {
      id: 'D2',
      section: 'D',
      title: 'Staff in post with an apprenticeship, by standard and status',
      rowDimension: 'standard',
      columnDimension: 'status',
      rows: f.standards.map((s) => ({ key: s, label: s })),
      columns: STUDY_STATUSES.map((s) => ({ key: s, label: s[0]!.toUpperCase() + s.slice(1) })),
      note: 'A person is counted once for each standard and status they hold.',
    },
    f.apprenticeships,
  );
  const cc = t.counts(
    {
      id: 'D3',
      section: 'D',
      title: 'Staff in post who have completed the Care Certificate, by stage',
      rowDimension: 'stage',
      columnDimension: 'measure',
      rows: stageRows,
      columns: [{ key: 'completed', label: 'Completed' }],
    },
    f.careCertificate,
    { single: true },
  );
  t.figures(
    {
      id: 'D3P',
      section: 'D',
      title: 'Share of staff in post who have completed the Care Certificate, by stage',
      rowDimension: 'stage',
      columnDimension: 'measure',
      rows: withTotalRows(stageRows),
      columns: [{ key: 'completed', label: 'Completed (%)' }],
    },
    ['percent'],
    STAGES_AND_TOTAL.map((s) => {
      const n = s === TOTAL ? sum(f.careCertificate.flat()) : f.careCertificate[stageIndex(s)]![0]!;
      const d = s === TOTAL ? grandTotal : stageTotal(s);
      return {
        row: s,
        column: 'completed',
        measure: 'percent',
        value: d === 0 ? null : roundForDisplay((n / d) * 100, 1),
        basis: rateBasis([s === TOTAL ? cc(TOTAL, TOTAL) : cc(s, 'completed'), b1(s, TOTAL)], n, d),
      };
    }),
    true,
  );
  const tnaTotal = { items: 0, cohort: 0, pence: 0 };
  for (const r of f.tna) {
    tnaTotal.items += r.items;
    tnaTotal.cohort += r.cohort;
    tnaTotal.pence += r.pence;
  }
  t.figures(
    {
      id: 'D4',
      section: 'D',
      title: 'Training needs assessment by route',
      rowDimension: 'route',
      columnDimension: 'measure',
      rows: withTotalRows(f.tna.map((r) => ({ key: r.key, label: r.label }))),
      columns: [
        { key: 'items', label: 'Items' },
        { key: 'cohort', label: 'Cohort' },
        { key: 'cost', label: 'Cost' },
      ],
      note: 'Planned training places and their cost, not staff in post.',
    },
    ['count', 'pence'],
    [...f.tna, { key: TOTAL, ...tnaTotal }].flatMap((r) => [
      { row: r.key, column: 'items', measure: 'count', value: r.items, basis: null },
      { row: r.key, column: 'cohort', measure: 'count', value: r.cohort, basis: null },
      { row: r.key, column: 'cost', measure: 'pence', value: r.pence, basis: null },
    ]),
    false,
  );

  // ---------- E: retention ----------
  const oneColumn = (id: string, title: string, key: string, values: number[][]) =>
    t.counts(
      {
        id,
        section: 'E',
        title,
        rowDimension: 'stage',
        columnDimension: 'measure',
        rows: stageRows,
        columns: [{ key, label: title }],
      },
      values,
      { single: true },
    );
  const { retention } = f;
  const e1 = oneColumn('E1', 'Staff in post at the start of the period', 'start', retention.start);
  oneColumn('E2', 'Starters', 'starters', retention.starters);
  const e3 = oneColumn('E3', 'Leavers', 'leavers', retention.leavers);
  const e5 = retention.yearAgo
    ? oneColumn('E5', 'Staff in post a year before the as-at date', 'year-ago', retention.yearAgo)
    : null;
  const e6 = retention.stayed
    ? oneColumn('E6', 'Of those, still in post at the as-at date', 'stayed', retention.stayed)
    : null;
  const sumOf = (m: number[][]) => m.reduce((a, r) => a + r[0]!, 0);
  t.figures(
    {
      id: 'E4',
      section: 'E',
      title: 'Leaver rate and stability index by stage',
      rowDimension: 'stage',
      columnDimension: 'measure',
      rows: withTotalRows(stageRows),
      columns: [
        { key: 'leaver-rate', label: 'Leaver rate (%)' },
        { key: 'stability-index', label: 'Stability index (%)' },
      ],
      note: 'Leaver rate: leavers / average of staff in post at the start and the end x 100. Stability index: staff in post a year before the as-at date and still in post / staff in post a year before x 100.',
    },
    ['percent'],
    STAGES_AND_TOTAL.flatMap((s) => {
      const i = s === TOTAL ? -1 : stageIndex(s);
      const pick = (m: number[][]) => (i < 0 ? sumOf(m) : m[i]![0]!);
      const col = (ids: CountIds, key: string) => ids(s, s === TOTAL ? TOTAL : key);
      const leavers = pick(retention.leavers);
      const start = pick(retention.start);
      const end = s === TOTAL ? grandTotal : stageTotal(s);
      const average = (start + end) / 2;
      const yearAgo = retention.yearAgo ? pick(retention.yearAgo) : null;
      const stayed = retention.stayed ? pick(retention.stayed) : null;
      return [
        {
          row: s,
          column: 'leaver-rate',
          measure: 'percent',
          value: roundForDisplay(leaverRate(leavers, start, end), 1),
          basis: {
            counts: [col(e3, 'leavers'), col(e1, 'start'), b1(s, TOTAL)],
            parts: [leavers, start, end, Math.round(average) - leavers],
          },
        },
        {
          row: s,
          column: 'stability-index',
          measure: 'percent',
          value: yearAgo === null || stayed === null ? null : roundForDisplay(stabilityIndex(stayed, yearAgo), 1),
          basis: rateBasis(e5 && e6 ? [col(e6, 'stayed'), col(e5, 'year-ago')] : [], stayed ?? 0, yearAgo ?? 0),
        },
      ];
    }),
    true,
  );
  const retentionIds = { e1, e3, e5, e6 };

  // ---------- F: diversity ----------
  const diversity = (id: string, title: string, dimension: string, columns: KeyLabel[], values: number[][]) =>
    t.counts(
      {
        id,
        section: 'F',
        title,
        rowDimension: 'stage',
        columnDimension: dimension,
        rows: stageRows,
        columns,
        note: 'The Total row is the whole support workforce.',
      },
      values,
      { shareRows: shared },
    );
  const f1 = diversity(
    'F1',
    'Ethnicity by stage',
    'ethnic group',
    [
      { key: 'white', label: 'White' },
      { key: 'bme', label: 'BME' },
      { key: 'not-known', label: 'Not known' },
    ],
    f.ethnicity,
  );
  diversity('F2', 'Sex by stage', 'sex', f.sex.columns, f.sex.values);
  diversity('F3', 'Age band by stage', 'age band', f.ages.columns, f.ages.values);
  diversity('F4', 'Disability by stage', 'disability', f.disability.columns, f.disability.values);
  // The trust comparison of an ICS return shares these totals; ReturnTables puts its tables in their sections.
  extras?.(t, { b1, d1, ...retentionIds, f1 });

  // ---------- G: funding (money is never suppressed) ----------
  t.figures(
    {
      id: 'G1',
      section: 'G',
      title: f.funding.title,
      rowDimension: f.funding.rowDimension,
      columnDimension: 'measure',
      rows: withTotalRows(f.funding.rows.map((r) => ({ key: r.key, label: r.label }))),
      columns: MONEY_COLUMNS,
      note: 'Variance is allocation minus forecast: positive is a forecast underspend.',
    },
    ['pence'],
    [...f.funding.rows, { key: TOTAL, label: 'Total', pence: f.funding.total }].flatMap((r) =>
      MONEY_COLUMNS.map((c, i) => ({ row: r.key, column: c.key, measure: 'pence', value: r.pence[i]!, basis: null })),
    ),
    false,
  );
  const categoryTotal = CATEGORY_COLUMNS.map((_, i) => sum(f.funding.categories.map((c) => c.pence[i]!)));
  t.figures(
    {
      id: 'G2',
      section: 'G',
      title: 'Spend by category',
      rowDimension: 'category',
      columnDimension: 'measure',
      rows: withTotalRows(f.funding.categories.map((c) => ({ key: c.key, label: c.label }))),
      columns: CATEGORY_COLUMNS,
    },
    ['pence'],
    [...f.funding.categories, { key: TOTAL, label: 'Total', pence: categoryTotal }].flatMap((r) =>
      CATEGORY_COLUMNS.map((c, i) => ({
        row: r.key,
        column: c.key,
        measure: 'pence',
        value: r.pence[i]!,
        basis: null,
      })),
    ),
    false,
  );
  return t;
}

/** Establishment, in post and vacancy by a dimension: the in-post and vacancy figures rest on the group's headcount. */
export function vacancyTable(
  t: ReturnTables,
  id: string,
  title: string,
  dimension: string,
  groups: { key: string; label: string; countId: string; headcount: number }[],
  vacancies: VacancyFigures[],
): void {
  const cells = groups.flatMap((g, i) => {
    const v = vacancies[i]!;
    const basis = { counts: [g.countId], parts: [g.headcount] };
    return [
      { row: g.key, column: 'establishment', measure: 'fte', value: v.establishmentFte, basis: null },
      { row: g.key, column: 'in-post', measure: 'fte', value: v.inPostFte, basis },
      { row: g.key, column: 'vacancy', measure: 'fte', value: v.vacancyFte, basis },
      { row: g.key, column: 'vacancy-rate', measure: 'percent', value: v.vacancyRate, basis },
    ];
  });
  t.figures(
    {
      id,
      section: 'B',
      title,
      rowDimension: dimension,
      columnDimension: 'measure',
      rows: groups.map((g) => ({ key: g.key, label: g.label })),
      columns: VACANCY_COLUMNS,
      note: 'Over post lines with an establishment only; in-post FTE is every hour worked in those posts.',
    },
    ['fte', 'percent'],
    cells,
    true,
  );
}

export const VACANCY_COLUMNS: KeyLabel[] = [
  { key: 'establishment', label: 'Establishment FTE' },
  { key: 'in-post', label: 'In-post FTE' },
  { key: 'vacancy', label: 'Vacancy FTE' },
  { key: 'vacancy-rate', label: 'Vacancy rate' },
];
