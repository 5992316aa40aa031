import { useEffect, useState } from 'react';
import { useApi } from '../../api';
import { LabelledField, Notice } from '../../components/forms';
import { TabNav } from '../../components/TabNav';
import { financialYearLabel, financialYearOf } from '../../../shared/common/periods';
import { today } from '../../../shared/common/clock';
import { ImportView } from './ImportView';
import { LedgerView } from './LedgerView';
import { OverviewView } from './OverviewView';
import { PlanView } from './PlanView';
import { RulesView } from './RulesView';
import { StreamsView } from './StreamsView';
import './funding.css';

const TABS = [
  { path: 'overview', label: 'Overview' },
  { path: 'streams', label: 'Streams' },
  { path: 'plan', label: 'Spend plan' },
  { path: 'ledger', label: 'Actuals and review' },
  { path: 'import', label: 'Import ledger' },
  { path: 'rules', label: 'Matching rules' },
] as const;

export type FundingTab = (typeof TABS)[number]['path'];

export function FundingPage({ subpath }: { subpath: string }) {
  const tab = TABS.find((t) => t.path === subpath) ?? TABS[0];
  const streams = useApi('funding/streams', {});
  const years = [...new Set((streams.data ?? []).map((s) => s.financialYear))].sort().reverse();
  const [year, setYear] = useState<string>('');
  useEffect(() => {
    if (!year && years.length > 0) setYear(years[0]!);
  }, [year, years]);
  const thisYear = financialYearOf(today());
  const start = Number(thisYear.slice(0, 4));
  const yearChoices = [
    ...new Set([...years, ...Array.from({ length: 8 }, (_, i) => financialYearLabel(start - 6 + i))]),
  ]
    .sort()
    .reverse();
  const activeYear = year || years[0] || '2021/22';

  return (
    <>
      <h1>Funding</h1>
      <p className="lede">
        Plan and track pump-prime and other one-off funding: what was allocated, what it is planned for, what has been
        committed and spent, and what is forecast by 31 March.
      </p>
      <div className="funding-toolbar">
        <LabelledField htmlFor="funding-year" label="Financial year shown" width="short">
          <select id="funding-year" className="select" value={activeYear} onChange={(e) => setYear(e.target.value)}>
            {yearChoices.map((y) => (
              <option key={y} value={y}>
                {y}
                {years.includes(y) ? '' : ' (no streams)'}
              </option>
            ))}
          </select>
        </LabelledField>
      </div>
      <TabNav area="funding" label="Funding" tabs={TABS} current={tab.path} />
      {streams.error && <Notice kind="warning">{streams.error}</Notice>}
      {streams.data && streams.data.length === 0 && tab.path !== 'streams' && (
        <Notice kind="info">
          No funding streams yet. Start by adding your allocation on the <a href="#/funding/streams">Streams</a> tab.
        </Notice>
      )}
      {tab.path === 'overview' && <OverviewView year={activeYear} />}
      {tab.path === 'streams' && (
        <StreamsView
          year={activeYear}
          onChanged={(y) => {
            streams.reload();
            setYear(y);
          }}
        />
      )}
      {tab.path === 'plan' && <PlanView year={activeYear} />}
      {tab.path === 'ledger' && <LedgerView year={activeYear} />}
      {tab.path === 'import' && <ImportView year={activeYear} />}
      {tab.path === 'rules' && <RulesView year={activeYear} />}
    </>
  );
}
