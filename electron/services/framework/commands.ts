import fs from 'node:fs';
import path from 'node:path';
import { call, CliError, textTable, type CliCommand } from '../../cli/types';
import { formatPence } from '../../../shared/money';

function format(args: { text(name: string): string | undefined }, to: string): 'xlsx' | 'csv' {
  const f = args.text('format') ?? (path.extname(to).toLowerCase() === '.csv' ? 'csv' : 'xlsx');
  if (f !== 'xlsx' && f !== 'csv') throw new CliError('--format is xlsx or csv');
  return f;
}

function exportCommand(what: 'role-map' | 'gaps' | 'tna', name: string): CliCommand {
  return {
    usage: `${name} export [--format xlsx|csv] --to FILE`,
    summary: `write the ${what === 'role-map' ? 'role map' : what === 'gaps' ? 'education gap analysis' : 'training needs assessment'} to an Excel or CSV file`,
    async run(ctx, args, out) {
      const to = args.text('to');
      if (!to) throw new CliError(`${name} export needs --to FILE`);
      const file = await call(ctx, 'framework/export', { what, format: format(args, to) });
      fs.writeFileSync(to, Buffer.from(file.base64, 'base64'));
      out(args.json ? JSON.stringify({ file: path.resolve(to) }) : `Wrote ${path.resolve(to)}`);
      return 0;
    },
  };
}

export const frameworkCommands: Record<string, CliCommand> = {
  'mapping export': exportCommand('role-map', 'mapping'),
  'gaps export': exportCommand('gaps', 'gaps'),
  'tna export': exportCommand('tna', 'tna'),
  gaps: {
    usage: 'gaps [--as-at YYYY-MM-DD] [--json]',
    summary: 'education gap analysis (Domain 1 education) by stage, profession and service',
    async run(ctx, args, out) {
      const asAt = args.text('as-at');
      const g = await call(ctx, 'education/gaps', { ...(asAt ? { asAt } : {}), limit: 1 });
      const { people, ...summary } = g;
      if (args.json) {
        out(JSON.stringify({ ...summary, people: people.total }));
        return 0;
      }
      const table = (title: string, rows: typeof g.byStage) =>
        `${title}\n` +
        textTable([
          ['', 'People', 'Meets', 'Partly', 'Does not', 'Unknown', 'Meets next stage'],
          ...rows.map((r) => [r.label, r.people, r.meets, r.partly, r.doesNot, r.unknown, r.nextMeets]),
        ]);
      out(
        [
          `Education gaps on ${g.asAt}: ${g.totals.people} people; meets ${g.totals.meets}, partly ${g.totals.partly}, does not ${g.totals.doesNot}, unknown ${g.totals.unknown}`,
          table('By stage', g.byStage),
          table('By profession', g.byProfession),
          table('By service', g.byService),
        ].join('\n\n'),
      );
      return 0;
    },
  },
  tna: {
    usage: 'tna [--json]',
    summary: 'training needs assessment: items, cohort and costs in pence',
    async run(ctx, args, out) {
      const t = await call(ctx, 'tna/get', {});
      if (args.json) {
        out(JSON.stringify(t));
        return 0;
      }
      out(
        `Training needs: ${t.items.length} item(s), ${t.cohort} place(s), total ${formatPence(t.totalPence)} (on-cost ${t.settings.onCostPercent}%)\n\n` +
          textTable([
            ['Item', 'Route', 'Quarter', 'Cohort', 'Total'],
            ...t.items.map((i) => [i.title, i.route, i.targetQuarter, i.cohortSize, formatPence(i.totalPence)]),
          ]),
      );
      return 0;
    },
  },
};
