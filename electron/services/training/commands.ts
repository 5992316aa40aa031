import path from 'node:path';
import { formatPence } from '../../../shared/common/money';
import { alreadyImportedText } from '../../../shared/import/channels';
import type { TrainingPreview } from '../../../shared/training/import-channels';
import {
  applyRecordColumns,
  missingRecordFields,
  recordFieldLabels,
  type RecordField,
} from '../../../shared/training/record-fields';
import { call, CliError, count, exportCommand, textTable, type CliCommand } from '../../transports/cli-command';
import { withSentFile } from '../../transports/cli-upload';

function recordCountsTable(p: TrainingPreview): string {
  return textTable([
    [
      'Rows read',
      'Add',
      'Update',
      'Unchanged',
      'Kept (edited by hand)',
      'No such staff number',
      'Not qualifications',
      'Repeats',
      'Rejected',
    ],
    [p.rowsRead, p.added, p.updated, p.unchanged, p.keptByHand, p.unmatched, p.leftOut, p.duplicates, p.rejected],
  ]);
}

export const trainingCommands: Record<string, CliCommand> = {
  'training import': {
    usage: 'training import FILE [--profile NAME] [--dry-run] [--accept-unmatched] [--accept-rejected]',
    summary:
      'import training records (CSV or XLSX): qualifications matched to staff by employee number; --dry-run previews without changing anything',
    async run(ctx, args, out) {
      const dryRun = args.options.has('dry-run');
      const file = args.positional[0];
      if (!file)
        throw new CliError(
          'training import needs a file: npm run cli -- training import FILE [--profile NAME] [--dry-run]',
        );
      const name = path.basename(file);
      return withSentFile(ctx, file, 'training-records', async (uploadId) => {
        const inspected = await call(ctx, 'training/import-inspect', { uploadId });
        if (inspected.alreadyImported && !args.json) out(`Note: ${alreadyImportedText(inspected.alreadyImported)}`);
        const profileName = args.text('profile');
        let mapping = inspected.guessedMapping;
        let dateOrder = inspected.dateOrder.order;
        let courses = {};
        if (profileName) {
          const profile = inspected.profiles.find((p) => p.name.toLowerCase() === profileName.toLowerCase());
          if (!profile)
            throw new CliError(
              `There is no training import profile called "${profileName}". Save one in the app (Gap analysis, Import training records) first.`,
            );
          const applied = applyRecordColumns(profile.columns, inspected.headers);
          if (applied.missingHeaders.length > 0)
            throw new CliError(
              `${name} does not have the column(s) the profile "${profile.name}" expects: ${applied.missingHeaders.join(', ')}. Nothing has been changed.`,
            );
          mapping = applied.mapping;
          dateOrder = profile.dateOrder;
          courses = profile.courses;
        }
        const missing = missingRecordFields(mapping);
        if (missing.length > 0)
          throw new CliError(
            `${name} has no column we recognise for: ${missing.join('; ')}. Its columns are: ${inspected.headers.join(', ')}. Save a training import profile in the app to map them. Nothing has been changed.`,
          );
        const options = { uploadId, mapping, dateOrder, courses };
        const result = dryRun
          ? await call(ctx, 'training/import-preview', options)
          : await call(ctx, 'training/import-commit', {
              ...options,
              acceptUnmatched: args.options.has('accept-unmatched'),
              acceptRejected: args.options.has('accept-rejected'),
              profileName: profileName ?? null,
            });
        if (args.json) {
          out(JSON.stringify({ dryRun, file: name, ...result }));
          return 0;
        }
        const mapped = (Object.entries(mapping) as [RecordField, number | null][])
          .filter(([, i]) => i !== null)
          .map(([f, i]) => `${recordFieldLabels[f]} <- ${inspected.headers[i!]}`);
        const lines = [
          `${dryRun ? 'Preview of' : 'Imported'} ${name} (${inspected.format.toUpperCase()}${inspected.encoding ? `, ${inspected.encoding}` : ''})`,
          `Columns: ${mapped.join('; ')}`,
          '',
          recordCountsTable(result),
          '',
          `Courses (${count(result.courseCount)}):`,
          ...result.courses.slice(0, 30).map((c) => `  ${c.title} (${count(c.rows)} row(s)) -> ${c.label}`),
        ];
        if (result.courseCount > 30)
          lines.push(`  ... and ${count(result.courseCount - 30)} more (use --json for the list)`);
        if (result.unmatched > 0)
          lines.push(
            '',
            `${count(result.unmatched)} row(s) (${count(result.unmatchedNumbers)} staff number(s)) match nobody in this database; lines ${result.unmatchedLines.slice(0, 20).map(count).join(', ')}${result.unmatched > 20 ? ', ...' : ''}.`,
          );
        if (result.rejectedRows.length > 0) {
          lines.push('', `Rejected rows (${count(result.rejected)}):`);
          for (const r of result.rejectedRows.slice(0, 20))
            lines.push(`  line ${count(r.line)}, ${r.column}: ${r.message}`);
          if (result.rejectedIssueCount > 20)
            lines.push(`  ... and ${count(result.rejectedIssueCount - 20)} more (use --json for the list)`);
        }
        if ('batch' in result)
          lines.push(
            '',
            `Recorded as import ${(result as { batch: { id: number } }).batch.id}; undo it in the app (Gap analysis, Import training records).`,
          );
        else lines.push('', 'Nothing has been changed (dry run).');
        out(lines.join('\n'));
        return 0;
      });
    },
  },
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
