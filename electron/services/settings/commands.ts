import fs from 'node:fs';
import path from 'node:path';
import { call, CliError, count, type CliCommand } from '../../transports/cli-command';
import { withSentFile } from '../../transports/cli-upload';
import { KEY_EXPORT_WARNING } from '../../../shared/settings/channels';
import { backupToFile, databaseInfo } from './database';

export const settingsCommands: Record<string, CliCommand> = {
  'organisation set': {
    usage: 'organisation set [--kind trust|ics] --name NAME --ods CODE --ics NAME --faculty NAME',
    summary:
      "set the trust (or ICS) this database belongs to: its name, ODS code, ICS and AHP faculty; --kind ics makes it an ICS database, which collects its trusts' returns (without --kind the kind stays as it is)",
    async run(ctx, args, out) {
      // Without --kind the database keeps its kind: renaming an ICS must not turn it into a trust.
      const kind = args.text('kind');
      if (kind !== undefined && kind !== 'trust' && kind !== 'ics') throw new CliError('--kind is trust or ics');
      const missing = ['name', 'ods', 'ics', 'faculty'].filter((o) => !args.text(o));
      if (missing.length > 0) throw new CliError(`organisation set needs ${missing.map((o) => `--${o}`).join(', ')}`);
      const org = await call(ctx, 'settings/organisation-save', {
        kind,
        name: args.text('name')!,
        odsCode: args.text('ods')!,
        ics: args.text('ics')!,
        ahpFaculty: args.text('faculty')!,
      });
      out(
        args.json
          ? JSON.stringify(org)
          : `Saved: ${org!.kind === 'ics' ? 'ICS ' : ''}${org!.name} (${org!.odsCode}), ${org!.ics}, ${org!.ahpFaculty}${org!.kind === 'ics' ? ". This database collects its trusts' returns (ics add)." : ''}`,
      );
      return 0;
    },
  },
  'organisation show': {
    usage: 'organisation show',
    summary: 'show the trust (or ICS) this database belongs to',
    async run(ctx, args, out) {
      const org = await call(ctx, 'settings/organisation', {});
      if (args.json) out(JSON.stringify(org));
      else
        out(
          org
            ? [
                org.kind === 'ics'
                  ? `Organisation: ${org.name}, an ICS (collects its trusts' returns)`
                  : `Trust: ${org.name}${org.isDemo ? ' (demo)' : ''}`,
                `ODS code: ${org.odsCode}`,
                `ICS: ${org.ics}`,
                `AHP faculty: ${org.ahpFaculty}`,
              ].join('\n')
            : 'No organisation is set yet. Run: organisation set --name NAME --ods CODE --ics NAME --faculty NAME',
        );
      return 0;
    },
  },
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
  'key status': {
    usage: 'key status',
    summary: "say whether this computer has the database's pseudonymisation key, and where it is kept",
    async run(ctx, args, out) {
      const status = await call(ctx, 'settings/key', {});
      out(
        args.json
          ? JSON.stringify(status)
          : status.present
            ? `The pseudonymisation key of this database (id ${status.databaseId}) is in ${status.keyFile}`
            : status.message!,
      );
      return status.present ? 0 : 2;
    },
  },
  'key export': {
    usage: 'key export --to FILE',
    summary:
      'write the pseudonymisation key to FILE, to move the database to another computer. Whoever has FILE and the database can re-identify staff',
    async run(ctx, args, out) {
      const to = args.text('to');
      if (!to) throw new CliError('key export needs --to FILE');
      const file = await call(ctx, 'settings/key-export', { acknowledged: true });
      try {
        // Never over another file (it may be another database's key); readable by you only.
        fs.writeFileSync(to, Buffer.from(file.base64, 'base64'), { flag: 'wx', mode: 0o600 });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new CliError(
          code === 'EEXIST'
            ? `${to} already exists. Choose a new file name: a key file is never written over.`
            : `Cannot write ${to}: ${(error as Error).message}`,
        );
      }
      const written = path.resolve(to);
      out(
        args.json
          ? JSON.stringify({ file: written, warning: KEY_EXPORT_WARNING })
          : `WARNING: ${KEY_EXPORT_WARNING}\n\nWrote the pseudonymisation key to ${written}. On the other computer, with the database there, run: npm run cli -- key import FILE --db DATABASE`,
      );
      return 0;
    },
  },
  'key import': {
    usage: 'key import FILE',
    summary: "install the database's pseudonymisation key from a key FILE made by key export on another computer",
    async run(ctx, args, out) {
      const file = args.positional[0];
      if (!file) throw new CliError('key import needs the key FILE');
      const status = await withSentFile(ctx, file, 'key', (uploadId) => call(ctx, 'settings/key-import', { uploadId }));
      out(
        args.json
          ? JSON.stringify(status)
          : `${status.installed ? 'Installed the pseudonymisation key of this database in' : 'This key was already installed in'} ${status.keyFile}. Staff extracts can be imported. Delete ${file} now, or keep it as securely as a staff extract: with the database, it re-identifies staff.`,
      );
      return 0;
    },
  },
  demo: {
    usage: 'demo [--staff N] [--kind trust|ics]',
    summary:
      'load the synthetic demo trust into an empty database; with --kind ics, a demo ICS instead: five synthetic trusts whose 2025/26 returns are collected, and a sixth that has not sent',
    async run(ctx, args, out) {
      const kind = args.text('kind') ?? 'trust';
      if (kind !== 'trust' && kind !== 'ics') throw new CliError(`--kind is trust or ics, not "${kind}"`);
      if (kind === 'ics') {
        const loaded = await call(ctx, 'ics/demo-load', {});
        out(
          args.json
            ? JSON.stringify(loaded)
            : `Loaded the synthetic demo ICS: ${loaded.trusts} trusts, ${loaded.returns} of them with a 2025/26 return collected`,
        );
        return 0;
      }
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
