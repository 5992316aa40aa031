import type { z } from 'zod';
import type { FileData } from '../../../shared/common/api';
import { addDays } from '../../../shared/common/periods';
import { professions } from '../../../shared/common/reference';
import type { DiversityRow, pictureExportInputSchema, WorkforceMetrics } from '../../../shared/picture/channels';
import { describeVacancyCoverage, isSmallCount, SMALL_COUNT_THRESHOLD } from '../../../shared/picture/metrics';
import type { DB } from '../../db/connection';
import type { Actor } from '../common/audit';
import {
  CSV_MIME,
  SMALL_COUNT_MARK,
  SMALL_COUNTS_NOTE,
  toCsv,
  toXlsx,
  XLSX_MIME,
  type CellValue,
  type Column,
  type Sheet,
} from '../common/export-table';
import { workforceMetrics } from './metrics';

/**
 * The workforce picture's tables as a file: XLSX with a sheet a table (as on the screen) and an About sheet with the
 * definitions, or CSV with one row a figure (table, group, measure, value), which Excel can pivot. The counts are
 * not protected for publication: the export writer notes so above every table of counts of people and marks each
 * count from 1 to SMALL_COUNT_THRESHOLD, as the screen does (export-table.ts, `peopleCount`).
 */

type Input = z.output<typeof pictureExportInputSchema>;

const text = (header: string, width?: number): Column => ({ header, type: 'text', width });
const people = (header: string): Column => ({ header, type: 'integer', peopleCount: true });
const fte = (header: string): Column => ({ header, type: 'decimal' });
const percent = (header: string): Column => ({ header, type: 'decimal' });

const diversityColumns: Column[] = [
  text('Group'),
  people('Headcount'),
  people('BME'),
  people('White'),
  people('Ethnicity not known'),
  percent('BME % (of known)'),
  people('Disabled'),
  people('Not disabled'),
  people('Disability not declared'),
  percent('Disabled % (of those who answered)'),
  people('Female'),
  people('Male'),
  percent('Female %'),
];
const diversityRow = (d: DiversityRow): CellValue[] => [
  d.label,
  d.headcount,
  d.bme,
  d.white,
  d.ethnicityNotKnown,
  d.bmePercent,
  d.disabled,
  d.notDisabled,
  d.disabilityNotDeclared,
  d.disabledPercent,
  d.female,
  d.male,
  d.femalePercent,
];

/** The picture's tables, in the screen's order. */
export function pictureTables(m: WorkforceMetrics): Sheet[] {
  const c = m.vacancyCoverage;
  return [
    {
      name: 'Headline figures',
      columns: [text('Figure', 48), people('Headcount'), fte('FTE'), percent('Percent')],
      rows: [
        [`In post on ${m.from}`, m.headcountStart, m.fteStart, null],
        [`In post on ${m.to}`, m.headcountEnd, m.fteEnd, null],
        ['Starters', m.starters, null, null],
        ['Leavers', m.leavers, null, null],
        ['Leaver rate', null, null, m.leaverRate],
        [
          `In post on ${m.stabilityBase.yearBefore} (a year before the end)`,
          m.stabilityBase.inPostAYearBefore,
          null,
          null,
        ],
        ['Of them, still in post at the end', m.stabilityBase.stillInPost, null, null],
        ['Stability index', null, null, m.stabilityIndex],
        [
          `Establishment (the ${c.rolesWithEstablishment} of ${c.roles} post lines with one set)`,
          null,
          m.establishmentFte,
          null,
        ],
        ['In post in those roles (percent: share of all FTE in post)', null, m.inPostFte, c.percent],
        ['Vacancy rate', null, null, m.vacancyRate],
        ['BME share (of staff whose ethnic category is known)', null, null, m.bmePercent],
      ],
    },
    {
      name: 'By profession, band, stage',
      columns: [text('Profession'), text('Band', 6), text('Stage'), people('Headcount at end'), fte('FTE at end')],
      rows: m.byProfessionBandStage.map((r) => [r.professionName, r.band, r.stageLabel, r.headcountEnd, r.fteEnd]),
    },
    {
      name: 'Starters and leavers',
      columns: [text('Profession'), text('Band', 6), people('Headcount at end'), people('Starters'), people('Leavers')],
      rows: m.byProfessionBand.map((r) => [r.professionName, r.band, r.headcountEnd, r.starters, r.leavers]),
    },
    {
      name: 'Vacancy by service',
      columns: [
        text('Service'),
        fte('Establishment FTE'),
        fte('In post FTE (post lines with an establishment)'),
        fte('Vacancy FTE'),
        percent('Vacancy rate %'),
        { header: 'Post lines', type: 'integer' },
        { header: 'Post lines with an establishment', type: 'integer' },
        fte('In post FTE (all post lines)'),
        percent('Share of FTE in post covered %'),
      ],
      rows: m.vacancyByService.map((v) => [
        v.serviceName,
        v.establishmentFte,
        v.inPostFte,
        v.vacancyFte,
        v.vacancyRate,
        v.coverage.roles,
        v.coverage.rolesWithEstablishment,
        v.coverage.allInPostFte,
        v.coverage.percent,
      ]),
    },
    {
      name: 'Vacancy by role',
      columns: [
        text('Role', 36),
        text('Service'),
        text('Band', 6),
        fte('Establishment FTE'),
        fte('In post FTE'),
        fte('Vacancy FTE'),
        percent('Vacancy rate %'),
      ],
      rows: m.vacancyByRole.map((r) => [
        r.title,
        r.serviceName,
        r.band,
        r.establishmentFte,
        r.inPostFte,
        r.vacancyFte,
        r.vacancyRate,
      ]),
    },
    {
      name: 'Ethnic category',
      columns: [text('Code', 6), text('Category', 48), text('Group', 16), people('Headcount')],
      rows: m.ethnicity.map((e) => [e.category, e.name, e.group, e.headcount]),
    },
    {
      name: 'Age band',
      columns: [text('Age'), people('Headcount')],
      rows: m.ageBands.map((a) => [a.label, a.headcount]),
    },
    { name: 'Sex', columns: [text('Sex'), people('Headcount')], rows: m.sex.map((x) => [x.label, x.headcount]) },
    {
      name: 'Disability',
      columns: [text('Disability'), people('Headcount')],
      rows: m.disability.map((d) => [d.label, d.headcount]),
    },
    {
      name: 'Diversity by band',
      columns: diversityColumns,
      rows: [...m.diversityByBand, m.diversityWhole].map(diversityRow),
    },
    {
      name: 'Diversity by stage',
      columns: diversityColumns,
      rows: [...m.diversityByStage, m.diversityWhole].map(diversityRow),
    },
  ];
}

/** What the file holds and what its figures mean (README "Workforce picture"). */
function aboutSheet(m: WorkforceMetrics, input: Input, serviceName: string | null): Sheet {
  const profession = input.profession
    ? (professions.items.find((p) => p.code === input.profession)?.name ?? input.profession)
    : 'All professions';
  return {
    name: 'About',
    columns: [text('Item', 24), text('Value', 100)],
    rows: [
      ['Workforce picture', `${m.from} to ${m.to}`],
      ['Profession', profession],
      ['Service', serviceName ?? 'All services'],
      ['Counts', SMALL_COUNTS_NOTE],
      ['Headcount', 'Each person once, however many assignments they hold; FTE adds up (1.0 FTE = 37.5 hours a week).'],
      [
        'Starter',
        `Someone not in post on ${addDays(m.from, -1)}, the day before the period, who starts an assignment in it.`,
      ],
      [
        'Leaver',
        `Someone whose assignment ends in the period and who is not in post on ${addDays(m.to, 1)}, the day after it. Moving between roles makes nobody a starter or a leaver.`,
      ],
      ['Leaver rate', 'Leavers / the average of the headcount at the start and at the end x 100 (NHS Digital).'],
      [
        'Stability index',
        'People in post both a year before the end of the period and at its end / people in post a year before the end x 100.',
      ],
      [
        'Vacancy rate',
        `(Establishment FTE - FTE in post at the end) / establishment FTE x 100, over the post lines with an establishment set. ${describeVacancyCoverage(m.vacancyCoverage)}`,
      ],
      ['Rates', 'Percentages to 1 decimal place; empty when there is nothing to divide by.'],
    ],
  };
}

/**
 * Every figure of the tables as one row: table, group (the row's text cells), measure (the column), value, and the
 * small-count mark when the figure is a count of people (the value column also holds rates, so it is marked here).
 */
function figuresSheet(tables: Sheet[]): Sheet {
  const rows: CellValue[][] = [];
  for (const table of tables) {
    for (const row of table.rows) {
      const group = table.columns
        .map((c, i) => (c.type === 'text' ? row[i] : null))
        .filter((v) => v !== null && v !== undefined && v !== '')
        .join(', ');
      table.columns.forEach((c, i) => {
        const value = row[i] ?? null;
        if (c.type === 'text' || value === null) return;
        const small = c.peopleCount === true && isSmallCount(value as number);
        rows.push([table.name, group, c.header, value, small ? SMALL_COUNT_MARK : null]);
      });
    }
  }
  return {
    name: 'Workforce picture',
    columns: [
      text('Table', 24),
      text('Group', 40),
      text('Measure', 32),
      { header: 'Value', type: 'decimal' },
      text(`Small (1 to ${SMALL_COUNT_THRESHOLD})`, 10),
    ],
    rows,
    note: SMALL_COUNTS_NOTE,
  };
}

export async function exportPicture(db: DB, actor: Actor, input: Input): Promise<FileData> {
  const { format, ...period } = input;
  const m = workforceMetrics(db, period);
  const tables = pictureTables(m);
  const base = `workforce-picture-${m.from}-to-${m.to}`;
  if (format === 'csv') {
    return { fileName: `${base}.csv`, mimeType: CSV_MIME, base64: toCsv(figuresSheet(tables)).toString('base64') };
  }
  const serviceName =
    input.serviceId === null
      ? null
      : ((db.prepare('SELECT name FROM service WHERE id = ?').pluck().get(input.serviceId) as string | undefined) ??
        null);
  const bytes = await toXlsx([...tables, aboutSheet(m, input, serviceName)], {
    creator: actor.user,
    created: actor.now(),
  });
  return { fileName: `${base}.xlsx`, mimeType: XLSX_MIME, base64: bytes.toString('base64') };
}
