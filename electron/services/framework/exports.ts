import type { FileData } from '../../../shared/common/api';
import { RATING_LABELS, type Rating } from '../../../shared/framework/channels';
import { stageById, type StageId } from '../../../shared/framework/index';
import type { DB } from '../../db/connection';
import { todayIso } from '../../../shared/common/clock';
import type { Actor } from '../common/audit';
import { sheetFile, type ExportFormat, type Sheet } from '../common/export-table';
import { listMappings } from './mapping';
import { currentFramework } from './versions';

export function roleMapSheet(db: DB, asAt: string): Sheet {
  const framework = currentFramework(db);
  const stageName = (s: StageId | null | undefined) => (s ? stageById(framework, s).name : '');
  const { rows } = listMappings(db, asAt);
  const assessments = new Map<number, Map<number, { rating: Rating; evidence: string | null }>>();
  for (const a of db.prepare('SELECT role_id, domain, rating, evidence FROM domain_assessment').all() as {
    role_id: number;
    domain: number;
    rating: Rating;
    evidence: string | null;
  }[]) {
    const m = assessments.get(a.role_id) ?? new Map();
    m.set(a.domain, { rating: a.rating, evidence: a.evidence });
    assessments.set(a.role_id, m);
  }
  const domains = [...framework.domains].sort((a, b) => a.number - b.number);
  return {
    name: 'Role map',
    columns: [
      { header: 'Role', type: 'text', width: 36 },
      { header: 'Services', type: 'text' },
      { header: 'Profession', type: 'text', width: 22 },
      { header: 'Occupation code', type: 'text', width: 10 },
      { header: 'Band', type: 'text', width: 6 },
      { header: 'Headcount', type: 'integer', peopleCount: true },
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
        r.services,
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
        own
          ? [...own]
              .filter(([, a]) => a.evidence)
              .map(([n, a]) => `D${n}: ${a.evidence}`)
              .join('; ') || null
          : null,
      ];
    }),
  };
}

export function exportRoleMap(db: DB, actor: Actor, format: ExportFormat): Promise<FileData> {
  return sheetFile(actor, 'role-map', roleMapSheet(db, todayIso(actor.now())), format);
}
