import {
  financialYearLabel,
  financialYearOf,
  financialYearRange,
  quarterRange,
  type Quarter,
} from '../../../shared/common/periods';
import { today } from '../../../shared/common/clock';

/** A return's period as the CLI and the services spell it: "2025/26" or "2025/26-Q2". */
export interface PeriodChoice {
  period: string;
  label: string;
  lastDay: string;
}

const QUARTER_MONTHS: Record<Quarter, string> = {
  1: 'April to June',
  2: 'July to September',
  3: 'October to December',
  4: 'January to March',
};

/** The financial years from four before this one to this one, newest first, each followed by its quarters. */
export function periodChoices(now = today()): PeriodChoice[] {
  const start = Number(financialYearOf(now).slice(0, 4));
  const choices: PeriodChoice[] = [];
  for (let y = start; y >= start - 4; y--) {
    const fy = financialYearLabel(y);
    choices.push({ period: fy, label: `${fy} (whole year)`, lastDay: financialYearRange(fy).to });
    for (const q of [1, 2, 3, 4] as Quarter[])
      choices.push({
        period: `${fy}-Q${q}`,
        label: `${fy} quarter ${q} (${QUARTER_MONTHS[q]})`,
        lastDay: quarterRange(fy, q).to,
      });
  }
  return choices;
}
