import { describeVacancyCoverage } from '../../../shared/picture/metrics';
import { call, CliError, count, exportCommand, fte, textTable, type CliCommand } from '../../transports/cli-command';

export const pictureCommands: Record<string, CliCommand> = {
  'picture export': exportCommand(
    'picture',
    'workforce picture (its tables, small counts marked, not protected for publication)',
    (ctx, format, args) => {
      const from = args.text('from');
      const until = args.text('until');
      if (!from || !until) throw new CliError('picture export needs --from YYYY-MM-DD and --until YYYY-MM-DD');
      return call(ctx, 'picture/export', { from, to: until, profession: args.text('profession') ?? null, format });
    },
    '--from YYYY-MM-DD --until YYYY-MM-DD [--profession CODE]',
  ),
  metrics: {
    usage: 'metrics --from YYYY-MM-DD --to YYYY-MM-DD [--profession CODE] [--json]',
    summary: 'headcount, starters, leavers, leaver rate, stability, vacancy and diversity for a period',
    async run(ctx, args, out) {
      const from = args.text('from');
      const to = args.text('to');
      if (!from || !to) throw new CliError('metrics needs --from YYYY-MM-DD and --to YYYY-MM-DD');
      const profession = args.text('profession') ?? null;
      const m = await call(ctx, 'picture/metrics', { from, to, profession });
      if (args.json) {
        out(JSON.stringify(m));
        return 0;
      }
      const pct = (n: number | null) => (n === null ? '-' : `${n.toFixed(1)}%`);
      out(
        [
          `Workforce ${m.from} to ${m.to}${profession ? ` (${profession})` : ''}`,
          `Headcount ${count(m.headcountStart)} at the start, ${count(m.headcountEnd)} at the end; starters ${count(m.starters)}, leavers ${count(m.leavers)}`,
          `Leaver rate ${pct(m.leaverRate)}, stability index ${pct(m.stabilityIndex)}, vacancy rate ${pct(m.vacancyRate)} (establishment ${fte(m.establishmentFte)} FTE, ${fte(m.inPostFte)} FTE in post in those roles)`,
          describeVacancyCoverage(m.vacancyCoverage),
          `BME share ${pct(m.bmePercent)} of staff with a known ethnic category`,
          '',
          textTable([
            ['Profession', 'Band', 'Headcount', 'FTE', 'Starters', 'Leavers'],
            ...m.byProfessionBand.map((r) => [
              r.professionName,
              r.band,
              count(r.headcountEnd),
              fte(r.fteEnd),
              count(r.starters),
              count(r.leavers),
            ]),
          ]),
        ].join('\n'),
      );
      return 0;
    },
  },
};
