import { call, CliError, count, type CliCommand } from '../../transports/cli-command';
import { withSentFile } from '../../transports/cli-upload';
import { backupToFile, databaseInfo } from './database';

export const settingsCommands: Record<string, CliCommand> = {
  init: {
    usage: 'init',
    summary: 'create the database (or bring it up to date) and print where it is',
    async run(ctx, args, out) {
      const info = databaseInfo(ctx.store);
      out(args.json ? JSON.stringify(info) : `Database ready: ${info.path} (schema version ${info.schemaVersion})`);
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
  restore: {
    usage: 'restore FILE',
    summary: 'replace the database with a backup FILE; the current database is kept in the backups folder first',
    async run(ctx, args, out) {
      const file = args.positional[0];
      if (!file) throw new CliError('restore needs the backup FILE');
      const info = await withSentFile(ctx, file, 'backup', (uploadId) => call(ctx, 'settings/restore', { uploadId }));
      out(
        args.json
          ? JSON.stringify(info)
          : `Restored ${info.path} from ${file} (schema version ${info.schemaVersion}). The previous database is in the backups folder.`,
      );
      return 0;
    },
  },
  demo: {
    usage: 'demo [--staff N]',
    summary: 'load the synthetic demo trust into an empty database',
    async run(ctx, args, out) {
      const staff = args.text('staff');
      const counts = await call(ctx, 'settings/demo-load', staff ? { staff: Number(staff) } : {});
      out(
        args.json
          ? JSON.stringify(counts)
          : `Loaded the synthetic demo trust: ${count(counts.people)} people in ${count(counts.roles)} roles`,
      );
      return 0;
    },
  },
};
