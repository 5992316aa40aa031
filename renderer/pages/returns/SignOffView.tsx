import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { DownloadButtons } from '../../components/DownloadButtons';
import { ErrorSummary, Field, Notice, errorsFromApi, fieldId, useFormState } from '../../components/forms';
import { today } from '../../../shared/common/clock';
import { dateLabel } from '../../../shared/common/periods';
import { EXACT_MARKING, type ReturnVersionKind, type ReturnView } from '../../../shared/returns/channels';

/** Sign-off (typed name and role, confirmed), then the frozen figures' hashes, sending, downloads and corrections. */
export function SignOffView({ view, onChanged }: { view: ReturnView; onChanged: () => void }) {
  const frozen = view.status === 'signed-off' || view.status === 'sent';
  return (
    <>
      <h2>Sign off and send</h2>
      {frozen ? <Signed view={view} onChanged={onChanged} /> : <SignOffForm view={view} onChanged={onChanged} />}
    </>
  );
}

function SignOffForm({ view, onChanged }: { view: ReturnView; onChanged: () => void }) {
  const form = useFormState({ name: '', role: '' });
  const [confirmed, setConfirmed] = useState(false);
  const { checks } = view;
  const blocked = checks.errors.length > 0;
  const warningsOpen = checks.warnings.length > 0 && !checks.warningsAccepted;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (form.values.name.trim() === '') errors.name = 'Enter the name of the person signing off';
    if (form.values.role.trim() === '') errors.role = 'Enter the role of the person signing off';
    if (!confirmed) errors.confirm = 'Tick to confirm the figures are right to send';
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    form.setBusy(true);
    const result = await api('returns/sign', {
      id: view.id,
      name: form.values.name,
      role: form.values.role,
      acceptWarnings: checks.warningsAccepted?.reason ?? null,
    });
    form.setBusy(false);
    if (!result.ok) return form.setErrors(errorsFromApi(result.error));
    onChanged();
  };

  if (blocked)
    return (
      <Notice kind="warning">
        This return cannot be signed off until its errors are fixed: see{' '}
        <a href={`#/returns/${view.id}/checks`}>Checks</a>.
      </Notice>
    );
  if (warningsOpen)
    return (
      <Notice kind="info">
        The return has warnings. Acknowledge them with a reason on <a href={`#/returns/${view.id}/checks`}>Checks</a>{' '}
        before signing off.
      </Notice>
    );
  const confirmId = fieldId('sign-off', 'confirm');
  return (
    <form onSubmit={submit} noValidate className="narrow">
      <p>
        Once signed off, the figures are frozen: later imports and changes do not alter them, and they get a SHA-256
        hash that also covers the previous signed-off return's hash. To change them afterwards you make a corrected
        version.
      </p>
      <ErrorSummary
        form="sign-off"
        errors={form.errors}
        labels={{ name: 'Your name', role: 'Your role', confirm: 'Confirmation' }}
      />
      <Field form="sign-off" path="name" label="Your name" errors={form.errors} width="medium">
        {(p) => <input {...p} className="input" autoComplete="name" {...form.bind('name')} />}
      </Field>
      <Field
        form="sign-off"
        path="role"
        label="Your role"
        hint="For example: AHP faculty lead, Chief AHP"
        errors={form.errors}
        width="medium"
      >
        {(p) => <input {...p} className="input" autoComplete="organization-title" {...form.bind('role')} />}
      </Field>
      <div className={`field${form.errors.confirm ? ' field--error' : ''}`}>
        {form.errors.confirm && (
          <p id={`${confirmId}-error`} className="field__error">
            <span className="visually-hidden">Error:</span> {form.errors.confirm}
          </p>
        )}
        <input
          id={confirmId}
          type="checkbox"
          checked={confirmed}
          onChange={(e) => setConfirmed(e.target.checked)}
          aria-describedby={form.errors.confirm ? `${confirmId}-error` : undefined}
        />{' '}
        <label htmlFor={confirmId}>
          I confirm the return for {view.period} is correct and may be sent to the ICS and HEE
        </label>
      </div>
      <button type="submit" className="button" disabled={form.busy}>
        Sign off the return
      </button>
    </form>
  );
}

function Signed({ view, onChanged }: { view: ReturnView; onChanged: () => void }) {
  const [version, setVersion] = useState<ReturnVersionKind>('publication');
  const sign = view.signOff;
  return (
    <>
      <dl className="summary-list" data-testid="return-signed">
        {sign && (
          <>
            <div>
              <dt>Signed off by</dt>
              <dd>
                {sign.name}, {sign.role} (computer user {sign.user})
              </dd>
            </div>
            <div>
              <dt>Signed off on</dt>
              <dd>
                {dateLabel(sign.at.slice(0, 10))} at {sign.at.slice(11, 16)}
              </dd>
            </div>
          </>
        )}
        <div>
          <dt>SHA-256 of the frozen figures</dt>
          <dd className="return-hash" data-testid="return-hash">
            {view.hash}
          </dd>
        </div>
        <div>
          <dt>Previous signed-off return's hash</dt>
          <dd className={view.previousHash ? 'return-hash' : undefined} data-testid="return-previous-hash">
            {view.previousHash ?? 'None: this is the first signed-off return'}
          </dd>
        </div>
        <div>
          <dt>Sent</dt>
          <dd>{view.sentOn ? dateLabel(view.sentOn) : 'Not yet'}</dd>
        </div>
      </dl>

      <h3>Download</h3>
      <fieldset className="fieldset return-version-switch">
        <legend>Version to download</legend>
        <label>
          <input
            type="radio"
            name="download-version"
            checked={version === 'publication'}
            onChange={() => setVersion('publication')}
          />{' '}
          Publication version (small numbers hidden)
        </label>
        <label>
          <input
            type="radio"
            name="download-version"
            checked={version === 'exact'}
            onChange={() => setVersion('exact')}
          />{' '}
          ICS data-sharing version (exact figures)
        </label>
      </fieldset>
      {version === 'exact' && <p className="return-sensitive">{EXACT_MARKING}</p>}
      <DownloadButtons
        label={version === 'exact' ? 'the ICS version' : 'the return'}
        formats={['xlsx', 'csv', 'json', 'pdf']}
        produce={(format) => api('returns/export', { id: view.id, format, version })}
      />

      {view.status === 'signed-off' && <MarkSent view={view} onChanged={onChanged} />}
      {!view.supersededById && <Correct view={view} />}
    </>
  );
}

function MarkSent({ view, onChanged }: { view: ReturnView; onChanged: () => void }) {
  const form = useFormState({ sentOn: today() });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    form.setBusy(true);
    const result = await api('returns/sent', { id: view.id, sentOn: form.values.sentOn });
    form.setBusy(false);
    if (!result.ok) return form.setErrors(errorsFromApi(result.error));
    form.setErrors({});
    onChanged();
  };
  return (
    <form onSubmit={submit} noValidate>
      <h3>Mark as sent</h3>
      <ErrorSummary form="sent" errors={form.errors} labels={{ sentOn: 'Date sent' }} />
      <Field form="sent" path="sentOn" label="Date sent" errors={form.errors} width="short">
        {(p) => <input {...p} className="input" type="date" {...form.bind('sentOn')} />}
      </Field>
      <button type="submit" className="button" disabled={form.busy}>
        Mark as sent
      </button>
    </form>
  );
}

function Correct({ view }: { view: ReturnView }) {
  const form = useFormState({ correctionReason: '' });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (form.values.correctionReason.trim() === '')
      return form.setErrors({ correctionReason: 'Say why the return needs correcting' });
    form.setBusy(true);
    const result = await api('returns/build', {
      period: view.period,
      asAt: view.asAt,
      correctionReason: form.values.correctionReason,
    });
    form.setBusy(false);
    if (!result.ok) return form.setErrors(errorsFromApi(result.error));
    window.location.hash = `#/returns/${result.value.id}/checks`;
  };
  return (
    <form onSubmit={submit} noValidate>
      <h3>Make a corrected version</h3>
      <p className="hint">
        Builds a new draft for {view.period} from the data as it is now, with your reason. This version is kept exactly
        as it was signed off, so the two can be compared.
      </p>
      <ErrorSummary form="correct" errors={form.errors} labels={{ correctionReason: 'Reason for the correction' }} />
      <Field form="correct" path="correctionReason" label="Reason for the correction" errors={form.errors} width="long">
        {(p) => <textarea {...p} className="input" rows={2} {...form.bind('correctionReason')} />}
      </Field>
      <button type="submit" className="button button--secondary" disabled={form.busy}>
        Make a corrected version
      </button>
    </form>
  );
}
