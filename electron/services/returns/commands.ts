import fs from 'node:fs';
import path from 'node:path';
import { call, CliError, fte, textTable, type CliArgs, type CliCommand } from '../../transports/cli-command';
import {
  CELL_STATUS_LABELS,
  RETURN_EXPORT_FORMATS,
  returnExportFormatSchema,
  SECTION_TITLES,
  type ReturnCell,
  type ReturnTable,
  type ReturnView,
} from '../../../shared/returns/channels';
import { parseReturnPeriod } from '../../../shared/returns/periods';
import { formatPence } from '../../../shared/common/money';

function idArg(args: CliArgs, index: number, usage: string): number {
  const text = args.positional[index];
  if (!text) throw new CliError(`Give the return's ID: ${usage}`);
  if (!/^[1-9]\d*$/.test(text)) throw new CliError(`"${text}" is not a return ID: use the number shown by return list`);
  return Number(text);
}

function cellText(c: ReturnCell | undefined, unit: string): string {
  if (!c) return '';
  if (c.status === 'not-applicable') return '-';
  if (c.value === null) return '[c]';
  if (unit === 'pence') return formatPence(c.value);
  if (unit === 'percent') return `${c.value.toFixed(1)}%`;
  if (unit === 'fte') return fte(c.value);
  return c.value.toLocaleString('en-GB');
}

/** Return tables as text, grouped by section: a column per column and measure, hidden cells as [c]. */
export function tablesText(tables: ReturnTable[]): string[] {
  const lines: string[] = [];
  let section = '';
  for (const t of tables) {
    if (t.section !== section) {
      section = t.section;
      lines.push('', `${section}. ${SECTION_TITLES[t.section]}`);
    }
    const cells = new Map(t.cells.map((c) => [`${c.row}|${c.column}|${c.measure}`, c]));
    // A column shows each measure it has; its header names the measure only when it has more than one.
    const measuresOf = (column: string) =>
      t.measures.filter((m) => t.cells.some((c) => c.column === column && c.measure === m.key));
    const header = [
      '',
      ...t.columns.flatMap((col) => {
        const ms = measuresOf(col.key);
        return ms.map((m) => (ms.length > 1 ? `${col.label} ${m.label}` : col.label));
      }),
    ];
    const body = t.rows.map((row) => [
      row.label,
      ...t.columns.flatMap((col) =>
        measuresOf(col.key).map((m) => cellText(cells.get(`${row.key}|${col.key}|${m.key}`), m.unit)),
      ),
    ]);
    lines.push('', `${t.id} ${t.title}`, textTable([header, ...body]));
  }
  return lines;
}

/** A return as text: section A, then each table (a column per column and measure), then the checklist and H. */
function showText(r: ReturnView): string {
  const a = r.content.about;
  const lines = [
    ...(r.content.marking ? [r.content.marking, ''] : []),
    `${a.organisationKind === 'ics' ? 'ICS return' : 'Return'} ${r.id}: ${a.trustName} (${a.odsCode}), ${a.period} version ${r.version}, as at ${a.asAt} - ${r.status}${r.hash ? `, hash ${r.hash}` : ''}`,
    `ICS: ${a.ics}; AHP faculty: ${a.ahpFaculty}; framework ${a.frameworkVersion}; threshold ${a.disclosure.threshold}`,
    // An ICS return is its trusts' returns added up: say which, so the reader knows what it covers.
    ...(a.organisationKind === 'ics'
      ? [
          a.imports.length === 0
            ? "Added up from no trust's return yet: collect them with ics add FILE..."
            : `Added up from ${a.imports.length} trust return${a.imports.length === 1 ? '' : 's'}:`,
          ...a.imports.map((i) => `  ${i.fileName}`),
        ]
      : []),
    ...(r.correctionReason ? [`Correction of return ${r.supersedesId}: ${r.correctionReason}`] : []),
    r.content.version === 'publication'
      ? 'Publication version: [c] means 1 to the threshold, or hidden to protect such a count.'
      : '',
  ];
  lines.push(...tablesText(r.content.tables));
  if (r.content.checklist.length > 0) {
    lines.push('', 'First-phase checklist');
    for (const c of r.content.checklist) lines.push(`  [${c.done ? 'x' : ' '}] ${c.stream}: ${c.text}`);
  }
  lines.push('', `H. ${SECTION_TITLES.H}`);
  for (const h of r.content.readiness) {
    lines.push(`  ${h.requirementText}: ${h.rag ?? 'no RAG status'}${h.done ? ` - ${h.done}` : ''}`);
    for (const n of h.nextActions) lines.push(`    next: ${n.action} (${n.owner}, by ${n.due})`);
    if (h.risks) lines.push(`    risks: ${h.risks}`);
  }
  lines.push('', ...checkLines(r));
  return lines.join('\n');
}

function checkLines(r: Pick<ReturnView, 'checks'>): string[] {
  const c = r.checks;
  return [
    ...c.errors.map((e) => `Error: ${e.message}`),
    ...c.warnings.map((w) => `Warning: ${w.message}`),
    `Disclosure audit: ${c.audit.ok ? 'passed' : 'FAILED'} (${c.audit.hiddenCells} hidden cells, ${c.audit.ms.toFixed(0)} ms)`,
    ...(c.warningsAccepted ? [`Warnings accepted by ${c.warningsAccepted.by}: ${c.warningsAccepted.reason}`] : []),
  ];
}

export const returnsCommands: Record<string, CliCommand> = {
  'return build': {
    usage: 'return build --period 2025/26|2025/26-Q2 [--as-at DATE] [--correction REASON]',
    summary:
      'build a draft return for a financial year or quarter (as at its last day); --correction corrects a signed-off one',
    async run(ctx, args, out) {
      const period = args.text('period');
      if (!period) throw new CliError('return build needs --period, e.g. --period 2025/26 or --period 2025/26-Q2');
      if (!parseReturnPeriod(period))
        throw new CliError(
          `Unknown period "${period}": use a financial year like 2025/26 or a quarter like 2025/26-Q2`,
        );
      const result = await call(ctx, 'returns/build', {
        period,
        asAt: args.text('as-at') ?? null,
        correctionReason: args.text('correction') ?? null,
      });
      if (args.json) out(JSON.stringify(result));
      else
        out(
          [
            `Built draft return ${result.id} for ${result.period}, as at ${result.asAt}.`,
            ...result.errors.map((e) => `Error: ${e.message}`),
            ...result.warnings.map((w) => `Warning: ${w.message}`),
          ].join('\n'),
        );
      return 0;
    },
  },
  'return rebuild': {
    usage: 'return rebuild ID',
    summary: 'build a draft again from the data as it is now (its readiness text is kept)',
    async run(ctx, args, out) {
      const result = await call(ctx, 'returns/rebuild', { id: idArg(args, 0, 'return rebuild ID') });
      out(
        args.json
          ? JSON.stringify(result)
          : `Rebuilt draft return ${result.id}: ${result.errors.length} errors, ${result.warnings.length} warnings.`,
      );
      return 0;
    },
  },
  'return list': {
    usage: 'return list',
    summary: 'list the returns, newest period first',
    async run(ctx, args, out) {
      const { returns } = await call(ctx, 'returns/list', {});
      if (args.json) out(JSON.stringify(returns));
      else if (returns.length === 0) out('No returns yet. Build one with: return build --period 2025/26');
      else
        out(
          textTable([
            ['ID', 'Period', 'Version', 'As at', 'Status', 'Signed off by', 'Hash'],
            ...returns.map((r) => [
              String(r.id),
              r.period,
              String(r.version),
              r.asAt,
              r.supersededById ? `${r.status} (superseded by ${r.supersededById})` : r.status,
              r.signOff ? `${r.signOff.name}, ${r.signOff.role}` : '',
              r.hash ? r.hash.slice(0, 12) : '',
            ]),
          ]),
        );
      return 0;
    },
  },
  'return show': {
    usage: 'return show ID [--exact]',
    summary:
      'show a return: the publication version (hidden cells as [c]), or with --exact the ICS data-sharing version',
    async run(ctx, args, out) {
      const view = await call(ctx, 'returns/show', {
        id: idArg(args, 0, 'return show ID'),
        version: args.options.get('exact') === true ? 'exact' : 'publication',
      });
      out(args.json ? JSON.stringify(view) : showText(view));
      return 0;
    },
  },
  'return check': {
    usage: 'return check ID [--accept-warnings REASON]',
    summary: 'run the checks; with no errors, and warnings accepted with a reason, the return becomes checked',
    async run(ctx, args, out) {
      const view = await call(ctx, 'returns/check', {
        id: idArg(args, 0, 'return check ID'),
        acceptWarnings: args.text('accept-warnings') ?? null,
      });
      out(
        args.json
          ? JSON.stringify(view.checks)
          : [`Return ${view.id} is ${view.status}.`, ...checkLines(view)].join('\n'),
      );
      return 0;
    },
  },
  'return sign': {
    usage: 'return sign ID --by NAME --role ROLE [--accept-warnings REASON]',
    summary: 'sign off a return: its figures are frozen with a hash chained to the previous signed-off return',
    async run(ctx, args, out) {
      const id = idArg(args, 0, 'return sign ID --by NAME --role ROLE');
      const by = args.text('by');
      const role = args.text('role');
      if (!by || !role) throw new CliError('return sign needs --by NAME and --role ROLE of the person signing off');
      const view = await call(ctx, 'returns/sign', {
        id,
        name: by,
        role,
        acceptWarnings: args.text('accept-warnings') ?? null,
      });
      out(
        args.json
          ? JSON.stringify({
              id: view.id,
              status: view.status,
              hash: view.hash,
              previousHash: view.previousHash,
              signOff: view.signOff,
            })
          : `Signed off return ${view.id} (${view.period} version ${view.version}) by ${view.signOff!.name}, ${view.signOff!.role}. Hash ${view.hash}`,
      );
      return 0;
    },
  },
  'return sent': {
    usage: 'return sent ID --on DATE',
    summary: 'record the date a signed-off return was sent',
    async run(ctx, args, out) {
      const id = idArg(args, 0, 'return sent ID --on DATE');
      const on = args.text('on');
      if (!on) throw new CliError('return sent needs --on DATE (YYYY-MM-DD)');
      const view = await call(ctx, 'returns/sent', { id, sentOn: on });
      out(
        args.json
          ? JSON.stringify({ id: view.id, status: view.status, sentOn: view.sentOn })
          : `Return ${view.id} sent on ${view.sentOn}.`,
      );
      return 0;
    },
  },
  'return delete': {
    usage: 'return delete ID',
    summary: 'delete a draft return (a signed-off one can only be superseded)',
    async run(ctx, args, out) {
      const done = await call(ctx, 'returns/delete', { id: idArg(args, 0, 'return delete ID') });
      out(args.json ? JSON.stringify(done) : `Deleted draft return ${done.id}.`);
      return 0;
    },
  },
  'return diff': {
    usage: 'return diff ID1 ID2',
    summary: 'compare two returns cell by cell (exact figures), e.g. a correction against the version it corrects',
    async run(ctx, args, out) {
      const usage = 'return diff ID1 ID2';
      const diff = await call(ctx, 'returns/diff', {
        fromId: idArg(args, 0, usage),
        toId: idArg(args, 1, usage),
        version: 'exact',
      });
      if (args.json) {
        out(JSON.stringify(diff));
        return 0;
      }
      const value = (v: { value: number | null; status: string } | null) =>
        v === null
          ? '(none)'
          : v.value === null
            ? CELL_STATUS_LABELS[v.status as keyof typeof CELL_STATUS_LABELS]
            : String(v.value);
      out(
        [
          `Return ${diff.from.id} (${diff.from.period} v${diff.from.version}) -> return ${diff.to.id} (${diff.to.period} v${diff.to.version}): ${diff.cells.length} cells differ, ${diff.unchangedCells} the same.`,
          ...(diff.cells.length
            ? [
                textTable([
                  ['Table', 'Row', 'Column', 'Measure', 'Before', 'After'],
                  ...diff.cells.map((c) => [c.table, c.row, c.column, c.measure, value(c.before), value(c.after)]),
                ]),
              ]
            : []),
          ...diff.text.map((t) => `${t.path}: ${t.before ?? '(none)'} -> ${t.after ?? '(none)'}`),
        ].join('\n'),
      );
      return 0;
    },
  },
  'return verify': {
    usage: 'return verify',
    summary: 'check that no signed-off return was changed after it was signed (the hash chain)',
    async run(ctx, args, out) {
      const chain = await call(ctx, 'returns/verify', {});
      out(args.json ? JSON.stringify(chain) : chain.message);
      return chain.ok ? 0 : 1;
    },
  },
  'return threshold': {
    usage: 'return threshold [--set N]',
    summary: 'show or change the small-number threshold (default 7; lowering it warns)',
    async run(ctx, args, out) {
      const set = args.text('set');
      if (set === undefined) {
        const s = await call(ctx, 'returns/settings', {});
        out(args.json ? JSON.stringify(s) : `Counts from 1 to ${s.threshold} are hidden in publication versions.`);
        return 0;
      }
      if (!/^\d+$/.test(set)) throw new CliError('--set takes a whole number, e.g. --set 7');
      const s = await call(ctx, 'returns/settings-save', { threshold: Number(set) });
      out(
        args.json ? JSON.stringify(s) : `Threshold set to ${s.threshold}.${s.warning ? ` Warning: ${s.warning}` : ''}`,
      );
      return 0;
    },
  },
};

// ---------- exports (branch helper-returns-exports) ----------
const EXPORT_USAGE = `return export ID --format ${RETURN_EXPORT_FORMATS.join('|')} --to FILE [--exact]`;

export const returnsExportCommands: Record<string, CliCommand> = {
  'return export': {
    usage: EXPORT_USAGE,
    summary:
      'write a signed-off return to a file from its frozen snapshot: the publication version, or with --exact the ICS data-sharing version',
    async run(ctx, args, out) {
      const id = idArg(args, 0, EXPORT_USAGE);
      const formatText = args.text('format');
      const format = returnExportFormatSchema.safeParse(formatText);
      if (!format.success)
        throw new CliError(
          formatText === undefined
            ? `return export needs --format: ${RETURN_EXPORT_FORMATS.join(', ')}`
            : `Unknown format "${formatText}": use ${RETURN_EXPORT_FORMATS.join(', ')}`,
        );
      const to = args.text('to');
      if (!to) throw new CliError('return export needs --to FILE, the file to write');
      const version = args.options.get('exact') === true ? 'exact' : 'publication';
      const file = await call(ctx, 'returns/export', { id, format: format.data, version });
      try {
        fs.writeFileSync(to, Buffer.from(file.base64, 'base64'));
      } catch (e) {
        throw new CliError(`Cannot write ${path.resolve(to)}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
      const where = path.resolve(to);
      out(
        args.json
          ? JSON.stringify({ file: where, format: format.data, version, suggestedName: file.fileName })
          : `Wrote return ${id} (${version} version) as ${format.data.toUpperCase()} to ${where}`,
      );
      return 0;
    },
  },
};
