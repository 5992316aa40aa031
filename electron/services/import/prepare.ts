import type { ImportIssue } from '../../../shared/import/channels';
import type { DateOrder } from '../../../shared/common/cells';
import type { ColumnMapping } from '../../../shared/import/fields';
import { rowNormaliser, type WorkforceRecord } from '../../../shared/import/rows';
import type { ExtractRecord } from '../common/file-reader';

/**
 * The per-row half of pass 1 that needs no database: each record of the extract normalised and checked, or
 * rejected with its issues. stage.ts then pseudonymises and stages each batch.
 */

export interface PreparedRow {
  line: number;
  record: WorkforceRecord;
  warnings: ImportIssue[];
}

export interface RejectedRow {
  line: number;
  issues: ImportIssue[];
  /**
   * The row's assignment number (else employee number + "-1") as read, so that a full-extract comparison still
   * knows the assignment is in the file. Pseudonymised before it is staged, like every identifier; never stored.
   */
  identifier: string | null;
}

export interface PreparedBatch {
  rows: PreparedRow[];
  rejected: RejectedRow[];
}

export interface PrepareOptions {
  mapping: ColumnMapping;
  headers: string[];
  dateOrder: DateOrder;
  referenceYear: number;
}

export function batchPreparer(options: PrepareOptions): (records: readonly ExtractRecord[]) => PreparedBatch {
  const { mapping } = options;
  const normalise = rowNormaliser(mapping, {
    headers: options.headers,
    order: options.dateOrder,
    referenceYear: options.referenceYear,
  });
  const employeeIndex = mapping.employeeNumber ?? null;
  const assignmentIndex = mapping.assignmentNumber ?? null;
  const identifierOf = (cells: readonly unknown[]): string | null => {
    const text = (i: number | null) => {
      if (i === null) return '';
      const c = cells[i];
      return c === null || c === undefined
        ? ''
        : typeof c === 'number' && Number.isInteger(c)
          ? c.toFixed(0)
          : String(c).trim();
    };
    return text(assignmentIndex) || (text(employeeIndex) ? `${text(employeeIndex)}-1` : '') || null;
  };
  return (records) => {
    const rows: PreparedRow[] = [];
    const rejected: RejectedRow[] = [];
    for (const { line, cells, error } of records) {
      if (error) {
        rejected.push({
          line,
          issues: [{ line, column: '(whole row)', message: error.message }],
          identifier: identifierOf(cells),
        });
        continue;
      }
      const result = normalise(cells);
      if (result.value) {
        rows.push({
          line,
          record: result.value,
          warnings: result.warnings.map((w) => ({ line, column: w.column, message: w.message })),
        });
      } else {
        rejected.push({
          line,
          issues: result.errors.map((e) => ({ line, column: e.column, message: e.message })),
          identifier: identifierOf(cells),
        });
      }
    }
    return { rows, rejected };
  };
}
