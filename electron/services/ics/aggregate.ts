import { BAND_CODES } from '../../../shared/common/reference';
import {
  COMPARISON_LABELS,
  COMPARISON_MEASURES,
  type ComparisonMeasure,
  type IcsPicture,
} from '../../../shared/ics/channels';
import { leaverRate, roundForDisplay, stabilityIndex, vacancyRate } from '../../../shared/picture/metrics';
import { TOTAL, type KeyLabel, type ReturnContent } from '../../../shared/returns/channels';
import type { ReturnFile } from '../../../shared/returns/file';
import type { PeriodRange } from '../../../shared/returns/periods';
import { APPRENTICESHIP_STANDARDS } from '../../../shared/training/education';
import { vacancyFte } from '../../../shared/workforce/channels';
import type { DB } from '../../db/connection';
import { buildReport } from '../funding/report';
import { currentFramework } from '../framework/versions';
import {
  assembleTables,
  CATEGORY_COLUMNS,
  GAP_STATUSES,
  MAPPING_ROWS,
  MONEY_COLUMNS,
  STAGES,
  stageRows,
  STUDY_STATUSES,
  vacancyTable,
  type AssembledIds,
  type MoneyRow,
  type ReturnFigures,
  type VacancyFigures,
} from '../returns/assemble';
import { APP_VERSION, type BuildOptions, type BuiltFacts } from '../returns/build';
import { rateBasis, type ReturnTables } from '../returns/tables';
import { getOrganisation } from '../settings/organisation';
import { collectedFile } from './collect';
import { currentReturns, listTrusts } from './workspace';

/**
 * The ICS's figures from its trusts' current returns for a period (issue 13). Counts and FTE are added up cell by
 * cell; every rate is worked out again from the added-up parts (never an average of the trusts' rates); the tables
 * are drawn by the same assembly as a trust's return (returns/assemble.ts), so an ICS return has the same sections.
 * The trust comparison is published too, as tables that share the ICS totals (B5 to B7, D5, E7, F5), so disclosure
 * control protects them with the totals as one system: no trust's hidden cell can be worked out as the ICS total
 * minus the other trusts.
 */

interface TrustReturn {
  odsCode: string;
  name: string;
  collectedId: number;
  version: number;
  asAt: string;
  file: ReturnFile;
  /** The file's cells by table, row, column and measure. */
  cell: (table: string, row: string, column: string, measure: string) => number | null;
  has: (table: string) => boolean;
}

function readTrustReturns(db: DB, period: string): TrustReturn[] {
  return currentReturns(db, period).map((r) => {
    const file = collectedFile(db, r.id);
    const cells = new Map<string, number | null>();
    for (const t of file.tables)
      for (const c of t.cells) cells.set(`${t.id}\u0000${c.row}\u0000${c.column}\u0000${c.measure}`, c.value);
    const tables = new Set(file.tables.map((t) => t.id));
    return {
      odsCode: r.trustOds,
      name: r.trustName,
      collectedId: r.id,
      version: r.version,
      asAt: r.asAt,
      file,
      cell: (table, row, column, measure) => cells.get(`${table}\u0000${row}\u0000${column}\u0000${measure}`) ?? null,
      has: (table) => tables.has(table),
    };
  });
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const pct = (n: number, d: number) => (d === 0 ? null : roundForDisplay((n / d) * 100, 1));

/** The rows or columns of a table across the trusts, in the order they first appear, without the total. */
function keysOf(trusts: TrustReturn[], table: string, axis: 'rows' | 'columns'): KeyLabel[] {
  const seen = new Map<string, string>();
  for (const t of trusts)
    for (const k of t.file.tables.find((x) => x.id === table)?.[axis] ?? [])
      if (k.key !== TOTAL && !seen.has(k.key)) seen.set(k.key, k.label);
  return [...seen].map(([key, label]) => ({ key, label }));
}

export interface IcsGathered {
  trusts: TrustReturn[];
  figures: ReturnFigures;
  comparison: IcsPicture['comparison'];
  /** Draws the trust comparison tables (for the ICS return), sharing the ICS totals. */
  extras: (t: ReturnTables, ids: AssembledIds) => void;
  missing: { odsCode: string; name: string }[];
  /** The faculty's own funding report (the ICS database's Funding area), as at the as-at date. */
  own: ReturnType<typeof buildReport>;
}

export function gatherIcs(db: DB, range: PeriodRange, asAt: string): IcsGathered {
  const trusts = readTrustReturns(db, range.period);
  const sent = new Set(trusts.map((t) => t.odsCode));
  const missing = listTrusts(db)
    .trusts.filter((t) => !sent.has(t.odsCode))
    .map((t) => ({ odsCode: t.odsCode, name: t.name }));
  const total = (table: string, row: string, column: string, measure: string) =>
    sum(trusts.map((t) => t.cell(table, row, column, measure) ?? 0));
  const grid = (table: string, rows: string[], columns: string[], measure: string) =>
    rows.map((r) => columns.map((c) => total(table, r, c, measure)));
  const stageKeys = STAGES.map((s) => s as string);

  const professions = keysOf(trusts, 'B1', 'columns');
  const bands = keysOf(trusts, 'B2', 'columns').sort(
    (a, b) =>
      BAND_CODES.indexOf(a.key as (typeof BAND_CODES)[number]) -
      BAND_CODES.indexOf(b.key as (typeof BAND_CODES)[number]),
  );
  const fteOf = (table: string) => (row: string, column: string) => round2(total(table, row, column, 'fte'));
  const vacancy = (table: string, row: string): VacancyFigures => {
    const establishmentFte = round2(total(table, row, 'establishment', 'fte'));
    const inPostFte = round2(total(table, row, 'in-post', 'fte'));
    // A vacancy exists where some trust has post lines with an establishment in this group.
    const hasEstablishment = trusts.some((t) => t.cell(table, row, 'vacancy', 'fte') !== null);
    return {
      establishmentFte,
      inPostFte,
      vacancyFte: hasEstablishment ? vacancyFte(establishmentFte, inPostFte) : null,
      vacancyRate: roundForDisplay(vacancyRate(establishmentFte, inPostFte), 1),
    };
  };
  const column = (table: string, key: string) => stageKeys.map((s) => [total(table, s, key, 'headcount')]);
  const everyTrustHas = (table: string) => trusts.length > 0 && trusts.every((t) => t.has(table));
  const columnsOf = (table: string) =>
    trusts[0]?.file.tables.find((x) => x.id === table)?.columns.filter((c) => c.key !== TOTAL) ?? [];
  const diversityOf = (table: string) => {
    const columns = columnsOf(table);
    return {
      columns,
      values: grid(
        table,
        stageKeys,
        columns.map((c) => c.key),
        'headcount',
      ),
    };
  };

  // Funding: each trust's totals as a row, and the faculty's own streams.
  const org = getOrganisation(db);
  const own = buildReport(db, { financialYear: range.period.slice(0, 7), asAt, method: 'plan' });
  const trustMoney: MoneyRow[] = trusts.map((t) => ({
    key: t.odsCode,
    label: t.name,
    pence: MONEY_COLUMNS.map((c) => t.cell('G1', TOTAL, c.key, 'pence') ?? 0),
  }));
  const ownMoney: MoneyRow[] =
    own.streams.length === 0
      ? []
      : [
          {
            key: 'ics-faculty',
            label: `${org?.ahpFaculty || 'AHP faculty'} (own funding)`,
            pence: [
              own.totals.allocatedPence,
              own.totals.receivedPence,
              own.totals.plannedPence,
              own.totals.committedPence,
              own.totals.actualPence,
              own.totals.forecastPence,
              own.totals.variancePence,
            ],
          },
        ];
  const moneyRows = [...trustMoney, ...ownMoney];
  const categories = new Map<string, MoneyRow>();
  const addCategory = (key: string, label: string, pence: number[]) => {
    const row = categories.get(key) ?? { key, label, pence: CATEGORY_COLUMNS.map(() => 0) };
    row.pence = row.pence.map((p, i) => p + pence[i]!);
    categories.set(key, row);
  };
  for (const t of trusts)
    for (const k of keysOf([t], 'G2', 'rows'))
      addCategory(
        k.key,
        k.label,
        CATEGORY_COLUMNS.map((c) => t.cell('G2', k.key, c.key, 'pence') ?? 0),
      );
  for (const c of own.byCategory)
    addCategory(c.category, c.label, [c.plannedPence, c.committedPence, c.actualPence, c.forecastPence]);

  const stability = everyTrustHas('E5') && everyTrustHas('E6');
  const figures: ReturnFigures = {
    professions,
    bands,
    byProfession: grid(
      'B1',
      stageKeys,
      professions.map((p) => p.key),
      'headcount',
    ),
    byProfessionFte: fteOf('B1'),
    byBand: grid(
      'B2',
      stageKeys,
      bands.map((b) => b.key),
      'headcount',
    ),
    byBandFte: fteOf('B2'),
    vacancyByStage: [...stageKeys, TOTAL].map((s) => vacancy('B3', s)),
    vacancyByProfession: [...professions.map((p) => p.key), TOTAL].map((p) => vacancy('B4', p)),
    rolesByMapping: MAPPING_ROWS.map((r) => total('C1', r.key, 'roles', 'count')),
    staffByMapping: MAPPING_ROWS.map((r) => total('C2', r.key, 'staff', 'headcount')),
    findings: keysOf(trusts, 'C3', 'rows').map((k) => ({ ...k, count: total('C3', k.key, 'findings', 'count') })),
    education: grid('D1', stageKeys, [...GAP_STATUSES], 'headcount'),
    standards: Object.keys(APPRENTICESHIP_STANDARDS),
    apprenticeships: grid('D2', Object.keys(APPRENTICESHIP_STANDARDS), [...STUDY_STATUSES], 'headcount'),
    careCertificate: column('D3', 'completed'),
    tna: keysOf(trusts, 'D4', 'rows').map((k) => ({
      ...k,
      items: total('D4', k.key, 'items', 'count'),
      cohort: total('D4', k.key, 'cohort', 'count'),
      pence: total('D4', k.key, 'cost', 'pence'),
    })),
    retention: {
      start: column('E1', 'start'),
      starters: column('E2', 'starters'),
      leavers: column('E3', 'leavers'),
      yearAgo: stability ? column('E5', 'year-ago') : null,
      stayed: stability ? column('E6', 'stayed') : null,
    },
    ethnicity: grid('F1', stageKeys, ['white', 'bme', 'not-known'], 'headcount'),
    sex: diversityOf('F2'),
    ages: diversityOf('F3'),
    disability: diversityOf('F4'),
    funding: {
      title: 'Funding by trust',
      rowDimension: 'trust',
      rows: moneyRows,
      total: MONEY_COLUMNS.map((_, i) => sum(moneyRows.map((r) => r.pence[i]!))),
      categories: [...categories.values()],
    },
  };

  // ---------- the trusts side by side ----------
  const per = trusts.map((t) => {
    const headcount = t.cell('B1', TOTAL, TOTAL, 'headcount') ?? 0;
    const rolesAll = t.cell('C1', TOTAL, 'roles', 'count') ?? 0;
    const allocated = t.cell('G1', TOTAL, 'allocated', 'pence') ?? 0;
    return {
      t,
      headcount,
      start: t.cell('E1', TOTAL, 'start', 'headcount') ?? 0,
      leavers: t.cell('E3', TOTAL, 'leavers', 'headcount') ?? 0,
      yearAgo: t.cell('E5', TOTAL, 'year-ago', 'headcount'),
      stayed: t.cell('E6', TOTAL, 'stayed', 'headcount'),
      meets: t.cell('D1', TOTAL, 'meets', 'headcount') ?? 0,
      bme: t.cell('F1', TOTAL, 'bme', 'headcount') ?? 0,
      agreed: t.cell('C1', 'agreed', 'roles', 'count') ?? 0,
      rolesAll,
      allocated,
      actual: t.cell('G1', TOTAL, 'actual', 'pence') ?? 0,
      vacancy: t.cell('B3', TOTAL, 'vacancy-rate', 'percent'),
    };
  });
  type Per = (typeof per)[number];
  const valuesOf = (p: Omit<Per, 't'>, vacancyRateValue: number | null): Record<ComparisonMeasure, number | null> => ({
    headcount: p.headcount,
    'vacancy-rate': vacancyRateValue,
    'leaver-rate': roundForDisplay(leaverRate(p.leavers, p.start, p.headcount), 1),
    'stability-index':
      p.yearAgo === null || p.stayed === null ? null : roundForDisplay(stabilityIndex(p.stayed, p.yearAgo), 1),
    'roles-mapped': pct(p.agreed, p.rolesAll),
    'meeting-requirement': pct(p.meets, p.headcount),
    'bme-share': pct(p.bme, p.headcount),
    'spend-against-allocation': pct(p.actual, p.allocated),
  });
  const summed = {
    headcount: sum(per.map((p) => p.headcount)),
    start: sum(per.map((p) => p.start)),
    leavers: sum(per.map((p) => p.leavers)),
    yearAgo: stability ? sum(per.map((p) => p.yearAgo ?? 0)) : null,
    stayed: stability ? sum(per.map((p) => p.stayed ?? 0)) : null,
    meets: sum(per.map((p) => p.meets)),
    bme: sum(per.map((p) => p.bme)),
    agreed: sum(per.map((p) => p.agreed)),
    rolesAll: sum(per.map((p) => p.rolesAll)),
    allocated: sum(per.map((p) => p.allocated)),
    actual: sum(per.map((p) => p.actual)),
    vacancy: null,
  };
  const icsValues = valuesOf(summed, figures.vacancyByStage.at(-1)!.vacancyRate);
  const trustValues = per.map((p) => ({ odsCode: p.t.odsCode, name: p.t.name, values: valuesOf(p, p.vacancy) }));
  const spread = Object.fromEntries(
    COMPARISON_MEASURES.map((m) => {
      const xs = trustValues
        .map((t) => t.values[m])
        .filter((v): v is number => v !== null)
        .sort((a, b) => a - b);
      if (xs.length === 0) return [m, null];
      const mid = Math.floor(xs.length / 2);
      const median = xs.length % 2 === 1 ? xs[mid]! : roundForDisplay((xs[mid - 1]! + xs[mid]!) / 2, 1);
      return [m, { lowest: xs[0]!, median, highest: xs.at(-1)! }];
    }),
  ) as IcsPicture['comparison']['spread'];
  const comparison: IcsPicture['comparison'] = {
    measures: COMPARISON_MEASURES.map((key) => ({
      key,
      label: COMPARISON_LABELS[key].label,
      unit: COMPARISON_LABELS[key].unit,
    })),
    trusts: trustValues,
    ics: icsValues,
    spread,
  };

  const trustRows: KeyLabel[] = trusts.map((t) => ({ key: t.odsCode, label: `${t.name} (${t.odsCode})` }));
  const extras = (t: ReturnTables, ids: AssembledIds) => {
    if (trusts.length === 0) return;
    const stageFte = (tr: TrustReturn | undefined, stage: string) =>
      tr ? (tr.cell('B1', stage, TOTAL, 'fte') ?? 0) : round2(total('B1', stage, TOTAL, 'fte'));
    const byOds = new Map(trusts.map((tr) => [tr.odsCode, tr]));
    const b5 = t.counts(
      {
        id: 'B5',
        section: 'B',
        title: 'Staff in post by trust and stage',
        rowDimension: 'trust',
        columnDimension: 'stage',
        rows: trustRows,
        columns: stageRows,
        note: 'Each trust counts each person once, under their main assignment. The Total row is the ICS.',
      },
      trusts.map((tr) => stageKeys.map((s) => tr.cell('B1', s, TOTAL, 'headcount') ?? 0)),
      { shareColumns: ids.b1, fte: (row, col) => stageFte(row === TOTAL ? undefined : byOds.get(row), col) },
    );
    vacancyTable(
      t,
      'B6',
      'Establishment, in post and vacancy by trust',
      'trust',
      [
        ...per.map((p) => ({
          key: p.t.odsCode,
          label: `${p.t.name} (${p.t.odsCode})`,
          countId: b5(p.t.odsCode, TOTAL),
          headcount: p.headcount,
        })),
        { key: TOTAL, label: 'Total', countId: ids.b1(TOTAL, TOTAL), headcount: summed.headcount },
      ],
      [
        ...trusts.map((tr) => ({
          establishmentFte: tr.cell('B3', TOTAL, 'establishment', 'fte') ?? 0,
          inPostFte: tr.cell('B3', TOTAL, 'in-post', 'fte') ?? 0,
          vacancyFte: tr.cell('B3', TOTAL, 'vacancy', 'fte'),
          vacancyRate: tr.cell('B3', TOTAL, 'vacancy-rate', 'percent'),
        })),
        figures.vacancyByStage.at(-1)!,
      ],
    );
    const d5 = t.byColumns(
      {
        id: 'D5',
        section: 'D',
        title: "Staff in post meeting their stage's education requirement, by trust",
        rowDimension: 'trust',
        columnDimension: 'measure',
        rows: trustRows,
        columns: [],
      },
      [{ key: 'meets', label: 'Meets', totalId: ids.d1(TOTAL, 'meets') }],
      per.map((p) => [p.meets]),
    );
    const e7 = t.byColumns(
      {
        id: 'E7',
        section: 'E',
        title: 'Retention by trust',
        rowDimension: 'trust',
        columnDimension: 'measure',
        rows: trustRows,
        columns: [],
      },
      [
        { key: 'start', label: 'In post at the start', totalId: ids.e1(TOTAL, TOTAL) },
        { key: 'leavers', label: 'Leavers', totalId: ids.e3(TOTAL, TOTAL) },
        ...(stability && ids.e5 && ids.e6
          ? [
              { key: 'year-ago', label: 'In post a year before', totalId: ids.e5(TOTAL, TOTAL) },
              { key: 'stayed', label: 'Still in post', totalId: ids.e6(TOTAL, TOTAL) },
            ]
          : []),
      ],
      per.map((p) => [p.start, p.leavers, ...(stability ? [p.yearAgo ?? 0, p.stayed ?? 0] : [])]),
    );
    const f5 = t.byColumns(
      {
        id: 'F5',
        section: 'F',
        title: 'BME staff in post by trust',
        rowDimension: 'trust',
        columnDimension: 'measure',
        rows: trustRows,
        columns: [],
      },
      [{ key: 'bme', label: 'BME', totalId: ids.f1(TOTAL, 'bme') }],
      per.map((p) => [p.bme]),
    );
    const rows = [
      ...per.map((p) => ({ key: p.t.odsCode, p, v: valuesOf(p, p.vacancy) })),
      { key: TOTAL, p: summed, v: icsValues },
    ];
    t.figures(
      {
        id: 'B7',
        section: 'B',
        title: 'Trusts compared',
        rowDimension: 'trust',
        columnDimension: 'measure',
        rows: [...trustRows, { key: TOTAL, label: 'ICS' }],
        columns: COMPARISON_MEASURES.map((m) => ({ key: m, label: COMPARISON_LABELS[m].label })),
        note: 'The ICS row is worked out from the added-up counts, not as an average of the trusts.',
      },
      ['count', 'percent'],
      rows.flatMap(({ key, p, v }) => {
        const id = (ids2: (row: string, column: string) => string, column: string) => ids2(key, column);
        const head = key === TOTAL ? ids.b1(TOTAL, TOTAL) : b5(key, TOTAL);
        const stayedIds = stability ? [id(e7, 'stayed'), id(e7, 'year-ago')] : [];
        const basisOf: Record<ComparisonMeasure, { counts: string[]; parts: number[] } | null> = {
          headcount: { counts: [head], parts: [] },
          'vacancy-rate': { counts: [head], parts: [p.headcount] },
          'leaver-rate': {
            counts: [id(e7, 'leavers'), id(e7, 'start'), head],
            parts: [p.leavers, p.start, p.headcount, Math.round((p.start + p.headcount) / 2) - p.leavers],
          },
          'stability-index': rateBasis(stayedIds, p.stayed ?? 0, p.yearAgo ?? 0),
          'roles-mapped': null,
          'meeting-requirement': rateBasis([id(d5, 'meets'), head], p.meets, p.headcount),
          'bme-share': rateBasis([id(f5, 'bme'), head], p.bme, p.headcount),
          'spend-against-allocation': null,
        };
        return COMPARISON_MEASURES.map((m) => ({
          row: key,
          column: m,
          measure: COMPARISON_LABELS[m].unit,
          value: v[m],
          basis: basisOf[m],
        }));
      }),
      true,
    );
  };

  return { trusts, figures, comparison, extras, missing, own };
}

/** What the returns builder needs from an ICS database: the same shape as a trust's gatherReturn. */
export function gatherIcsReturn(db: DB, opts: BuildOptions) {
  const { range, asAt } = opts;
  const g = gatherIcs(db, range, asAt);
  const org = getOrganisation(db);
  const own = g.own;
  const about: ReturnContent['about'] = {
    trustName: org?.name ?? '',
    odsCode: org?.odsCode ?? '',
    organisationKind: 'ics',
    ics: org?.ics ?? '',
    ahpFaculty: org?.ahpFaculty ?? '',
    period: range.period,
    periodStart: range.from,
    asAt,
    imports: g.trusts.map((t) => ({
      kind: 'trust return',
      fileName: `${t.name} (${t.odsCode}) ${range.period} version ${t.version}, as at ${t.asAt}`,
      importedAt: t.file.return.signOff.at,
      sha256: t.file.return.hash,
    })),
    frameworkVersion: currentFramework(db).version,
    appVersion: APP_VERSION,
    disclosure: {
      threshold: opts.threshold,
      rules:
        `Counts from 1 to ${opts.threshold} are hidden (0 is shown), with further cells hidden so that no hidden cell ` +
        "can be worked out from the published totals, the trust comparison included (a trust's figure cannot be worked " +
        'out as the ICS total minus the other trusts); FTE, rates and percentages resting on a hidden or small count are ' +
        "hidden too. Grand totals are hidden only when they are themselves small; money never. Figures are the trusts' exact returns added up; rates are " +
        'worked out from the added-up counts.',
    },
    preparedBy: opts.preparedBy,
    builtAt: opts.builtAt,
  };
  const checklist = own.streams.flatMap((s) =>
    s.checklist.map((c) => ({ stream: s.name, text: c.text, done: c.done })),
  );
  const facts: BuiltFacts = {
    staffInPost: g.comparison.ics.headcount ?? 0,
    draftRoles: g.figures.rolesByMapping[1] ?? 0,
    unallocatedEntries: own.unallocated.count,
    hasOds: Boolean(org?.odsCode),
    ics: { collected: g.trusts.length, missing: g.missing.map((m) => `${m.name} (${m.odsCode})`) },
  };
  return { tables: assembleTables(g.figures, g.extras), about, checklist, facts };
}

/** The ICS picture: the added-up sections (exact) and the trusts side by side. */
export function icsPicture(db: DB, range: PeriodRange, asAt: string): IcsPicture {
  const g = gatherIcs(db, range, asAt);
  const tables = assembleTables(g.figures).resolve(new Map(), 0);
  return {
    period: range.period,
    included: g.trusts.map((t) => ({
      odsCode: t.odsCode,
      name: t.name,
      collectedId: t.collectedId,
      version: t.version,
      asAt: t.asAt,
    })),
    missing: g.missing,
    tables,
    comparison: g.comparison,
  };
}
