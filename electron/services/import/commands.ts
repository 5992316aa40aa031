import path from 'node:path';
import { alreadyImportedText, type PreviewOutput } from '../../../shared/import/channels';
import {
  applyProfile,
  guessMapping,
  importFieldLabels,
  missingRequiredFields,
  type ImportField,
} from '../../../shared/import/fields';
import { call, CliError, count, textTable, type CliCommand } from '../../transports/cli-command';
import { withSentFile } from '../../transports/cli-upload';

/**
 * `import FILE [--profile NAME] [--dry-run] [--json] [--mark-missing-as-leavers] [--keep-non-ahp CODES]
 *  [--accept-rejected] [--extract-date YYYY-MM-DD]`.
 * The file is sent through the same upload channel as the app (see cli-upload.ts).
 */

function countsTable(p: PreviewOutput): string {
  return textTable([
    ['Rows read', 'Add', 'Update', 'Unchanged', 'Rejected', 'Excluded', 'Leavers', 'Marked as left'],
    [p.rowsRead, p.added, p.updated, p.unchanged, p.rejected, p.excluded, p.leavers, p.markedMissing].map(count),
  ]);
}

export const importCommands: Record<string, CliCommand> = {
  import: {
    usage:
      'import FILE [--profile NAME] [--dry-run] [--mark-missing-as-leavers] [--accept-rejected] [--keep-non-ahp CODES] [--extract-date YYYY-MM-DD]',
    summary: 'import a staff extract (CSV or XLSX); --dry-run previews without changing anything',
    async run(ctx, args, out) {
      const dryRun = args.options.has('dry-run');
      const markMissing = args.options.has('mark-missing-as-leavers');
      const acceptRejected = args.options.has('accept-rejected');
      const file = args.positional[0];
      if (!file) throw new CliError('import needs a file: npm run cli -- import FILE [--profile NAME] [--dry-run]');
      return withSentFile(ctx, file, 'staff-extract', async (uploadId) => {
        const inspected = await call(ctx, 'import/inspect', { uploadId });
        // Said before anything else, even if what follows fails.
        if (inspected.alreadyImported && !args.json) out(`Note: ${alreadyImportedText(inspected.alreadyImported)}`);
        const profileName = args.text('profile');
        let mapping = inspected.guessedMapping;
        let dateOrder = inspected.dateOrder.order;
        let profileKeep: string[] = [];
        let profileMarksMissing = false;
        if (profileName) {
          const profile = (await call(ctx, 'import/profiles', {})).find(
            (p) => p.name.toLowerCase() === profileName.toLowerCase(),
          );
          if (!profile)
            throw new CliError(
              `There is no import profile called "${profileName}". Save one in the app's import wizard first.`,
            );
          const applied = applyProfile(profile, inspected.headers);
          if (applied.missingHeaders.length > 0) {
            throw new CliError(
              `${path.basename(file)} does not have the column(s) the profile "${profile.name}" expects: ${applied.missingHeaders.join(', ')}. Nothing has been changed.`,
            );
          }
          mapping = applied.mapping;
          dateOrder = profile.dateOrder;
          profileKeep = profile.keepNonAhpCodes;
          profileMarksMissing = profile.markMissingAsLeavers;
        } else {
          mapping = guessMapping(inspected.headers);
        }
        const missing = missingRequiredFields(mapping);
        if (missing.length > 0) {
          throw new CliError(
            `${path.basename(file)} has no column we recognise for: ${missing.join('; ')}. Its columns are: ${inspected.headers.join(', ')}. Save an import profile in the app to map them. Nothing has been changed.`,
          );
        }
        const keep = args.text('keep-non-ahp');
        const options = {
          uploadId,
          mapping,
          dateOrder,
          keepNonAhpCodes: keep
            ? keep
                .split(',')
                .map((c) => c.trim())
                .filter(Boolean)
            : profileKeep,
          markMissingAsLeavers: markMissing || profileMarksMissing,
          ...(args.text('extract-date') ? { extractDate: args.text('extract-date') } : {}),
        };
        const result = dryRun
          ? await call(ctx, 'import/preview', options)
          : await call(ctx, 'import/commit', { ...options, acceptRejected, profileName: profileName ?? null });
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
        const mapped = (Object.entries(mapping) as [ImportField, number | null][])
          .filter(([, i]) => i !== null)
          .map(([f, i]) => `${importFieldLabels[f]} <- ${inspected.headers[i!]}`);
        const lines = [
          `${dryRun ? 'Preview of' : 'Imported'} ${path.basename(file)} (${inspected.format.toUpperCase()}${inspected.encoding ? `, ${inspected.encoding}` : ''})`,
          `Columns: ${mapped.join('; ')}`,
          '',
          countsTable(result),
        ];
        if (result.nonAhp.length > 0) {
          lines.push(
            '',
            `Not AHP support occupation codes (${result.nonAhp.some((n) => n.kept) ? 'kept where marked' : 'left out; keep them with --keep-non-ahp CODES'}):`,
          );
          for (const n of result.nonAhp)
            lines.push(`  ${n.occupationCode}  ${count(n.rows)} row(s), e.g. ${n.example}${n.kept ? '  (kept)' : ''}`);
        }
        if (result.rejectedRows.length > 0) {
          lines.push('', `Rejected rows (${count(result.rejected)}):`);
          for (const r of result.rejectedRows.slice(0, 20))
            lines.push(`  line ${count(r.line)}, ${r.column}: ${r.message}`);
          if (result.rejectedIssueCount > 20)
            lines.push(`  ... and ${count(result.rejectedIssueCount - 20)} more (use --json for the list)`);
        }
        if (result.warningCount > 0)
          lines.push('', `${count(result.warningCount)} warning(s); use --json to list them.`);
        if ('batch' in result)
          lines.push(
            '',
            `Recorded as import ${(result as { batch: { id: number } }).batch.id}; undo it in the app (Workforce, Import).`,
          );
        else lines.push('', 'Nothing has been changed (dry run).');
        out(lines.join('\n'));
        return 0;
      });
    },
  },
};
