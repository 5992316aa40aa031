import { formatPence, parseMoney } from '../../../shared/common/money';

/** Pounds as people read them: "£12,345.67", tabular, negative in red where it matters. */
export function Money({ pence, signal = false }: { pence: number; signal?: boolean }) {
  return <span className={signal && pence < 0 ? 'funding-negative' : undefined}>{formatPence(pence)}</span>;
}

export const money = (pence: number) => formatPence(pence);

/** Text typed in a money box to pence; undefined when blank (the schema then says what is missing). */
export function penceFromText(text: string): { pence: number | undefined; error?: string } {
  if (text.trim() === '') return { pence: undefined };
  const parsed = parseMoney(text);
  return parsed.ok
    ? { pence: parsed.pence }
    : { pence: Number.NaN, error: `Enter an amount in pounds, like 1,234.56: ${parsed.message}` };
}

/** Pence as the text a money box starts with: "1234.56" (no £ or commas, so it edits easily). */
export function textFromPence(pence: number | null | undefined): string {
  if (pence === null || pence === undefined) return '';
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export const MONTH_SHORT = ['Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan', 'Feb', 'Mar'];
