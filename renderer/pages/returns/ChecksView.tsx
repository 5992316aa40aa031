import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { ErrorSummary, Field, Notice, errorsFromApi, fieldId, useFormState } from '../../components/forms';
import { useMessage } from '../../components/message';
import { dateLabel } from '../../../shared/common/periods';
import type { ReturnView } from '../../../shared/returns/channels';

/** The checks: errors block sign-off; each warning is acknowledged, and together they are accepted with a reason. */
export function ChecksView({ view, onChanged }: { view: ReturnView; onChanged: () => void }) {
  const { checks } = view;
  const frozen = view.status === 'signed-off' || view.status === 'sent';
  const form = useFormState({ reason: checks.warningsAccepted?.reason ?? '' });
  const [acknowledged, setAcknowledged] = useState<ReadonlySet<string>>(new Set());
  const { notice, report, setMessage } = useMessage();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    checks.warnings.forEach((w, i) => {
      if (!acknowledged.has(w.code)) errors[`warning.${i}`] = `Tick to say you have read: ${w.message}`;
    });
    if (checks.warnings.length > 0 && form.values.reason.trim() === '')
      errors.reason = 'Say why the return can go ahead with these warnings';
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    form.setBusy(true);
    const result = await api('returns/check', { id: view.id, acceptWarnings: form.values.reason });
    form.setBusy(false);
    if (!result.ok) return form.setErrors(errorsFromApi(result.error));
    report(result, () => 'Checks passed: the return is ready to sign off.');
    onChanged();
  };

  const rebuild = async () => {
    const result = await api('returns/rebuild', { id: view.id });
    if (!result.ok) return setMessage({ kind: 'warning', text: result.error.message });
    setMessage({ kind: 'success', text: 'The figures were built again from the data as it is now.' });
    onChanged();
  };

  return (
    <>
      <h2>Checks</h2>
      {notice}
      <h3>Errors {checks.errors.length > 0 ? `(${checks.errors.length}): these stop sign-off` : ''}</h3>
      {checks.errors.length === 0 ? (
        <p data-testid="return-no-errors">No errors.</p>
      ) : (
        <ul className="return-checks" data-testid="return-errors">
          {checks.errors.map((c) => (
            <li key={c.code} className="return-check return-check--error">
              <span className="return-check__kind">
                Error<span className="visually-hidden">:</span>
              </span>{' '}
              {c.message}
            </li>
          ))}
        </ul>
      )}
      <h3>Small-number audit</h3>
      <p data-testid="return-audit">
        {!checks.audit.ok
          ? `Failed: ${checks.audit.exposedCells.length} hidden cell${checks.audit.exposedCells.length === 1 ? '' : 's'} could be worked out from the published totals.`
          : checks.audit.hiddenCells === 0
            ? 'Passed: no count in this return is from 1 to the threshold, so nothing needs hiding.'
            : `Passed: each of the ${checks.audit.hiddenCells.toLocaleString('en-GB')} hidden cells could be at least two values from what is published (checked in ${Math.round(checks.audit.ms)} ms).`}
      </p>

      <h3>Warnings {checks.warnings.length > 0 ? `(${checks.warnings.length})` : ''}</h3>
      {checks.warnings.length === 0 && <p>No warnings.</p>}
      {checks.warningsAccepted && (
        <Notice kind="info">
          Warnings accepted by {checks.warningsAccepted.by} on {dateLabel(checks.warningsAccepted.at.slice(0, 10))}:{' '}
          {checks.warningsAccepted.reason}
        </Notice>
      )}
      {!frozen && (
        <form onSubmit={submit} noValidate>
          <ErrorSummary
            form="checks"
            errors={form.errors}
            labels={{
              reason: 'Reason',
              ...Object.fromEntries(checks.warnings.map((_, i) => [`warning.${i}`, `Warning ${i + 1}`])),
            }}
          />
          {checks.warnings.length > 0 && (
            <>
              <ul className="return-checks" data-testid="return-warnings">
                {checks.warnings.map((w, i) => (
                  <li key={w.code} className="return-check return-check--warning">
                    <p id={`checks-warning-${i}-text`}>
                      <span className="return-check__kind">
                        Warning<span className="visually-hidden">:</span>
                      </span>{' '}
                      {w.message}
                    </p>
                    <WarningTick
                      index={i}
                      error={form.errors[`warning.${i}`]}
                      checked={acknowledged.has(w.code)}
                      onChange={(checked) =>
                        setAcknowledged((s) => {
                          const next = new Set(s);
                          if (checked) next.add(w.code);
                          else next.delete(w.code);
                          return next;
                        })
                      }
                    />
                  </li>
                ))}
              </ul>
              <Field
                form="checks"
                path="reason"
                label="Why the return can go ahead with these warnings"
                hint="Kept with the return and shown to whoever signs it off."
                errors={form.errors}
                width="long"
              >
                {(p) => <textarea {...p} className="input" rows={3} {...form.bind('reason')} />}
              </Field>
            </>
          )}
          <div className="button-group">
            <button type="submit" className="button" disabled={form.busy}>
              {checks.warnings.length > 0 ? 'Accept the warnings and run the checks' : 'Run the checks'}
            </button>
            <button type="button" className="button button--secondary" onClick={rebuild}>
              Build the figures again from today's data
            </button>
          </div>
        </form>
      )}
    </>
  );
}

function WarningTick({
  index,
  error,
  checked,
  onChange,
}: {
  index: number;
  error: string | undefined;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = fieldId('checks', `warning.${index}`);
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      {error && (
        <p id={`${id}-error`} className="field__error">
          <span className="visually-hidden">Error:</span> {error}
        </p>
      )}
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-describedby={[`checks-warning-${index}-text`, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
        onChange={(e) => onChange(e.target.checked)}
      />{' '}
      <label htmlFor={id}>I have read warning {index + 1} and the return can go ahead with it</label>
    </div>
  );
}
