import type { ReturnTable } from '../../../shared/returns/channels';
import type { ReturnFile } from '../../../shared/returns/file';

/** What the XLSX and PDF share: the cover's lines, the legend for hidden cells and the document's date. */

/** The Government Statistical Service's marks: [c] confidential (hidden), [z] not applicable. */
export const HIDDEN_MARK = '[c]';
export const NOT_APPLICABLE_MARK = '[z]';

export const cellKey = (row: string, column: string, measure: string) => `${row}\u0000${column}\u0000${measure}`;

export const STATUS_SHORT = 'Signed off';

export function statusText(file: ReturnFile): string {
  const s = file.return.signOff;
  return `${STATUS_SHORT} by ${s.name} (${s.role}) on ${s.at.slice(0, 10)}`;
}

export const versionText = (file: ReturnFile) =>
  `${file.return.version} (${file.version === 'exact' ? 'ICS data-sharing version: exact figures' : 'publication version: small numbers hidden'})`;

/** The date written into the files' metadata: when the return was signed off, so re-exports repeat the bytes. */
export function documentDate(file: ReturnFile): Date {
  const date = new Date(file.return.signOff.at);
  return Number.isNaN(date.getTime()) ? new Date(`${file.about.asAt}T00:00:00Z`) : date;
}

export function coverLines(file: ReturnFile): [string, string][] {
  const a = file.about;
  const lines: [string, string][] = [
    ['Trust', a.trustName],
    ['ODS code', a.odsCode],
    ['Integrated care system', a.ics],
    ['AHP faculty', a.ahpFaculty],
    ['Period', `${a.period} (${a.periodStart} to ${a.asAt})`],
    ['Figures as at', a.asAt],
    ['Version', versionText(file)],
    ['Status', statusText(file)],
    ['SHA-256', file.return.hash],
  ];
  if (file.return.previousHash) lines.push(['Previous return SHA-256', file.return.previousHash]);
  if (file.return.correctionReason) lines.push(['Correction reason', file.return.correctionReason]);
  lines.push(
    ['Disclosure control', a.disclosure.rules],
    ['Framework version', a.frameworkVersion],
    ['App version', a.appVersion],
    ['Prepared by', a.preparedBy],
    ['Built', a.builtAt],
  );
  for (const i of a.imports)
    lines.push([`Import: ${i.kind}`, `${i.fileName}, ${i.importedAt}${i.sha256 ? `, SHA-256 ${i.sha256}` : ''}`]);
  return lines;
}

export function legendLines(file: ReturnFile): string[] {
  const t = file.about.disclosure.threshold;
  return [
    `${HIDDEN_MARK} means 1 to ${t} or hidden to protect them`,
    `${NOT_APPLICABLE_MARK} means not applicable (for example a rate with nothing to divide by)`,
    'Totals are of all the figures, hidden ones included',
  ];
}

/**
 * The value columns a table prints: each column with each measure it has cells for (a vacancy table's
 * establishment column has an FTE, its rate column a percentage), labelled by the column alone when it has one.
 * `across` is the table's columns, or its rows when it is printed on its side.
 */
export function valueColumns(
  table: ReturnTable,
  across: 'columns' | 'rows',
): { key: string; label: string; columnLabel: string; measure: ReturnTable['measures'][number] }[] {
  const used = new Set(table.cells.map((c) => `${across === 'columns' ? c.column : c.row}\u0000${c.measure}`));
  return table[across].flatMap((a) => {
    const measures = table.measures.filter((m) => used.has(`${a.key}\u0000${m.key}`));
    return measures.map((m) => ({
      key: a.key,
      label: measures.length > 1 ? `${a.label}: ${m.label}` : a.label,
      columnLabel: a.label,
      measure: m,
    }));
  });
}
