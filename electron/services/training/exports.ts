import type { FileData } from '../../../shared/common/api';
import { todayIso } from '../../../shared/common/clock';
import { stageById } from '../../../shared/framework/index';
import { careerFrameworkLevelLabel, GAP_STATUS_LABELS, rqfQualificationLabel } from '../../../shared/framework/labels';
import { EDUCATION_REQUIREMENTS } from '../../../shared/training/education';
import type { DB } from '../../db/connection';
import type { Actor } from '../common/audit';
import { PEOPLE_ROWS_NOTE, sheetFile, type ExportFormat, type Sheet } from '../common/export-table';
import { currentFramework } from '../framework/versions';
import { allGaps } from './education';
import { tnaOverview } from './tna';

export function gapsSheet(db: DB, asAt: string): Sheet {
  const framework = currentFramework(db);
  const people = allGaps(db, asAt);
  return {
    name: 'Education gaps',
    note: PEOPLE_ROWS_NOTE,
    columns: [
      { header: 'Staff reference', type: 'text', width: 12 },
      { header: 'Role', type: 'text', width: 36 },
      { header: 'Service', type: 'text' },
      { header: 'Profession', type: 'text', width: 22 },
      { header: 'Stage', type: 'text' },
      { header: 'Career framework level', type: 'text', width: 22 },
      { header: 'Education asked for', type: 'text', width: 24 },
      { header: 'Education (Domain 1, item 1.1)', type: 'text', width: 16 },
      { header: 'Still needed', type: 'text', width: 60 },
      { header: 'Next stage', type: 'text' },
      { header: 'Next stage education', type: 'text', width: 16 },
      { header: 'As at', type: 'date' },
    ],
    rows: people.map(({ person: p, ...gaps }) => [
      p.ref,
      p.role.title,
      p.role.serviceName,
      p.role.professionName,
      p.role.stage ? stageById(framework, p.role.stage).name : 'Role not mapped',
      p.role.stage ? careerFrameworkLevelLabel(p.role.stage) : null,
      p.role.stage ? rqfQualificationLabel(EDUCATION_REQUIREMENTS[p.role.stage].rqfLevel) : null,
      GAP_STATUS_LABELS[gaps.now?.status ?? 'unknown'],
      gaps.now ? gaps.now.missing.join('; ') : 'The role is not mapped to a framework stage yet.',
      gaps.next ? stageById(framework, gaps.next.stage).name : null,
      gaps.next ? GAP_STATUS_LABELS[gaps.next.status] : null,
      asAt,
    ]),
  };
}

export function tnaSheet(db: DB): Sheet {
  const tna = tnaOverview(db);
  return {
    name: 'Training needs',
    columns: [
      { header: 'Title', type: 'text', width: 36 },
      { header: 'Route', type: 'text', width: 40 },
      { header: 'Priority', type: 'text', width: 9 },
      { header: 'Target quarter', type: 'text', width: 13 },
      { header: 'Cohort', type: 'integer', peopleCount: true },
      { header: 'Tuition per person', type: 'money' },
      { header: 'Backfill weeks', type: 'decimal' },
      { header: 'Backfill band', type: 'text', width: 8 },
      { header: 'FTE per person', type: 'decimal' },
      { header: 'Pay table date', type: 'date' },
      { header: 'Annual pay point', type: 'money' },
      { header: 'Tuition', type: 'money' },
      { header: 'Backfill', type: 'money' },
      { header: 'On-cost', type: 'money' },
      { header: 'Total', type: 'money' },
      { header: 'Levy-fundable tuition', type: 'money' },
      { header: 'On-cost percent', type: 'decimal' },
      { header: 'Notes', type: 'text', width: 40 },
      { header: 'Pay year used', type: 'text', width: 40 },
    ],
    rows: tna.items.map((i) => [
      i.title,
      i.routeName,
      i.priority,
      i.targetQuarter,
      i.cohortSize,
      i.tuitionPencePerPerson,
      i.backfillWeeks,
      i.backfillBand,
      i.ftePerPerson,
      i.payDate,
      i.annualPayPence,
      i.tuitionPence,
      i.backfillPence,
      i.onCostPence,
      i.totalPence,
      i.levyFundablePence,
      tna.settings.onCostPercent,
      i.notes,
      i.payNote ?? i.payYear,
    ]),
  };
}

const NAMES = { gaps: 'education-gaps', tna: 'training-needs' } as const;

export function exportTraining(db: DB, actor: Actor, what: 'gaps' | 'tna', format: ExportFormat): Promise<FileData> {
  const sheet = what === 'gaps' ? gapsSheet(db, todayIso(actor.now())) : tnaSheet(db);
  return sheetFile(actor, NAMES[what], sheet, format);
}
