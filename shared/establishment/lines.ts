import { cellText, fail, ok, type Cell, type Normalised } from '../common/cells';
import { parseMoney } from '../common/money';
import type { Band } from '../common/reference';
import { normaliseBand } from '../import/cells';
import { establishmentFieldLabels, type EstablishmentField, type EstablishmentMapping } from './fields';

/** One line of an establishment report, read and checked; where it goes is decided by matching (the service). */
export interface EstablishmentLine {
  line: number;
  costCentre: string;
  service: string;
  title: string;
  band: Band;
  /** Funded WTE in ten-thousandths (0.8533 WTE = 8533): lines are summed per post, then rounded to hundredths. */
  wte4: number;
  budgetPence: number | null;
}

export interface LineIssue {
  line: number;
  column: string;
  message: string;
}

/** Largest funded WTE one line may carry: a whole team's establishment can sit on one line. */
export const MAX_LINE_WTE = 10_000;

function plainNumber(cell: Cell): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  const text = cellText(cell).replace(/\s/g, '');
  const normal = /^[+-]?\d+,\d+$/.test(text) ? text.replace(',', '.') : text;
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(normal) ? Number(normal) : null;
}

/** Funded WTE as ten-thousandths: "1.5" -> 15000, "0.8533" -> 8533. Blank, text or negative is refused. */
export function parseWte(cell: Cell): Normalised<number> {
  const text = cellText(cell);
  if (text === '') return fail('Funded WTE is blank');
  const n = plainNumber(cell);
  if (n === null) return fail(`"${text}" is not a number of WTE`);
  if (n < 0) return fail(`Funded WTE cannot be negative (${text})`);
  if (n > MAX_LINE_WTE)
    return fail(`${text} WTE on one line cannot be right (${MAX_LINE_WTE.toLocaleString('en-GB')} at most)`);
  const wte4 = Math.round(n * 10_000);
  return ok(wte4, Math.abs(wte4 - n * 10_000) > 1e-6 ? `${text} WTE is read to 4 decimal places` : undefined);
}

/** A budget in pounds as integer pence ("£31,250.50" -> 3125050); blank is no budget; negative is refused. */
export function parseBudget(cell: Cell): Normalised<number | null> {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return fail('The budget is not a number');
    if (cell < 0) return fail(`A budget cannot be negative (${cell})`);
    return ok(Math.round(cell * 100));
  }
  const text = cellText(cell);
  if (text === '') return ok(null);
  const parsed = parseMoney(text);
  if (!parsed.ok) return fail(`"${text}" is not an amount in pounds`);
  if (parsed.pence < 0) return fail(`A budget cannot be negative (${text})`);
  return ok(parsed.pence);
}

/** Rounds a post's summed WTE (ten-thousandths) to the hundredths the post line keeps. */
export const centiFromWte4 = (wte4: number): number => Math.round(wte4 / 100);

/**
 * Reads one record of the report: every problem is listed by its column's header, so the lead can find it.
 * A line with any problem is rejected whole.
 */
export function readEstablishmentLine(
  line: number,
  cells: readonly Cell[],
  mapping: EstablishmentMapping,
  headers: readonly string[],
): { value: EstablishmentLine; warnings: LineIssue[] } | { value: null; errors: LineIssue[] } {
  const errors: LineIssue[] = [];
  const warnings: LineIssue[] = [];
  const column = (f: EstablishmentField) => {
    const i = mapping[f];
    return i === null ? establishmentFieldLabels[f] : (headers[i] ?? establishmentFieldLabels[f]);
  };
  const cell = (f: EstablishmentField): Cell => {
    const i = mapping[f];
    return i === null ? null : (cells[i] as Cell);
  };
  const text = (f: EstablishmentField) => cellText(cell(f));
  const take = <T>(f: EstablishmentField, result: Normalised<T>): T | undefined => {
    if (!result.ok) {
      errors.push({ line, column: column(f), message: result.message });
      return undefined;
    }
    if (result.warning) warnings.push({ line, column: column(f), message: result.warning });
    return result.value;
  };
  const costCentre = text('costCentre');
  const service = text('service');
  if (!costCentre && !service) {
    const which = [mapping.costCentre !== null ? 'costCentre' : null, mapping.service !== null ? 'service' : null]
      .filter((f): f is EstablishmentField => f !== null)
      .map(column);
    errors.push({ line, column: which.join(' / '), message: 'No cost centre or service: the line says nowhere' });
  }
  const title = text('title');
  if (!title) errors.push({ line, column: column('title'), message: 'The job title is blank' });
  const band = take('band', normaliseBand(cell('band')));
  const wte4 = take('wte', parseWte(cell('wte')));
  const budgetPence = mapping.budget === null ? null : take('budget', parseBudget(cell('budget')));
  if (errors.length > 0 || band === undefined || wte4 === undefined || budgetPence === undefined)
    return { value: null, errors };
  return { value: { line, costCentre, service, title, band, wte4, budgetPence }, warnings };
}

/** How a title and band are compared: case and spacing do not matter (role_alias keys the same way). */
export const titleKey = (title: string): string => title.trim().replace(/\s+/g, ' ').toLowerCase();
/** How a cost centre or service name is compared. */
export const placeKey = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase();
