import { formatPence, parseMoney, type ParseMoneyResult } from '../common/money';

/**
 * The amount of a ledger row, read from its cells. Text goes through parseMoney (shared/common/money.ts), which
 * never turns unreadable text into 0; a blank amount is an error too.
 */

/**
 * Reads the amount of an imported ledger row: one signed amount column, or separate debit and credit
 * columns (debit = spend, credit = negative). Unreadable text is an error, never 0.
 */
export function ledgerAmount(columns: { amount?: string; debit?: string; credit?: string }): ParseMoneyResult {
  if (columns.amount !== undefined) return parseMoney(columns.amount);
  const debit = columns.debit?.trim() ?? '';
  const credit = columns.credit?.trim() ?? '';
  if (debit === '' && credit === '') return { ok: false, message: 'blank amount: both debit and credit are empty' };
  if (debit !== '' && credit !== '') {
    return { ok: false, message: `The row has both a debit (${debit}) and a credit (${credit}); expected one` };
  }
  const parsed = parseMoney(debit !== '' ? debit : credit);
  if (!parsed.ok || debit !== '') return parsed;
  return { ok: true, pence: parsed.pence === 0 ? 0 : -parsed.pence };
}

/**
 * A spreadsheet amount cell to pence: numbers must have at most 2 decimal places (binary doubles are
 * rounded to the nearest penny only when they are within a millionth of it); text goes through parseMoney.
 */
export function cellPence(cell: string | number | null | undefined): ParseMoneyResult {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return { ok: false, message: `${cell} is not an amount` };
    const pence = Math.round(cell * 100);
    if (Math.abs(pence - cell * 100) > 1e-6 * Math.max(1, Math.abs(cell))) {
      return { ok: false, message: `${cell} has more than 2 decimal places` };
    }
    if (!Number.isSafeInteger(pence)) return { ok: false, message: `${cell} is too large` };
    return { ok: true, pence: pence === 0 ? 0 : pence };
  }
  return parseMoney(cell ?? '');
}

/**
 * The amount of an imported row from its cells (text from CSV, numbers from XLSX): one signed amount
 * column, or debit (spend) and credit (negative) columns. A zero in one of debit/credit beside an amount in
 * the other counts as empty, as many ledgers fill both. Unreadable or blank is an error, never 0.
 */
export function ledgerCellAmount(cells: {
  amount?: string | number | null;
  debit?: string | number | null;
  credit?: string | number | null;
}): ParseMoneyResult {
  const blank = (c: string | number | null | undefined) =>
    c === null || c === undefined || (typeof c === 'string' && c.trim() === '');
  if ('amount' in cells) {
    if (blank(cells.amount)) return { ok: false, message: 'blank amount' };
    return cellPence(cells.amount);
  }
  const debit = blank(cells.debit) ? null : cellPence(cells.debit);
  const credit = blank(cells.credit) ? null : cellPence(cells.credit);
  if (debit && !debit.ok) return { ok: false, message: `debit: ${debit.message}` };
  if (credit && !credit.ok) return { ok: false, message: `credit: ${credit.message}` };
  const d = debit?.ok ? debit.pence : null;
  const c = credit?.ok ? credit.pence : null;
  if (d === null && c === null) return { ok: false, message: 'blank amount: both debit and credit are empty' };
  if (d !== null && c !== null && d !== 0 && c !== 0) {
    return {
      ok: false,
      message: `the row has both a debit (${formatPence(d)}) and a credit (${formatPence(c)}); expected one`,
    };
  }
  if (d !== null && d !== 0) return { ok: true, pence: d };
  if (c !== null && c !== 0) return { ok: true, pence: -c };
  return { ok: true, pence: 0 };
}
