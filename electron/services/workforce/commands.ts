import { call, CliError, textTable, type CliCommand } from '../../cli/types';
import { backupToFile, databaseInfo } from '../settings';

export const workforceCommands: Record<string, CliCommand> = {
  init: {
    usage: 'init',
    summary: 'create the database (or bring it up to date) and print where it is',
    async run(ctx, args, out) {
      const info = databaseInfo(ctx.store);
      out(args.json ? JSON.stringify(info) : `Database ready: ${info.path} (schema version ${info.schemaVersion})`);
      return 0;
    },
  },
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
        `Workforce on ${s.asAt}: headcount ${s.headcount}, FTE ${s.fte.toFixed(2)}, establishment ${s.establishmentFte.toFixed(2)} FTE, vacancy ${s.vacancyFte.toFixed(2)} FTE\n\n` +
          textTable([['Profession', 'Band', 'Headcount', 'FTE'], ...s.byProfessionBand.map((r) => [r.professionName, r.band, r.headcount, r.fte.toFixed(2)])]),
      );
      return 0;
    },
  },
  backup: {
    usage: 'backup --to FILE',
    summary: 'copy the database to FILE, safely, even while the app is open',
    async run(ctx, args, out) {
      const to = args.text('to');
      if (!to) throw new CliError('backup needs --to FILE');
      const done = await backupToFile(ctx.store, ctx, to);
      out(args.json ? JSON.stringify(done) : `Backed up to ${done.file}`);
      return 0;
    },
  },
  demo: {
    usage: 'demo [--staff N]',
    summary: 'load the synthetic demo trust into an empty database',
    async run(ctx, args, out) {
      const staff = args.text('staff');
      const counts = await call(ctx, 'demo/load', staff ? { staff: Number(staff) } : {});
      out(args.json ? JSON.stringify(counts) : `Loaded the synthetic demo trust: ${counts.people} people in ${counts.roles} roles`);
      return 0;
    },
  },
};
