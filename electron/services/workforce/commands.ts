import { describeVacancyCoverage } from '../../../shared/picture/metrics';
import { call, count, textTable, type CliCommand } from '../../transports/cli-command';

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
};
