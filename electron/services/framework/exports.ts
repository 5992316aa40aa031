import type { FileData } from '../../../shared/api';
import { RATING_LABELS, type Rating } from '../../../shared/framework/channels';
import { stageById, type StageId } from '../../../shared/framework/index';
import { GAP_STATUS_LABELS } from '../../../shared/framework/labels';
import type { DB } from '../../db/connection';
import type { Actor } from '../audit';
import { CSV_MIME, toCsv, toXlsx, XLSX_MIME, type Sheet } from '../export/table';
import { todayIso } from '../workforce/dates';
import { allGaps } from './education';
import { listMappings } from './mapping';
import { tnaOverview } from './tna';
import { currentFramework } from './versions';

export function roleMapSheet(db: DB): Sheet {
  const framework = currentFramework(db);
  const stageName = (s: StageId | null | undefined) => (s ? stageById(framework, s).name : '');
  const { rows } = listMappings(db);
  const assessments = new Map<number, Map<number, { rating: Rating; evidence: string | null }>>();
  for (const a of db.prepare('SELECT role_id, domain, rating, evidence FROM domain_assessment').all() as { role_id: number; domain: number; rating: Rating; evidence: string | null }[]) {
    const m = assessments.get(a.role_id) ?? new Map();
    m.set(a.domain, { rating: a.rating, evidence: a.evidence });
    assessments.set(a.role_id, m);
  }
  const domains = [...framework.domains].sort((a, b) => a.number - b.number);
  return {
    name: 'Role map',
    columns: [
      { header: 'Role', type: 'text', width: 36 },
      { header: 'Service', type: 'text' },
      { header: 'Profession', type: 'text', width: 22 },
      { header: 'Occupation code', type: 'text', width: 10 },
      { header: 'Band', type: 'text', width: 6 },
      { header: 'Headcount', type: 'integer' },
      { header: 'Suggested stage', type: 'text' },
      { header: 'Stage', type: 'text' },
      { header: 'Status', type: 'text', width: 10 },
      { header: 'Rationale', type: 'text', width: 50 },
      { header: 'Framework version', type: 'text', width: 14 },
      { header: 'Version retired', type: 'text', width: 8 },
      { header: 'Agreed by', type: 'text', width: 14 },
      { header: 'Agreed on', type: 'date' },
      ...domains.map((d) => ({ header: `Domain ${d.number}: ${d.name}`, type: 'text' as const, width: 16 })),
      { header: 'Evidence notes', type: 'text', width: 60 },
    ],
    rows: rows.map((r) => {
      const own = assessments.get(r.roleId);
      return [
        r.title,
        r.serviceName,
        r.professionName,
        r.occupationCode,
        r.band,
        r.headcount,
        stageName(r.suggestion?.stage),
        stageName(r.mapping?.stage),
        r.mapping ? r.mapping.status : 'not mapped',
        r.mapping?.rationale ?? null,
        r.mapping?.frameworkVersion ?? null,
        r.mapping ? (r.mapping.versionRetired ? 'Yes' : 'No') : null,
        r.mapping?.agreedBy ?? null,
        r.mapping?.agreedAt?.slice(0, 10) ?? null,
        ...domains.map((d) => (own?.get(d.number) ? RATING_LABELS[own.get(d.number)!.rating] : null)),
        own ? [...own].filter(([, a]) => a.evidence).map(([n, a]) => `D${n}: ${a.evidence}`).join('; ') || null : null,
      ];
    }),
  };
}

export function gapsSheet(db: DB, asAt = todayIso()): Sheet {
  const framework = currentFramework(db);
  const people = allGaps(db, asAt);
  return {
    name: 'Education gaps',
    columns: [
      { header: 'Staff reference', type: 'text', width: 12 },
      { header: 'Role', type: 'text', width: 36 },
      { header: 'Service', type: 'text' },
      { header: 'Profession', type: 'text', width: 22 },
      { header: 'Stage', type: 'text' },
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
      { header: 'Cohort', type: 'integer' },
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
    ]),
  };
}

const NAMES = { 'role-map': 'role-map', gaps: 'education-gaps', tna: 'training-needs' } as const;

export async function exportFile(db: DB, actor: Actor, what: 'role-map' | 'gaps' | 'tna', format: 'xlsx' | 'csv'): Promise<FileData> {
  const sheet = what === 'role-map' ? roleMapSheet(db) : what === 'gaps' ? gapsSheet(db) : tnaSheet(db);
  const fileName = `${NAMES[what]}-${todayIso(actor.now())}.${format}`;
  if (format === 'csv') return { fileName, mimeType: CSV_MIME, base64: toCsv(sheet).toString('base64') };
  return { fileName, mimeType: XLSX_MIME, base64: (await toXlsx([sheet], { creator: actor.user, created: actor.now() })).toString('base64') };
}
