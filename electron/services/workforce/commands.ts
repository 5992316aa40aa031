import { describeVacancyCoverage } from '../../../shared/picture/metrics';
import { call, textTable, type CliCommand } from '../../transports/cli-command';

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
        `Workforce on ${s.asAt}: headcount ${s.headcount}, FTE ${s.fte.toFixed(2)}, establishment ${s.establishmentFte.toFixed(2)} FTE, vacancy ${s.vacancyFte === null ? '-' : `${s.vacancyFte.toFixed(2)} FTE`}\n` +
          `${describeVacancyCoverage(s.vacancyCoverage)}\n\n` +
          textTable([
            ['Profession', 'Band', 'Headcount', 'FTE'],
            ...s.byProfessionBand.map((r) => [r.professionName, r.band, r.headcount, r.fte.toFixed(2)]),
          ]),
      );
      return 0;
    },
  },
};
