import { useEffect, useState } from 'react';
import { useApi, type Loaded } from '../../api';
import type { Column } from '../../components/DataTable';
import { LabelledField } from '../../components/forms';
import { today } from '../../../shared/common/clock';
import { financialYearOf } from '../../../shared/common/periods';
import type { IcsStatus } from '../../../shared/ics/channels';
import { periodChoices } from '../returns/periods';

/** "2025/26 (whole year)", "2025/26 quarter 2 (July to September)", as the returns area words them. */
export function periodLabel(period: string): string {
  return periodChoices().find((c) => c.period === period)?.label ?? period;
}

/**
 * The period an ICS screen shows: chosen by the lead, else the newest period any trust has sent, else this
 * financial year. Answers the status of that period too, which carries the periods to choose from.
 */
export function useIcsPeriod(reloadKey = ''): {
  period: string;
  choose: (period: string) => void;
  choices: string[];
  status: Loaded<IcsStatus>;
} {
  const current = financialYearOf(today());
  const [chosen, setChosen] = useState<string | null>(null);
  const period = chosen ?? current;
  const status = useApi('ics/status', { period }, reloadKey);
  const newest = status.data?.periods[0];
  useEffect(() => {
    if (chosen === null && newest !== undefined) setChosen(newest);
  }, [chosen, newest]);
  const choices = [...new Set([...(status.data?.periods ?? []), current, period])].sort().reverse();
  return { period, choose: setChosen, choices, status };
}

export function PeriodChooser({
  id,
  period,
  choices,
  onChoose,
  label = 'Period',
}: {
  id: string;
  period: string;
  choices: readonly string[];
  onChoose: (period: string) => void;
  label?: string;
}) {
  return (
    <LabelledField
      htmlFor={id}
      label={label}
      hint="Periods any trust has sent a return for, and this year"
      width="long"
    >
      <select id={id} className="select" value={period} onChange={(e) => onChoose(e.target.value)}>
        {choices.map((p) => (
          <option key={p} value={p}>
            {periodLabel(p)}
          </option>
        ))}
      </select>
    </LabelledField>
  );
}

/** A trust as the first column of a list of trusts: its name and ODS code, sortable by name. */
export function trustColumn<T extends { name: string; odsCode: string }>(): Column<T> {
  return {
    id: 'name',
    header: 'Trust',
    rowHeader: true,
    sortable: true,
    value: (t) => t.name,
    cell: (t) => `${t.name} (${t.odsCode})`,
  };
}
