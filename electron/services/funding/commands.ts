import fs from 'node:fs';
import path from 'node:path';
import { call, CliError, count, textTable, type CliCommand } from '../../transports/cli-command';
import { withSentFile } from '../../transports/cli-upload';
import { formatPence } from '../../../shared/common/money';
import { financialYearSchema } from '../../../shared/common/periods';

const money = (p: number) => formatPence(p);

export const fundingCommands: Record<string, CliCommand> = {
  'funding report': {
    usage:
      'funding report --year 2021/22 [--as-at YYYY-MM-DD] [--method plan|run-rate] [--json] [--to FILE.xlsx|FILE.csv]',
    summary: 'planned, committed, actual, forecast and variance for a financial year',
    async run(ctx, args, out) {
      const year = args.text('year');
      if (!year || !financialYearSchema.safeParse(year).success)
        throw new CliError('funding report needs --year, like --year 2021/22');
      const method = args.text('method') ?? 'plan';
      if (method !== 'plan' && method !== 'run-rate') throw new CliError('--method is plan or run-rate');
      const asAt = args.text('as-at') ?? null;
      const to = args.text('to');
      if (to) {
        const ext = path.extname(to).toLowerCase();
        if (ext !== '.xlsx' && ext !== '.csv') throw new CliError('--to needs a file name ending .xlsx or .csv');
        const file = await call(ctx, 'funding/export', {
          financialYear: year,
          asAt,
          method,
          format: ext === '.xlsx' ? 'xlsx' : 'csv',
        });
        fs.writeFileSync(to, Buffer.from(file.base64, 'base64'));
        if (!args.json) out(`Saved the ${year} spend report to ${path.resolve(to)}`);
      }
      const report = await call(ctx, 'funding/report', { financialYear: year, asAt, method });
      if (args.json) {
        out(JSON.stringify(report));
        return 0;
      }
      if (to) return 0;
      out(
        `Funding ${report.financialYear}, as at ${report.asAt} (${report.monthsClosed} months closed, forecast by ${report.method})\n\n` +
          textTable([
            ['Stream', 'Allocated', 'Planned', 'Committed', 'Actual', 'Forecast', 'Variance'],
            ...report.streams.map((s) => [
              s.name,
              money(s.allocatedPence),
              money(s.plannedPence),
              money(s.committedPence),
              money(s.actualPence),
              money(s.forecastPence),
              money(s.variancePence),
            ]),
            [
              'Total',
              money(report.totals.allocatedPence),
              money(report.totals.plannedPence),
              money(report.totals.committedPence),
              money(report.totals.actualPence),
              money(report.totals.forecastPence),
              money(report.totals.variancePence),
            ],
          ]) +
          (report.warnings.length ? `\n\nWarnings:\n${report.warnings.map((w) => `  - ${w.message}`).join('\n')}` : ''),
      );
      return 0;
    },
  },
  'funding import-ledger': {
    usage:
      'funding import-ledger FILE (--stream ID | --year 2021/22) [--kind actual|commitment] [--profile NAME] [--dry-run] [--json]',
    summary: 'import a ledger CSV/XLSX: every row or none; rows are matched to plan lines by your rules',
    async run(ctx, args, out) {
      const fileName = args.positional[0];
      if (!fileName) throw new CliError('funding import-ledger needs the ledger FILE');
      if (!fs.existsSync(fileName)) throw new CliError(`There is no file ${fileName}`);
      const streamText = args.text('stream');
      const year = args.text('year');
      if (!streamText && !year) throw new CliError('Say which funding: --stream ID or --year 2021/22');
      let streamId: number | null = null;
      if (streamText) {
        streamId = Number(streamText);
        if (!Number.isInteger(streamId) || streamId <= 0)
          throw new CliError('--stream is the number of a funding stream');
      } else {
        if (!financialYearSchema.safeParse(year).success) throw new CliError('--year is a financial year like 2021/22');
        const streams = await call(ctx, 'funding/streams', { financialYear: year! });
        if (streams.length === 0) throw new CliError(`There is no funding stream for ${year}. Add one first.`);
        if (streams.length === 1) streamId = streams[0]!.id;
      }
      const kind = args.text('kind') ?? 'actual';
      if (kind !== 'actual' && kind !== 'commitment') throw new CliError('--kind is actual or commitment');
      let mapping = null;
      const profileName = args.text('profile');
      if (profileName) {
        const profile = (await call(ctx, 'funding/import-profiles', {})).find(
          (p) => p.name.toLowerCase() === profileName.toLowerCase(),
        );
        if (!profile) throw new CliError(`There is no saved column mapping called ${profileName}`);
        mapping = profile.mapping;
      }
      return withSentFile(ctx, fileName, 'ledger', async (uploadId) => {
        const input = { uploadId, kind, streamId, mapping } as const;
        const preview = await call(ctx, 'funding/import-preview', input);
        if (preview.errorCount > 0 || args.options.has('dry-run')) {
          if (args.json) out(JSON.stringify(preview));
          else {
            out(
              `${count(preview.rowCount)} rows, ${count(preview.errorCount)} with errors, ${count(preview.matchedCount)} matched, ${count(preview.unmatchedCount)} to review, total ${money(preview.totalPence)}`,
            );
            for (const e of preview.errors) out(`  line ${count(e.line)}, ${e.column}: ${e.message}`);
          }
          if (preview.errorCount > 0)
            throw new CliError(`${count(preview.errorCount)} rows cannot be imported; nothing was saved.`);
          return 0;
        }
        const result = await call(ctx, 'funding/import-commit', { ...input, saveProfileAs: null });
        out(
          args.json
            ? JSON.stringify(result)
            : `Imported ${count(result.rowCount)} rows (${money(result.totalPence)}): ${count(result.matchedCount)} matched to plan lines, ${count(result.unmatchedCount)} to review.`,
        );
        return 0;
      });
    },
  },
};
