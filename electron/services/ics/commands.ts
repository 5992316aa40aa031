import fs from 'node:fs';
import path from 'node:path';
import { call, CliError, count, textTable, type CliArgs, type CliCommand } from '../../transports/cli-command';
import { sendFile } from '../../transports/cli-upload';
import type { HandlerContext } from '../../handler';
import { UPLOAD_KINDS } from '../../../shared/common/upload';
import {
  type AddResult,
  type ComparisonMeasure,
  type FileOutcome,
  type IcsPicture,
} from '../../../shared/ics/channels';
import { parseReturnPeriod } from '../../../shared/returns/periods';
import { tablesText } from '../returns/commands';

const MAX_FILES = 500;

function periodArg(args: CliArgs, command: string): string {
  const period = args.text('period');
  if (!period) throw new CliError(`${command} needs --period, e.g. --period 2025/26 or --period 2025/26-Q2`);
  if (!parseReturnPeriod(period))
    throw new CliError(`Unknown period "${period}": use a financial year like 2025/26 or a quarter like 2025/26-Q2`);
  return period;
}

const OUTCOME_WORDS: Record<FileOutcome['outcome'], string> = {
  added: 'added',
  'added-superseding': 'added, superseding',
  'added-superseded': 'added, superseded',
  refused: 'refused',
};

/** A file the command could not send (missing, unreadable, too large): refused like a bad file, not a crash. */
function unsent(file: string, message: string, refusal: FileOutcome['refusal'] = null): FileOutcome {
  return {
    fileName: path.basename(file),
    outcome: 'refused',
    refusal,
    message,
    trust: null,
    period: null,
    version: null,
    collectedId: null,
  };
}

/**
 * Sends every file, then checks them all in one call (one summary, as in the app). A file that cannot even be sent
 * is reported in its place in the list and the others still go.
 */
async function addFiles(ctx: HandlerContext, files: string[]): Promise<AddResult> {
  const sent: { index: number; uploadId: string }[] = [];
  const early = new Map<number, FileOutcome>();
  for (const [index, file] of files.entries()) {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) {
      early.set(index, unsent(file, 'There is no such file.'));
      continue;
    }
    if (stat.isDirectory()) {
      early.set(index, unsent(file, 'It is a folder, not a file: give the JSON files in it, e.g. folder/*.json.'));
      continue;
    }
    const { maxBytes, what } = UPLOAD_KINDS['return-file'];
    if (stat.size > maxBytes) {
      const mb = Math.round(maxBytes / 2 ** 20);
      early.set(
        index,
        unsent(
          file,
          `It is larger than ${mb} MB, which is more than any ${what} should be. Check it is the right file.`,
          'too-large',
        ),
      );
      continue;
    }
    try {
      sent.push({ index, uploadId: await sendFile(ctx, file, 'return-file') });
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      early.set(index, unsent(file, error.message));
    }
  }
  let checked: AddResult = { files: [], added: 0, refused: 0, summary: '' };
  if (sent.length > 0) {
    try {
      checked = await call(ctx, 'ics/add', { uploadIds: sent.map((s) => s.uploadId) });
    } finally {
      // The service forgets each file it reads; these are only left if it refused the whole call.
      for (const s of sent) await call(ctx, 'upload/discard', { uploadId: s.uploadId }).catch(() => undefined);
    }
  }
  const byIndex = new Map(sent.map((s, i) => [s.index, checked.files[i]!]));
  const outcomes = files.map((_, i) => early.get(i) ?? byIndex.get(i)!);
  const refused = checked.refused + early.size;
  const summary =
    early.size === 0
      ? checked.summary
      : `${count(files.length)} files checked: ${count(checked.added)} return${checked.added === 1 ? '' : 's'} added, ${count(refused)} refused (see each file's reason).`;
  return { files: outcomes, added: checked.added, refused, summary };
}

function fileLine(f: FileOutcome): string {
  if (f.outcome === 'refused' || !f.trust) return `${f.fileName}: refused - ${f.message}`;
  const what = `${f.trust.name} (${f.trust.odsCode}), ${f.period} version ${f.version}`;
  return `${f.fileName}: ${OUTCOME_WORDS[f.outcome]} - ${what}${f.outcome === 'added' ? '' : `. ${f.message}`}`;
}

function valueText(v: number | null | undefined, unit: 'count' | 'percent'): string {
  if (v === null || v === undefined) return '-';
  return unit === 'percent' ? `${v.toFixed(1)}%` : count(v);
}

/** Short column headers, so that eight measures fit a terminal; the legend under the table gives the full names. */
const SHORT: Record<ComparisonMeasure, string> = {
  headcount: 'Headcount',
  'vacancy-rate': 'Vacancy',
  'leaver-rate': 'Leavers',
  'stability-index': 'Stability',
  'roles-mapped': 'Mapped',
  'meeting-requirement': 'Education',
  'bme-share': 'BME',
  'spend-against-allocation': 'Spend',
};

function pictureText(p: IcsPicture): string {
  const c = p.comparison;
  const unitOf = (m: ComparisonMeasure) =>
    c.measures.find((x) => x.key === m)?.unit === 'percent' ? 'percent' : 'count';
  const lines = [
    `ICS picture for ${p.period}: ${p.included.length} trust return${p.included.length === 1 ? '' : 's'} added up.`,
    ...(p.missing.length > 0
      ? [`Not yet sent (not in the figures): ${p.missing.map((m) => `${m.name} (${m.odsCode})`).join(', ')}.`]
      : []),
  ];
  if (p.included.length === 0) {
    lines.push("No trust's return for this period is collected yet: collect them with ics add FILE...");
    return lines.join('\n');
  }
  const measures = c.measures.map((m) => m.key);
  const spread = (m: ComparisonMeasure, k: 'lowest' | 'median' | 'highest') => {
    const s = c.spread[m];
    return s ? valueText(s[k], unitOf(m)) : '-';
  };
  lines.push(
    '',
    'Trusts compared (the ICS is worked out from the added-up counts, not an average of the trusts)',
    textTable([
      ['Trust', ...c.measures.map((m) => SHORT[m.key])],
      ...c.trusts.map((t) => [`${t.name} (${t.odsCode})`, ...measures.map((m) => valueText(t.values[m], unitOf(m)))]),
      ['ICS', ...measures.map((m) => valueText(c.ics[m], unitOf(m)))],
      ['Lowest', ...measures.map((m) => spread(m, 'lowest'))],
      ['Median', ...measures.map((m) => spread(m, 'median'))],
      ['Highest', ...measures.map((m) => spread(m, 'highest'))],
    ]),
    c.measures.map((m) => `${SHORT[m.key]}: ${m.label}`).join('; '),
    'Lowest, median and highest are of the trusts; "-" means there is nothing to work it out from.',
    '',
    "Every section added up (exact figures, for the ICS's own use: not for publishing)",
    ...tablesText(p.tables),
  );
  return lines.join('\n');
}

export const icsCommands: Record<string, CliCommand> = {
  'ics add': {
    usage: 'ics add FILE...',
    summary:
      "collect trusts' exact returns (the JSON files they export): each file is checked and added, or refused with the reason; exit code 2 if any is refused",
    async run(ctx, args, out) {
      const files = args.positional;
      if (files.length === 0)
        throw new CliError("ics add needs the trusts' return FILEs (JSON), e.g. ics add returns/*.json");
      if (files.length > MAX_FILES)
        throw new CliError(`ics add takes up to ${MAX_FILES} files at once; ${count(files.length)} were given.`);
      const result = await addFiles(ctx, files);
      if (args.json) out(JSON.stringify(result));
      else out([...result.files.map(fileLine), result.summary].join('\n'));
      return result.refused > 0 ? 2 : 0;
    },
  },
  'ics status': {
    usage: 'ics status --period 2025/26|2025/26-Q2',
    summary: 'which trusts have sent their return for a period, and which have not',
    async run(ctx, args, out) {
      const status = await call(ctx, 'ics/status', { period: periodArg(args, 'ics status') });
      if (args.json) {
        out(JSON.stringify(status));
        return 0;
      }
      const lines = [
        `${status.period}: ${status.sent} of ${status.trusts.length} trust${status.trusts.length === 1 ? '' : 's'} have sent a return; ${status.missing} not yet.`,
      ];
      if (status.trusts.length > 0)
        lines.push(
          textTable([
            ['Trust', 'ODS', 'Sent', 'Version', 'As at', 'Received', 'Superseded'],
            ...status.trusts.map((t) => [
              t.name,
              t.odsCode,
              t.sent ? 'yes' : 'NOT YET',
              t.version === null ? '' : String(t.version),
              t.asAt ?? '',
              t.receivedAt?.slice(0, 10) ?? '',
              t.superseded > 0 ? String(t.superseded) : '',
            ]),
          ]),
        );
      else lines.push('No trusts yet: add them with ics trust add, or collect their returns with ics add.');
      if (status.periods.length > 0 && !status.periods.includes(status.period))
        lines.push(`Returns are collected for: ${status.periods.join(', ')}.`);
      out(lines.join('\n'));
      return 0;
    },
  },
  'ics picture': {
    usage: 'ics picture --period 2025/26|2025/26-Q2',
    summary:
      "the ICS picture: the trusts side by side (ICS value, lowest, median, highest), then every section of the trusts' returns added up",
    async run(ctx, args, out) {
      const picture = await call(ctx, 'ics/picture', { period: periodArg(args, 'ics picture') });
      out(args.json ? JSON.stringify(picture) : pictureText(picture));
      return 0;
    },
  },
  'ics trusts': {
    usage: 'ics trusts',
    summary: "list the ICS's trusts, with how many returns are collected from each",
    async run(ctx, args, out) {
      const { trusts } = await call(ctx, 'ics/trusts', {});
      if (args.json) out(JSON.stringify(trusts));
      else if (trusts.length === 0)
        out('No trusts yet. Add one with: ics trust add --ods CODE --name NAME (or collect its return with ics add).');
      else
        out(
          textTable([
            ['ODS', 'Trust', 'Added', 'Returns collected'],
            ...trusts.map((t) => [
              t.odsCode,
              t.name,
              `${t.addedFrom === 'hand' ? 'by hand' : 'from a return'} ${t.addedAt.slice(0, 10)}`,
              t.collectedReturns,
            ]),
          ]),
        );
      return 0;
    },
  },
  'ics trust add': {
    usage: 'ics trust add --ods CODE --name NAME',
    summary: "add a trust to the ICS's list (its returns are then expected, and accepted whatever ICS they name)",
    async run(ctx, args, out) {
      const ods = args.text('ods');
      const name = args.text('name');
      if (!ods || !name) throw new CliError('ics trust add needs --ods CODE and --name NAME');
      const trust = await call(ctx, 'ics/trust-save', { id: null, odsCode: ods, name });
      out(args.json ? JSON.stringify(trust) : `Added ${trust.name} (${trust.odsCode}).`);
      return 0;
    },
  },
  'ics trust remove': {
    usage: 'ics trust remove ODS',
    summary: "take a trust off the ICS's list (refused once any of its returns is collected)",
    async run(ctx, args, out) {
      const ods = args.positional[0]?.trim().toUpperCase();
      if (!ods) throw new CliError("ics trust remove needs the trust's ODS code, e.g. ics trust remove RX1");
      const { trusts } = await call(ctx, 'ics/trusts', {});
      const trust = trusts.find((t) => t.odsCode === ods);
      if (!trust) throw new CliError(`No trust on the list has the ODS code ${ods}. See: ics trusts`);
      await call(ctx, 'ics/trust-delete', { id: trust.id });
      out(args.json ? JSON.stringify({ id: trust.id, odsCode: ods }) : `Removed ${trust.name} (${ods}).`);
      return 0;
    },
  },
};
