import { framework2021 } from '../../../shared/framework';
import { describeVacancyCoverage } from '../../../shared/picture/metrics';
import { NO_FILTER, filterRoles } from '../../../shared/workforce/role-list';
import { call, CliError, count, textTable, type CliCommand } from '../../transports/cli-command';

/** FTE to 2 decimal places, with thousands separators. */
const fte = (n: number) => n.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const workforceCommands: Record<string, CliCommand> = {
  summary: {
    usage: 'summary [--as-at YYYY-MM-DD] [--json]',
    summary: 'headcount, FTE and vacancy by profession and band',
    async run(ctx, args, out) {
      const asAt = args.text('as-at');
      const s = await call(ctx, 'workforce/summary', asAt ? { asAt } : {});
      if (args.json) {
        out(JSON.stringify(s));
        return 0;
      }
      out(
        `Workforce on ${s.asAt}: headcount ${count(s.headcount)}, FTE ${fte(s.fte)}, establishment ${fte(s.establishmentFte)} FTE, vacancy ${s.vacancyFte === null ? '-' : `${fte(s.vacancyFte)} FTE`}\n` +
          `${describeVacancyCoverage(s.vacancyCoverage)}\n\n` +
          textTable([
            ['Profession', 'Band', 'Headcount', 'FTE'],
            ...s.byProfessionBand.map((r) => [r.professionName, r.band, r.headcount, fte(r.fte)]),
          ]),
      );
      return 0;
    },
  },
  'person find': {
    usage: 'person find NUMBER [--json]',
    summary:
      'find a member of staff by employee or assignment number (hashed as an import does; never stored or logged)',
    async run(ctx, args, out) {
      const number = args.positional[0];
      if (!number) throw new CliError('person find needs a number: npm run cli -- person find NUMBER');
      const found = await call(ctx, 'workforce/person-find', { number });
      const record = await call(ctx, 'training/person', { personId: found.personId });
      if (args.json) {
        out(
          JSON.stringify({
            ...found,
            role: record.role,
            qualifications: record.qualifications.length,
            gapNow: record.gapNow,
          }),
        );
        return 0;
      }
      const role = record.role ? `${record.role.title}, ${record.role.serviceName}` : 'no assignment in post today';
      const lines = [
        `Staff member ${found.ref} (person ${found.personId}), found by ${found.matchedBy} number: ${role}.`,
        `${count(record.qualifications.length)} qualification record(s)${record.qualifications.length ? ':' : '.'}`,
        ...record.qualifications.map((q) => `  ${q.label}`),
      ];
      if (record.gapNow)
        lines.push(
          `Education for their stage: ${record.gapNow.status}${record.gapNow.missing.length ? ` (still needed: ${record.gapNow.missing.join('; ')})` : ''}.`,
        );
      out(lines.join('\n'));
      return 0;
    },
  },
  roles: {
    usage: 'roles [--search TEXT] [--json]',
    summary: 'job roles with band, main profession, services, staff in post, establishment and stage',
    async run(ctx, args, out) {
      const search = args.text('search') ?? '';
      const [all, services] = await Promise.all([
        call(ctx, 'workforce/roles', {}),
        call(ctx, 'workforce/services', {}),
      ]);
      const names = new Map(services.map((s) => [s.id, s.name]));
      const roles = filterRoles(all, { ...NO_FILTER, search }).map((r) => ({
        id: r.id,
        title: r.title,
        band: r.band,
        profession: r.profession,
        professionName: r.professionName,
        mixed: r.mixed,
        services: r.serviceIds.map((id) => names.get(id) ?? String(id)).sort((a, b) => a.localeCompare(b, 'en-GB')),
        headcount: r.headcount,
        inPostFte: r.inPostFte,
        establishmentFte: r.establishmentFte,
        stage: r.stage,
        mappingStatus: r.mappingStatus,
      }));
      if (args.json) {
        out(JSON.stringify({ total: all.length, matching: roles.length, roles }));
        return 0;
      }
      const stageName = (id: string) =>
        (framework2021.stages.find((s) => s.id === id)?.name ?? id).replace(/\s*\(.*\)$/, '');
      const stage = (r: (typeof roles)[number]) =>
        r.stage === null
          ? 'not mapped'
          : `${stageName(r.stage)} (${r.mappingStatus === 'agreed' ? 'agreed' : 'draft'})`;
      out(
        `${count(roles.length)} of ${count(all.length)} roles${search ? ` matching "${search}"` : ''}\n\n` +
          textTable([
            [
              'Id',
              'Role',
              'Band',
              'Main profession',
              'Services',
              'Staff in post',
              'In post FTE',
              'Establishment FTE',
              'Stage',
            ],
            ...roles.map((r) => [
              r.id,
              r.title,
              r.band,
              `${r.professionName}${r.mixed ? ' (mixed)' : ''}`,
              r.services.length > 2 ? `${r.services.length} services` : r.services.join('; '),
              r.headcount,
              fte(r.inPostFte),
              fte(r.establishmentFte),
              stage(r),
            ]),
          ]),
      );
      return 0;
    },
  },
};
