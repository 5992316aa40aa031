import { cellText, normaliseDate, type DateOrder } from '../common/cells';
import { dateLabel, financialYearOf } from '../common/periods';
import { ledgerCellAmount } from './amounts';
import { LEDGER_FIELDS, type LedgerMapping } from './ledger-import';

/**
 * One row of a ledger file to what would be saved, with its problems: the same reading for the preview and the
 * commit. Matching the row to a plan line is the service's part (the rules live in the database).
 */

/** A cell as the file reader gives it. */
export type LedgerCell = string | number | Date | null;

export interface LedgerRowRead {
  /** Null when the date cannot be read or falls outside the years allowed. */
  date: string | null;
  amountPence: number | null;
  costCentre: string;
  accountCode: string;
  description: string;
  /** Each names the file's column; none means the row can be saved. */
  issues: { column: string; message: string }[];
}

export interface LedgerYears {
  /** Two-digit years up to this year + 20 are 20xx. */
  referenceYear: number;
  /** The one stream's year when the import is for one stream; otherwise any year in `streamYears`. */
  streamYear: string | null;
  streamYears: ReadonlySet<string>;
}

/** Columns the mapping names that the file does not have, keyed as the mapping's fields ("mapping.date"). */
export function ledgerMappingProblems(mapping: LedgerMapping, headers: readonly string[]): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const key of LEDGER_FIELDS) {
    const header = mapping[key];
    if (header && !headers.includes(header))
      problems[`mapping.${key}`] = `There is no column called "${header}" in this file`;
  }
  return problems;
}

export function dateOrderLabel(order: DateOrder): string {
  return order === 'dmy' ? 'dd/mm/yyyy' : order === 'mdy' ? 'mm/dd/yyyy' : 'yyyy-mm-dd';
}

/** A reader of rows for one mapping and one file's headers. */
export function ledgerRowReader(
  mapping: LedgerMapping,
  headers: readonly string[],
  years: LedgerYears,
): (cells: readonly LedgerCell[], rowError: string | null) => LedgerRowRead {
  const col = (header: string | null) => (header ? headers.indexOf(header) : -1);
  const idx = {
    date: col(mapping.date),
    amount: col(mapping.amount),
    debit: col(mapping.debit),
    credit: col(mapping.credit),
    costCentre: col(mapping.costCentre),
    accountCode: col(mapping.accountCode),
    description: col(mapping.description),
  };
  const { referenceYear, streamYear, streamYears } = years;
  const yearText = streamYear ?? [...streamYears].join(' or ');
  const amountColumn = mapping.amount ?? [mapping.debit, mapping.credit].filter(Boolean).join(' / ');

  return (cells, rowError) => {
    const issues: LedgerRowRead['issues'] = [];
    if (rowError) issues.push({ column: '(row)', message: rowError });
    const cell = (i: number): LedgerCell => (i >= 0 ? (cells[i] ?? null) : null);
    // A date in an amount column becomes text, which the amount parser refuses.
    const amountCell = (i: number) => {
      const c = cell(i);
      return c instanceof Date ? c.toISOString() : c;
    };

    let date: string | null = null;
    const d = normaliseDate(cell(idx.date), { order: mapping.dateOrder, referenceYear });
    if (!d.ok) issues.push({ column: mapping.date, message: d.message });
    else {
      const year = financialYearOf(d.value);
      if (streamYear ? year !== streamYear : !streamYears.has(year)) {
        issues.push({
          column: mapping.date,
          message: `${dateLabel(d.value)} is in ${year}, outside ${streamYear ? `the stream's year ${streamYear}` : `every funding stream's year (${yearText})`}`,
        });
      } else date = d.value;
    }

    const amount = mapping.amount
      ? ledgerCellAmount({ amount: amountCell(idx.amount) })
      : ledgerCellAmount({ debit: amountCell(idx.debit), credit: amountCell(idx.credit) });
    if (!amount.ok) issues.push({ column: amountColumn, message: amount.message });

    const costCentre = cellText(cell(idx.costCentre));
    const accountCode = cellText(cell(idx.accountCode));
    let description = cellText(cell(idx.description));
    if (costCentre.length > 40)
      issues.push({ column: mapping.costCentre ?? '', message: 'The cost centre is longer than 40 characters' });
    if (accountCode.length > 40)
      issues.push({ column: mapping.accountCode ?? '', message: 'The account code is longer than 40 characters' });
    if (description.length > 300) description = `${description.slice(0, 299)}…`;

    return { date, amountPence: amount.ok ? amount.pence : null, costCentre, accountCode, description, issues };
  };
}
