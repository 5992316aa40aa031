import path from 'node:path';
import type { EstablishmentPreview } from '../../../shared/establishment/channels';
import {
  applyEstablishmentProfile,
  establishmentFieldLabels,
  guessEstablishmentMapping,
  missingEstablishmentFields,
  type EstablishmentField,
} from '../../../shared/establishment/fields';
import { alreadyImportedText } from '../../../shared/import/channels';
import { call, CliError, count, fte, textTable, type CliCommand } from '../../transports/cli-command';
import { withSentFile } from '../../transports/cli-upload';

/**
 * `establishment import FILE [--profile NAME] [--dry-run] [--json] [--accept-rejected] [--leave-unmatched]
 *  [--again]`: the same checks and exit codes as `import` (2 for a file or choice to fix). Lines that match no
 * role or service are listed; matching them by hand, or creating roles, is done in the app.
 */

function countsTable(p: EstablishmentPreview): string {
  return textTable([
    ['Lines read', 'Matched', 'Unmatched', 'Rejected', 'Posts changed', 'Unchanged', 'New posts'],
    [p.linesRead, p.matched, p.unmatched, p.rejected, p.changed, p.unchanged, p.created],
  ]);
}

export const establishmentCommands: Record<string, CliCommand> = {
  'establishment import': {
    usage: 'establishment import FILE [--profile NAME] [--dry-run] [--accept-rejected] [--leave-unmatched] [--again]',
    summary:
      'import a finance establishment report (CSV or XLSX) into the post lines; --dry-run previews without changing anything',
    async run(ctx, args, out) {
      const file = args.positional[0];
      if (!file)
        throw new CliError('Usage: npm run cli -- establishment import FILE [--profile NAME] [--dry-run] [--json]');
      const dryRun = args.options.has('dry-run');
      return withSentFile(ctx, file, 'establishment', async (uploadId) => {
        const inspected = await call(ctx, 'establishment/inspect', { uploadId });
        if (inspected.alreadyImported && !args.json) out(`Note: ${alreadyImportedText(inspected.alreadyImported)}`);
        const profileName = args.text('profile') ?? null;
        let mapping = guessEstablishmentMapping(inspected.headers);
        if (profileName) {
          const profile = inspected.profiles.find((p) => p.name.toLowerCase() === profileName.toLowerCase());
          if (!profile)
            throw new CliError(
              `There is no establishment profile called "${profileName}". One is saved when an establishment is imported with a profile name in the app.`,
            );
          const applied = applyEstablishmentProfile(profile.columns, inspected.headers);
          if (applied.missingHeaders.length > 0)
            throw new CliError(
              `${path.basename(file)} does not have the column(s) the profile "${profile.name}" expects: ${applied.missingHeaders.join(', ')}. Nothing has been changed.`,
            );
          mapping = applied.mapping;
        }
        const missing = missingEstablishmentFields(mapping);
        if (missing.length > 0)
          throw new CliError(
            `${path.basename(file)} has no column we recognise for: ${missing.join('; ')}. Its columns are: ${inspected.headers.join(', ')}. Nothing has been changed.`,
          );
        const options = { uploadId, mapping, profileName };
        const result = dryRun
          ? await call(ctx, 'establishment/preview', options)
          : await call(ctx, 'establishment/commit', {
              ...options,
              acceptRejected: args.options.has('accept-rejected'),
              leaveUnmatched: args.options.has('leave-unmatched'),
              importAgain: args.options.has('again'),
            });
        if (args.json) {
          out(
            JSON.stringify({
              dryRun,
              file: path.basename(file),
              alreadyImported: inspected.alreadyImported,
              ...result,
            }),
          );
          return 0;
        }
        const mapped = (Object.entries(mapping) as [EstablishmentField, number | null][])
          .filter(([, i]) => i !== null)
          .map(([f, i]) => `${establishmentFieldLabels[f]} <- ${inspected.headers[i!]}`);
        const lines = [
          `${dryRun ? 'Preview of' : 'Imported'} ${path.basename(file)} (${inspected.format.toUpperCase()})`,
          `Columns: ${mapped.join('; ')}`,
          '',
          countsTable(result),
        ];
        if (result.combined > 0)
          lines.push(
            '',
            `${count(result.combined)} post line(s) are on several lines of the report: their WTE are added up.`,
          );
        const v = (t: EstablishmentPreview['vacancyBefore']) =>
          `establishment ${fte(t.establishmentFte)} FTE, in post in those post lines ${fte(t.inPostFte)} FTE, vacancy ${fte(t.vacancyFte)} FTE`;
        lines.push('', `Whole trust now: ${v(result.vacancyBefore)}`, `After the import: ${v(result.vacancyAfter)}`);
        if (result.unmatchedServices.length > 0) {
          lines.push('', 'Cost centres or services that match no service:');
          for (const s of result.unmatchedServices.slice(0, 20))
            lines.push(
              `  ${s.text}${s.detail ? ` (${s.detail})` : ''}: ${count(s.lines)} line(s), first on line ${count(s.firstLine)}`,
            );
        }
        if (result.unmatchedRoles.length > 0) {
          lines.push('', 'Job titles that match no role:');
          for (const r of result.unmatchedRoles.slice(0, 20))
            lines.push(`  ${r.title}, band ${r.band}: ${count(r.lines)} line(s), first on line ${count(r.firstLine)}`);
        }
        if (result.rejectedLines.length > 0) {
          lines.push('', `Rejected lines (${count(result.rejected)}):`);
          for (const r of result.rejectedLines.slice(0, 20))
            lines.push(`  line ${count(r.line)}, ${r.column}: ${r.message}`);
          if (result.rejectedIssueCount > 20)
            lines.push(`  ... and ${count(result.rejectedIssueCount - 20)} more (use --json for the list)`);
        }
        if ('batch' in result)
          lines.push(
            '',
            `Recorded as import ${(result as { batch: { id: number } }).batch.id}; undo it in the app (Workforce, Establishment).`,
          );
        else lines.push('', 'Nothing has been changed (dry run).');
        out(lines.join('\n'));
        return 0;
      });
    },
  },
};
