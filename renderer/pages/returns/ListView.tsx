import { useState, type FormEvent } from 'react';
import { api, useApi } from '../../api';
import { DataTable } from '../../components/DataTable';
import { ErrorSummary, LabelledField, Notice, errorsFromApi, type FieldErrors } from '../../components/forms';
import { today } from '../../../shared/common/clock';
import { dateLabel } from '../../../shared/common/periods';
import { periodChoices } from './periods';
import type { ReturnSummary } from '../../../shared/returns/channels';
import { HashDisclosure, statusText, versionLabel } from './common';
import { ThresholdForm } from './ThresholdForm';
import { useOrganisation } from '../../components/organisation';

/** Every return made, newest period first, and the form to start one. */
export function ListView() {
  const returns = useApi('returns/list', {});
  const ics = useOrganisation().data?.kind === 'ics';
  const heading = ics ? 'ICS returns' : 'Returns';
  return (
    <>
      <h1>{heading}</h1>
      {ics ? (
        <p className="lede">
          What the ICS tells its AHP faculty and HEE about its trusts' support workforce for a financial year or a
          quarter: built from the returns collected from the trusts, with the trusts compared, checked, with small
          numbers protected, signed off and kept unchanged.
        </p>
      ) : (
        <p className="lede">
          What the trust tells its integrated care system (ICS) AHP faculty and HEE about its support workforce for a
          financial year or a quarter: built from the app's figures, checked, with small numbers protected, signed off
          and kept unchanged.
        </p>
      )}
      <StartReturn />
      {returns.error && <Notice kind="warning">{returns.error}</Notice>}
      {returns.data && (
        <DataTable<ReturnSummary>
          caption="Returns made"
          testId="returns-list"
          rows={returns.data.returns}
          rowKey={(r) => r.id}
          empty="No returns yet. Start one above."
          columns={[
            {
              id: 'period',
              header: 'Period',
              rowHeader: true,
              value: (r) => r.period,
              cell: (r) => (
                <a href={`#/returns/${r.id}`} aria-label={`${versionLabel(r)}, ${statusText(r)}`}>
                  {r.period}
                </a>
              ),
            },
            { id: 'version', header: 'Version', numeric: true, cell: (r) => r.version },
            { id: 'status', header: 'Status', cell: (r) => statusText(r) },
            { id: 'asAt', header: 'As at', cell: (r) => dateLabel(r.asAt) },
            {
              id: 'hash',
              header: 'Hash (SHA-256)',
              cell: (r) => (r.hash ? <HashDisclosure hash={r.hash} /> : 'Not signed off'),
            },
            {
              id: 'signedBy',
              header: 'Signed off by',
              cell: (r) => (r.signOff ? `${r.signOff.name}, ${r.signOff.role}` : ''),
            },
            { id: 'signedAt', header: 'When', cell: (r) => (r.signOff ? dateLabel(r.signOff.at.slice(0, 10)) : '') },
          ]}
        />
      )}
      <ThresholdForm />
    </>
  );
}

function StartReturn() {
  const choices = periodChoices();
  // The latest whole year that has ended: a return is usually made once its period is over.
  const initial = choices.find((c) => !c.period.includes('-Q') && c.lastDay < today()) ?? choices[0]!;
  const [period, setPeriod] = useState(initial.period);
  const [asAt, setAsAt] = useState(initial.lastDay);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const choose = (p: string) => {
    setPeriod(p);
    setAsAt(choices.find((c) => c.period === p)!.lastDay);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const result = await api('returns/build', { period, asAt });
    setErrors({});
    setBusy(false);
    if (!result.ok) return setErrors(errorsFromApi(result.error));
    window.location.hash = `#/returns/${result.value.id}`;
  };
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="start-return-title">
      <h2 id="start-return-title">Start a return</h2>
      <ErrorSummary form="start-return" errors={errors} labels={{ period: 'Period', asAt: 'Figures as at' }} />
      <div className="field-row">
        <LabelledField htmlFor="start-return-period" label="Period" width="long">
          <select id="start-return-period" className="select" value={period} onChange={(e) => choose(e.target.value)}>
            {choices.map((c) => (
              <option key={c.period} value={c.period}>
                {c.label}
              </option>
            ))}
          </select>
        </LabelledField>
        <LabelledField
          htmlFor="start-return-asAt"
          label="Figures as at"
          hint={`The last day of the period (${dateLabel(choices.find((c) => c.period === period)!.lastDay)}) unless you change it.`}
          width="short"
        >
          <input
            id="start-return-asAt"
            className="input"
            type="date"
            value={asAt}
            onChange={(e) => setAsAt(e.target.value)}
          />
        </LabelledField>
      </div>
      <button type="submit" className="button" disabled={busy}>
        Start the return
      </button>
    </form>
  );
}
