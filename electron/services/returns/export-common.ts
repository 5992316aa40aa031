import type { ReturnStatus } from '../../../shared/returns/channels';
import type { ReturnFile } from '../../../shared/returns/file';

/** What the XLSX and PDF share: the cover's lines, the legend for hidden cells and the document's date. */

/** The Government Statistical Service's marks: [c] confidential (hidden), [z] not applicable. */
export const HIDDEN_MARK = '[c]';
export const NOT_APPLICABLE_MARK = '[z]';

export const cellKey = (row: string, column: string, measure: string) => `${row}\u0000${column}\u0000${measure}`;

const STATUS_WORDS: Record<ReturnStatus, string> = {
  draft: 'Draft: not signed off',
  checked: 'Checked: not signed off',
  'signed-off': 'Signed off',
  sent: 'Signed off and sent',
};

export function statusText(file: ReturnFile): string {
  const r = file.return;
  const words = STATUS_WORDS[r.status];
  if (r.signOff === null) return words;
  const sent = r.sentOn ? `, sent ${r.sentOn}` : '';
  return `${words} by ${r.signOff.name} (${r.signOff.role}) on ${r.signOff.at.slice(0, 10)}${sent}`;
}

export const versionText = (file: ReturnFile) =>
  `${file.return.version} (${file.version === 'exact' ? 'ICS data-sharing version: exact figures' : 'publication version: small numbers hidden'})`;

export const hashText = (file: ReturnFile) => file.return.hash ?? 'none yet (a return gets its hash when signed off)';

/**
 * The date written into the files' metadata: when the return was signed off, or built for a draft. Both are part
 * of the snapshot, so exporting it again gives the same bytes.
 */
export function documentDate(file: ReturnFile): Date {
  const at = file.return.signOff?.at ?? file.about.builtAt;
  const date = new Date(at);
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
    ['SHA-256', hashText(file)],
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

export function legendLines(file: ReturnFile): [string, string][] {
  const t = file.about.disclosure.threshold;
  return [
    [HIDDEN_MARK, `${HIDDEN_MARK} means 1 to ${t} or hidden to protect them`],
    [NOT_APPLICABLE_MARK, `${NOT_APPLICABLE_MARK} means not applicable (for example a rate with nothing to divide by)`],
    ['Total', 'Totals are of the exact figures, including hidden cells'],
  ];
}
