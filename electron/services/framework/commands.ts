import { call, CliError, count, exportCommand, type CliCommand } from '../../transports/cli-command';
import { withSentFile } from '../../transports/cli-upload';

export const frameworkCommands: Record<string, CliCommand> = {
  'mapping export': exportCommand('mapping', 'role map', (ctx, format) =>
    call(ctx, 'framework/export', { what: 'role-map', format }),
  ),
  'framework import': {
    usage: 'framework import FILE [--mode merge|replace] [--version LABEL] [--dry-run]',
    summary: 'check a filled descriptor template (CSV or XLSX) and adopt it as the new framework version',
    async run(ctx, args, out) {
      const file = args.positional[0];
      if (!file) throw new CliError('framework import needs the filled template FILE');
      const mode = args.text('mode') ?? 'merge';
      if (mode !== 'merge' && mode !== 'replace') throw new CliError('--mode is merge or replace');
      const version = args.text('version');
      const dryRun = args.options.has('dry-run');
      return withSentFile(ctx, file, 'descriptors', async (uploadId) => {
        const input = { uploadId, mode, ...(version ? { version } : {}) } as const;
        const preview = await call(ctx, 'framework/import-preview', input);
        if (!preview.ok) {
          if (args.json) out(JSON.stringify(preview));
          else
            for (const p of preview.problems)
              out(`  ${p.rows.length ? `row ${p.rows.map(count).join(', ')}: ` : ''}${p.message}`);
          throw new CliError(
            `${file} cannot be used (${count(preview.problems.length)} problem(s)); nothing was changed.`,
          );
        }
        const summary = `${count(preview.added.length)} descriptor(s) added, ${count(preview.changed.length)} changed, ${count(preview.removed.length)} removed`;
        if (dryRun) {
          out(
            args.json
              ? JSON.stringify(preview)
              : `Checked against ${preview.base}: adopting would make ${preview.newVersion} current (${summary}). Nothing was changed (dry run).`,
          );
          return 0;
        }
        const adopted = await call(ctx, 'framework/import-adopt', { ...input, base: preview.base });
        out(
          args.json
            ? JSON.stringify(adopted)
            : `Framework version ${adopted.version} is now current (${summary}); ${preview.base} is retired.`,
        );
        return 0;
      });
    },
  },
};
