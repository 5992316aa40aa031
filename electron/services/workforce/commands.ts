import { framework2021 } from '../../../shared/framework';
import { describeVacancyCoverage } from '../../../shared/picture/metrics';
import { NO_FILTER, filterRoles } from '../../../shared/workforce/role-list';
import { call, CliError, count, fte, textTable, type CliArgs, type CliCommand } from '../../transports/cli-command';

/** FTE to 2 decimal places, with thousands separators. */

export const workforceCommands: Record<string, CliCommand> = {
  ...groupingCommands(),
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

/** A whole-number id from the command line, or a usage error naming what it was for. */
function idArg(text: string | undefined, what: string): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < 1)
    throw new CliError(
      `${what} must be a role or merge number such as 12${text === undefined ? '' : ` (got "${text}")`}`,
    );
  return Number(text);
}

function mergeLine(m: {
  id: number;
  intoTitle: string;
  merged: { title: string }[];
  at: string;
  user: string;
  undoneAt: string | null;
  undoBlockedBy: string | null;
}): (string | number)[] {
  return [
    m.id,
    m.at.slice(0, 10),
    m.user,
    m.intoTitle,
    m.merged.map((r) => r.title).join('; '),
    m.undoneAt ? `undone ${m.undoneAt.slice(0, 10)}` : (m.undoBlockedBy ?? 'can be undone'),
  ];
}

/** Grouping roles (issue 11): merge, undo, suggestions and mapping conflicts. Kept apart from the role list. */
function groupingCommands(): Record<string, CliCommand> {
  return {
    'roles suggestions': {
      usage: 'roles suggestions [--json]',
      summary: 'roles that look like the same job (same band, same title once normalised), with the reason',
      async run(ctx, args, out) {
        const groups = await call(ctx, 'workforce/role-suggestions', {});
        if (args.json) out(JSON.stringify(groups));
        else if (groups.length === 0) out('No suggestions: no two roles of one band have matching titles.');
        else
          out(
            textTable([
              ['Merge', 'Into', 'Band', 'Staff', 'Reason'],
              ...groups.map((g) => [
                g.roleIds.slice(1).join(' '),
                `${g.roleIds[0]} ${g.titles[0]}`,
                g.band,
                g.staff,
                g.reason,
              ]),
            ]) + `\n\n${count(groups.length)} suggested merges. Merge one with: roles merge IDS --into ID`,
          );
        return 0;
      },
    },
    'roles merge': {
      usage: 'roles merge ID... --into ID [--title TEXT] [--keep-mapping ID|none] [--allow-different-bands] [--json]',
      summary:
        'merge roles into one: their posts, staff, pathway steps and titles move to it (undo with roles unmerge)',
      async run(ctx, args, out) {
        if (args.positional.length === 0) throw new CliError('roles merge needs the numbers of the roles to merge');
        const roleIds = args.positional.map((p) => idArg(p, 'Each role to merge'));
        const intoRoleId = idArg(args.text('into'), '--into');
        const keep = args.text('keep-mapping');
        const merged = await call(ctx, 'workforce/roles-merge', {
          roleIds,
          intoRoleId,
          title: args.text('title') ?? null,
          ...(keep === undefined ? {} : { keepMappingOf: keep === 'none' ? null : idArg(keep, '--keep-mapping') }),
          allowDifferentBands: args.options.has('allow-different-bands'),
        });
        if (args.json) out(JSON.stringify(merged));
        else
          out(
            `Merge ${merged.id}: ${merged.merged.map((r) => r.title).join('; ')} merged into ${merged.intoTitle} (role ${merged.intoRoleId}).` +
              (merged.mappingNote ? `\n${merged.mappingNote}` : '') +
              `\nUndo with: roles unmerge ${merged.id}`,
          );
        return 0;
      },
    },
    'roles merges': {
      usage: 'roles merges [--json]',
      summary: 'merges made, newest first, and whether each can still be undone',
      async run(ctx, args, out) {
        const merges = await call(ctx, 'workforce/role-merges', {});
        if (args.json) out(JSON.stringify(merges));
        else if (merges.length === 0) out('No roles have been merged.');
        else out(textTable([['Merge', 'Date', 'By', 'Into', 'Merged', 'Undo'], ...merges.map(mergeLine)]));
        return 0;
      },
    },
    'roles unmerge': {
      usage: 'roles unmerge MERGE_ID [--json]',
      summary: 'undo a merge of roles, while nothing has changed since',
      async run(ctx, args, out) {
        const id = idArg(args.positional[0], 'MERGE_ID');
        const undone = await call(ctx, 'workforce/role-merge-undo', { id });
        out(
          args.json
            ? JSON.stringify(undone)
            : `Merge ${undone.id} undone: ${undone.merged.map((r) => r.title).join('; ')} are roles of their own again.`,
        );
        return 0;
      },
    },
    'roles conflicts': {
      usage: 'roles conflicts [--json]',
      summary: 'mappings from merged roles waiting for the lead to choose one',
      async run(ctx, args, out) {
        const conflicts = await call(ctx, 'workforce/mapping-conflicts', {});
        if (args.json) out(JSON.stringify(conflicts));
        else if (conflicts.length === 0) out('No mapping conflicts to settle.');
        else
          out(
            textTable([
              ['Role', 'Title', 'Choice', 'From', 'Stage', 'Status', 'Agreed by'],
              ...conflicts.map((c) => [
                c.roleId,
                c.roleTitle,
                c.id,
                c.source,
                c.stage ?? '-',
                c.status,
                c.agreedBy ?? '-',
              ]),
            ]) + '\n\nSettle one with: roles settle ROLE_ID --keep CHOICE (or --keep none)',
          );
        return 0;
      },
    },
    'roles settle': {
      usage: 'roles settle ROLE_ID --keep ID|none [--json]',
      summary: "settle a role's mapping conflict: keep one candidate mapping (or none)",
      async run(ctx, args: CliArgs, out) {
        const roleId = idArg(args.positional[0], 'ROLE_ID');
        const keep = args.text('keep');
        if (keep === undefined)
          throw new CliError('roles settle needs --keep ID (a choice from roles conflicts) or --keep none');
        const settled = await call(ctx, 'workforce/mapping-conflict-settle', {
          roleId,
          keep: keep === 'none' ? null : idArg(keep, '--keep'),
        });
        out(args.json ? JSON.stringify(settled) : `Role ${settled.id}: mapping conflict settled.`);
        return 0;
      },
    },
  };
}
