import { BAND_CODES, professions } from '../../shared/common/reference';
import { STAGE_IDS } from '../../shared/framework';
import type { RoleView } from '../../shared/workforce/channels';
import { NO_FILTER, roleList, type RoleFilter, type RoleSort } from '../../shared/workforce/role-list';
import { median, type BenchSuite } from './harness';

const WORDS = ['therapy', 'support', 'rehabilitation', 'assistant', 'senior', 'technical', 'imaging', 'dietetic'];

/** Roles shaped as the service sends them, with a fixed spread of titles, bands, services, stages and staff. */
function syntheticRoles(count: number): RoleView[] {
  const codes = professions.items.map((p) => p);
  return Array.from({ length: count }, (_, i) => {
    const profession = codes[i % codes.length]!;
    const services = [1 + (i % 40), 1 + ((i * 7) % 40)];
    return {
      id: i + 1,
      title: `${WORDS[i % WORDS.length]} ${WORDS[(i * 3) % WORDS.length]} worker ${i}`,
      band: BAND_CODES[i % BAND_CODES.length]!,
      profession: profession.code,
      professionName: profession.name,
      occupationCode: null,
      mixed: null,
      serviceCount: services.length,
      serviceIds: services,
      services: services.map((s) => `Service ${s}`).join('; '),
      establishmentFte: (i % 13) * 0.5,
      inPostFte: (i % 11) * 0.5,
      headcount: i % 11,
      stage: i % 4 === 0 ? null : STAGE_IDS[i % 3]!,
      mappingStatus: i % 4 === 0 ? null : i % 2 === 0 ? 'agreed' : 'draft',
      conflicts: 0,
    };
  });
}

export const rolesBench: BenchSuite = {
  name: 'roles',
  async run({ scale, report }) {
    const count = scale(5_000);
    const roles = syntheticRoles(count);
    const cases: [string, Partial<RoleFilter>, RoleSort][] = [
      ['sort by title', {}, { key: 'title', desc: false }],
      ['search + sort by staff', { search: 'therapy sup' }, { key: 'headcount', desc: true }],
      ['3 filters + sort by stage', { band: '3', serviceId: 7, staff: 'with' }, { key: 'stage', desc: false }],
      ['unmapped + sort by profession', { mapping: 'unmapped' }, { key: 'profession', desc: false }],
    ];
    for (const [label, filter, sort] of cases) {
      // A fresh copy each run, so the search's per-role text is built inside the measured time.
      const ms = await median(9, () =>
        roleList(
          roles.map((r) => ({ ...r })),
          { ...NO_FILTER, ...filter },
          sort,
        ),
      );
      report(`${count.toLocaleString('en-GB')} roles: ${label}`, ms, 'ms', 'target < 50 ms at 5,000');
    }
  },
};
