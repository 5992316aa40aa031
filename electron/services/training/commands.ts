import { formatPence } from '../../../shared/common/money';
import { call, count, exportCommand, textTable, type CliCommand } from '../../transports/cli-command';

export const trainingCommands: Record<string, CliCommand> = {
  'gaps export': exportCommand('gaps', 'education gap analysis', (ctx, format) =>
    call(ctx, 'training/export', { what: 'gaps', format }),
  ),
  'tna export': exportCommand('tna', 'training needs assessment', (ctx, format) =>
    call(ctx, 'training/export', { what: 'tna', format }),
  ),
  gaps: {
    usage: 'gaps [--as-at YYYY-MM-DD] [--json]',
    summary: 'education gap analysis (Domain 1 education) by stage, profession and service',
    async run(ctx, args, out) {
      const asAt = args.text('as-at');
      const g = await call(ctx, 'training/gaps', { ...(asAt ? { asAt } : {}), limit: 1 });
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
          `Education gaps on ${g.asAt}: ${count(g.totals.people)} people; meets ${count(g.totals.meets)}, partly ${count(g.totals.partly)}, does not ${count(g.totals.doesNot)}, unknown ${count(g.totals.unknown)}`,
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
      const t = await call(ctx, 'training/tna', {});
      if (args.json) {
        out(JSON.stringify(t));
        return 0;
      }
      out(
        `Training needs: ${count(t.items.length)} item(s), ${count(t.cohort)} place(s), total ${formatPence(t.totalPence)} (on-cost ${t.settings.onCostPercent}%)\n\n` +
          textTable([
            ['Item', 'Route', 'Quarter', 'Cohort', 'Total'],
            ...t.items.map((i) => [i.title, i.route, i.targetQuarter, i.cohortSize, formatPence(i.totalPence)]),
          ]),
      );
      return 0;
    },
  },
};
